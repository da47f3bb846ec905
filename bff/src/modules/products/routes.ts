import type { FastifyInstance } from 'fastify';
import { route } from '../../http/route';
import { createProduct, listCategories, listProducts, merchantProducts, updateProduct } from './service';

export async function productRoutes(app: FastifyInstance) {
  const { db } = app.deps;
  route(app, 'products', { handler: ({ query }) => listProducts(db, query, app.deps.clock.now()) });
  route(app, 'productCategories', { handler: ({ query }) => listCategories(db, query) });
  const merchantOnly = { roles: ['merchant' as const] };
  route(app, 'merchantProducts', {
    config: merchantOnly,
    handler: ({ actor }) => merchantProducts(db, actor, app.deps.clock.now()),
  });
  route(app, 'createProduct', {
    config: merchantOnly,
    status: 201,
    handler: ({ actor, body }) => createProduct(db, actor, body, app.deps.clock.now()),
  });
  route(app, 'updateProduct', {
    config: merchantOnly,
    handler: ({ actor, params, body }) => updateProduct(db, actor, params.id, body, app.deps.clock.now()),
  });
}
