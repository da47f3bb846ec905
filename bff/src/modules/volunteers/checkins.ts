import { and, desc, eq, gt, gte, inArray } from 'drizzle-orm';
import {
  addDays,
  type CheckinBoard,
  type CheckinToday as CheckinTodaySchema,
  localClock,
  PAGES,
  wechatPage,
  zonedInstant,
} from 'shared';
import type { z } from 'zod';
import type { Actor } from '../../access/actor';
import type { DbOrTx } from '../../db/client';
import type { AppDeps } from '../../deps';
import { conflict } from '../../http/errors';
import { handles, type JobHandler } from '../../module';
import { audit } from '../audit';
import { elderContext, familyOf, logElderRead } from '../care';
import { peopleByIds } from '../identity';
import { notify } from '../notifications';
import { staffCommunityIds, staffOf } from '../places';
import { checkinSweepJob } from './alert-jobs';
import { checkinAlerts, checkinPlans, checkins, helpTasks } from './tables';
import { createTask } from './tasks';

type Deps = Pick<AppDeps, 'db' | 'clock' | 'config'>;
export type PlanRow = typeof checkinPlans.$inferSelect;
type CheckinToday = z.input<typeof CheckinTodaySchema>;
type BoardItem = z.input<typeof CheckinBoard>['items'][number];

const MIN = 60_000;
/** The weekly visit's window on the visit day, local time; the task must be taken an hour before it ends. */
export const VISIT_WINDOW = { start: '09:00', end: '18:00', durationMin: 60 } as const;
/** How often the sweep runs; an alert is at most this late. */
export const CHECKIN_SWEEP_EVERY_MS = 5 * MIN;
export const CHECKIN_SWEEP_SCHEDULER_ID = 'volunteers-checkin-sweep';
/** A streak is counted back at most this far. */
const STREAK_LOOKBACK_DAYS = 400;

const hhmm = (min: number) =>
  `${String(Math.floor(min / 60)).padStart(2, '0')}:${String(min % 60).padStart(2, '0')}`;
const thing = (s: string) => (s.length > 20 ? `${s.slice(0, 19)}…` : s);
const dueAtOf = (plan: PlanRow, date: string, tz: string) => zonedInstant(date, hhmm(plan.dueMin), tz);

const planView = (p: PlanRow) => ({
  elderId: p.elderId,
  mode: p.mode,
  dueMin: p.dueMin,
  graceMin: p.graceMin,
  visitWeekday: p.visitWeekday,
  active: p.active,
});

/** Consecutive local days with a check-in, ending today (or yesterday while today's is still open). */
async function streakOf(db: DbOrTx, elderId: string, today: string, doneToday: boolean): Promise<number> {
  const rows = await db
    .select({ date: checkins.date })
    .from(checkins)
    .where(and(eq(checkins.elderId, elderId), gte(checkins.date, addDays(today, -STREAK_LOOKBACK_DAYS))))
    .orderBy(desc(checkins.date));
  let expected = doneToday ? today : addDays(today, -1);
  let n = 0;
  for (const r of rows) {
    if (r.date > expected) continue;
    if (r.date !== expected) break;
    n += 1;
    expected = addDays(expected, -1);
  }
  return n;
}

async function todayView(db: DbOrTx, deps: Deps, elderId: string): Promise<CheckinToday> {
  const tz = deps.config.TZ_DISPLAY;
  const today = localClock(deps.clock.now(), tz).date;
  const [[plan], [done]] = await Promise.all([
    db.select().from(checkinPlans).where(eq(checkinPlans.elderId, elderId)),
    db
      .select()
      .from(checkins)
      .where(and(eq(checkins.elderId, elderId), eq(checkins.date, today))),
  ]);
  return {
    plan: plan ? planView(plan) : null,
    date: today,
    checkedInAt: done?.at.toISOString() ?? null,
    dueAt: plan?.active && plan.mode === 'daily_tap' ? dueAtOf(plan, today, tz).toISOString() : null,
    streak: await streakOf(db, elderId, today, !!done),
  };
}

/** The elder's (or family's) view of today: the plan, whether 我很好 was tapped, when it is due, the streak. */
export async function checkinToday(deps: Deps, actor: Actor): Promise<CheckinToday> {
  return todayView(deps.db, deps, actor.userId);
}

/**
 * 我很好: today's local date recorded once (a second tap the same day changes nothing). When the
 * family (or staff) had already been alerted today, they hear that all is well.
 */
