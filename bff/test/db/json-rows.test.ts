import { asc, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsFromJson, rowsJson } from '../../src/db/json-rows';
import { merchants, products } from '../../src/db/schema';
import { TEST_ENV } from '../fixtures/people';
import { setupTestApp, type TestApp } from '../helper';

let t: TestApp;

beforeAll(async () => {
  t = await setupTestApp(TEST_ENV);
});
afterAll(() => t?.close());

const viaJson = async <T extends typeof merchants | typeof products>(table: T) => {
  const [row] = (await t.deps.db.execute(sql`SELECT ${rowsJson(table, sql`true`)} AS rows`)) as unknown as {
    rows: unknown;
  }[];
  return rowsFromJson(table, row!.rows).sort((a, b) => (a.id < b.id ? -1 : 1));
};

describe('rows carried as JSON', () => {
  it('come back exactly as drizzle maps them: timestamps, jsonb, arrays, enums, nulls and numbers', async () => {
    // A product with every kind of value set, and one with its nullable columns empty.
    const [shop] = await t.deps.db.select().from(merchants).orderBy(asc(merchants.id)).limit(1);
    await t.deps.db
      .update(products)
      .set({ imageIds: ['a', 'b,c', 'd"e'], originalPriceFen: 999_999, perOrderLimit: null })
      .where(
        sql`${products.id} = (SELECT id FROM products WHERE merchant_id = ${shop!.id} ORDER BY id LIMIT 1)`,
      );
    const shops = await t.deps.db.select().from(merchants).orderBy(asc(merchants.id));
    const all = await t.deps.db.select().from(products).orderBy(asc(products.id));
    expect(shops.length).toBeGreaterThan(1);
    expect(all.length).toBeGreaterThan(1);
    expect(await viaJson(merchants)).toEqual(shops);
    expect(await viaJson(products)).toEqual(all);
    expect(all.some((p) => p.imageIds.length === 3 && p.perOrderLimit === null)).toBe(true);
    expect(shops[0]!.createdAt).toBeInstanceOf(Date);
  });

  it('an empty match is an empty list, never null', async () => {
    const [row] = (await t.deps.db.execute(
      sql`SELECT ${rowsJson(merchants, sql`false`)} AS rows`,
    )) as unknown as { rows: unknown }[];
    expect(rowsFromJson(merchants, row!.rows)).toEqual([]);
  });
});
