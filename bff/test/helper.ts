import { randomBytes } from 'node:crypto';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { buildApp } from '../src/app';
import { loadConfig } from '../src/config';
import { type TestClock, testClock } from '../src/infra/clock';
import { type FakeWechat, startFakeWechat } from '../src/integrations/wechat/fake-server';
import { openRuntime, type Runtime } from '../src/runtime';
import { createTestDatabase } from './pg-admin';

export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface TestApp {
  app: FastifyInstance;
  deps: Runtime;
  wechat: FakeWechat;
  clock: TestClock;
  /** Signs in through dev-login and returns the bearer header for that person. */
  login(phone: string): Promise<{ authorization: string; userId: string }>;
  /** inject() that throws on nothing, returns status + parsed JSON. */
  // biome-ignore lint/suspicious/noExplicitAny: tests read response bodies structurally and assert on them
  call(opts: InjectOptions): Promise<{ status: number; body: any; headers: Record<string, unknown> }>;
  close(): Promise<void>;
}

/**
 * The whole app on a database of its own (cloned from the seeded template), a Redis prefix of its
 * own and a fake WeChat server of its own: test files never see each other's data.
 */
export async function setupTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const wechat = await startFakeWechat();
  const prefix = `t_${randomBytes(5).toString('hex')}`;
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: database.url,
    REDIS_URL,
    QUEUE_PREFIX: prefix,
    WECHAT_API_BASE: wechat.url,
    WECHAT_APPID: wechat.appid,
    WECHAT_SECRET: wechat.secret,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...env,
  });
  const deps = openRuntime(config, { dbMax: 20 });
  // Tests move time instead of sleeping: cut-offs and pickup deadlines read this clock.
  const clock = testClock();
  deps.clock = clock;
  const app = await buildApp(deps);
  await app.ready();

  const call: TestApp['call'] = async (opts) => {
    const res = await app.inject(opts);
    let body: unknown = res.body;
    try {
      body = res.json();
    } catch {}
    return { status: res.statusCode, body, headers: res.headers };
  };

  return {
    app,
    deps,
    wechat,
    clock,
    call,
    async login(phone) {
      const res = await call({ method: 'POST', url: '/v1/auth/dev-login', payload: { phone } });
      if (res.status !== 200)
        throw new Error(`login ${phone} failed: ${res.status} ${JSON.stringify(res.body)}`);
      return { authorization: `Bearer ${res.body.accessToken}`, userId: res.body.userId };
    },
    async close() {
      await app.close();
      await clearPrefix(deps, prefix);
      await deps.close();
      await wechat.close();
      await database.drop();
    },
  };
}

async function clearPrefix(deps: Runtime, prefix: string) {
  let cursor = '0';
  do {
    const [next, keys] = await deps.redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    if (keys.length) await deps.redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}