export async function checkIn(deps: Deps, actor: Actor): Promise<CheckinToday> {
  const elderId = actor.userId;
  const now = deps.clock.now();
  const today = localClock(now, deps.config.TZ_DISPLAY).date;
  return deps.db.transaction(async (tx) => {
    const [made] = await tx
      .insert(checkins)
      .values({ elderId, date: today, at: now, by: actor.actorId })
      .onConflictDoNothing()
      .returning();
    if (made) {
      const alerts = await tx
        .select({ stage: checkinAlerts.stage })
        .from(checkinAlerts)
        .where(and(eq(checkinAlerts.elderId, elderId), eq(checkinAlerts.date, today)));
      if (alerts.length) {
        const [plan] = await tx.select().from(checkinPlans).where(eq(checkinPlans.elderId, elderId));
        const name = (await peopleByIds(tx, [elderId])).get(elderId)?.name ?? '老人';
        const told = [
          ...(await familyOf(tx, elderId)),
          ...(alerts.some((a) => a.stage === 'staff') && plan ? await staffOf(tx, plan.communityId) : []),
        ];
        for (const userId of new Set(told))
          if (userId !== actor.actorId && userId !== elderId)
            await notify(tx, {
              userId,
              kind: 'checkin.late_ok',
              title: `${name}已报平安`,
              body: `${name}今天已经报了平安，无需再担心`,
              link: PAGES.help,
              dedupeKey: `checkin.late_ok:${elderId}:${today}`,
            });
      }
      await audit(tx, actor, 'checkin.tapped', { type: 'checkin', id: elderId }, { date: today });
    }
    return todayView(tx, deps, elderId);
  });
}

/**
 * A plan for the elder, by the elder or a consented family member. Fields not given keep their
 * value (or the table's default for a new plan). Any elder in a household may have one; the app
 * suggests it only to those who live alone.
 */
export async function saveCheckinPlan(
  deps: Deps,
  actor: Actor,
  body: Partial<{
    mode: PlanRow['mode'];
    dueMin: number;
    graceMin: number;
    visitWeekday: number;
    active: boolean;
  }>,
): Promise<CheckinToday> {
  const elderId = actor.userId;
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const elder = await elderContext(tx, elderId, now);
    if (!elder?.communityId)
      throw conflict('ELDER_HAS_NO_HOUSEHOLD', 'The elder is not a verified member of a household yet');
    const fields = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
    await tx
      .insert(checkinPlans)
      .values({
        elderId,
        communityId: elder.communityId,
        ...fields,
        updatedBy: actor.actorId,
        updatedAt: now,
      })
      .onConflictDoUpdate({
        target: checkinPlans.elderId,
        set: { ...fields, communityId: elder.communityId, updatedBy: actor.actorId, updatedAt: now },
      });
    await audit(tx, actor, 'checkin.plan_saved', { type: 'checkin_plan', id: elderId }, fields);
    return todayView(tx, deps, elderId);
  });
}

// ---- the sweep ----------------------------------------------------------------------------------

export interface SweepResult {
  familyAlerts: number;
  staffAlerts: number;
  visitTasks: number;
}

/**
 * Every active plan, each in a transaction of its own holding the plan's row (two sweeps at once
 * then take turns per elder): a daily tap missed past due + grace alerts the family, past due +
 * 2×grace the staff, each once per day (the alert's primary key); a weekly plan gets that day's
 * visit task once. One elder's failure does not stop the others; the sweep fails after them.
 */
export async function sweepCheckins(deps: Deps): Promise<SweepResult> {
  const out: SweepResult = { familyAlerts: 0, staffAlerts: 0, visitTasks: 0 };
  const plans = await deps.db
    .select({ elderId: checkinPlans.elderId })
    .from(checkinPlans)
    .where(eq(checkinPlans.active, true))
    .orderBy(checkinPlans.elderId);
  const errors: unknown[] = [];
  for (const { elderId } of plans) {
    try {
      await deps.db.transaction((tx) => sweepOne(tx, deps, elderId, out));
    } catch (err) {
      errors.push(err);
    }
  }
  if (errors.length)
    throw new AggregateError(errors, `check-in sweep: ${errors.length} of ${plans.length} plans failed`);
  return out;
}

