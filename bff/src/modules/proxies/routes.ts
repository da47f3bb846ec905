import type { FastifyInstance, FastifyRequest } from 'fastify';
import { route } from '../../http/route';
import {
  auditOnBehalfOf,
  consentInApp,
  myLinks,
  recordConsent,
  requestLink,
  revokeLink,
  staffLinks,
} from './service';

export async function proxyRoutes(app: FastifyInstance) {
  const { db } = app.deps;
  route(app, 'proxyLinks', { handler: ({ actor }) => myLinks(db, actor) });
  const perPerson = {
    max: app.deps.config.PROXY_LINK_REQUESTS_PER_HOUR,
    timeWindow: '1 hour',
    // Asking is answered the same for any number; the limit keeps anyone from asking about many.
    keyGenerator: (request: FastifyRequest) => `proxy-link:${request.actor?.actorId ?? request.ip}`,
  };
  route(app, 'requestProxyLink', {
    status: 201,
    config: { rateLimit: perPerson },
    handler: ({ actor, body }) => requestLink(db, actor, body.elderPhone, body.relationship),
  });
  route(app, 'consentProxyLink', {
    handler: ({ actor, params }) => consentInApp(app.deps, actor, params.id),
  });
  route(app, 'revokeProxyLink', { handler: ({ actor, params }) => revokeLink(app.deps, actor, params.id) });
  route(app, 'proxyAudit', { handler: ({ actor }) => auditOnBehalfOf(db, actor) });
  route(app, 'staffProxyLinks', {
    config: { roles: ['staff'] },
    handler: ({ actor, query }) => staffLinks(db, actor, query.status),
  });
  route(app, 'staffRecordConsent', {
    config: { roles: ['staff'] },
    handler: ({ actor, params, body }) => recordConsent(app.deps, actor, params.id, body.method, body.note),
  });
}
