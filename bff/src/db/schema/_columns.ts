import { timestamp, uuid } from 'drizzle-orm/pg-core';
import { uuidv7 } from 'uuidv7';

/** Opaque, time-ordered ids: safe in URLs, index-friendly. */
export const idColumn = () =>
  uuid('id')
    .primaryKey()
    .$defaultFn(() => uuidv7());

/**
 * Every instant is stored as UTC timestamptz; the UI converts to Asia/Shanghai. Millisecond
 * precision, the precision of a JS Date: a value read back and used as a cursor or a condition
 * then equals what is stored (microseconds made paging skip rows created within the same ms).
 */
export const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date', precision: 3 });
export const createdAt = () => tstz('created_at').notNull().defaultNow();

/** A flow's states as the non-empty tuple pgEnum wants; the enum then matches the flow by construction. */
export const enumValues = <T extends string>(values: readonly T[]) => values as [T, ...T[]];
