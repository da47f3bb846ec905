/**
 * Writes the OpenAPI document (what GET /docs/json serves) to a file, for the linter in `pnpm lint`.
 * The app is built the way it runs, but on infrastructure that is never contacted: postgres.js and
 * a lazy Redis client connect only on a first query, and nothing here sends one, so the lint runs
 * on a clean clone with no database, Redis or network.
 *
 *   tsx bff/scripts/openapi.ts [out.json]    (default: node_modules/.cache/openapi/openapi.json)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { buildApp } from '../src/app';
import { loadConfig } from '../src/config';
import { createDb } from '../src/db/client';
import type { AppDeps } from '../src/deps';
import { systemClock } from '../src/infra/clock';
import { createWechatClient } from '../src/integrations/wechat/client';
import type { Queues } from '../src/jobs/queues';

/** Addresses nobody listens on: a connection attempt would fail loudly rather than touch a service. */
const NOWHERE = '127.0.0.1:9';

export async function openapiDocument(env: Record<string, string> = {}): Promise<unknown> {
  const config = loadConfig({
    NODE_ENV: 'development',
    LOG_LEVEL: 'silent',
    DATABASE_URL: `postgres://openapi@${NOWHERE}/openapi`,
    REDIS_URL: `redis://${NOWHERE}`,
    WECHAT_API_BASE: `http://${NOWHERE}`,
    ...env,
  });
  const handle = createDb(config.DATABASE_URL!, { max: 1 });
  const redis = new Redis(config.REDIS_URL, { lazyConnect: true, enableOfflineQueue: false });
  const noQueues = (): never => {
    throw new Error('no queues while writing the API document');
  };
  const queues: Queues = {
    prefix: config.QUEUE_PREFIX,
    connection: redis,
    get: noQueues,
    flows: noQueues,
    all: () => [],
    close: async () => {},
  };
  const deps: AppDeps = {
    config,
    db: handle.db,
    sql: handle.sql,
    redis,
    queues,
    wechat: createWechatClient({ baseUrl: config.WECHAT_API_BASE!, appid: 'openapi', secret: 'openapi' }),
    clock: systemClock,
  };
  const app = await buildApp(deps);
  try {
    await app.ready();
    return app.swagger();
  } finally {
    await app.close();
    redis.disconnect();
    await handle.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = resolve(process.argv[2] ?? 'node_modules/.cache/openapi/openapi.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(await openapiDocument(), null, 2)}\n`);
  console.log(`openapi: wrote ${out}`);
}
