import { and, eq, inArray, sql } from 'drizzle-orm';
import { addDays, assignWeek, localClock, type MatchTask, zonedInstant } from 'shared';
import type { AppDeps } from '../../deps';
import { elderContext } from '../care';
import { makeVisitTask, type PlanRow, VISIT_WINDOW } from './checkins';
import { weekVisitPlanJob } from './jobs';
import { matchCandidates, weekStart } from './profiles';
import { checkinPlans, helpTasks } from './tables';

type Deps = Pick<AppDeps, 'db' | 'clock' | 'config'>;

const HOUR = 3600_000;
/** How long the chosen volunteer has to take a planned visit before the usual waves go out. */
export const PLANNED_OFFER_HOURS = 12;

/**
 * The week's well-being visits, planned together on Monday morning: every weekly-visit plan whose
 * day is still ahead this week gets its task now, and the weekly assignment (`assignWeek`: each
 * visit to one volunteer, caps and overlapping windows kept, the load spread) chooses who is asked
 * first. Someone who does not take it within 12 hours (or a third of the time left) leaves it to
 * the usual waves. Tasks that exist already are left alone, so a rerun plans nothing twice, and the
 * daily sweep still makes a visit the plan missed.
 */
export async function planWeekVisits(deps: Deps): Promise<{ planned: number; offered: number }> {
  const now = deps.clock.now();
  const tz = deps.config.TZ_DISPLAY;
  const today = localClock(now, tz).date;
  const monday = localClock(weekStart(now, tz), tz).date;
  const plans = await deps.db
    .select()
    .from(checkinPlans)
    .where(and(eq(checkinPlans.active, true), eq(checkinPlans.mode, 'weekly_visit')));
  let planned = 0;
  let offered = 0;
  const byCommunity = new Map<string, PlanRow[]>();
  for (const p of plans) byCommunity.set(p.communityId, [...(byCommunity.get(p.communityId) ?? []), p]);
  for (const [communityId, list] of byCommunity) {
    const visits: { plan: PlanRow; date: string; task: MatchTask }[] = [];
    for (const plan of list) {
      // Monday is day 0 of the week here; the plan's weekday counts from Sunday.
      const date = addDays(monday, (plan.visitWeekday + 6) % 7);
      if (date < today) continue;
      const windowStart = zonedInstant(date, VISIT_WINDOW.start, tz);
      const windowEnd = zonedInstant(date, VISIT_WINDOW.end, tz);
      if (windowEnd.getTime() - VISIT_WINDOW.durationMin * 60_000 <= now.getTime()) continue;
      const ctx = await elderContext(deps.db, plan.elderId, now);
      if (!ctx?.householdId) continue;
      visits.push({
        plan,
        date,
        task: {
          skill: 'visit',
          location: ctx.location,
          windowStart,
          windowEnd,
          durationMin: VISIT_WINDOW.durationMin,
          elderId: plan.elderId,
        },
      });
    }
    if (visits.length === 0) continue;
    const candidates = await matchCandidates(deps.db, communityId, null, now, tz);
    const history = await goodVisitsByElder(
      deps,
      candidates.map((c) => c.id),
      visits.map((v) => v.plan.elderId),
    );
    const assignment = assignWeek({
      tasks: visits.map((v) => v.task),
      candidates: candidates.map((c) => ({
        ...c,
        goodVisitsByElder: history.get(c.id) ?? new Map(),
      })),
    });
    const chosen = new Map(assignment.pairs.map((p) => [p.taskIndex, p]));
    for (const [i, v] of visits.entries()) {
      const pick = chosen.get(i);
      const untilMs = Math.min(PLANNED_OFFER_HOURS * HOUR, (v.task.windowEnd.getTime() - now.getTime()) / 3);
      const made = await deps.db.transaction((tx) =>
        makeVisitTask(
          tx,
          deps,
          v.plan,
          v.date,
          pick && v.plan.elderId !== pick.candidateId
            ? { volunteerId: pick.candidateId, score: pick.score, untilMs }
            : undefined,
        ),
      );
      if (made) {
        planned += 1;
        if (pick) offered += 1;
      }
    }
  }
  return { planned, offered };
}

/** Past done, well-rated tasks per volunteer and elder (the history part of the score). */
async function goodVisitsByElder(deps: Deps, volunteerIds: string[], elderIds: string[]) {
  const out = new Map<string, Map<string, number>>();
  if (volunteerIds.length === 0 || elderIds.length === 0) return out;
  const rows = await deps.db
    .select({ v: helpTasks.volunteerId, e: helpTasks.elderId, n: sql<number>`count(*)::int` })
    .from(helpTasks)
    .where(
      and(
        inArray(helpTasks.volunteerId, volunteerIds),
        inArray(helpTasks.elderId, elderIds),
        eq(helpTasks.status, 'done'),
        sql`coalesce(${helpTasks.rating}, 5) >= 4`,
      ),
    )
    .groupBy(helpTasks.volunteerId, helpTasks.elderId);
  for (const r of rows) {
    if (!r.v) continue;
    const m = out.get(r.v) ?? new Map<string, number>();
    m.set(r.e, r.n);
    out.set(r.v, m);
  }
  return out;
}

export const WEEK_PLAN_SCHEDULER_ID = 'volunteers-week-visit-plan';

/** Mondays 06:00 local; the fixed id makes a worker restart a no-op. */
export async function startWeekPlanScheduler(deps: Pick<AppDeps, 'queues' | 'config'>): Promise<void> {
  await deps.queues
    .get(weekVisitPlanJob.queue)
    .upsertJobScheduler(
      WEEK_PLAN_SCHEDULER_ID,
      { pattern: '0 6 * * 1', tz: deps.config.TZ_DISPLAY },
      { name: weekVisitPlanJob.name, data: {} },
    );
}
