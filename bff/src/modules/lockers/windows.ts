import { and, asc, eq, gt, inArray, type SQLWrapper, sql } from 'drizzle-orm';
import { addDays, type DeliveryWindow, localClock, zonedInstant } from 'shared';
import type { Actor } from '../../access/actor';
import type { DbOrTx } from '../../db/client';
import type { AppDeps } from '../../deps';
import { invalidField } from '../../http/errors';
import { staffCommunityIds } from '../places';
import { deliverySchedules, deliveryWindows } from './tables';

type WindowRow = typeof deliveryWindows.$inferSelect;
type ScheduleRow = typeof deliverySchedules.$inferSelect;
type Deps = Pick<AppDeps, 'db' | 'config' | 'clock'>;

/** How many local days ahead concrete windows exist. */
const DAYS_AHEAD = 3;

export const windowView = (w: WindowRow): DeliveryWindow => ({
  id: w.id,
  communityId: w.communityId,
  cutoffAt: w.cutoffAt.toISOString(),
  deliverAt: w.deliverAt.toISOString(),
  status: w.status,
});

export const scheduleView = (s: ScheduleRow) => ({
  id: s.id,
  communityId: s.communityId,
  cutoffLocal: s.cutoffLocal,
  deliveryLocal: s.deliveryLocal,
  deliveryDayOffset: s.deliveryDayOffset,
  weekdays: s.weekdays,
  closedDates: s.closedDates,
  active: s.active,
});

/**
 * Turns weekly schedules into concrete windows (UTC instants) for the next few local days.
 * Idempotent: a window is unique per schedule and cut-off.
 */
export async function materializeWindows(
  db: DbOrTx,
  deps: Pick<Deps, 'config' | 'clock'>,
  communityId?: string,
) {
  const schedules = await db
    .select()
    .from(deliverySchedules)
    .where(
      and(
        eq(deliverySchedules.active, true),
        communityId ? eq(deliverySchedules.communityId, communityId) : undefined,
      ),
    );
  const tz = deps.config.TZ_DISPLAY;
  const now = deps.clock.now();
  const today = localClock(now, tz).date;
  const rows: (typeof deliveryWindows.$inferInsert)[] = [];
  for (const s of schedules)
    for (let d = 0; d < DAYS_AHEAD; d++) {
      const date = addDays(today, d);
      const weekday = localClock(zonedInstant(date, '12:00', tz), tz).weekday;
      if (!s.weekdays.includes(weekday) || s.closedDates.includes(date)) continue;
      const cutoffAt = zonedInstant(date, s.cutoffLocal, tz);
      rows.push({
        communityId: s.communityId,
        scheduleId: s.id,
        cutoffAt,
        deliverAt: zonedInstant(addDays(date, s.deliveryDayOffset), s.deliveryLocal, tz),
        // Made after its cut-off (a schedule added at 15:00 for 14:00): nobody could order in it,
        // so it is born closed instead of showing 接单中 with nothing to cut off.
        ...(cutoffAt <= now && { status: 'closed' as const }),
      });
    }
  if (rows.length) await db.insert(deliveryWindows).values(rows).onConflictDoNothing();
}

/**
 * The local day this process (one database handle) last materialized every schedule's windows on:
 * a reader need not insert them again until the day turns. Schedules are only ever added: by staff
 * through createSchedule, which materializes the new one's windows at once, or by the seed before
 * the server serves. So the memo never hides a window.
 */
const materializedOn = new WeakMap<DbOrTx, string>();

async function windowsReady(deps: Deps) {
  const today = localClock(deps.clock.now(), deps.config.TZ_DISPLAY).date;
  if (materializedOn.get(deps.db) === today) return;
  await materializeWindows(deps.db, deps);
  materializedOn.set(deps.db, today);
}

/**
 * Windows a resident can still order for: open, cut-off ahead. The community is an id, or a
 * subquery of one (the 首页 passes the reader's own, so it need not read their memberships first).
 */
export async function openWindows(
  deps: Deps,
  community: string | SQLWrapper,
): Promise<{ items: DeliveryWindow[] }> {
  await windowsReady(deps);
  const rows = await deps.db
    .select()
    .from(deliveryWindows)
    .where(
      and(
        typeof community === 'string'
          ? eq(deliveryWindows.communityId, community)
          : inArray(deliveryWindows.communityId, community),
        eq(deliveryWindows.status, 'open'),
        gt(deliveryWindows.cutoffAt, deps.clock.now()),
      ),
    )
    .orderBy(asc(deliveryWindows.cutoffAt))
    .limit(6);
  return { items: rows.map(windowView) };
}

export async function windowRow(db: DbOrTx, id: string): Promise<WindowRow | undefined> {
  const [w] = await db.select().from(deliveryWindows).where(eq(deliveryWindows.id, id));
  return w;
}

/** Whether a window still takes orders at `now`. */
export const takesOrders = (w: WindowRow, now: Date) => w.status === 'open' && w.cutoffAt > now;

/** The next window of the same community after this one that still takes orders. */
export async function nextWindow(db: DbOrTx, deps: Pick<Deps, 'config' | 'clock'>, w: WindowRow) {
  await materializeWindows(db, deps, w.communityId);
  const [n] = await db
    .select()
    .from(deliveryWindows)
    .where(
      and(
        eq(deliveryWindows.communityId, w.communityId),
        eq(deliveryWindows.status, 'open'),
        gt(deliveryWindows.cutoffAt, w.cutoffAt),
        gt(deliveryWindows.cutoffAt, deps.clock.now()),
      ),
    )
    .orderBy(asc(deliveryWindows.cutoffAt))
    .limit(1);
  return n;
}

export async function staffWindows(deps: Deps, actor: Actor) {
  await windowsReady(deps);
  const [schedules, windows] = await Promise.all([
    deps.db
      .select()
      .from(deliverySchedules)
      .where(inArray(deliverySchedules.communityId, staffCommunityIds(deps.db, actor.actorId)))
      .orderBy(asc(deliverySchedules.cutoffLocal)),
    deps.db
      .select()
      .from(deliveryWindows)
      .where(
        and(
          inArray(deliveryWindows.communityId, staffCommunityIds(deps.db, actor.actorId)),
          sql`${deliveryWindows.deliverAt} > ${deps.clock.now().toISOString()}::timestamptz - interval '1 day'`,
        ),
      )
      .orderBy(asc(deliveryWindows.cutoffAt))
      .limit(50),
  ]);
  return { schedules: schedules.map(scheduleView), windows: windows.map(windowView) };
}

export async function createSchedule(
  deps: Deps,
  actor: Actor,
  body: {
    communityId: string;
    cutoffLocal: string;
    deliveryLocal: string;
    deliveryDayOffset: number;
    weekdays: number[];
    closedDates: string[];
  },
): Promise<ScheduleRow> {
  const runs = (await staffCommunityIds(deps.db, actor.actorId)).map((c) => c.id);
  if (!runs.includes(body.communityId)) throw invalidField('body.communityId', 'is not a community you run');
  if (body.deliveryDayOffset === 0 && body.deliveryLocal <= body.cutoffLocal)
    throw invalidField('body.deliveryLocal', 'must be after the cut-off (or on a later day)');
  const [s] = await deps.db
    .insert(deliverySchedules)
    .values({ ...body, weekdays: [...new Set(body.weekdays)].sort() })
    .returning();
  await materializeWindows(deps.db, deps, body.communityId);
  return s!;
}
