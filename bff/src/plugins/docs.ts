import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

/** OpenAPI generated from the same zod schemas that validate requests; UI at /docs. */
export default fp(
  async (app: FastifyInstance) => {
    // The docs routes are public.
    app.addHook('onRoute', (opts) => {
      if (opts.url.startsWith('/docs')) opts.config = { ...(opts.config as object), public: true };
    });
    await app.register(swagger, {
      openapi: {
        info: { title: 'Linli BFF', version: '0.1.0', description: '邻里 mini-program backend' },
        components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      },
      transform: jsonSchemaTransform,
    });
    await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list' } });
  },
  { name: 'docs' },
);
