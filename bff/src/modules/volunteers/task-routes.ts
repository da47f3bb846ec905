import type { FastifyInstance } from 'fastify';
import { route } from '../../http/route';
import { applyVolunteer, myVolunteer, reviewVolunteer, staffVolunteers, updateVolunteer } from './profiles';
import {
  acceptTask,
  cancelHelpTask,
  confirmHours,
  declineTask,
  disputeHours,
  elderTask,
  elderTasks,
  finishTask,
  raiseHelpTask,
  releaseTask,
  resolveDispute,
  staffAssignTask,
  staffCancelTask,
  staffTasks,
  startTask,
  volunteerTask,
  volunteerTasks,
} from './tasks';
import { staffCorrection, timeBankView } from './time-bank';

/** The volunteer's profile and tasks, the elder's side of tasks, staff review and dispatch, the time bank. */
export async function taskRoutes(app: FastifyInstance) {
  const deps = app.deps;
  route(app, 'volunteerMe', { handler: ({ actor }) => myVolunteer(deps, actor) });
  route(app, 'applyVolunteer', {
    status: 201,
    handler: ({ actor, body }) => applyVolunteer(deps, actor, body),
  });
  route(app, 'updateVolunteer', { handler: ({ actor, body }) => updateVolunteer(deps, actor, body) });
  route(app, 'volunteerTasks', {
    config: { roles: ['volunteer'] },
    handler: ({ actor, query }) => volunteerTasks(deps, actor, query.scope),
  });
  route(app, 'volunteerTask', {
    config: { roles: ['volunteer'] },
    handler: ({ actor, params }) => volunteerTask(deps, actor, params.id),
  });
  route(app, 'acceptTask', {
    config: { roles: ['volunteer'] },
    handler: ({ actor, params }) => acceptTask(deps, actor, params.id),
  });
  route(app, 'declineTask', {
    config: { roles: ['volunteer'] },
    handler: ({ actor, params, body }) => declineTask(deps, actor, params.id, body.reason),
  });
  route(app, 'releaseTask', {
    config: { roles: ['volunteer'] },
    handler: ({ actor, params, body }) => releaseTask(deps, actor, params.id, body.reason),
  });
  route(app, 'startTask', {
    config: { roles: ['volunteer'] },
    handler: ({ actor, params, body }) => startTask(deps, actor, params.id, body.code),
  });
  route(app, 'finishTask', {
    config: { roles: ['volunteer'] },
    handler: ({ actor, params, body }) => finishTask(deps, actor, params.id, body.minutes, body.note),
  });
  route(app, 'timeBank', { handler: ({ actor }) => timeBankView(deps.db, actor.actorId) });

  route(app, 'helpTasks', { handler: ({ actor, query }) => elderTasks(deps, actor, query.scope) });
  route(app, 'createHelpTask', {
    status: 201,
    handler: ({ actor, body }) => raiseHelpTask(deps, actor, body),
  });
  route(app, 'helpTask', { handler: ({ actor, params }) => elderTask(deps, actor, params.id) });
  route(app, 'cancelHelpTask', {
    handler: ({ actor, params, body }) => cancelHelpTask(deps, actor, params.id, body.reason),
  });
  route(app, 'confirmTaskHours', {
    handler: ({ actor, params, body }) => confirmHours(deps, actor, params.id, body.rating),
  });
  route(app, 'disputeTaskHours', {
    handler: ({ actor, params, body }) => disputeHours(deps, actor, params.id, body.note),
  });

  const staff = { roles: ['staff' as const] };
  route(app, 'staffVolunteers', {
    config: staff,
    handler: ({ actor, query }) => staffVolunteers(deps, actor, query.status),
  });
  route(app, 'verifyVolunteer', {
    config: staff,
    handler: ({ actor, params, body }) => reviewVolunteer(deps, actor, params.id, 'verify', body.note),
  });
  route(app, 'rejectVolunteer', {
    config: staff,
    handler: ({ actor, params, body }) => reviewVolunteer(deps, actor, params.id, 'reject', body.note),
  });
  route(app, 'suspendVolunteer', {
    config: staff,
    handler: ({ actor, params, body }) => reviewVolunteer(deps, actor, params.id, 'suspend', body.reason),
  });
  route(app, 'reinstateVolunteer', {
    config: staff,
    handler: ({ actor, params, body }) => reviewVolunteer(deps, actor, params.id, 'reinstate', body.note),
  });
  route(app, 'staffHelpTasks', {
    config: staff,
    handler: ({ actor, query }) => staffTasks(deps, actor, query.status),
  });
  route(app, 'staffCreateHelpTask', {
    config: staff,
    status: 201,
    handler: ({ actor, body }) => raiseHelpTask(deps, actor, body, true),
  });
  route(app, 'staffAssignTask', {
    config: staff,
    handler: ({ actor, params, body }) => staffAssignTask(deps, actor, params.id, body.volunteerId),
  });
  route(app, 'staffCancelTask', {
    config: staff,
    handler: ({ actor, params, body }) => staffCancelTask(deps, actor, params.id, body.reason),
  });
  route(app, 'staffResolveDispute', {
    config: staff,
    handler: ({ actor, params, body }) => resolveDispute(deps, actor, params.id, body.minutes, body.note),
  });
  route(app, 'staffTimeCorrection', {
    config: staff,
    handler: ({ actor, body }) => staffCorrection(deps.db, actor, body),
  });
}
