import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { PAGES } from 'shared';
import type { Actor } from '../../access/actor';
import { requireAccess } from '../../access/require-access';
import type { DbOrTx } from '../../db/client';
import type { AppDeps } from '../../deps';
import { AppError, conflict, violates } from '../../http/errors';
import { route } from '../../http/route';
import { audit } from '../audit';
import { elderContext, familyOf } from '../care';
import { lockerOrdersWaiting, type WaitingLockerOrder } from '../lockers';
import { notify } from '../notifications';
import { orderOwn } from '../orders';
import { cancelStaleErrands, errandConsent, provideErrandScan, saveErrandConsent } from './errands';
import { errandConsents, helpTasks } from './tables';
import { type TaskRow, taskViews } from './task-views';
import { createTask } from './tasks';

type Deps = Pick<AppDeps, 'db' | 'clock' | 'config'>;

const MIN = 60_000;
const HOUR = 60 * MIN;
/** The produce run is for elders of this age and over. */
export const ERRAND_MIN_AGE = 80;
export const ERRAND_TITLE = '代取生鲜柜订单';
export const ERRAND_SKILL = 'locker_run';
/** The volunteer has three hours from the task's creation, half an hour of work. */
const ERRAND_WINDOW_MS = 3 * HOUR;
const ERRAND_DURATION_MIN = 30;
/** Less than this left in the locker's free window: the task is urgent. */
const URGENT_WITHIN_MS = 3 * HOUR;

/**
 * The produce run's routes (the consent, asking now for one order) and the making of its tasks:
 * the scan and the request both go through createTask here, since tasks.ts calls into errands.ts.
 */
export async function errandRoutes(app: FastifyInstance) {
  const deps = app.deps;
  route(app, 'errandConsent', { handler: ({ actor }) => errandConsent(deps, actor) });
  route(app, 'saveErrandConsent', { handler: ({ actor, body }) => saveErrandConsent(deps, actor, body) });
  route(app, 'bringLockerOrder', {
    status: 201,
    handler: ({ actor, body }) => bringLockerOrder(deps, actor, body),
  });
}

// ---- making the task ----------------------------------------------------------------------------

async function errandTaskOf(db: DbOrTx, orderId: string): Promise<TaskRow | undefined> {
  const [row] = await db
    .select()
    .from(helpTasks)
    .where(and(eq(helpTasks.orderId, orderId), eq(helpTasks.source, 'locker_errand')));
  return row;
}

const tooLate = () =>
  conflict(
    'ERRAND_TOO_LATE',
    'The order’s free time in the locker is (nearly) over; extend it first, or collect it yourself',
  );

/**
 * The one produce-run task of an order, made in the caller's transaction unless it exists
 * (`help_tasks_one_per_order`: two scans, or a scan and the elder's own request at once, make one).
 * A volunteer must take it early enough to reach the locker before the free window ends.
 */
async function raiseErrand(
  tx: DbOrTx,
  deps: Deps,
  e: { elderId: string; raisedBy: string; order: WaitingLockerOrder; note?: string; asked: boolean },
): Promise<{ task: TaskRow; created: boolean }> {
  const existing = await errandTaskOf(tx, e.order.orderId);
  if (existing) return { task: existing, created: false };
  if (e.order.status !== 'in_locker') throw tooLate();
  const now = deps.clock.now();
  const windowEnd = new Date(now.getTime() + ERRAND_WINDOW_MS);
  const deadline = new Date(
    Math.min(windowEnd.getTime(), e.order.deadline.getTime()) - ERRAND_DURATION_MIN * MIN,
  );
  if (deadline <= now) throw tooLate();
  const hours = Math.max(1, Math.floor((now.getTime() - e.order.droppedAt.getTime()) / HOUR));
  const where = `${e.order.bankName}（${e.order.location}）${e.order.compartments.join('、')} 号格口`;
  const note = [
    `生鲜柜：${where}，已放 ${hours} 小时。接单后任务页会显示一次性取件码，取出后送到老人家门口。`,
    e.note ?? '',
  ]
    .filter(Boolean)
    .join('\n');
  let task: TaskRow;
  try {
    task = await tx.transaction((sp) =>
      createTask(sp, deps, {
        elderId: e.elderId,
        raisedBy: e.raisedBy,
        source: 'locker_errand',
        skill: ERRAND_SKILL,
        title: ERRAND_TITLE,
        note,
        windowStart: now,
        windowEnd,
        durationMin: ERRAND_DURATION_MIN,
        urgency: e.order.deadline.getTime() - now.getTime() < URGENT_WITHIN_MS ? 'urgent' : 'normal',
        deadline,
        orderId: e.order.orderId,
      }),
    );
  } catch (err) {
    if (!violates(err, 'help_tasks_one_per_order')) throw err;
    // Someone else made it a moment ago (their transaction has committed: the index waited for it).
    return { task: (await errandTaskOf(tx, e.order.orderId))!, created: false };
  }
  for (const userId of await familyOf(tx, e.elderId))
    await notify(tx, {
      userId,
      kind: 'help_task.errand',
      title: '正在找志愿者代取',
      body: e.asked
        ? `已为您发布「${ERRAND_TITLE}」，正在请附近的志愿者把生鲜柜里的订单送上门`
        : `生鲜柜里的订单已放了 ${hours} 小时还没取，正在请附近的志愿者送上门`,
      link: `${PAGES.helpTask}?id=${task.id}`,
      dedupeKey: `help_task.errand:${e.order.orderId}`,
    });
  return { task, created: true };
}

