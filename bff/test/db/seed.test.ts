import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { seed } from '../../src/db/seed';
import { setupTestApp, type TestApp } from '../helper';

let t: TestApp;
beforeAll(async () => {
  t = await setupTestApp();
});
afterAll(() => t?.close());

const TABLES = [
  'communities',
  'compounds',
  'buildings',
  'households',
  'users',
  'user_roles',
  'memberships',
  'proxy_links',
  'staff_communities',
];

async function counts() {
  const out: Record<string, number> = {};
  for (const table of TABLES) {
    const rows = (await t.deps.db.execute(sql.raw(`SELECT count(*)::int AS n FROM ${table}`))) as unknown as {
      n: number;
    }[];
    out[table] = rows[0]!.n;
  }
  return out;
}

it('seeding again (even twice at once) changes nothing', async () => {
  const before = await counts();
  expect(before).toMatchObject({
    communities: 1,
    compounds: 3,
    buildings: 6,
    households: 36,
    proxy_links: 1,
  });
  await Promise.all([seed(t.deps.db), seed(t.deps.db)]);
  expect(await counts()).toEqual(before);
});

it('every demo account named in the README exists with its role', async () => {
  const rows = (await t.deps.db.execute(sql`
    SELECT u.phone, array_agg(r.role ORDER BY r.role) AS roles FROM users u
    JOIN user_roles r ON r.user_id = u.id GROUP BY u.phone ORDER BY u.phone`)) as unknown as {
    phone: string;
    roles: string[];
  }[];
  const byPhone = Object.fromEntries(rows.map((r) => [r.phone, r.roles]));
  expect(byPhone['13800000001']).toEqual(['staff']);
  expect(byPhone['13800000002']).toEqual(['merchant']);
  expect(byPhone['13800000003']).toEqual(['courier']);
  expect(byPhone['13800000004']).toContain('volunteer');
  expect(byPhone['13800000005']).toEqual(['caregiver']);
  for (let i = 10; i <= 19; i++) expect(byPhone[`138000000${i}`]).toEqual(['resident']);
  expect(byPhone['13800000020']).toEqual(['resident']);
  expect(byPhone['13800000021']).toEqual(['resident']);
});
