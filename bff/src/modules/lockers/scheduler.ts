import { and, eq, lte, or } from 'drizzle-orm';
import type { Db } from '../../db/client';
import type { AppDeps } from '../../deps';
import { scheduleCutoffJob } from './jobs';
import { deliveryBatches, deliverySchedules, deliveryWindows } from './tables';
import { materializeWindows } from './windows';

type Deps = Pick<AppDeps, 'db' | 'config' | 'clock' | 'queues'>;

/** cron's day-of-week: 0 = Sunday; ours is ISO (7 = Sunday). */
const cronDays = (weekdays: number[]) => weekdays.map((d) => d % 7).join(',');

/**
 * One BullMQ job scheduler per weekly window, firing at its cut-off in the display zone.
 * `upsertJobScheduler` with a fixed id per schedule: calling this at every boot (or after staff add
 * a schedule) never makes a second one.
 */
export async function upsertCutoffSchedulers(deps: Deps): Promise<number> {
  const schedules = await deps.db.select().from(deliverySchedules).where(eq(deliverySchedules.active, true));
  const q = deps.queues.get(scheduleCutoffJob.queue);
  for (const s of schedules) {
    const [hh, mm] = s.cutoffLocal.split(':').map(Number);
    await q.upsertJobScheduler(
      `cutoff-${s.id}`,
      { pattern: `${mm} ${hh} * * ${cronDays(s.weekdays)}`, tz: deps.config.TZ_DISPLAY },
      { name: scheduleCutoffJob.name, data: { scheduleId: s.id } },
    );
  }
  return schedules.length;
}

/**
 * Windows of a schedule whose cut-off has passed and that are still open, or whose batch is still
 * building (a run that closed the window but died before its build flow was queued is finished by
 * the next one; the flow's job ids are fixed, so queuing it again adds nothing twice).
 */
export async function cutoffsDue(deps: Pick<AppDeps, 'db' | 'config' | 'clock'>, scheduleId?: string) {
  const db: Db = deps.db;
  await materializeWindows(db, deps);
  const rows = await db
    .select({ id: deliveryWindows.id })
    .from(deliveryWindows)
    .leftJoin(deliveryBatches, eq(deliveryBatches.windowId, deliveryWindows.id))
    .where(
      and(
        lte(deliveryWindows.cutoffAt, deps.clock.now()),
        or(eq(deliveryWindows.status, 'open'), eq(deliveryBatches.status, 'building')),
        scheduleId ? eq(deliveryWindows.scheduleId, scheduleId) : undefined,
      ),
    );
  return rows.map((r) => r.id);
}
