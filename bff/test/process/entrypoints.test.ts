import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeWechat, startFakeWechat } from '../../src/integrations/wechat/fake-server';
import { createTestDatabase } from '../pg-admin';
import { answers, exitOf, freePort, productionEnv, spawnNode, until } from './spawn';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
let db: { url: string; drop(): Promise<void> };
let wechat: FakeWechat;

beforeAll(async () => {
  db = await createTestDatabase();
  wechat = await startFakeWechat();
});
afterAll(async () => {
  await wechat?.close();
  await db?.drop();
});

/** The entry point from TypeScript source through tsx (bff/dist has build.test.ts). */
const launch = (entry: string, env: Record<string, string>) =>
  spawnNode(['--import', 'tsx', `${SRC}${entry}`], { ...productionEnv(db.url, wechat.url), ...env });

describe('production entrypoints', () => {
  it('server.ts serves, then on SIGTERM drains and exits 0', async () => {
    const port = await freePort();
    const { child, output } = launch('server.ts', { PORT: String(port) });
    await answers(`http://127.0.0.1:${port}/readyz`);
    child.kill('SIGTERM');
    expect(await exitOf(child)).toBe(0);
    expect(output()).not.toMatch(/dev login|migrations applied/);
  });

  it('worker.ts runs the workers, then on SIGTERM exits 0 (no connection left hanging)', async () => {
    const { child, output } = launch('worker.ts', {});
    await until(() => output().includes('worker running'));
    child.kill('SIGTERM');
    expect(await exitOf(child)).toBe(0);
  });

  it('refuses to start in production with dev login on, naming the variable', async () => {
    const { child, output } = launch('server.ts', { AUTH_DEV_LOGIN: 'on', PORT: String(await freePort()) });
    expect(await exitOf(child)).toBe(1);
    expect(output()).toContain('AUTH_DEV_LOGIN must be off in production');
  });
});
