import type { FastifyInstance } from 'fastify';
import { route } from '../../http/route';
import { consentInApp, myLinks, recordConsent, requestLink, revokeLink } from './service';

export async function proxyRoutes(app: FastifyInstance) {
  const { db } = app.deps;
  route(app, 'proxyLinks', { handler: ({ actor }) => myLinks(db, actor) });
  route(app, 'requestProxyLink', {
    status: 201,
    handler: ({ actor, body }) => requestLink(db, actor, body.elderPhone, body.relationship),
  });
  route(app, 'consentProxyLink', { handler: ({ actor, params }) => consentInApp(db, actor, params.id) });
  route(app, 'revokeProxyLink', { handler: ({ actor, params }) => revokeLink(db, actor, params.id) });
  route(app, 'staffRecordConsent', {
    config: { roles: ['staff'] },
    handler: ({ actor, params, body }) => recordConsent(db, actor, params.id, body.method, body.note),
  });
}
