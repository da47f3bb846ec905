import { and, desc, eq, isNotNull } from 'drizzle-orm';
import type { Actor } from '../../access/actor';
import type { DbOrTx } from '../../db/client';
import type { Bindable, Bound } from '../../db/compiled';
import { auditLog } from './tables';

/** Record a state change in the same transaction that makes it; proxy actions carry the elder. */
export async function audit(
  tx: DbOrTx,
  actor: Actor | null,
  action: string,
  subject: { type: string; id: string | null },
  data?: Record<string, unknown>,
): Promise<void> {
  await auditEntry(tx, actor, action, subject, data);
}

/**
 * The same entry as a statement not yet run: awaited it runs alone; embedded in a caller's
 * statement (a data-modifying CTE) it is written by that statement, or by nothing if it fails.
 */
export function auditEntry(
  db: DbOrTx,
  actor: Bound<Pick<Actor, 'actorId' | 'onBehalfOf'>> | null,
  action: string,
  subject: { type: string; id: Bindable<string | null> },
  data?: Bindable<Record<string, unknown>>,
  /** Given by a compiled statement, which must not carry the id drizzle makes when it builds. */
  id?: Bindable<string>,
) {
  return db.insert(auditLog).values({
    ...(id === undefined ? {} : { id }),
    actorId: actor?.actorId ?? null,
    onBehalfOf: actor?.onBehalfOf ?? null,
    action,
    subjectType: subject.type,
    subjectId: subject.id,
    data: data ?? null,
  });
}

/** What others did for this person, newest first (the elder's 代办记录). */
export async function actionsOnBehalfOf(db: DbOrTx, userId: string, limit = 100) {
  return db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.onBehalfOf, userId), isNotNull(auditLog.actorId)))
    .orderBy(desc(auditLog.at))
    .limit(limit);
}
