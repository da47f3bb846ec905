import type { FastifyContextConfig, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { type Api, api, ErrorEnvelope, IdParams, type RouteDef, type RouteName } from 'shared';
import { z } from 'zod';
import type { Actor } from '../access/actor';
import { CHANNELS } from '../db/change-feed';
import { gzipOf, isPage, notModified, type Page, pageOf } from './page-cache';

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

/** What a `cacheable` route answers to an If-None-Match that names its current ETag. */
const NotModified = z.null().describe('Not Modified: the ETag in If-None-Match is current; no body');

/**
 * The error statuses a route can answer: what every route shares, what follows from its shape and
 * config, and the domain errors its table entry declares. The OpenAPI document lists exactly these,
 * and the fuzzer fails on any answer outside them.
 */
export function errorStatuses(def: RouteDef, config: FastifyContextConfig = {}): number[] {
  const s = new Set<number>([
    // A malformed URL (transport.ts) reaches any route; so does a JSON Content-Type in another
    // charset (security.ts checks it on every request); and every route reads PostgreSQL.
    400,
    415,
    503,
    ...(def.errors ?? []),
  ]);
  if (def.auth !== false) s.add(401);
  if (config.roles) s.add(403);
  // X-On-Behalf-Of naming an elder the caller has no consented link to.
  if (def.proxy) s.add(404);
  if (def.path.includes(':id')) s.add(404).add(414);
  // Fastify reads (and limits) a body on every write, whether the route declares one or not.
  if (def.method !== 'GET') s.add(413);
  if (config.rateLimit) s.add(429);
  // A hidden route answers a refusal as an unknown route does.
  if (config.hidden) {
    s.delete(401);
    s.delete(403);
    s.add(404);
  }
  return [...s].sort((a, b) => a - b);
}

/** Who may call a route, for its description. */
function callers(def: RouteDef, config: FastifyContextConfig): string {
  const who =
    def.auth === false
      ? 'Public: no sign-in.'
      : config.roles
        ? `Signed-in users with the ${config.roles.join(' or ')} role.`
        : 'Any signed-in user.';
  return def.proxy ? `${who} A family proxy may call it for an elder with X-On-Behalf-Of.` : who;
}

/**
 * Registers one route of the shared API table: method, path and schemas come from `shared`, so
 * the BFF, OpenAPI and the mini-program's client cannot drift apart. Handlers stay thin: parse
 * nothing, call a service, return its result.
 */
type ChangeChannel = keyof typeof CHANNELS;

export function route<N extends RouteName>(
  app: FastifyInstance,
  name: N,
  opts: {
    config?: FastifyContextConfig;
    status?: number;
    /**
     * Change-feed channels this write changes: announced to this process's caches once it has
     * answered, so the writer's own next read sees its change (other processes hear PostgreSQL).
     */
    announces?: ChangeChannel[];
    /** A `cacheable` route's handler may hand back a ready Page (from a PageCache). */
    handler: (ctx: RouteContext<N>) => Promise<z.input<Api[N]['response']> | Page>;
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
      summary: def.summary,
      description: `${def.description ?? `${def.summary}.`} ${callers(def, opts.config ?? {})}`,
      security: def.auth === false ? [] : [{ bearer: [] }],
      ...(def.path.includes(':id') ? { params: IdParams } : {}),
      ...(def.body ? { body: def.body } : {}),
      ...(def.query ? { querystring: def.query } : {}),
      ...(def.headers ? { headers: def.headers } : {}),
      response: {
        [status]: def.response,
        ...(def.cacheable ? { 304: NotModified } : {}),
        ...Object.fromEntries(errorStatuses(def, opts.config).map((s) => [s, ErrorEnvelope])),
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
      for (const c of opts.announces ?? []) app.deps.changes?.announce(CHANNELS[c], '*');
      reply.status(status);
      return def.cacheable
        ? conditional(request, reply, isPage(result) ? result : pageOf(def.response, result))
        : result;
    },
  });
}

/** Smaller than this, gzip's header costs more than it saves. */
const GZIP_FROM_BYTES = 1024;

/**
 * A cacheable read: its validator and Cache-Control always; 304 with no body when the client
 * already holds this version; else the serialised page, gzipped (once per page) if accepted.
 */
function conditional(request: FastifyRequest, reply: FastifyReply, page: Page) {
  reply.header('etag', page.etag);
  // Per person (it sits behind sign-in), and revalidated every time: the ETag makes that cheap.
  reply.header('cache-control', 'private, no-cache');
  reply.header('vary', 'accept-encoding');
  if (notModified(request.headers['if-none-match'], page.etag)) return reply.code(304).send();
  reply.type('application/json; charset=utf-8');
  if (page.body.length >= GZIP_FROM_BYTES && /\bgzip\b/.test(request.headers['accept-encoding'] ?? '')) {
    reply.header('content-encoding', 'gzip');
    return gzipOf(page);
  }
  return page.body;
}
