import type { FastifyInstance } from 'fastify';
import { route } from '../../http/route';
import {
  applyMerchant,
  getMerchant,
  listMerchants,
  myShop,
  staffMerchants,
  updateMyShop,
  verifyMerchant,
} from './service';

export async function merchantRoutes(app: FastifyInstance) {
  const { db } = app.deps;
  route(app, 'merchants', { handler: ({ query }) => listMerchants(db, query) });
  route(app, 'merchant', { handler: ({ actor, params }) => getMerchant(db, actor, params.id) });
  route(app, 'applyMerchant', { status: 201, handler: ({ actor, body }) => applyMerchant(db, actor, body) });
  route(app, 'myShop', { handler: ({ actor }) => myShop(db, actor) });
  route(app, 'updateMyShop', { handler: ({ actor, body }) => updateMyShop(db, actor, body) });
  route(app, 'staffMerchants', {
    config: { roles: ['staff'] },
    handler: ({ actor, query }) => staffMerchants(db, actor, query.status),
  });
  route(app, 'verifyMerchant', {
    config: { roles: ['staff'] },
    handler: ({ actor, params }) => verifyMerchant(db, actor, params.id),
  });
}
