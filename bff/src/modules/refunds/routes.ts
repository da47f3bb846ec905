import type { FastifyInstance } from 'fastify';
import { route } from '../../http/route';
import { merchantDecideRefund, requestRefund } from './service';

export async function refundRoutes(app: FastifyInstance) {
  const deps = app.deps;
  route(app, 'requestRefund', {
    handler: ({ actor, params, body }) => requestRefund(deps, actor, params.id, body),
  });
  const merchantOnly = { roles: ['merchant' as const] };
  route(app, 'approveRefund', {
    config: merchantOnly,
    handler: ({ actor, params, body }) => merchantDecideRefund(deps, actor, params.id, 'approve', body.note),
  });
  route(app, 'rejectRefund', {
    config: merchantOnly,
    handler: ({ actor, params, body }) => merchantDecideRefund(deps, actor, params.id, 'reject', body.reason),
  });
}
