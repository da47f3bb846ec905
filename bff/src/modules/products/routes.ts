import type { FastifyInstance } from 'fastify';
import { api } from 'shared';
import { CHANNELS } from '../../db/change-feed';
import { PageCache, pageOf } from '../../http/page-cache';
import { route } from '../../http/route';
import { createProduct, listCategories, listProducts, merchantProducts, updateProduct } from './service';

/** How long a catalog page may be served from memory. */
const CATALOG_PAGE_MS = 1_000;

export async function productRoutes(app: FastifyInstance) {
  const { db } = app.deps;
  // The catalog is the same for everyone who asks: one page per query, served for up to a second
  // (the stock it shows may lag that much; checkout reads the real row) and dropped at once when a
  // product, shop, shop's hours or listing changes.
  const catalog = new PageCache(app.deps.changes, CHANNELS.catalog, CATALOG_PAGE_MS);
  route(app, 'products', {
    handler: ({ query }) =>
      catalog.get(
        JSON.stringify([
          query.communityId,
          query.merchantId,
          query.category,
          query.q,
          query.cursor,
          query.limit,
        ]),
        async () => pageOf(api.products.response, await listProducts(db, query, app.deps.clock.now())),
      ),
  });
  route(app, 'productCategories', { handler: ({ query }) => listCategories(db, query) });
  const merchantOnly = { roles: ['merchant' as const] };
  const catalogChanges = ['catalog' as const];
  route(app, 'merchantProducts', {
    config: merchantOnly,
    handler: ({ actor }) => merchantProducts(db, actor, app.deps.clock.now()),
  });
  route(app, 'createProduct', {
    config: merchantOnly,
    announces: catalogChanges,
    status: 201,
    handler: ({ actor, body }) => createProduct(db, actor, body, app.deps.clock.now()),
  });
  route(app, 'updateProduct', {
    config: merchantOnly,
    announces: catalogChanges,
    handler: ({ actor, params, body }) => updateProduct(db, actor, params.id, body, app.deps.clock.now()),
  });
}
