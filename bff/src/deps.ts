import type { Redis } from 'ioredis';
import type { Config } from './config';
import type { DbHandle } from './db/client';
import type { Queues } from './jobs/queues';

/** What WeChat's server gives us for a login code. */
export interface WechatSession {
  openid: string;
  unionid?: string;
  sessionKey: string;
}

/** The slice of WeChat's server API the BFF uses; a real client or one pointed at the fake. */
export interface WechatApi {
  code2Session(code: string): Promise<WechatSession>;
  sendSubscribeMessage(msg: {
    openid: string;
    templateId: string;
    page?: string;
    data: Record<string, { value: string }>;
  }): Promise<void>;
}

/** Infrastructure handed to buildApp and the workers; tests build their own. */
export interface AppDeps {
  config: Config;
  db: DbHandle['db'];
  sql: DbHandle['sql'];
  redis: Redis;
  queues: Queues;
  wechat: WechatApi;
}
