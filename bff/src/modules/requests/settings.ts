import { and, eq } from 'drizzle-orm';
import { REQUEST_CATEGORIES, type RequestCategory, type RequestSettings } from 'shared';
import type { Actor } from '../../access/actor';
import { requireAccess } from '../../access/require-access';
import type { DbOrTx } from '../../db/client';
import type { AppDeps } from '../../deps';
import { invalidField } from '../../http/errors';
import { audit } from '../audit';
import { peopleByIds } from '../identity';
import { staffOf } from '../places';
import { communityStaff } from './policies';
import { requestSettings, requestTimeLimits } from './tables';

type Deps = Pick<AppDeps, 'db' | 'config' | 'clock'>;
type Limits = { respondHours: number; resolveHours: number };

const defaults = (config: Deps['config']): Limits => ({
  respondHours: config.REQUEST_RESPOND_HOURS,
  resolveHours: config.REQUEST_RESOLVE_HOURS,
});

/** The time limits of a category in a community: its own when staff set them, the defaults otherwise. */
export async function limitsFor(
  db: DbOrTx,
  config: Deps['config'],
  communityId: string,
  category: RequestCategory,
): Promise<Limits> {
  const [own] = await db
    .select()
    .from(requestTimeLimits)
    .where(and(eq(requestTimeLimits.communityId, communityId), eq(requestTimeLimits.category, category)));
  return own ? { respondHours: own.respondHours, resolveHours: own.resolveHours } : defaults(config);
}

async function settingsView(
  db: DbOrTx,
  config: Deps['config'],
  communityId: string,
): Promise<RequestSettings> {
  const [s] = await db.select().from(requestSettings).where(eq(requestSettings.communityId, communityId));
  const own = await db.select().from(requestTimeLimits).where(eq(requestTimeLimits.communityId, communityId));
  const staffIds = await staffOf(db, communityId);
  const people = await peopleByIds(db, staffIds);
  const byCategory = new Map(own.map((l) => [l.category, l]));
  return {
    communityId,
    leadStaffId: s?.leadStaffId && staffIds.includes(s.leadStaffId) ? s.leadStaffId : null,
    staff: staffIds.map((userId) => ({ userId, name: people.get(userId)?.name || '社区工作人员' })),
    limits: REQUEST_CATEGORIES.map((category) => {
      const l = byCategory.get(category);
      return l
        ? { category, respondHours: l.respondHours, resolveHours: l.resolveHours, custom: true }
        : { category, ...defaults(config), custom: false };
    }),
  };
}

export async function getRequestSettings(deps: Deps, actor: Actor, communityId: string) {
  await requireAccess(deps.db, actor, communityStaff, communityId);
  return settingsView(deps.db, deps.config, communityId);
}

/**
 * Staff name the lead (a staff member of the community, or nobody: then every staff member hears
 * of missed limits) and the categories' own limits; categories left out go back to the defaults.
 * Requests already raised keep the limits they were raised with.
 */
export async function saveRequestSettings(
  deps: Deps,
  actor: Actor,
  communityId: string,
  body: {
    leadStaffId: string | null;
    limits: { category: RequestCategory; respondHours: number; resolveHours: number }[];
  },
) {
  await requireAccess(deps.db, actor, communityStaff, communityId);
  if (body.leadStaffId && !(await staffOf(deps.db, communityId)).includes(body.leadStaffId))
    throw invalidField('body.leadStaffId', 'is not a staff member of this community');
  return deps.db.transaction(async (tx) => {
    await tx
      .insert(requestSettings)
      .values({ communityId, leadStaffId: body.leadStaffId, updatedBy: actor.actorId })
      .onConflictDoUpdate({
        target: requestSettings.communityId,
        set: { leadStaffId: body.leadStaffId, updatedBy: actor.actorId, updatedAt: deps.clock.now() },
      });
    await tx.delete(requestTimeLimits).where(eq(requestTimeLimits.communityId, communityId));
    if (body.limits.length)
      await tx
        .insert(requestTimeLimits)
        .values(body.limits.map((l) => ({ communityId, ...l, updatedBy: actor.actorId })));
    await audit(tx, actor, 'request.settings.saved', { type: 'community', id: communityId }, body);
    return settingsView(tx, deps.config, communityId);
  });
}
