import type { FastifyInstance } from 'fastify';
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
  route(app, 'requestProxyLink', {
    status: 201,
    handler: ({ actor, body }) => requestLink(db, actor, body.elderPhone, body.relationship),
  });
  route(app, 'consentProxyLink', { handler: ({ actor, params }) => consentInApp(db, actor, params.id) });
  route(app, 'revokeProxyLink', { handler: ({ actor, params }) => revokeLink(db, actor, params.id) });
  route(app, 'proxyAudit', { handler: ({ actor }) => auditOnBehalfOf(db, actor) });
  route(app, 'staffProxyLinks', {
    config: { roles: ['staff'] },
    handler: ({ actor, query }) => staffLinks(db, actor, query.status),
  });
  route(app, 'staffRecordConsent', {
    config: { roles: ['staff'] },
    handler: ({ actor, params, body }) => recordConsent(db, actor, params.id, body.method, body.note),
  });
}
