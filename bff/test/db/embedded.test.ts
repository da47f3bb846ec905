import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createDb } from '../../src/db/client';
import { runMigrations } from '../../src/db/migrate';
import {
  EMBEDDED_POSTGRES_MAX_CONNECTIONS,
  type EmbeddedPostgres,
  startEmbeddedPostgres,
} from '../../src/infra/embedded-postgres';
import { type FakeWechat, startFakeWechat } from '../../src/integrations/wechat/fake-server';
import { openRuntime, type Runtime } from '../../src/runtime';
import { seed } from '../../src/seed';
import { REDIS_URL } from '../helper';

/** The embedded default (`pnpm dev` with no DATABASE_URL): the same migrations and app on PGlite. */
let dir: string;
let pg: EmbeddedPostgres;
let wechat: FakeWechat;
let rt: Runtime;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'linli-pglite-'));
  pg = await startEmbeddedPostgres({ dataDir: dir });
  wechat = await startFakeWechat();
}, 60_000);
afterAll(async () => {
  await rt?.close();
  await wechat?.close();
  await pg?.stop();
  rmSync(dir, { recursive: true, force: true });
});

it('migrates, seeds (twice) and serves a login and /v1/me on PGlite', async () => {
  await runMigrations(pg.url, { max: 1 });
  for (let i = 0; i < 2; i++) {
    const h = createDb(pg.url, { max: 1 });
    await seed(h.db);
    await h.close();
  }
  // Care's exclusion constraints need btree_gist: PGlite loads it, and a double booking is refused.
  {
    const h = createDb(pg.url, { max: 1 });
    const ext = await h.sql`SELECT extname FROM pg_extension WHERE extname = 'btree_gist'`;
    expect(ext).toHaveLength(1);
    const cons = await h.sql`SELECT conname FROM pg_constraint WHERE contype = 'x' ORDER BY conname`;
    expect(cons.map((c) => c.conname)).toEqual(['care_bookings_caregiver_free', 'care_bookings_elder_free']);
    const book = (no: string, elderPhone: string, start: string) => h.sql`
      INSERT INTO care_bookings (id, short_no, elder_id, booked_by, item_id, item_name, provider_id, caregiver_id,
        household_id, compound_id, starts_at, ends_at, block_start, block_end, local_date, price_fen, status)
      SELECT gen_random_uuid(), ${no}, u.id, u.id, i.id, i.name, c.provider_id, c.id, p.household_id, b.compound_id,
        ${start}::timestamptz, ${start}::timestamptz + interval '1 hour', ${start}::timestamptz,
        ${start}::timestamptz + interval '1 hour', '2030-01-07', 0, 'confirmed'
      FROM users u, care_items i, caregivers c, elder_profiles p, households hh, buildings b
      WHERE u.phone = ${elderPhone} AND i.code = 'home_cleaning' AND c.name = '陈护理'
        AND p.user_id = (SELECT id FROM users WHERE phone = '13800000020')
        AND hh.id = p.household_id AND b.id = hh.building_id`;
    await book('EMB1', '13800000020', '2030-01-07T09:00:00+08:00');
    // The same caregiver half an hour later, for someone else: the constraint refuses it.
    await expect(book('EMB2', '13800000010', '2030-01-07T09:30:00+08:00')).rejects.toMatchObject({
      code: '23P01',
      constraint_name: 'care_bookings_caregiver_free',
    });
    await h.sql`DELETE FROM care_bookings WHERE short_no = 'EMB1'`;
    await h.close();
  }
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: pg.url,
    REDIS_URL,
    QUEUE_PREFIX: `emb_${process.pid}`,
    WECHAT_API_BASE: wechat.url,
    LOG_LEVEL: 'silent',
  });
  rt = openRuntime(config, { dbMax: EMBEDDED_POSTGRES_MAX_CONNECTIONS });
  const app = await buildApp(rt);
  try {
    const login = await app.inject({
      method: 'POST',
      url: '/v1/auth/dev-login',
      payload: { phone: '13800000021' },
    });
    expect(login.statusCode).toBe(200);
    const me = await app.inject({
      url: '/v1/me',
      headers: { authorization: `Bearer ${login.json().accessToken}` },
    });
    expect(me.statusCode).toBe(200);
    expect(me.json().elders[0]).toMatchObject({ name: '刘奶奶', consentStatus: 'granted' });
    const ready = await app.inject({ url: '/readyz' });
    expect(ready.json()).toMatchObject({ postgres: 'ok', redis: 'ok' });
  } finally {
    await app.close();
  }
}, 60_000);
