import type { FastifyContextConfig, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { type Api, api, ErrorEnvelope, IdParams, type RouteDef, type RouteName } from 'shared';
import type { z } from 'zod';
import type { Actor } from '../access/actor';

type Out<R, K extends string> = R extends { [P in K]: infer S extends z.ZodType } ? z.output<S> : undefined;

export interface RouteContext<N extends RouteName> {
  body: Out<Api[N], 'body'>;
  query: Out<Api[N], 'query'>;
  headers: Out<Api[N], 'headers'>;
  params: { id: string };
  actor: Actor;
  request: FastifyRequest;
  reply: FastifyReply;
}

const ERROR_STATUSES = [400, 401, 403, 404, 409, 413, 414, 415, 422, 423, 429, 503] as const;

/**
 * Registers one route of the shared API table: method, path and schemas come from `shared`, so
 * the BFF, OpenAPI and the mini-program's client cannot drift apart. Handlers stay thin: parse
 * nothing, call a service, return its result.
 */
export function route<N extends RouteName>(
  app: FastifyInstance,
  name: N,
  opts: {
    config?: FastifyContextConfig;
    status?: number;
    handler: (ctx: RouteContext<N>) => Promise<z.input<Api[N]['response']>>;
  },
): void {
  const def = api[name] as Api[N] & RouteDef;
  const status = opts.status ?? 200;
  app.withTypeProvider<ZodTypeProvider>().route({
    method: def.method,
    url: def.path,
    config: {
      ...(def.auth === false ? { public: true } : {}),
      ...(def.proxy ? { proxy: true } : {}),
      ...opts.config,
    },
    schema: {
      operationId: name,
      tags: [def.path.split('/')[2] ?? 'misc'],
      ...(def.auth === false ? {} : { security: [{ bearer: [] }] }),
      ...(def.path.includes(':id') ? { params: IdParams } : {}),
      ...(def.body ? { body: def.body } : {}),
      ...(def.query ? { querystring: def.query } : {}),
      ...(def.headers ? { headers: def.headers } : {}),
      response: {
        [status]: def.response,
        ...Object.fromEntries(ERROR_STATUSES.map((s) => [s, ErrorEnvelope])),
      },
    },
    handler: async (request, reply) => {
      const result = await opts.handler({
        body: request.body as never,
        query: request.query as never,
        headers: request.headers as never,
        params: request.params as { id: string },
        actor: request.actor,
        request,
        reply,
      });
      reply.status(status);
      return result;
    },
  });
}
