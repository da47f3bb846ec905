import type { FastifyInstance } from 'fastify';
import { route } from '../../http/route';
import {
  cancelBooking,
  caregiverNoShow,
  confirmBooking,
  createBooking,
  itemSlots,
  myBooking,
  myBookings,
  payBooking,
  providerBookings,
  rateVisit,
  rescheduleBooking,
  staffBookings,
} from './bookings';
import { familyDashboard, myAccessLog } from './dashboard';
import { caregiverChoices, readElderProfile, staffReadElderProfile, updateElderProfile } from './elders';

export async function bookingRoutes(app: FastifyInstance) {
  const deps = app.deps;
  route(app, 'careSlots', {
    handler: ({ actor, params, query }) => itemSlots(deps, actor, params.id, query.date, query.days),
  });
  route(app, 'elderProfile', { handler: ({ actor }) => readElderProfile(deps, actor) });
  route(app, 'careCaregiverChoices', {
    handler: ({ actor }) => caregiverChoices(deps.db, actor.userId, deps.clock.now()),
  });
  route(app, 'updateElderProfile', { handler: ({ actor, body }) => updateElderProfile(deps, actor, body) });
  route(app, 'careBookings', { handler: ({ actor, query }) => myBookings(deps, actor, query.scope) });
  route(app, 'createCareBooking', {
    status: 201,
    handler: ({ actor, body }) => createBooking(deps, actor, body),
  });
  route(app, 'careBooking', { handler: ({ actor, params }) => myBooking(deps, actor, params.id) });
  route(app, 'cancelCareBooking', {
    handler: ({ actor, params, body }) => cancelBooking(deps, actor, params.id, body.reason),
  });
  route(app, 'rescheduleCareBooking', {
    handler: ({ actor, params, body }) => rescheduleBooking(deps, actor, params.id, body.startsAt),
  });
  route(app, 'payCareBooking', { handler: ({ actor, params }) => payBooking(deps, actor, params.id) });
  route(app, 'rateCareVisit', {
    handler: ({ actor, params, body }) => rateVisit(deps, actor, params.id, body),
  });
  route(app, 'careAccessLog', { handler: ({ actor }) => myAccessLog(deps, actor) });
  route(app, 'careDashboard', { handler: ({ actor }) => familyDashboard(deps, actor) });
  route(app, 'providerBookings', {
    config: { roles: ['provider'] },
    handler: ({ actor, query }) => providerBookings(deps, actor, query.date, query.waiting ?? false),
  });
  route(app, 'confirmCareBooking', {
    config: { roles: ['provider'] },
    handler: ({ actor, params }) => confirmBooking(deps, actor, params.id),
  });
  route(app, 'staffCareBookings', {
    config: { roles: ['staff'] },
    handler: ({ actor, query }) => staffBookings(deps, actor, query.date),
  });
  route(app, 'staffCaregiverNoShow', {
    config: { roles: ['staff'] },
    handler: ({ actor, params, body }) => caregiverNoShow(deps, actor, params.id, body.note),
  });
  route(app, 'staffElderProfile', {
    config: { roles: ['staff'] },
    handler: ({ actor, params, query }) => staffReadElderProfile(deps, actor, params.id, query.reason),
  });
}
