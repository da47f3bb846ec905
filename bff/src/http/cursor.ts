import { and, eq, lt, or, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { Id } from 'shared';
import { invalidField } from './errors';

/**
 * Newest-first pages keyed on (created_at, id): the cursor is the last row seen, opaque to the
 * client. Lists of notifications and orders page the same way.
 */
export function decodeTimeCursor(cursor: string): { at: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  const date = new Date(at ?? '');
  // Checked to the column types: a forged id or a date Postgres cannot hold is a 400, not a 500.
  const year = date.getUTCFullYear();
  if (!id || !Id.safeParse(id).success || Number.isNaN(year) || year < 1 || year > 9999)
    throw invalidField('querystring.cursor', 'is not a cursor we issued');
  return { at: date, id };
}

const encodeTimeCursor = (row: { createdAt: Date; id: string }) =>
  Buffer.from(`${row.createdAt.toISOString()}|${row.id}`).toString('base64url');

/** The WHERE part: rows older than the cursor (none when there is no cursor). */
export function olderThan(columns: { createdAt: PgColumn; id: PgColumn }, cursor?: string): SQL | undefined {
  if (!cursor) return undefined;
  const c = decodeTimeCursor(cursor);
  return or(lt(columns.createdAt, c.at), and(eq(columns.createdAt, c.at), lt(columns.id, c.id)));
}

/** Callers fetch `limit + 1` rows: the extra one says whether there is a next page. */
export function pageOf<T extends { createdAt: Date; id: string }>(rows: T[], limit: number) {
  const page = rows.slice(0, limit);
  return { page, nextCursor: rows.length > limit ? encodeTimeCursor(page[page.length - 1]!) : null };
}
