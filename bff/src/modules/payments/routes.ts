import type { FastifyInstance } from 'fastify';
import type { Order } from 'shared';
import { route } from '../../http/route';
import { wechatpayNotifyRoutes } from './notify';
import { retryPaymentRefund, staffPaymentRefunds } from './refunds';
import { devConfirmPayment } from './service';

export async function paymentRoutes(app: FastifyInstance) {
  route(app, 'devConfirmPayment', {
    handler: async ({ actor, params }) => (await devConfirmPayment(app.deps, actor, params.id)) as Order,
  });
  route(app, 'staffPaymentRefunds', {
    config: { roles: ['staff'] },
    handler: ({ actor, query }) => staffPaymentRefunds(app.deps.db, actor, query.status),
  });
  route(app, 'retryPaymentRefund', {
    config: { roles: ['staff'] },
    handler: ({ actor, params }) => retryPaymentRefund(app.deps.db, actor, params.id),
  });
  // Not in the shared API table: WeChat Pay calls these with a signed raw body and its own answer format.
  await wechatpayNotifyRoutes(app);
}
