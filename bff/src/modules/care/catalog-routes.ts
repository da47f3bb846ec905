import type { FastifyInstance } from 'fastify';
import { route } from '../../http/route';
import {
  careCatalog,
  createCareItem,
  staffCareCatalog,
  staffCareSettings,
  updateCareCategory,
  updateCareItem,
  updateCareSettings,
} from './catalog';

export async function catalogRoutes(app: FastifyInstance) {
  const { deps } = app;
  const staff = { roles: ['staff' as const] };
  route(app, 'careCatalog', { handler: ({ actor }) => careCatalog(deps, actor) });
  route(app, 'staffCareCatalog', { config: staff, handler: ({ actor }) => staffCareCatalog(deps.db, actor) });
  route(app, 'createCareItem', {
    config: staff,
    status: 201,
    handler: ({ actor, body }) => createCareItem(deps, actor, body),
  });
  route(app, 'updateCareItem', {
    config: staff,
    handler: ({ actor, params, body }) => updateCareItem(deps, actor, params.id, body),
  });
  route(app, 'updateCareCategory', {
    config: staff,
    handler: ({ actor, params, body }) => updateCareCategory(deps, actor, params.id, body),
  });
  route(app, 'staffCareSettings', {
    config: staff,
    handler: ({ actor }) => staffCareSettings(deps.db, actor),
  });
  route(app, 'updateCareSettings', {
    config: staff,
    handler: ({ actor, body }) => updateCareSettings(deps, actor, body),
  });
}