async function sweepOne(tx: DbOrTx, deps: Deps, elderId: string, out: SweepResult) {
  const [plan] = await tx.select().from(checkinPlans).where(eq(checkinPlans.elderId, elderId)).for('update');
  if (!plan?.active) return;
  const tz = deps.config.TZ_DISPLAY;
  const now = deps.clock.now();
  const local = localClock(now, tz);
  if (plan.mode === 'weekly_visit') {
    if (local.weekday % 7 === plan.visitWeekday && (await makeVisitTask(tx, deps, plan, local.date)))
      out.visitTasks += 1;
    return;
  }
  const [done] = await tx
    .select({ at: checkins.at })
    .from(checkins)
    .where(and(eq(checkins.elderId, elderId), eq(checkins.date, local.date)));
  if (done) return;
  const dueAt = dueAtOf(plan, local.date, tz);
  // A plan made or changed after today's due time counts from tomorrow: no alert for a day it did not yet cover.
  if (plan.updatedAt > dueAt) return;
  const lateMin = (now.getTime() - dueAt.getTime()) / MIN;
  if (lateMin < plan.graceMin) return;
  const elder = await elderContext(tx, elderId, now);
  const name = elder?.name ?? '老人';
  if (await alertOnce(tx, elderId, local.date, 'family', now)) {
    out.familyAlerts += 1;
    for (const userId of await familyOf(tx, elderId)) {
      const self = userId === elderId;
      await notify(tx, {
        userId,
        kind: 'checkin.missed',
        title: self ? '今天还没有报平安' : `${name}今天还没有报平安`,
        body: self
          ? '请点“我很好”报个平安，家人在惦记你'
          : `已超过约定时间 ${plan.graceMin} 分钟，请打个电话问问；再过 ${plan.graceMin} 分钟仍未报平安，社区会收到提醒`,
        link: PAGES.help,
        dedupeKey: `checkin.missed:${elderId}:${local.date}`,
        wechat: {
          template: 'orderStatus',
          page: wechatPage(PAGES.help),
          data: { thing1: thing(`${name}未报平安`), phrase2: '未报平安', time3: dueAt.toISOString() },
        },
      });
    }
  }
  if (lateMin >= 2 * plan.graceMin && (await alertOnce(tx, elderId, local.date, 'staff', now))) {
    out.staffAlerts += 1;
    for (const userId of await staffOf(tx, plan.communityId))
      await notify(tx, {
        userId,
        kind: 'checkin.missed_staff',
        title: `独居老人${name}未报平安`,
        body: `${elder?.address ?? ''} 的${name}今天超过约定时间 ${2 * plan.graceMin} 分钟仍未报平安，家人已收到提醒，请电话或上门确认`,
        link: PAGES.staffCheckins,
        dedupeKey: `checkin.missed_staff:${elderId}:${local.date}`,
        wechat: {
          template: 'orderStatus',
          page: wechatPage(PAGES.staffCheckins),
          data: { thing1: thing(`${name}未报平安`), phrase2: '请确认', time3: dueAt.toISOString() },
        },
      });
  }
}

async function alertOnce(tx: DbOrTx, elderId: string, date: string, stage: 'family' | 'staff', at: Date) {
  const made = await tx
    .insert(checkinAlerts)
    .values({ elderId, date, stage, at })
    .onConflictDoNothing()
    .returning({ stage: checkinAlerts.stage });
  return made.length > 0;
}

/**
 * That day's visit task, once (an existing checkin_visit task with the same window start is it).
 * The weekly plan passes the volunteer it chose as the first offer.
 */
export async function makeVisitTask(
  tx: DbOrTx,
  deps: Deps,
  plan: PlanRow,
  date: string,
  firstOffer?: { volunteerId: string; score: number; untilMs: number },
): Promise<boolean> {
  const tz = deps.config.TZ_DISPLAY;
  const windowStart = zonedInstant(date, VISIT_WINDOW.start, tz);
  const windowEnd = zonedInstant(date, VISIT_WINDOW.end, tz);
  const deadline = new Date(windowEnd.getTime() - VISIT_WINDOW.durationMin * MIN);
  if (deps.clock.now() >= deadline) return false;
  const [existing] = await tx
    .select({ id: helpTasks.id })
    .from(helpTasks)
    .where(
      and(
        eq(helpTasks.elderId, plan.elderId),
        eq(helpTasks.source, 'checkin_visit'),
        eq(helpTasks.windowStart, windowStart),
      ),
    )
    .limit(1);
  if (existing) return false;
  await createTask(tx, deps, {
    elderId: plan.elderId,
    raisedBy: plan.updatedBy ?? plan.elderId,
    source: 'checkin_visit',
    skill: 'visit',
    title: '每周上门探访',
    note: '平安打卡：每周上门看看老人，聊聊天，确认身体和生活都好',
    windowStart,
    windowEnd,
    durationMin: VISIT_WINDOW.durationMin,
    deadline,
    firstOffer: firstOffer ?? null,
  });
  return true;
}

