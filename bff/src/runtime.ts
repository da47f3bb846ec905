import type { Config } from './config';
import { openChangeFeed } from './db/change-feed';
import { createDb } from './db/client';
import type { AppDeps } from './deps';
import { systemClock } from './infra/clock';
import { failFastRedis } from './infra/redis';
import { createWechatClient } from './integrations/wechat/client';
import { createQueues } from './jobs/queues';
import { queueNames } from './modules';

export interface Runtime extends AppDeps {
  close(): Promise<void>;
}

/**
 * Opens the infrastructure connections named by the config. The launcher has already replaced
 * missing DATABASE_URL / WECHAT_API_BASE with embedded or fake services.
 */
export function openRuntime(config: Config, opts: { dbMax?: number } = {}): Runtime {
  if (!config.DATABASE_URL)
    throw new Error('DATABASE_URL is not set (the launcher starts embedded Postgres)');
  if (!config.WECHAT_API_BASE) throw new Error('WECHAT_API_BASE is not set (the launcher starts the fake)');
  const handle = createDb(config.DATABASE_URL, { max: opts.dbMax ?? config.DATABASE_POOL_SIZE });
  const redis = failFastRedis(config.REDIS_URL, config.REDIS_COMMAND_TIMEOUT_MS);
  const queues = createQueues(
    config.REDIS_URL,
    config.QUEUE_PREFIX,
    config.REDIS_COMMAND_TIMEOUT_MS,
    queueNames(),
  );
  const wechat = createWechatClient({
    baseUrl: config.WECHAT_API_BASE,
    appid: config.WECHAT_APPID,
    secret: config.WECHAT_SECRET,
    miniprogramState: config.NODE_ENV === 'production' ? 'formal' : 'developer',
  });
  // Embedded PGlite takes one connection only, so it gets no feed and nothing is cached.
  const changes = opts.dbMax === 1 ? undefined : openChangeFeed(config.DATABASE_URL);
  return {
    config,
    changes,
    db: handle.db,
    sql: handle.sql,
    redis,
    queues,
    wechat,
    clock: systemClock,
    async close() {
      await queues.close();
      redis.disconnect();
      await changes?.close();
      await handle.close();
    },
  };
}
