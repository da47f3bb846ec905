import type { FastifyInstance } from 'fastify';
import { route } from '../../http/route';
import {
  addCaregiver,
  addTimeOff,
  applyCareProvider,
  myCareProvider,
  providerCaregivers,
  removeTimeOff,
  reviewCareProvider,
  staffCareProviders,
  updateCaregiver,
} from './providers';

export async function providerRoutes(app: FastifyInstance) {
  const { deps } = app;
  const staff = { roles: ['staff' as const] };
  // The console needs the role verifying grants; the service also checks the provider is still verified.
  const provider = { roles: ['provider' as const] };
  route(app, 'applyCareProvider', {
    status: 201,
    handler: ({ actor, body }) => applyCareProvider(deps, actor, body),
  });
  // No role: a pending or rejected applicant reads their status here.
  route(app, 'myCareProvider', { handler: ({ actor }) => myCareProvider(deps.db, actor) });
  route(app, 'staffCareProviders', {
    config: staff,
    handler: ({ actor, query }) => staffCareProviders(deps.db, actor, query.status),
  });
  route(app, 'verifyCareProvider', {
    config: staff,
    handler: ({ actor, params, body }) => reviewCareProvider(deps, actor, params.id, 'verify', body.note),
  });
  route(app, 'rejectCareProvider', {
    config: staff,
    handler: ({ actor, params, body }) => reviewCareProvider(deps, actor, params.id, 'reject', body.note),
  });
  route(app, 'providerCaregivers', {
    config: provider,
    handler: ({ actor }) => providerCaregivers(deps, actor),
  });
  route(app, 'addCaregiver', {
    config: provider,
    status: 201,
    handler: ({ actor, body }) => addCaregiver(deps, actor, body),
  });
  route(app, 'updateCaregiver', {
    config: provider,
    handler: ({ actor, params, body }) => updateCaregiver(deps, actor, params.id, body),
  });
  route(app, 'addTimeOff', {
    config: provider,
    status: 201,
    handler: ({ actor, params, body }) => addTimeOff(deps, actor, params.id, body),
  });
  route(app, 'removeTimeOff', {
    config: provider,
    handler: ({ actor, params }) => removeTimeOff(deps, actor, params.id),
  });
}
