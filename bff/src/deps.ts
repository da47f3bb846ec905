import type { Redis } from 'ioredis';
import type { Config } from './config';
import type { ChangeFeed } from './db/change-feed';
import type { DbHandle } from './db/client';
import type { Clock } from './infra/clock';
import type { WechatClient } from './integrations/wechat/client';
import type { Queues } from './jobs/queues';

/** The slice of WeChat's server API the BFF uses: the real client, pointed at WeChat or the fake. */
export type WechatApi = Pick<
  WechatClient,
  'code2Session' | 'sendSubscribeMessage' | 'msgSecCheck' | 'imgSecCheck'
>;

/** Infrastructure handed to buildApp and the workers; tests build their own. */
export interface AppDeps {
  config: Config;
  db: DbHandle['db'];
  sql: DbHandle['sql'];
  redis: Redis;
  queues: Queues;
  wechat: WechatApi;
  clock: Clock;
  /** PostgreSQL's change notices for in-process caches; absent on embedded PGlite (no caching). */
  changes?: ChangeFeed;
}
