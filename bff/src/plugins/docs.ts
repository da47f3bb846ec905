import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

type Transform = typeof jsonSchemaTransform;

/**
 * OpenAPI generated from the same zod schemas that validate requests; UI at /docs. The route
 * table gives each operation its summary, description and statuses (http/route.ts); here a public
 * route says so (`security: []`), so no operation leaves its security to the reader's guess.
 */
export default fp(
  async (app: FastifyInstance) => {
    // The docs routes are public.
    app.addHook('onRoute', (opts) => {
      if (opts.url.startsWith('/docs')) opts.config = { ...(opts.config as object), public: true };
    });
    const transform: Transform = (doc) => {
      const out = jsonSchemaTransform(doc);
      const isPublic = (doc.route.config as { public?: boolean } | undefined)?.public === true;
      const schema = out.schema as
        | {
            hide?: boolean;
            security?: unknown;
            response?: Record<string, { description?: string; type?: string }>;
          }
        | undefined;
      if (!schema) return out;
      if (isPublic && !schema.hide && !schema.security) schema.security = [];
      // A 204 or 304 has no body: zod's null would come out as a JSON body of null.
      const response = schema.response ?? {};
      for (const status of ['204', '304'])
        if (response[status]) response[status] = { type: 'null', description: response[status].description };
      return out;
    };
    await app.register(swagger, {
      openapi: {
        info: { title: 'Linli BFF', version: '0.1.0', description: '邻里 mini-program backend' },
        // The BFF's public origin where it is configured (the one WeChat Pay calls back); relative
        // to wherever the document was fetched from otherwise.
        servers: [
          app.deps.config.WECHATPAY_NOTIFY_BASE
            ? { url: app.deps.config.WECHATPAY_NOTIFY_BASE, description: 'This deployment' }
            : { url: '/', description: 'The origin serving this document' },
        ],
        components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      },
      transform,
    });
    await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list' } });
  },
  { name: 'docs', dependencies: ['infrastructure'] },
);
