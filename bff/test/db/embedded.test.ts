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
