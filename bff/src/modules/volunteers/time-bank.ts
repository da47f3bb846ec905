import { and, desc, eq, gte, sql } from 'drizzle-orm';
import { STAR_LEVELS, starLevel } from 'shared';
import type { Actor } from '../../access/actor';
import { requireAccess } from '../../access/require-access';
import type { Db, DbOrTx } from '../../db/client';
import { conflict } from '../../http/errors';
import { audit } from '../audit';
import { volunteerStaff } from './policies';
import { timeBankAccounts, timeBankLedger } from './tables';

interface Entry {
  userId: string;
  minutes: number;
  reason: string;
  /** Same event, same key: a replay adds no second row and moves no balance. */
  dedupeKey: string;
  taskId?: string | null;
  activityId?: string | null;
  createdBy?: string | null;
}

/**
 * Adds minutes to a volunteer's time bank: one ledger row and one UPDATE of the balance in the
 * caller's transaction. Returns false when the key was already used (nothing changed).
 */
export async function creditMinutes(tx: DbOrTx, e: Entry): Promise<boolean> {
  if (e.minutes <= 0) return false;
  const [row] = await tx
    .insert(timeBankLedger)
    .values({
      userId: e.userId,
      kind: 'credit',
      deltaMin: e.minutes,
      reason: e.reason,
      taskId: e.taskId ?? null,
      activityId: e.activityId ?? null,
      createdBy: e.createdBy ?? null,
      dedupeKey: e.dedupeKey,
    })
    .onConflictDoNothing({ target: timeBankLedger.dedupeKey })
    .returning({ id: timeBankLedger.id });
  if (!row) return false;
  await tx
    .insert(timeBankAccounts)
    .values({ userId: e.userId, balanceMin: e.minutes, earnedMin: e.minutes })
    .onConflictDoUpdate({
      target: timeBankAccounts.userId,
      set: {
        balanceMin: sql`${timeBankAccounts.balanceMin} + ${e.minutes}`,
        earnedMin: sql`${timeBankAccounts.earnedMin} + ${e.minutes}`,
      },
    });
  return true;
}

/**
 * Spends minutes: the balance moves only where it covers them (one conditional UPDATE decides
 * two spends racing), then the ledger row. Throws 409 TIME_BANK_INSUFFICIENT otherwise.
 */
export async function debitMinutes(tx: DbOrTx, e: Entry): Promise<void> {
  const moved = await tx
    .update(timeBankAccounts)
    .set({ balanceMin: sql`${timeBankAccounts.balanceMin} - ${e.minutes}` })
    .where(and(eq(timeBankAccounts.userId, e.userId), gte(timeBankAccounts.balanceMin, e.minutes)))
    .returning({ balance: timeBankAccounts.balanceMin });
  if (moved.length === 0) throw conflict('TIME_BANK_INSUFFICIENT', 'Not enough banked time for this task');
  await tx.insert(timeBankLedger).values({
    userId: e.userId,
    kind: 'debit',
    deltaMin: -e.minutes,
    reason: e.reason,
    taskId: e.taskId ?? null,
    createdBy: e.createdBy ?? null,
    dedupeKey: e.dedupeKey,
  });
}

/**
 * Gives back minutes spent on a task nobody did (a refund, not earned: the star levels do not
 * move). Once per key.
 */
export async function refundMinutes(tx: DbOrTx, e: Entry): Promise<boolean> {
  if (e.minutes <= 0) return false;
  const [row] = await tx
    .insert(timeBankLedger)
    .values({
      userId: e.userId,
      kind: 'correction',
      deltaMin: e.minutes,
      reason: e.reason,
      taskId: e.taskId ?? null,
      createdBy: e.createdBy ?? null,
      dedupeKey: e.dedupeKey,
    })
    .onConflictDoNothing({ target: timeBankLedger.dedupeKey })
    .returning({ id: timeBankLedger.id });
  if (!row) return false;
  await tx
    .update(timeBankAccounts)
    .set({ balanceMin: sql`${timeBankAccounts.balanceMin} + ${e.minutes}` })
    .where(eq(timeBankAccounts.userId, e.userId));
  return true;
}

/**
 * Staff correct a balance with a new row (the history is never edited). A negative correction
 * may not take the balance below zero; earned minutes move with it so stars stay honest.
 */
export async function correctMinutes(
  tx: DbOrTx,
  actor: Actor,
  userId: string,
  deltaMin: number,
  reason: string,
) {
  await tx.insert(timeBankAccounts).values({ userId }).onConflictDoNothing();
  const moved = await tx
    .update(timeBankAccounts)
    .set({
      balanceMin: sql`${timeBankAccounts.balanceMin} + ${deltaMin}`,
      earnedMin: sql`GREATEST(${timeBankAccounts.earnedMin} + ${deltaMin}, 0)`,
    })
    .where(and(eq(timeBankAccounts.userId, userId), sql`${timeBankAccounts.balanceMin} + ${deltaMin} >= 0`))
    .returning({ balance: timeBankAccounts.balanceMin });
  if (moved.length === 0)
    throw conflict('TIME_BANK_INSUFFICIENT', 'The correction would take the balance below zero');
  const [row] = await tx
    .insert(timeBankLedger)
    .values({
      userId,
      kind: 'correction',
      deltaMin,
      reason,
      createdBy: actor.actorId,
      dedupeKey: `correction:${crypto.randomUUID()}`,
    })
    .returning();
  return row!;
}

export async function accountOf(db: DbOrTx, userId: string) {
  const [row] = await db.select().from(timeBankAccounts).where(eq(timeBankAccounts.userId, userId));
  return row ?? { userId, balanceMin: 0, earnedMin: 0 };
}

/** The volunteer's balance, star, and the latest entries. */
export async function timeBankView(db: DbOrTx, userId: string) {
  const [account, entries] = await Promise.all([
    accountOf(db, userId),
    db
      .select()
      .from(timeBankLedger)
      .where(eq(timeBankLedger.userId, userId))
      .orderBy(desc(timeBankLedger.createdAt), desc(timeBankLedger.id))
      .limit(100),
  ]);
  const star = starLevel(account.earnedMin);
  const next = STAR_LEVELS[star];
  return {
    balanceMin: account.balanceMin,
    earnedMin: account.earnedMin,
    star,
    nextStarHours: next === undefined ? null : Math.ceil(next - account.earnedMin / 60),
    entries: entries.map((e) => ({
      id: e.id,
      kind: e.kind,
      deltaMin: e.deltaMin,
      reason: e.reason,
      taskId: e.taskId,
      activityId: e.activityId,
      createdAt: e.createdAt.toISOString(),
    })),
  };
}

/** Staff correct the balance of a volunteer of their own communities (audited), as a new row. */
export async function staffCorrection(
  db: Db,
  actor: Actor,
  body: { userId: string; deltaMin: number; reason: string },
) {
  await requireAccess(db, actor, volunteerStaff, body.userId);
  const row = await db.transaction(async (tx) => {
    const entry = await correctMinutes(tx, actor, body.userId, body.deltaMin, body.reason);
    await audit(
      tx,
      actor,
      'time_bank.corrected',
      { type: 'volunteer', id: body.userId },
      { deltaMin: body.deltaMin, reason: body.reason },
    );
    return entry;
  });
  return {
    id: row.id,
    kind: row.kind,
    deltaMin: row.deltaMin,
    reason: row.reason,
    taskId: row.taskId,
    activityId: row.activityId,
    createdAt: row.createdAt.toISOString(),
  };
}