/** Old enough for the produce run (a missing birth date does not qualify). */
async function oldEnough(db: DbOrTx, elderId: string, now: Date) {
  const age = (await elderContext(db, elderId, now))?.age;
  return age != null && age >= ERRAND_MIN_AGE;
}

/**
 * The elder (or family acting for them) asks now for an order waiting in the locker to be
 * brought up: no waiting hours and no standing consent needed. Asking again returns the same task.
 */
export async function bringLockerOrder(deps: Deps, actor: Actor, body: { orderId: string; note: string }) {
  const { db } = deps;
  await requireAccess(db, actor, orderOwn, body.orderId);
  const now = deps.clock.now();
  const elderId = actor.userId;
  const existing = await errandTaskOf(db, body.orderId);
  if (existing && !(['expired', 'cancelled'] as string[]).includes(existing.status))
    return viewForElder(deps, actor, existing);
  if (existing)
    throw conflict(
      'ERRAND_ENDED',
      'A produce run for this order already ended without a volunteer; raise a help task or ask staff',
    );
  if (!(await oldEnough(db, elderId, now)))
    throw conflict('ERRAND_AGE', `The produce run is for elders aged ${ERRAND_MIN_AGE} and over`);
  const [order] = await lockerOrdersWaiting(db, { orderIds: [body.orderId], userIds: [elderId] });
  if (!order) throw conflict('NOT_IN_LOCKER', 'This order is not waiting in a locker');
  const task = await db.transaction(async (tx) => {
    const made = await raiseErrand(tx, deps, {
      elderId,
      raisedBy: actor.actorId,
      order,
      note: body.note,
      asked: true,
    });
    if (made.created)
      await audit(
        tx,
        actor,
        'help_task.errand_requested',
        { type: 'help_task', id: made.task.id },
        { orderId: body.orderId },
      );
    return made.task;
  });
  return viewForElder(deps, actor, task);
}

const viewForElder = async (deps: Deps, actor: Actor, row: TaskRow) =>
  (await taskViews(deps.db, deps, { kind: 'elder', userId: actor.actorId }, [row]))[0]!;

// ---- the scan -----------------------------------------------------------------------------------

/**
 * Elders 80 and over who consented: each of their locker orders waiting longer than they chose
 * gets one produce-run task. Tasks for orders that left the locker another way (the resident
 * collected it, the courier took it back) before any volunteer did are cancelled. Safe to run
 * again at any time: nothing is made or cancelled twice.
 */
export async function scanErrands(
  deps: Deps,
): Promise<{ created: number; skipped: number; cancelled: number }> {
  const { db } = deps;
  const now = deps.clock.now();
  const consents = await db.select().from(errandConsents).where(eq(errandConsents.enabled, true));
  const eligible = new Map<string, (typeof consents)[number]>();
  for (const c of consents) if (await oldEnough(db, c.elderId, now)) eligible.set(c.elderId, c);
  let created = 0;
  let skipped = 0;
  if (eligible.size) {
    const soonest = Math.min(...[...eligible.values()].map((c) => c.afterHours));
    const waiting = await lockerOrdersWaiting(db, {
      userIds: [...eligible.keys()],
      droppedBefore: new Date(now.getTime() - soonest * HOUR),
    });
    for (const order of waiting) {
      const consent = eligible.get(order.userId)!;
      if (order.status !== 'in_locker') continue;
      if (order.droppedAt.getTime() > now.getTime() - consent.afterHours * HOUR) continue;
      if (await errandTaskOf(db, order.orderId)) continue;
      try {
        const made = await db.transaction((tx) =>
          raiseErrand(tx, deps, { elderId: order.userId, raisedBy: consent.updatedBy, order, asked: false }),
        );
        if (made.created) created++;
      } catch (err) {
        // Too late for this order, or the elder has no household yet: nothing to send anyone to.
        if (!(err instanceof AppError)) throw err;
        skipped++;
      }
    }
  }
  return { created, skipped, cancelled: await cancelStaleErrands(deps) };
}

provideErrandScan(scanErrands);
