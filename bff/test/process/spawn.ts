import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { REDIS_URL } from '../helper';

/** Helpers for tests that start the real entry points as child processes. */

export const BFF_DIR = fileURLToPath(new URL('../../', import.meta.url));

export async function freePort(): Promise<number> {
  const srv = createServer().listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const port = (srv.address() as { port: number }).port;
  srv.close();
  return port;
}

/** A complete production configuration (nothing embedded), on the test's database and fake WeChat. */
export function productionEnv(databaseUrl: string, wechatUrl: string): Record<string, string> {
  return {
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    REDIS_URL,
    QUEUE_PREFIX: `proc_${process.pid}`,
    JWT_SECRET: 'p'.repeat(40),
    WECHAT_API_BASE: wechatUrl,
    // Production takes money only through WeChat Pay (read lazily: none is taken here).
    WECHATPAY_MCHID: '1900000001',
    WECHATPAY_PRIVATE_KEY: 'unused-here',
    WECHATPAY_CERT_SERIAL: 'unused-here',
    WECHATPAY_APIV3_KEY: 'k'.repeat(32),
    WECHATPAY_PUBLIC_KEY: 'unused-here',
    WECHATPAY_PUBLIC_KEY_ID: 'PUB_KEY_ID_unused',
    WECHATPAY_NOTIFY_BASE: 'https://linli.example.cn',
    LOG_LEVEL: 'info',
    // No balancer in front of these tests to wait for (production drains 5 s; cluster.test.ts sets its own).
    SHUTDOWN_DRAIN_MS: '100',
  };
}

/** `node <args>` with the given environment on top of this one; stdout and stderr collected. */
export function spawnNode(args: string[], env: Record<string, string | undefined>, cwd = BFF_DIR) {
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  return { child, output: () => out };
}

export async function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const [code] = await once(child, 'exit');
  return code as number | null;
}

export async function until(check: () => boolean | Promise<boolean>, ms = 30_000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Resolves once GET `url` answers `status`. */
export const answers = (url: string, status = 200, ms?: number) =>
  until(async () => {
    try {
      return (await fetch(url)).status === status;
    } catch {
      return false;
    }
  }, ms);
