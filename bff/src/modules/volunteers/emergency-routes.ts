import type { FastifyInstance } from 'fastify';
import { route } from '../../http/route';
import {
  acknowledgeEmergency,
  answerEmergency,
  cancelEmergency,
  elderEmergencies,
  elderEmergency,
  emergencyBanner,
  raiseEmergency,
  resolveEmergency,
  staffEmergencies,
  volunteerEmergencies,
} from './emergency';

/** One-tap emergency help: the elder's side (proxy routes), the volunteer's, staff's, and the banner. */
export async function emergencyRoutes(app: FastifyInstance) {
  const deps = app.deps;
  // 200 both for a new call and for a second press that returns the live one.
  route(app, 'raiseEmergency', { handler: ({ actor, body }) => raiseEmergency(deps, actor, body) });
  route(app, 'elderEmergencies', { handler: ({ actor }) => elderEmergencies(deps, actor) });
  route(app, 'elderEmergency', { handler: ({ actor, params }) => elderEmergency(deps, actor, params.id) });
  route(app, 'cancelEmergency', {
    handler: ({ actor, params, body }) => cancelEmergency(deps, actor, params.id, body.note),
  });
  route(app, 'emergencyBanner', { handler: ({ actor }) => emergencyBanner(deps, actor) });

  const volunteer = { roles: ['volunteer' as const] };
  route(app, 'volunteerEmergencies', {
    config: volunteer,
    handler: ({ actor }) => volunteerEmergencies(deps, actor),
  });
  route(app, 'answerEmergency', {
    config: volunteer,
    handler: ({ actor, params }) => answerEmergency(deps, actor, params.id),
  });

  const staff = { roles: ['staff' as const] };
  route(app, 'staffEmergencies', { config: staff, handler: ({ actor }) => staffEmergencies(deps, actor) });
  route(app, 'acknowledgeEmergency', {
    config: staff,
    handler: ({ actor, params }) => acknowledgeEmergency(deps, actor, params.id),
  });
  route(app, 'resolveEmergency', {
    config: staff,
    handler: ({ actor, params, body }) => resolveEmergency(deps, actor, params.id, body.note),
  });
}
