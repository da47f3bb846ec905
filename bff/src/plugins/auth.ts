import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Role } from 'shared';
import type { Actor } from '../access/actor';
import { type Policy, requireAccess } from '../access/require-access';
import type { ChangeFeed } from '../db/change-feed';
import type { DbOrTx } from '../db/client';
import { AppError, forbidden, noSuchRoute, unauthorized } from '../http/errors';
import { ADMIN_COOKIE } from './queue-board';

/**
 * What the auth plugin needs from the modules that know tokens, sessions, proxies and the audit
 * log; the entry point collects it from the module list (each module's `auth` contribution).
 */
export interface AuthHooks {
  verifyAccessToken(
    token: string,
    secret: string,
  ): Promise<{ userId: string; sessionId: string } | undefined>;
  /** Null when the login was revoked. */
  sessionRoles(
    deps: { db: DbOrTx; changes?: ChangeFeed },
    userId: string,
    sessionId: string,
    opts?: { fresh?: boolean },
  ): Promise<Role[] | null>;
  /** Which elders the signed-in person may act for (a consented family link). */
  actFor: Policy;
  /** Audits a read done for an elder, before the answer leaves. */
  recordProxyRead(db: DbOrTx, actor: Actor, what: string, status: number): Promise<void>;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Route needs no token (login, health, docs). */
    public?: boolean;
    /** Route needs one of these roles (of the signed-in person, never of the elder acted for). */
    roles?: Role[];
    /** Route may be called by a family proxy for an elder (X-On-Behalf-Of). */
    proxy?: boolean;
    /**
     * Route whose existence is not disclosed: to anyone not signed in or without its role it
     * answers exactly as an unknown route does (the operators' queue board).
     */
    hidden?: boolean;
  }
  interface FastifyRequest {
    /** Set on every non-public route; `actor.userId` is whom the request acts for. */
    actor: Actor;
  }
}

export const ON_BEHALF_HEADER = 'x-on-behalf-of';

function bearerToken(request: FastifyRequest): string | undefined {
  const h = request.headers.authorization;
  if (h?.startsWith('Bearer ')) return h.slice(7).trim();
  // Only the staff queue board, opened in a plain browser, may carry the token in a cookie.
  if (request.url.startsWith('/admin/')) {
    const m = request.headers.cookie?.match(new RegExp(`(?:^|;\\s*)${ADMIN_COOKIE}=([^;]+)`));
    return m?.[1];
  }
  return undefined;
}

/**
 * Secure by default: every route needs a valid access token unless it says `public`. Role and
 * proxy rules sit in the route's config so they read next to the route.
 */
export default fp<{ hooks: AuthHooks }>(
  async (app: FastifyInstance, { hooks }) => {
    app.decorateRequest('actor', null as unknown as Actor);

    app.addHook('onRequest', async (request) => {
      try {
        await authenticate(request);
      } catch (err) {
        const refused = err instanceof AppError && (err.statusCode === 401 || err.statusCode === 403);
        if (refused && request.routeOptions.config.hidden) throw noSuchRoute();
        throw err;
      }
    });

    async function authenticate(request: FastifyRequest) {
      const cfg = request.routeOptions.config;
      if (cfg.public || !request.routeOptions.url) return;
      const token = bearerToken(request);
      if (!token) throw unauthorized();
      const claims = await hooks.verifyAccessToken(token, app.deps.config.JWT_SECRET);
      if (!claims) throw new AppError(401, 'TOKEN_INVALID', 'Your session has expired, sign in again');
      let roles = await hooks.sessionRoles(app.deps, claims.userId, claims.sessionId);
      // A remembered answer may let a request through; it never turns one away. A role granted a
      // moment ago (its notice still on the way) is looked up before the refusal.
      if (!roles || (cfg.roles && !cfg.roles.some((r) => roles!.includes(r))))
        roles = await hooks.sessionRoles(app.deps, claims.userId, claims.sessionId, { fresh: true });
      if (!roles) throw new AppError(401, 'TOKEN_INVALID', 'Your session has ended, sign in again');
      if (cfg.roles && !cfg.roles.some((r) => roles!.includes(r)))
        throw forbidden('Your account does not have this role');

      const onBehalfOf = request.headers[ON_BEHALF_HEADER];
      if (typeof onBehalfOf === 'string' && onBehalfOf.length > 0) {
        if (!cfg.proxy)
          throw new AppError(400, 'PROXY_NOT_ALLOWED', 'This action cannot be done for someone else');
        const base: Actor = { userId: claims.userId, actorId: claims.userId, roles, onBehalfOf: null };
        // 404 for an elder you have no consented link to, same as any resource you may not see.
        await requireAccess(app.deps.db, base, hooks.actFor, onBehalfOf);
        request.actor = { userId: onBehalfOf, actorId: claims.userId, roles, onBehalfOf };
      } else {
        request.actor = { userId: claims.userId, actorId: claims.userId, roles, onBehalfOf: null };
      }
    }

    // Reads done for an elder are audited before the answer leaves (so no read goes unrecorded);
    // writes are audited inside their own transaction.
    app.addHook('onSend', async (request, reply) => {
      const a = request.actor;
      if (!a?.onBehalfOf || request.method !== 'GET' || reply.statusCode >= 400) return;
      // If the audit cannot be written the read fails too: nothing is shown unrecorded.
      await hooks.recordProxyRead(app.deps.db, a, `read ${request.routeOptions.url}`, reply.statusCode);
    });
  },
  { name: 'auth', dependencies: ['errors'] },
);
