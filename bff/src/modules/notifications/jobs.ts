import { Id } from 'shared';
import { z } from 'zod';
import { defineJob, type QueueSpec } from '../../module';

/** Sends WeChat subscribe messages; the limiter keeps us under WeChat's send rate. */
export const NOTIFICATIONS_QUEUE: QueueSpec = {
  name: 'notifications',
  concurrency: 4,
  limiter: (config) => ({ max: config.NOTIFY_WECHAT_PER_MINUTE, duration: 60_000 }),
};

export const sendWechatJob = defineJob({
  queue: 'notifications',
  name: 'notification.sendWechat',
  payload: z.object({ notificationId: Id }),
});
