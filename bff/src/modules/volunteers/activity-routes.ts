import type { FastifyInstance } from 'fastify';
import { route } from '../../http/route';
import {
  activityRoster,
  cancelActivity,
  cancelActivitySignup,
  checkInActivity,
  checkOutActivity,
  createActivity,
  signUpActivity,
  staffActivityList,
  volunteerActivityList,
} from './activities';
import { certificate, leaderboard } from './bank-views';
import { activateEmergencyTeam, createEmergencyTeam, emergencyTeamList, updateEmergencyTeam } from './teams';

/** Activities (both sides), emergency teams (staff), the leaderboard and the certificate. */
export async function activityRoutes(app: FastifyInstance) {
  const deps = app.deps;
  const volunteer = { roles: ['volunteer' as const] };
  route(app, 'volunteerActivities', {
    config: volunteer,
    handler: ({ actor }) => volunteerActivityList(deps, actor),
  });
  route(app, 'signUpActivity', {
    config: volunteer,
    handler: ({ actor, params }) => signUpActivity(deps, actor, params.id),
  });
  route(app, 'cancelActivitySignup', {
    config: volunteer,
    handler: ({ actor, params }) => cancelActivitySignup(deps, actor, params.id),
  });
  route(app, 'checkInActivity', {
    config: volunteer,
    handler: ({ actor, params, body }) => checkInActivity(deps, actor, params.id, body.code),
  });
  route(app, 'checkOutActivity', {
    config: volunteer,
    handler: ({ actor, params }) => checkOutActivity(deps, actor, params.id),
  });
  route(app, 'leaderboard', { config: volunteer, handler: ({ actor }) => leaderboard(deps, actor) });
  route(app, 'volunteerCertificate', { config: volunteer, handler: ({ actor }) => certificate(deps, actor) });

  const staff = { roles: ['staff' as const] };
  route(app, 'staffActivities', { config: staff, handler: ({ actor }) => staffActivityList(deps, actor) });
  route(app, 'createActivity', {
    config: staff,
    status: 201,
    handler: ({ actor, body }) => createActivity(deps, actor, body),
  });
  route(app, 'activityRoster', {
    config: staff,
    handler: ({ actor, params }) => activityRoster(deps, actor, params.id),
  });
  route(app, 'cancelActivity', {
    config: staff,
    handler: ({ actor, params }) => cancelActivity(deps, actor, params.id),
  });
  route(app, 'emergencyTeams', { config: staff, handler: ({ actor }) => emergencyTeamList(deps, actor) });
  route(app, 'createEmergencyTeam', {
    config: staff,
    status: 201,
    handler: ({ actor, body }) => createEmergencyTeam(deps, actor, body),
  });
  route(app, 'updateEmergencyTeam', {
    config: staff,
    handler: ({ actor, params, body }) => updateEmergencyTeam(deps, actor, params.id, body),
  });
  route(app, 'activateEmergencyTeam', {
    config: staff,
    handler: ({ actor, params, body }) => activateEmergencyTeam(deps, actor, params.id, body.message),
  });
}
