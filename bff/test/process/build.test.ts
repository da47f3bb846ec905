import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR } from '../../src/db/migrate';
import { type FakeWechat, startFakeWechat } from '../../src/integrations/wechat/fake-server';
import { admin, createTestDatabase, dbUrl } from '../pg-admin';
import { answers, BFF_DIR, exitOf, freePort, productionEnv, spawnNode, until } from './spawn';

/**
 * The production build: bff/dist runs under plain node (no tsx), finds the repository's files from
 * there, and its stack traces point at the TypeScript source. The build is made here when missing
 * or stale (about a second), so `vitest` needs no build step before it.
 */
let db: { url: string; drop(): Promise<void> };
let wechat: FakeWechat;

beforeAll(async () => {
  await promisify(execFile)(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: BFF_DIR });
  db = await createTestDatabase();
  wechat = await startFakeWechat();
}, 120_000);
afterAll(async () => {
  await wechat?.close();
  await db?.drop();
});

const fromDist = (entry: string, env: Record<string, string | undefined>) =>
  spawnNode(['--enable-source-maps', `dist/${entry}`], env);

describe('bff/dist, the compiled production build', () => {
  it('dist/server.js answers /healthz and /readyz, an unknown route in the envelope, and drains on SIGTERM', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const { child, output } = fromDist('server.js', {
      ...productionEnv(db.url, wechat.url),
      PORT: String(port),
    });
    try {
      await answers(`${base}/healthz`, 200, 45_000);
      expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });
      const ready = await fetch(`${base}/readyz`);
      expect([ready.status, await ready.json()]).toEqual([
        200,
        { status: 'ready', postgres: 'ok', redis: 'ok' },
      ]);

      const missing = await fetch(`${base}/v1/no-such-route`);
      expect(missing.status).toBe(404);
      expect(await missing.json()).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String) } });
      // The OpenAPI document is built from the bundled `shared` contracts.
      const doc = (await (await fetch(`${base}/docs/json`)).json()) as { paths: Record<string, unknown> };
      expect(Object.keys(doc.paths).length).toBeGreaterThan(20);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exitOf(child)).toBe(0);
    expect(output()).not.toMatch(/dev login|migrations applied/);
  }, 60_000);

  it('dist/worker.js runs the workers and exits 0 on SIGTERM', async () => {
    const { child, output } = fromDist('worker.js', productionEnv(db.url, wechat.url));
    await until(() => output().includes('worker running') || child.exitCode !== null, 45_000);
    expect(output()).toContain('worker running');
    child.kill('SIGTERM');
    expect(await exitOf(child)).toBe(0);
  }, 60_000);

  it('dist/migrate-cli.js finds migrations/ from dist and migrates an empty database', async () => {
    const name = `linli_t_${Math.floor(Date.now() / 1000)}_${randomBytes(4).toString('hex')}`;
    const sql = admin();
    try {
      await sql.unsafe(`CREATE DATABASE ${name}`);
      const { child, output } = fromDist('migrate-cli.js', { DATABASE_URL: dbUrl(name) });
      expect(await exitOf(child), output()).toBe(0);
      expect(output()).toContain('migrations applied');
      const target = postgres(dbUrl(name), { max: 1, onnotice: () => {} });
      try {
        const journal = JSON.parse(readFileSync(join(MIGRATIONS_DIR, 'meta', '_journal.json'), 'utf8'));
        const [row] = await target`SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations`;
        expect(row!.n).toBe(journal.entries.length);
      } finally {
        await target.end();
      }
    } finally {
      await sql.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await sql.end();
    }
  }, 60_000);

  it('an error thrown in bundled code shows its stack at the .ts source line', async () => {
    // Without JWT_SECRET a development start keeps a key beside its data directory; under
    // /dev/null that directory cannot be made, so persistedJwtSecret (config.ts) throws.
    const { child, output } = fromDist('server.js', {
      NODE_ENV: 'development',
      JWT_SECRET: undefined,
      PGLITE_DATA_DIR: '/dev/null/pglite',
      PORT: String(await freePort()),
    });
    expect(await exitOf(child)).toBe(1);
    expect(output()).toMatch(/at persistedJwtSecret \(\S*bff\/src\/config\.ts:\d+:\d+\)/);
    expect(output()).toMatch(/at launch \(\S*bff\/src\/main\.ts:\d+:\d+\)/);
    expect(output()).not.toMatch(/dist\/chunks\//);
  }, 60_000);
});
