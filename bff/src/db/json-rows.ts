import { getTableColumns, type SQL, sql, type Table } from 'drizzle-orm';

/**
 * A table's rows as one JSON value, and back. Several modules' reads then go to the database as
 * one statement (each owner gives its rows as a scalar subquery of it, and reads them back),
 * where each read of its own costs a statement, a socket write and a result to parse (checkout
 * read the key, the shop and the products that way: three of its five statements).
 *
 * The rows come back as drizzle's `select()` maps them: each column's own mapping from what the
 * driver gives, applied to its JSON value (timestamps, arrays and jsonb included).
 */
export function rowsJson(table: Table, where: SQL): SQL {
  return sql`(SELECT coalesce(json_agg(${table}), '[]'::json) FROM ${table} WHERE ${where})`;
}

export function rowsFromJson<T extends Table>(table: T, json: unknown): T['$inferSelect'][] {
  const list = (typeof json === 'string' ? JSON.parse(json) : json) as Record<string, unknown>[];
  const columns = Object.entries(getTableColumns(table));
  return list.map((raw) => {
    const row: Record<string, unknown> = {};
    for (const [key, column] of columns) {
      const value = raw[column.name];
      row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
    }
    return row as T['$inferSelect'];
  });
}
