import type { FastifyInstance } from 'fastify';
import type { Order } from 'shared';
import { route } from '../../http/route';
import { devConfirmPayment } from './service';

export async function paymentRoutes(app: FastifyInstance) {
  route(app, 'devConfirmPayment', {
    handler: async ({ actor, params }) => (await devConfirmPayment(app.deps, actor, params.id)) as Order,
  });
}
