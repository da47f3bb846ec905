import { randomInt } from 'node:crypto';
import { and, asc, eq, gt, inArray, isNotNull, isNull, lte, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import type { AppDeps } from '../../deps';
import { violates } from '../../http/errors';
import { orderIdsIn, orderRow, ordersByIds, recordOrderNote } from '../orders';
import {
  compartmentAssignments,
  compartments,
  lockerBanks,
  lockerDelegations,
  lockerPickups,
} from './tables';

/** An order sitting in a locker: dropped, not collected, not taken back by the courier. */
export interface WaitingLockerOrder {
  orderId: string;
  userId: string;
  status: 'in_locker' | 'overdue';
  bankId: string;
  bankName: string;
  location: string;
  compartments: string[];
  droppedAt: Date;
  deadline: Date;
}

const WAITING = ['in_locker', 'overdue'] as const;

/**
 * Orders waiting in a locker, optionally only these residents' or these orders, dropped at or
 * before `droppedBefore`. Oldest drop first.
 */
export async function lockerOrdersWaiting(
  db: DbOrTx,
  opts: { userIds?: string[]; orderIds?: string[]; droppedBefore?: Date } = {},
): Promise<WaitingLockerOrder[]> {
  if (opts.userIds?.length === 0 || opts.orderIds?.length === 0) return [];
  const rows = await db
    .select({ p: lockerPickups, bankName: lockerBanks.name, location: lockerBanks.location })
    .from(lockerPickups)
    .innerJoin(lockerBanks, eq(lockerBanks.id, lockerPickups.bankId))
    .where(
      and(
        isNull(lockerPickups.usedAt),
        isNull(lockerPickups.disposition),
        inArray(lockerPickups.orderId, orderIdsIn(db, WAITING)),
        opts.orderIds ? inArray(lockerPickups.orderId, opts.orderIds) : undefined,
        opts.droppedBefore ? lte(lockerPickups.droppedAt, opts.droppedBefore) : undefined,
      ),
    )
    .orderBy(asc(lockerPickups.droppedAt));
  if (rows.length === 0) return [];
  const owners = new Map(
    (
      await ordersByIds(
        db,
        rows.map((r) => r.p.orderId),
      )
    ).map((o) => [o.id, o]),
  );
  const wanted = opts.userIds ? new Set(opts.userIds) : null;
  const mine = rows.filter((r) => {
    const o = owners.get(r.p.orderId);
    return o && (WAITING as readonly string[]).includes(o.status) && (!wanted || wanted.has(o.userId));
  });
  const labels = await heldLabels(
    db,
    mine.map((r) => r.p.orderId),
  );
  return mine.map((r) => {
    const o = owners.get(r.p.orderId)!;
    return {
      orderId: r.p.orderId,
      userId: o.userId,
      status: o.status as WaitingLockerOrder['status'],
      bankId: r.p.bankId,
      bankName: r.bankName,
      location: r.location,
      compartments: labels.get(r.p.orderId) ?? [],
      droppedAt: r.p.droppedAt,
      deadline: r.p.deadline,
    };
  });
}

/** The labels of the compartments each order fills, in label order. */
async function heldLabels(db: DbOrTx, orderIds: string[]) {
  const out = new Map<string, string[]>();
  if (orderIds.length === 0) return out;
  const rows = await db
    .select({ orderId: compartmentAssignments.orderId, label: compartments.label })
    .from(compartmentAssignments)
    .innerJoin(compartments, eq(compartments.id, compartmentAssignments.compartmentId))
    .where(
      and(inArray(compartmentAssignments.orderId, orderIds), eq(compartmentAssignments.status, 'occupied')),
    )
    .orderBy(asc(compartments.label));
  for (const r of rows) out.set(r.orderId, [...(out.get(r.orderId) ?? []), r.label]);
  return out;
}

const newCode = () => String(randomInt(0, 1_000_000)).padStart(6, '0');

/**
 * A delegation is live while it is neither used, revoked nor expired, and its order is still in
 * the locker. Collecting by any code spends the order's pickup, which voids every delegation of
 * the order without touching their rows.
 */
const live = (now: Date) =>
  and(
    isNull(lockerDelegations.usedAt),
    isNull(lockerDelegations.revokedAt),
    gt(lockerDelegations.expiresAt, now),
    sql`${lockerDelegations.orderId} IN (SELECT ${lockerPickups.orderId} FROM ${lockerPickups} WHERE ${lockerPickups.usedAt} IS NULL)`,
  );

/**
 * A fresh one-time code that opens `orderId`'s compartments for `holderId` until `expiresAt`
 * (never past the free window's deadline). It differs from every live pickup code at the bank
 * (the resident's own among them) and from every live delegated code there; any earlier
 * delegation of the order is revoked, so an order has at most one. Null when the order is no
 * longer waiting in a locker.
 */
export async function issueDelegation(
  tx: DbOrTx,
  deps: Pick<AppDeps, 'clock'>,
  d: { orderId: string; holderId: string; purpose: string; expiresAt: Date },
): Promise<{ id: string; code: string; bankId: string; expiresAt: Date } | null> {
  const now = deps.clock.now();
  // The pickup's row lock orders this against a collection of the same order.
  const [pickup] = await tx
    .select()
    .from(lockerPickups)
    .where(eq(lockerPickups.orderId, d.orderId))
    .for('update');
  if (!pickup || pickup.usedAt || pickup.disposition) return null;
  const expiresAt = new Date(Math.min(d.expiresAt.getTime(), pickup.deadline.getTime()));
  if (expiresAt <= now) return null;
  await revokeDelegations(tx, { orderId: d.orderId, now });
  // Codes that can no longer open anything still hold their place in the live-code index: retire
  // them, so the bank's code space does not fill up with dead ones.
  await tx
    .update(lockerDelegations)
    .set({ revokedAt: now })
    .where(
      and(
        eq(lockerDelegations.bankId, pickup.bankId),
        isNull(lockerDelegations.usedAt),
        isNull(lockerDelegations.revokedAt),
        or(
          lte(lockerDelegations.expiresAt, now),
          inArray(
            lockerDelegations.orderId,
            tx
              .select({ id: lockerPickups.orderId })
              .from(lockerPickups)
              .where(isNotNull(lockerPickups.usedAt)),
          ),
        ),
      ),
    );
  const taken = new Set(
    (
      await tx
        .select({ code: lockerPickups.code })
        .from(lockerPickups)
        .where(and(eq(lockerPickups.bankId, pickup.bankId), isNull(lockerPickups.usedAt)))
    ).map((r) => r.code),
  );
  for (let attempt = 0; ; attempt++) {
    const code = newCode();
    if (taken.has(code)) continue;
    try {
      const [row] = await tx.transaction((sp) =>
        sp
          .insert(lockerDelegations)
          .values({
            orderId: d.orderId,
            bankId: pickup.bankId,
            holderId: d.holderId,
            code,
            purpose: d.purpose,
            expiresAt,
            createdAt: now,
          })
          .returning(),
      );
      return { id: row!.id, code, bankId: pickup.bankId, expiresAt };
    } catch (err) {
      // Only a code already live at this bank is worth another try.
      if (attempt >= 8 || !violates(err, 'locker_delegations_live_code')) throw err;
    }
  }
}

/** Voids the order's live delegations (only `holderId`'s, if given). Returns how many. */
export async function revokeDelegations(
  tx: DbOrTx,
  r: { orderId: string; holderId?: string; now: Date },
): Promise<number> {
  const done = await tx
    .update(lockerDelegations)
    .set({ revokedAt: r.now })
    .where(
      and(
        eq(lockerDelegations.orderId, r.orderId),
        r.holderId ? eq(lockerDelegations.holderId, r.holderId) : undefined,
        isNull(lockerDelegations.usedAt),
        isNull(lockerDelegations.revokedAt),
      ),
    )
    .returning({ id: lockerDelegations.id });
  return done.length;
}

/** The holder's live delegation for the order, with where to go and what opens; else null. */
export async function delegationFor(db: DbOrTx, orderId: string, holderId: string, now: Date) {
  const [row] = await db
    .select({ d: lockerDelegations, bankName: lockerBanks.name, location: lockerBanks.location })
    .from(lockerDelegations)
    .innerJoin(lockerBanks, eq(lockerBanks.id, lockerDelegations.bankId))
    .where(and(eq(lockerDelegations.orderId, orderId), eq(lockerDelegations.holderId, holderId), live(now)));
  if (!row) return null;
  return {
    id: row.d.id,
    code: row.d.code,
    bankId: row.d.bankId,
    bankName: row.bankName,
    location: row.location,
    compartments: (await heldLabels(db, [orderId])).get(orderId) ?? [],
    expiresAt: row.d.expiresAt,
  };
}

/** Of these orders, those a delegate collected (their delegated code was used at the panel). */
export async function collectedByDelegate(db: DbOrTx, orderIds: string[]): Promise<Set<string>> {
  if (orderIds.length === 0) return new Set();
  const rows = await db
    .select({ orderId: lockerDelegations.orderId })
    .from(lockerDelegations)
    .where(and(inArray(lockerDelegations.orderId, orderIds), isNotNull(lockerDelegations.usedAt)));
  return new Set(rows.map((r) => r.orderId));
}

/**
 * The panel's side: a live delegated code at this bank is spent and names the order it opens.
 * The caller holds the bank's row lock, so two uses of one code run one after the other and the
 * second finds it spent.
 */
export async function redeemDelegation(tx: DbOrTx, bankId: string, code: string, now: Date) {
  const [d] = await tx
    .select()
    .from(lockerDelegations)
    .where(and(eq(lockerDelegations.bankId, bankId), eq(lockerDelegations.code, code), live(now)))
    .for('update');
  if (!d) return null;
  await tx.update(lockerDelegations).set({ usedAt: now }).where(eq(lockerDelegations.id, d.id));
  return { orderId: d.orderId, holderId: d.holderId, purpose: d.purpose };
}

/** The order's timeline says who took it out: a delegate, not the resident. */
export async function noteDelegatedPickup(tx: DbOrTx, orderId: string) {
  const o = await orderRow(tx, orderId);
  if (o) await recordOrderNote(tx, o, 'delegatePickup', null, '志愿者凭一次性代取码取货');
}

/**
 * Whether a live delegated code at the bank is `code`: a new pickup code must not be one, or the
 * panel (which tries the resident's own codes first) would open this order for the delegate.
 */
export async function isLiveDelegatedCode(
  tx: DbOrTx,
  bankId: string,
  code: string,
  now: Date,
): Promise<boolean> {
  const [row] = await tx
    .select({ id: lockerDelegations.id })
    .from(lockerDelegations)
    .where(
      and(
        eq(lockerDelegations.bankId, bankId),
        eq(lockerDelegations.code, code),
        isNull(lockerDelegations.usedAt),
        isNull(lockerDelegations.revokedAt),
        gt(lockerDelegations.expiresAt, now),
      ),
    );
  return !!row;
}
