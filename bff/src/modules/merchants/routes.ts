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
  route(app, 'merchants', { handler: ({ query }) => listMerchants(db, query, app.deps.clock.now()) });
  route(app, 'merchant', {
    handler: ({ actor, params }) => getMerchant(db, actor, params.id, app.deps.clock.now()),
  });
  // A shop's status, hours, listing and range all show in the catalog.
  const catalogChanges = ['catalog' as const];
  route(app, 'applyMerchant', {
    announces: catalogChanges,
    status: 201,
    handler: ({ actor, body }) => applyMerchant(db, actor, body, app.deps.clock.now()),
  });
  route(app, 'myShop', { handler: ({ actor }) => myShop(db, actor, app.deps.clock.now()) });
  route(app, 'updateMyShop', {
    announces: catalogChanges,
    handler: ({ actor, body }) => updateMyShop(db, actor, body, app.deps.clock.now()),
  });
  route(app, 'staffMerchants', {
    config: { roles: ['staff'] },
    handler: ({ actor, query }) => staffMerchants(db, actor, query.status, app.deps.clock.now()),
  });
  route(app, 'verifyMerchant', {
    config: { roles: ['staff'] },
    announces: catalogChanges,
    handler: ({ actor, params }) => verifyMerchant(db, actor, params.id, app.deps.clock.now()),
  });
}
