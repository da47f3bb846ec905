import type { FastifyInstance } from 'fastify';
import { route } from '../../http/route';
import { createOrder } from './checkout';
import { actOnOrder, merchantOrder, merchantOrders, merchantStats, verifyPickup } from './merchant';
import { cancelOrder, getOrder, listOrders, payOrder } from './service';

export async function orderRoutes(app: FastifyInstance) {
  const deps = app.deps;
  const { db } = deps;
  route(app, 'createOrder', {
    status: 201,
    handler: ({ actor, headers, body }) => createOrder(deps, actor, headers['idempotency-key'], body),
  });
  route(app, 'orders', { handler: ({ actor, query }) => listOrders(db, actor, query) });
  route(app, 'order', { handler: ({ actor, params }) => getOrder(db, actor, params.id) });
  route(app, 'cancelOrder', { handler: ({ actor, params }) => cancelOrder(db, actor, params.id) });
  route(app, 'payOrder', { handler: ({ actor, params }) => payOrder(deps, actor, params.id) });

  const merchantOnly = { roles: ['merchant' as const] };
  route(app, 'merchantOrders', {
    config: merchantOnly,
    handler: ({ actor, query }) => merchantOrders(db, actor, query),
  });
  route(app, 'merchantOrder', {
    config: merchantOnly,
    handler: ({ actor, params }) => merchantOrder(db, actor, params.id),
  });
  route(app, 'acceptOrder', {
    config: merchantOnly,
    handler: ({ actor, params }) => actOnOrder(db, actor, params.id, 'accept'),
  });
  route(app, 'rejectOrder', {
    config: merchantOnly,
    handler: ({ actor, params, body }) => actOnOrder(db, actor, params.id, 'reject', body.reason),
  });
  route(app, 'packOrder', {
    config: merchantOnly,
    handler: ({ actor, params }) => actOnOrder(db, actor, params.id, 'pack'),
  });
  route(app, 'verifyPickup', {
    config: merchantOnly,
    handler: ({ actor, body }) => verifyPickup(deps, actor, body.code),
  });
  route(app, 'merchantStats', {
    config: merchantOnly,
    handler: ({ actor, query }) => merchantStats(deps, actor, query.date),
  });
}
