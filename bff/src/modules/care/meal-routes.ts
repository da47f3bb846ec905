import type { FastifyInstance } from 'fastify';
import { route } from '../../http/route';
import { mealPlanView, providerMealList, saveMealPlan, setMealSkip, stopMealPlan } from './meals';

/** 助餐: the elder's (or family's) meal plan, and the canteen's list for one meal. */
export async function mealRoutes(app: FastifyInstance) {
  const deps = app.deps;
  route(app, 'mealPlan', { handler: ({ actor }) => mealPlanView(deps, actor) });
  route(app, 'saveMealPlan', { handler: ({ actor, body }) => saveMealPlan(deps, actor, body) });
  route(app, 'stopMealPlan', { handler: ({ actor }) => stopMealPlan(deps, actor) });
  route(app, 'skipMeal', { handler: ({ actor, body }) => setMealSkip(deps, actor, body, true) });
  route(app, 'unskipMeal', { handler: ({ actor, body }) => setMealSkip(deps, actor, body, false) });
  route(app, 'providerMealList', {
    config: { roles: ['provider'] },
    handler: ({ actor, query }) => providerMealList(deps, actor, query),
  });
}
