import { and, desc, eq, isNotNull, type SQL, sql } from 'drizzle-orm';
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

/** One entry of `auditEntries`: who did the action, to which subject, with what. */
export interface AuditRow {
  id: string;
  actorId: string | null;
  onBehalfOf: string | null;
  subjectId: string | null;
  data: Record<string, unknown> | null;
}

/**
 * Entries of one action on many subjects as one statement not yet run, for a statement that
 * writes many subjects at once (checkout's combined write). `rows` is the JSON text of an
 * `AuditRow[]`: one value, so a compiled statement's text does not depend on how many there are.
 */
export function auditEntries(
  action: string,
  subjectType: string,
  rows: Bindable<string>,
): { returning(): SQL } {
  return {
    returning: () => sql`
      INSERT INTO audit_log (id, actor_id, on_behalf_of, action, subject_type, subject_id, data)
      SELECT r.id, r."actorId", r."onBehalfOf", ${action}, ${subjectType}, r."subjectId", r.data
      FROM jsonb_to_recordset(${rows}::jsonb)
        AS r (id uuid, "actorId" uuid, "onBehalfOf" uuid, "subjectId" text, data jsonb)
      RETURNING id`,
  };
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
