import { eq, type SQLWrapper, sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbOrTx } from '../../src/db/client';
import { compiledSelect, compiledSql } from '../../src/db/compiled';
import { merchants } from '../../src/db/schema';
import { statementFailure } from '../../src/http/errors';
import { auditEntry } from '../../src/modules/audit';
import { TEST_ENV } from '../fixtures/people';
import { setupTestApp, type TestApp } from '../helper';

let t: TestApp;

beforeAll(async () => {
  t = await setupTestApp(TEST_ENV);
});
afterAll(() => t?.close());

const selectShop = (db: DbOrTx, id: SQLWrapper | string) =>
  db.select().from(merchants).where(eq(merchants.id, id));
const shopById = compiledSelect<{ id: string }, ReturnType<typeof selectShop>>((db, p) =>
  selectShop(db, p('id')),
);
const fail = compiledSql<{ reason: string; detail: string }, { failed: unknown }>(
  (_db, p) => sql`SELECT linli_fail(${p('reason')}, ${p('detail')}) AS failed`,
);

/** Thrown to roll the test's transaction back. */
class Rollback extends Error {}

describe('a compiled statement', () => {
  it('gives the rows drizzle gives, mapped the same, for each value it is given', async () => {
    const shops = await t.deps.db.select().from(merchants).orderBy(merchants.id).limit(2);
    expect(shops.length).toBe(2);
    for (const shop of shops) {
      const [row] = await shopById(t.deps.db, { id: shop.id });
      expect(row).toEqual((await selectShop(t.deps.db, shop.id))[0]);
      expect(row!.createdAt).toBeInstanceOf(Date);
    }
    expect(await shopById(t.deps.db, { id: '00000000-0000-0000-0000-000000000000' })).toEqual([]);
  });

  it('runs on the transaction it is given: it sees that transaction’s own uncommitted write', async () => {
    const [shop] = await t.deps.db.select().from(merchants).limit(1);
    await expect(
      t.deps.db.transaction(async (tx) => {
        await tx.update(merchants).set({ name: '临时店名' }).where(eq(merchants.id, shop!.id));
        expect((await shopById(tx, { id: shop!.id }))[0]!.name).toBe('临时店名');
        throw new Rollback();
      }),
    ).rejects.toBeInstanceOf(Rollback);
    expect((await shopById(t.deps.db, { id: shop!.id }))[0]!.name).toBe(shop!.name);
  });
});

describe('linli_fail', () => {
  it('fails the statement with its reason and detail, which statementFailure reads back', async () => {
    const err = await fail(t.deps.db, { reason: 'short', detail: 'a,b' }).catch((e: unknown) => e);
    expect(statementFailure(err)).toEqual({ reason: 'short', detail: 'a,b' });
    // Any other database error is not one of ours.
    const other = await t.deps.db.execute(sql`SELECT 1 / 0`).catch((e: unknown) => e);
    expect(other).toBeInstanceOf(Error);
    expect(statementFailure(other)).toBeUndefined();
  });

  it('is refused when it is built with an id drizzle made (a default that every run would reuse)', async () => {
    const frozenAudit = compiledSql<{ action: string }, never>(
      (db, p) =>
        sql`WITH a AS ${auditEntry(db, null, 'test.frozen', { type: 'test', id: null })} SELECT ${p('action')}`,
    );
    await expect(Promise.resolve().then(() => frozenAudit(t.deps.db, { action: 'x' }))).rejects.toThrow(
      /reuse the id .* bind it instead/,
    );
    const frozenSelect = compiledSelect<{ id: string }, ReturnType<typeof selectShop>>((db) =>
      selectShop(db, '01a23bfa-95bd-7a94-b462-54fe0c68c88e'),
    );
    await expect(Promise.resolve().then(() => frozenSelect(t.deps.db, { id: 'x' }))).rejects.toThrow(
      /bind it instead/,
    );
    // Bound, the same entry builds once and writes a row of its own on every run.
    const bound = compiledSql<{ id: string }, { id: string }>(
      (db, p) =>
        sql`WITH a AS ${auditEntry(db, null, 'test.bound', { type: 'test', id: null }, undefined, p('id')).returning()} SELECT id FROM a`,
    );
    const ids = [uuidv7(), uuidv7()];
    for (const id of ids) expect(await bound(t.deps.db, { id })).toEqual([{ id }]);
    const rows = await t.deps.db.execute(
      sql`SELECT id FROM audit_log WHERE action = 'test.bound' ORDER BY id`,
    );
    expect((rows as unknown as { id: string }[]).map((r) => r.id)).toEqual(ids.sort());
  });
});