// ---- staff --------------------------------------------------------------------------------------

const STATE_ORDER: BoardItem['state'][] = ['alerted_staff', 'alerted_family', 'late', 'waiting', 'ok'];

/** Every planned elder of the staff member's communities and where today's check-in stands. */
export async function staffCheckinBoard(deps: Deps, actor: Actor): Promise<z.input<typeof CheckinBoard>> {
  const db = deps.db;
  const tz = deps.config.TZ_DISPLAY;
  const now = deps.clock.now();
  const today = localClock(now, tz).date;
  const plans = await db
    .select()
    .from(checkinPlans)
    .where(
      and(
        eq(checkinPlans.active, true),
        inArray(checkinPlans.communityId, staffCommunityIds(db, actor.actorId)),
      ),
    )
    .limit(500);
  const ids = plans.map((p) => p.elderId);
  if (ids.length === 0) return { date: today, items: [] };
  const [done, alerts, visits] = await Promise.all([
    db
      .select()
      .from(checkins)
      .where(and(inArray(checkins.elderId, ids), eq(checkins.date, today))),
    db
      .select()
      .from(checkinAlerts)
      .where(and(inArray(checkinAlerts.elderId, ids), eq(checkinAlerts.date, today))),
    db
      .select({ elderId: helpTasks.elderId, status: helpTasks.status, windowStart: helpTasks.windowStart })
      .from(helpTasks)
      .where(
        and(
          inArray(helpTasks.elderId, ids),
          eq(helpTasks.source, 'checkin_visit'),
          gt(helpTasks.windowStart, new Date(now.getTime() - 7 * 24 * 3600_000)),
        ),
      )
      .orderBy(desc(helpTasks.windowStart)),
  ]);
  const doneOf = new Map(done.map((d) => [d.elderId, d]));
  const items: BoardItem[] = [];
  for (const p of plans) {
    const elder = await elderContext(db, p.elderId, now);
    if (elder?.address)
      await logElderRead(db, {
        elderId: p.elderId,
        readerId: actor.actorId,
        fields: ['address'],
        reason: '平安打卡看板',
      });
    const checked = doneOf.get(p.elderId);
    const stages = new Set(alerts.filter((a) => a.elderId === p.elderId).map((a) => a.stage));
    let state: BoardItem['state'];
    let dueAt: Date | null = null;
    if (p.mode === 'daily_tap') {
      dueAt = dueAtOf(p, today, tz);
      state = checked
        ? 'ok'
        : stages.has('staff')
          ? 'alerted_staff'
          : stages.has('family')
            ? 'alerted_family'
            : now >= dueAt
              ? 'late'
              : 'waiting';
    } else {
      const visit = visits.find((v) => v.elderId === p.elderId);
      state =
        checked || visit?.status === 'done'
          ? 'ok'
          : visit && ['expired', 'cancelled', 'escalated'].includes(visit.status)
            ? 'late'
            : 'waiting';
    }
    items.push({
      elderId: p.elderId,
      elderName: elder?.name ?? '',
      address: elder?.address ?? null,
      mode: p.mode,
      state,
      checkedInAt: checked?.at.toISOString() ?? null,
      dueAt: dueAt?.toISOString() ?? null,
    });
  }
  items.sort(
    (a, b) =>
      STATE_ORDER.indexOf(a.state) - STATE_ORDER.indexOf(b.state) || a.elderName.localeCompare(b.elderName),
  );
  return { date: today, items };
}

// ---- the scheduler ------------------------------------------------------------------------------

export const checkinJobs: JobHandler[] = [handles(checkinSweepJob, (_p, deps) => sweepCheckins(deps))];

/** Job schedulers the check-ins need in a worker (created once; fixed ids make a restart a no-op). */
export async function startCheckinScheduler(deps: Pick<AppDeps, 'queues'>): Promise<void> {
  await deps.queues
    .get(checkinSweepJob.queue)
    .upsertJobScheduler(
      CHECKIN_SWEEP_SCHEDULER_ID,
      { every: CHECKIN_SWEEP_EVERY_MS },
      { name: checkinSweepJob.name, data: {} },
    );
}
