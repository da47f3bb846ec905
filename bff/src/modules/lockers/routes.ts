import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requireAccess } from '../../access/require-access';
import { route } from '../../http/route';
import { orderRow, residentView } from '../orders';
import {
  availability,
  createBank,
  rotateSecret,
  setBankStatus,
  setCompartmentService,
  staffBanks,
} from './banks';
import {
  compartmentProblem,
  courierBatches,
  dropOrder,
  manifest,
  runCutoff,
  staffBatches,
  startBatch,
} from './batches';
import { extendPickup, payExtension } from './extension-fee';
import { devicePickup, openFromApp, retrieveOrder, staffOverdue } from './pickup';
import { windowManage } from './policies';
import { upsertCutoffSchedulers } from './scheduler';
import { createSchedule, openWindows, scheduleView, staffWindows, windowRow, windowView } from './windows';

/** The panel signs the exact bytes it sent: keep them next to the parsed body. */
const rawBodies = new WeakMap<FastifyRequest, string>();

async function deviceRoutes(app: FastifyInstance) {
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    rawBodies.set(request, body as string);
    try {
      done(null, JSON.parse(body as string));
    } catch {
      const err = Object.assign(new Error('The body is not valid JSON'), {
        statusCode: 400,
        code: 'FST_ERR_CTP_INVALID_JSON_BODY',
      });
      done(err, undefined);
    }
  });
  route(app, 'devicePickup', {
    handler: ({ params, headers, body, request }) =>
      devicePickup(app.deps, params.id, headers, rawBodies.get(request) ?? '', body.code),
  });
}

export async function lockerRoutes(app: FastifyInstance) {
  const deps = app.deps;
  const { db } = deps;
  await app.register(deviceRoutes);

  route(app, 'deliveryWindows', { handler: ({ query }) => openWindows(deps, query.communityId) });
  route(app, 'lockerAvailability', {
    handler: ({ query }) => availability(db, query.compoundId, query.windowId),
  });
  route(app, 'extendLocker', {
    handler: async ({ actor, params }) => {
      await extendPickup(deps, actor, params.id);
      return residentView(db, (await orderRow(db, params.id))!);
    },
  });
  route(app, 'payLockerExtension', {
    handler: ({ actor, params }) => payExtension(deps, actor, params.id),
  });
  route(app, 'openLocker', {
    handler: ({ actor, params, body }) => openFromApp(deps, actor, params.id, body.orderId),
  });

  const courier = { roles: ['courier' as const] };
  route(app, 'courierBatches', { config: courier, handler: ({ actor }) => courierBatches(db, actor) });
  route(app, 'courierBatch', {
    config: courier,
    handler: ({ actor, params }) => manifest(db, actor, params.id),
  });
  route(app, 'startBatch', {
    config: courier,
    handler: ({ actor, params }) => startBatch(deps, actor, params.id),
  });
  route(app, 'dropOrder', {
    config: courier,
    handler: ({ actor, params, body }) => dropOrder(deps, actor, params.id, body),
  });
  route(app, 'retrieveOrder', {
    config: courier,
    handler: ({ actor, params, body }) => retrieveOrder(deps, actor, params.id, body.orderId),
  });
  route(app, 'compartmentProblem', {
    config: courier,
    handler: ({ actor, params, body }) => compartmentProblem(deps, actor, params.id, body),
  });

  const staff = { roles: ['staff' as const] };
  route(app, 'staffLockerBanks', { config: staff, handler: ({ actor }) => staffBanks(db, actor) });
  route(app, 'createLockerBank', {
    config: staff,
    status: 201,
    handler: ({ actor, body }) => createBank(db, actor, body),
  });
  route(app, 'updateLockerBank', {
    config: staff,
    handler: ({ actor, params, body }) => setBankStatus(db, actor, params.id, body.status),
  });
  route(app, 'rotateDeviceSecret', {
    config: staff,
    handler: ({ actor, params }) => rotateSecret(db, actor, params.id),
  });
  route(app, 'updateCompartment', {
    config: staff,
    handler: ({ actor, params, body }) => setCompartmentService(db, actor, params.id, body.inService),
  });
  route(app, 'staffDeliveryWindows', { config: staff, handler: ({ actor }) => staffWindows(deps, actor) });
  route(app, 'createDeliverySchedule', {
    config: staff,
    status: 201,
    handler: async ({ actor, body }) => {
      const s = await createSchedule(deps, actor, body);
      await upsertCutoffSchedulers(deps);
      return scheduleView(s);
    },
  });
  route(app, 'closeDeliveryWindow', {
    config: staff,
    handler: async ({ actor, params }) => {
      await requireAccess(db, actor, windowManage, params.id);
      await runCutoff(deps, params.id);
      return windowView((await windowRow(db, params.id))!);
    },
  });
  route(app, 'staffBatches', {
    config: staff,
    handler: ({ actor, query }) => staffBatches(deps, actor, query.date),
  });
  route(app, 'staffOverdueOrders', { config: staff, handler: ({ actor }) => staffOverdue(db, actor) });
}
