import { and, inArray, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { type Machine, sourcesOf } from 'shared';
import type { DbOrTx } from './client';

/**
 * The one way a status moves, for every flow: a single conditional UPDATE that sets the event's
 * target state only where the row is in one of the event's source states, so the database decides
 * a race and a replay changes nothing. Returns the rows that moved (none: a lost race or a replay,
 * which the caller turns into a 409 or a no-op).
 */
export async function advance<T extends PgTable, S extends string, E extends string>(
  tx: DbOrTx,
  table: T,
  status: PgColumn,
  flow: Machine<S, E>,
  event: E,
  where: SQL | undefined,
  set: { [K in keyof T['$inferInsert']]?: T['$inferInsert'][K] | SQL } = {},
): Promise<T['$inferSelect'][]> {
  const key = Object.entries(table).find(([, c]) => c === status)?.[0];
  if (!key) throw new Error(`${flow.name}: the status column is not a column of the table`);
  return (await tx
    .update(table)
    .set({ ...set, [key]: flow.transitions[event].to } as never)
    .where(and(where, inArray(status, [...sourcesOf(flow, event)])))
    .returning()) as T['$inferSelect'][];
}
