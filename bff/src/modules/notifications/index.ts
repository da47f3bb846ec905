import { handles, type LinliModule } from '../../module';
import { NOTIFICATIONS_QUEUE, sendWechatJob } from './jobs';
import { notificationRoutes } from './routes';
import { deliverWechat } from './service';

/** The inbox every notification lands in, and WeChat subscribe messages within each quota. */
export const notificationsModule: LinliModule = {
  name: 'notifications',
  routes: notificationRoutes,
  queues: [NOTIFICATIONS_QUEUE],
  jobs: [
    handles(sendWechatJob, (p, deps, job) =>
      deliverWechat(deps, p.notificationId, { isLast: job.attemptsMade + 1 >= (job.opts.attempts ?? 1) }),
    ),
  ],
};

export {
  markReadByKey,
  type NotifyInput,
  notify,
  notifyAudience,
  notifyMany,
  unreadCount,
} from './service';
export { type TemplatePurpose, templateIds } from './templates';
