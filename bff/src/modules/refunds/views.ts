import { desc, eq, inArray } from 'drizzle-orm';
import type { MerchantOrder } from 'shared';
import type { DbOrTx } from '../../db/client';
import type { OrderRow } from '../orders';
import { attachedImages } from '../uploads';
import { refunds } from './tables';

/** The refund part of order views: the latest request of each order, with its photos. */
export async function refundsOfOrders(
  db: DbOrTx,
  rows: OrderRow[],
): Promise<Map<string, NonNullable<MerchantOrder['refund']>>> {
  if (rows.length === 0) return new Map();
  const found = await db
    .select()
    .from(refunds)
    .where(
      inArray(
        refunds.orderId,
        rows.map((r) => r.id),
      ),
    )
    .orderBy(desc(refunds.createdAt));
  const latest = new Map<string, (typeof found)[number]>();
  for (const r of found) if (!latest.has(r.orderId)) latest.set(r.orderId, r);
  // Only the resident and the shop get here (their routes checked); the URLs are theirs alone.
  const photosBy = await attachedImages(
    db,
    'refund',
    new Map([...latest.values()].map((r) => [r.id, r.photos])),
  );
  return new Map(
    [...latest.values()].map((refund) => [
      refund.orderId,
      {
        id: refund.id,
        status: refund.status,
        reason: refund.reason,
        photos: photosBy.get(refund.id) ?? [],
        amountFen: refund.amountFen,
        merchantNote: refund.merchantNote,
        autoApproved: refund.autoApproved,
        createdAt: refund.createdAt.toISOString(),
        decidedAt: refund.decidedAt?.toISOString() ?? null,
      },
    ]),
  );
}

/** Ids of orders with a refund (undecided ones only, when asked), for the merchant's 退款 tab. */
export function ordersWithRefunds(db: DbOrTx, opts: { requestedOnly: boolean }) {
  return db
    .select({ id: refunds.orderId })
    .from(refunds)
    .where(opts.requestedOnly ? eq(refunds.status, 'requested') : undefined);
}
