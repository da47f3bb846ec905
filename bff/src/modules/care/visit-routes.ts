import type { FastifyInstance } from 'fastify';
import { route } from '../../http/route';
import {
  addVisitPhoto,
  caregiverVisit,
  caregiverVisits,
  clockIn,
  clockOut,
  markElderAbsent,
  reportIncident,
  updateVisit,
} from './visits';

/** The caregiver's side: their visits, clock-in/out, the record of the visit, incidents. */
export async function visitRoutes(app: FastifyInstance) {
  const deps = app.deps;
  route(app, 'caregiverVisits', {
    config: { roles: ['caregiver'] },
    handler: ({ actor, query }) => caregiverVisits(deps, actor, query.scope),
  });
  route(app, 'caregiverVisit', {
    config: { roles: ['caregiver'] },
    handler: ({ actor, params }) => caregiverVisit(deps, actor, params.id),
  });
  route(app, 'clockIn', {
    config: { roles: ['caregiver'] },
    handler: ({ actor, params, body }) => clockIn(deps, actor, params.id, body),
  });
  route(app, 'clockOut', {
    config: { roles: ['caregiver'] },
    handler: ({ actor, params, body }) => clockOut(deps, actor, params.id, body),
  });
  route(app, 'updateVisit', {
    config: { roles: ['caregiver'] },
    handler: ({ actor, params, body }) => updateVisit(deps, actor, params.id, body),
  });
  route(app, 'addVisitPhoto', {
    config: { roles: ['caregiver'] },
    handler: ({ actor, params, body }) => addVisitPhoto(deps, actor, params.id, body.uploadId),
  });
  route(app, 'reportIncident', {
    config: { roles: ['caregiver'] },
    handler: ({ actor, params, body }) => reportIncident(deps, actor, params.id, body.description),
  });
  route(app, 'markElderAbsent', {
    config: { roles: ['caregiver'] },
    handler: ({ actor, params }) => markElderAbsent(deps, actor, params.id),
  });
}
