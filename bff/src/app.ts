import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyRequest, LogController } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { AppDeps } from './deps';
import { clientError, frameworkError, requestId } from './http/transport';
import { MODULES } from './modules';
import auth, { type AuthHooks } from './plugins/auth';
import docs from './plugins/docs';
import errors from './plugins/errors';
import health from './plugins/health';
import httpCache from './plugins/http-cache';
import infrastructure from './plugins/infrastructure';
import metrics from './plugins/metrics';
import { queueBoard } from './plugins/queue-board';
import rateLimit from './plugins/rate-limit';
import security, { inlineScriptHashes } from './plugins/security';

/** Secrets and personal data that must never reach a log line. */
export const LOG_REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-device-signature"]',
  'res.headers["set-cookie"]',
  ...[
    'phone',
    'elderPhone',
    'accessToken',
    'refreshToken',
    'sessionKey',
    'session_key',
    'pickupCode',
    'code',
  ].flatMap((k) => [k, `*.${k}`]),
];

/** Query parameters that carry secrets (the staff board's one-time token login). */
const SECRET_PARAMS = /([?&](?:token|code|refreshToken)=)[^&]*/gi;
export const redactUrl = (url: string) => url.replace(SECRET_PARAMS, '$1[redacted]');

/** The CSP must allow the built H5 page's own inline script, and nothing else inline. */
function h5InlineScripts(dir: string | undefined): string[] {
  if (!dir) return [];
  try {
    return inlineScriptHashes(readFileSync(join(dir, 'index.html'), 'utf8'));
  } catch {
    return [];
  }
}

/** The auth plugin's hooks, from the modules that contribute them (each exactly once). */
function authHooks(): AuthHooks {
  const hooks: Partial<AuthHooks> = {};
  for (const m of MODULES)
    for (const [k, v] of Object.entries(m.auth ?? {})) {
      if (k in hooks) throw new Error(`auth hook ${k} is contributed twice (again by ${m.name})`);
      (hooks as Record<string, unknown>)[k] = v;
    }
  const missing = (['verifyAccessToken', 'sessionRoles', 'actFor', 'recordProxyRead'] as const).filter(
    (k) => !hooks[k],
  );
  if (missing.length) throw new Error(`no module contributes the auth hooks ${missing.join(', ')}`);
  return hooks as AuthHooks;
}

export interface BuildOptions {
  /** Where pino writes; tests pass a stream to read the log. */
  logStream?: NodeJS.WritableStream;
}

/**
 * Builds the HTTP app around infrastructure it is handed; importing this file does nothing. Plugin
 * order: infrastructure, then app-wide services (errors, auth, limits, docs, metrics), then routes.
 */
export async function buildApp(deps: AppDeps, opts: BuildOptions = {}): Promise<FastifyInstance> {
  const { config } = deps;
  const app = Fastify({
    logger: {
      level: config.LOG_LEVEL,
      redact: { paths: LOG_REDACT, censor: '[redacted]' },
      serializers: {
        req: (req: FastifyRequest) => ({
          method: req.method,
          url: redactUrl(req.url),
          remoteAddress: req.ip,
          requestId: req.id,
        }),
      },
      ...(opts.logStream ? { stream: opts.logStream } : {}),
    },
    bodyLimit: config.BODY_LIMIT_BYTES,
    // The client's X-Request-Id is kept only when it looks like an id (it is logged and echoed).
    requestIdHeader: false,
    genReqId: requestId,
    // A body trickled in byte by byte would hold a connection open forever; the whole request
    // must arrive within this, and Node checks for it every second rather than every 30 s.
    requestTimeout: config.REQUEST_TIMEOUT_MS,
    connectionTimeout: config.REQUEST_TIMEOUT_MS * 2,
    // Node ignores the request timeout while its headers timeout (60 s) is the longer of the two.
    http: {
      connectionsCheckingInterval: 1000,
      headersTimeout: Math.min(config.REQUEST_TIMEOUT_MS, 60_000),
      requestTimeout: config.REQUEST_TIMEOUT_MS,
    },
    clientErrorHandler: clientError,
    frameworkErrors: frameworkError,
    // Only proxies we were told about may set X-Forwarded-For (rate limits key on the client IP).
    trustProxy: config.TRUST_PROXY,
    routerOptions: { ignoreTrailingSlash: true },
    // One line per request, written when it is answered (below), instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
  });
  // JSON only: Fastify's built-in text/plain parser would hand a string to a JSON schema (a
  // misleading 400); without it a wrong Content-Type is the 415 UNSUPPORTED_MEDIA_TYPE it is.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      { req: request, statusCode: reply.statusCode, ms: Math.round(reply.elapsedTime) },
      'request answered',
    );
  });

  await app.register(infrastructure, { deps });
  await app.register(errors);
  await app.register(security, { inlineScripts: h5InlineScripts(config.H5_DIST_DIR) });
  await app.register(httpCache);
  await app.register(auth, { hooks: authHooks() });
  await app.register(rateLimit);
  await app.register(docs);
  await app.register(metrics);
  await app.register(health);

  for (const m of MODULES) if (m.routes) await app.register(m.routes);
  await app.register(queueBoard);

  if (config.H5_DIST_DIR) {
    const root = config.H5_DIST_DIR;
    // `pnpm start`: the built H5 app from the BFF's own origin, so no CORS is needed. Public files.
    await app.register(async (scope) => {
      scope.addHook('onRoute', (opts) => {
        opts.config = { ...(opts.config as object), public: true };
        opts.schema = { ...opts.schema, hide: true };
      });
      await scope.register(fastifyStatic, { root, prefix: '/', wildcard: false });
    });
  }
  return app;
}
