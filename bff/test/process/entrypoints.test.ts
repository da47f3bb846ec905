import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeWechat, startFakeWechat } from '../../src/integrations/wechat/fake-server';
import { REDIS_URL } from '../helper';
import { createTestDatabase } from '../pg-admin';

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

async function freePort(): Promise<number> {
  const srv = createServer().listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const port = (srv.address() as { port: number }).port;
  srv.close();
  return port;
}

function launch(entry: string, env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', `${SRC}${entry}`], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: db.url,
      REDIS_URL,
      QUEUE_PREFIX: `proc_${process.pid}`,
      JWT_SECRET: 'p'.repeat(40),
      WECHAT_API_BASE: wechat.url,
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  return { child, output: () => out };
}

async function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const [code] = await once(child, 'exit');
  return code as number | null;
}

async function until(check: () => boolean | Promise<boolean>, ms = 30_000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('production entrypoints', () => {
  it('server.ts serves, then on SIGTERM drains and exits 0', async () => {
    const port = await freePort();
    const { child, output } = launch('server.ts', { PORT: String(port) });
    await until(async () => {
      try {
        return (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200;
      } catch {
        return false;
      }
    });
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
