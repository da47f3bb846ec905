import type { FastifyInstance } from 'fastify';
import { route } from '../../http/route';
import {
  createRequest,
  dispatchRequest,
  handlerOptions,
  merchantHandle,
  merchantRequest,
  merchantRequests,
  myRequest,
  myRequests,
  rateRequest,
  rejectRequest,
  reopenRequest,
  staffHandle,
  staffRequest,
  staffRequests,
  withdrawRequest,
} from './service';
import { getRequestSettings, saveRequestSettings } from './settings';
import { requestStats } from './stats';

/** The resident's requests, the staff desk, the shop's side and the public monthly figures. */
export async function requestRoutes(app: FastifyInstance) {
  const deps = app.deps;
  route(app, 'myRequests', { handler: ({ actor, query }) => myRequests(deps, actor, query) });
  route(app, 'createRequest', {
    status: 201,
    handler: ({ actor, body }) => createRequest(deps, actor, body),
  });
  route(app, 'myRequest', { handler: ({ actor, params }) => myRequest(deps, actor, params.id) });
  route(app, 'withdrawRequest', {
    handler: ({ actor, params, body }) => withdrawRequest(deps, actor, params.id, body.reason),
  });
  route(app, 'rateRequest', {
    handler: ({ actor, params, body }) => rateRequest(deps, actor, params.id, body),
  });
  route(app, 'reopenRequest', {
    handler: ({ actor, params, body }) => reopenRequest(deps, actor, params.id, body.reason),
  });
  route(app, 'requestStats', { handler: ({ params, query }) => requestStats(deps, params.id, query.month) });

  const staff = { roles: ['staff' as const] };
  route(app, 'staffRequests', {
    config: staff,
    handler: ({ actor, query }) => staffRequests(deps, actor, query),
  });
  route(app, 'staffRequest', {
    config: staff,
    handler: ({ actor, params }) => staffRequest(deps, actor, params.id),
  });
  route(app, 'requestHandlers', {
    config: staff,
    handler: ({ actor, params }) => handlerOptions(deps, actor, params.id),
  });
  route(app, 'dispatchRequest', {
    config: staff,
    handler: ({ actor, params, body }) => dispatchRequest(deps, actor, params.id, body),
  });
  route(app, 'rejectRequest', {
    config: staff,
    handler: ({ actor, params, body }) => rejectRequest(deps, actor, params.id, body.reason),
  });
  route(app, 'requestSettings', {
    config: staff,
    handler: ({ actor, params }) => getRequestSettings(deps, actor, params.id),
  });
  route(app, 'saveRequestSettings', {
    config: staff,
    handler: ({ actor, params, body }) => saveRequestSettings(deps, actor, params.id, body),
  });

  const merchant = { roles: ['merchant' as const] };
  route(app, 'merchantRequests', {
    config: merchant,
    handler: ({ actor, query }) => merchantRequests(deps, actor, query),
  });
  route(app, 'merchantRequest', {
    config: merchant,
    handler: ({ actor, params }) => merchantRequest(deps, actor, params.id),
  });
  // The handler's three steps, the same for a staff member and for the shop dispatched to.
  const handlerRoutes = [
    [staff, staffHandle, ['staffAcceptRequest', 'staffDeclineRequest', 'staffResolveRequest']],
    [merchant, merchantHandle, ['merchantAcceptRequest', 'merchantDeclineRequest', 'merchantResolveRequest']],
  ] as const;
  for (const [config, handle, [accept, decline, resolve]] of handlerRoutes) {
    route(app, accept, {
      config,
      handler: ({ actor, params, body }) =>
        handle(deps, actor, params.id, { event: 'accept', note: body.note }),
    });
    route(app, decline, {
      config,
      handler: ({ actor, params, body }) =>
        handle(deps, actor, params.id, { event: 'decline', note: body.reason }),
    });
    route(app, resolve, {
      config,
      handler: ({ actor, params, body }) =>
        handle(deps, actor, params.id, { event: 'resolve', note: body.note, photos: body.photos }),
    });
  }
}
