import { and, eq, gte, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { voucherBalances, voucherLedger } from './tables';

/**
 * Vouchers (服务券): an append-only ledger and a balance row beside it. The balance moves only in
 * one conditional statement (spend: `balance >= amount`), so concurrent bookings never take it
 * below zero; the ledger row goes in the same transaction.
 */

type For = { bookingId?: string | null; mealBookingId?: string | null };

export async function voucherBalance(db: DbOrTx, elderId: string): Promise<number> {
  const [row] = await db
    .select({ balance: voucherBalances.balanceFen })
    .from(voucherBalances)
    .where(eq(voucherBalances.elderId, elderId));
  return row?.balance ?? 0;
}

/** The month's allotment, once per elder and month (the unique grant index decides). */
export async function grantMonthly(
  tx: DbOrTx,
  elderId: string,
  month: string,
  amountFen: number,
): Promise<boolean> {
  if (amountFen <= 0) return false;
  const [row] = await tx
    .insert(voucherLedger)
    .values({ elderId, kind: 'grant', amountFen, month })
    .onConflictDoNothing()
    .returning({ id: voucherLedger.id });
  if (!row) return false;
  await tx
    .insert(voucherBalances)
    .values({ elderId, balanceFen: amountFen })
    .onConflictDoUpdate({
      target: voucherBalances.elderId,
      set: { balanceFen: sql`${voucherBalances.balanceFen} + ${amountFen}`, updatedAt: sql`now()` },
    });
  return true;
}

/** Takes `amountFen` from the balance if it is there; false (and nothing written) when it is not. */
export async function spendVoucher(
  tx: DbOrTx,
  e: { elderId: string; amountFen: number; month: string } & For,
): Promise<boolean> {
  if (e.amountFen === 0) return true;
  const [row] = await tx
    .update(voucherBalances)
    .set({ balanceFen: sql`${voucherBalances.balanceFen} - ${e.amountFen}`, updatedAt: sql`now()` })
    .where(and(eq(voucherBalances.elderId, e.elderId), gte(voucherBalances.balanceFen, e.amountFen)))
    .returning({ balance: voucherBalances.balanceFen });
  if (!row) return false;
  await tx.insert(voucherLedger).values({
    elderId: e.elderId,
    kind: 'spend',
    amountFen: -e.amountFen,
    month: e.month,
    bookingId: e.bookingId ?? null,
    mealBookingId: e.mealBookingId ?? null,
  });
  return true;
}

/** Gives back what a cancelled booking or meal spent (the caller moved its state once). */
export async function returnVoucher(
  tx: DbOrTx,
  e: { elderId: string; amountFen: number; month: string } & For,
): Promise<void> {
  if (e.amountFen === 0) return;
  await tx
    .insert(voucherBalances)
    .values({ elderId: e.elderId, balanceFen: e.amountFen })
    .onConflictDoUpdate({
      target: voucherBalances.elderId,
      set: { balanceFen: sql`${voucherBalances.balanceFen} + ${e.amountFen}`, updatedAt: sql`now()` },
    });
  await tx.insert(voucherLedger).values({
    elderId: e.elderId,
    kind: 'return',
    amountFen: e.amountFen,
    month: e.month,
    bookingId: e.bookingId ?? null,
    mealBookingId: e.mealBookingId ?? null,
  });
}
