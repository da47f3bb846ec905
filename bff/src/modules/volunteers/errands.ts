import { and, eq, inArray, sql } from 'drizzle-orm';
import { helpTaskFlow, PAGES, TAKEABLE_TASK_STATES } from 'shared';
import type { Actor } from '../../access/actor';
import type { DbOrTx } from '../../db/client';
import { advance } from '../../db/flow-update';
import type { AppDeps } from '../../deps';
import { conflict } from '../../http/errors';
import { handles, type JobHandler } from '../../module';
import { audit } from '../audit';
import {
  collectedByDelegate,
  delegationFor,
  issueDelegation,
  lockerOrdersWaiting,
  revokeDelegations,
} from '../lockers';
import { notify } from '../notifications';
import { ERRAND_SCAN_EVERY_MS, ERRAND_SCHEDULER_ID, errandScanJob } from './errand-jobs';
import { errandConsents, helpTasks } from './tables';

/*
 * tasks.ts and task-views.ts call into this file (a task accepted, ended, viewed), so this file
 * imports neither: making a produce-run task (through createTask) lives in errand-routes.ts, which
 * hands the scan over to the job here.
 */
type TaskRow = typeof helpTasks.$inferSelect;
type Deps = Pick<AppDeps, 'db' | 'clock' | 'config'>;

const DEFAULT_AFTER_HOURS = 4;
/** Tasks that may still send someone to the locker (not yet at the door). */
const BEFORE_THE_DOOR = [...TAKEABLE_TASK_STATES, 'accepted'] as const;

// ---- consent ------------------------------------------------------------------------------------

async function consentRow(db: DbOrTx, elderId: string) {
  const [row] = await db.select().from(errandConsents).where(eq(errandConsents.elderId, elderId));
  return row;
}

const consentView = (row: typeof errandConsents.$inferSelect | undefined) => ({
  enabled: row?.enabled ?? false,
  afterHours: row?.afterHours ?? DEFAULT_AFTER_HOURS,
  updatedAt: row?.updatedAt.toISOString() ?? null,
});

/** The elder's consent (read by the elder or a consented family member acting for them). */
export async function errandConsent(deps: Pick<Deps, 'db'>, actor: Actor) {
  return consentView(await consentRow(deps.db, actor.userId));
}

export async function saveErrandConsent(
  deps: Deps,
  actor: Actor,
  body: { enabled: boolean; afterHours: number },
) {
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const values = {
      enabled: body.enabled,
      afterHours: body.afterHours,
      updatedBy: actor.actorId,
      updatedAt: now,
    };
    const [row] = await tx
      .insert(errandConsents)
      .values({ elderId: actor.userId, ...values })
      .onConflictDoUpdate({ target: errandConsents.elderId, set: values })
      .returning();
    await audit(
      tx,
      actor,
      'errand_consent.updated',
      { type: 'user', id: actor.userId },
      {
        enabled: body.enabled,
        afterHours: body.afterHours,
      },
    );
    return consentView(row);
  });
}

/** Produce runs whose order left the locker before a volunteer collected it: nobody need go. */
export async function cancelStaleErrands(deps: Deps): Promise<number> {
  const { db } = deps;
  const open = await db
    .select()
    .from(helpTasks)
    .where(and(eq(helpTasks.source, 'locker_errand'), inArray(helpTasks.status, [...BEFORE_THE_DOOR])));
  const ids = open.flatMap((t) => (t.orderId ? [t.orderId] : []));
  if (ids.length === 0) return 0;
  const still = new Set((await lockerOrdersWaiting(db, { orderIds: ids })).map((o) => o.orderId));
  const gone = ids.filter((id) => !still.has(id));
  const byVolunteer = await collectedByDelegate(db, gone);
  let cancelled = 0;
  for (const t of open) {
    if (!t.orderId || still.has(t.orderId) || byVolunteer.has(t.orderId)) continue;
    const done = await db.transaction(async (tx) => {
      const reason = '订单已从生鲜柜取走，无需代取';
      const [moved] = await advance(
        tx,
        helpTasks,
        helpTasks.status,
        helpTaskFlow,
        'cancel',
        and(eq(helpTasks.id, t.id), inArray(helpTasks.status, [...BEFORE_THE_DOOR])),
        { cancelledAt: deps.clock.now(), cancelReason: reason, version: sql`${helpTasks.version} + 1` },
      );
      if (!moved) return false;
      await errandTaskEnded(tx, deps, moved);
      if (moved.volunteerId)
        await notify(tx, {
          userId: moved.volunteerId,
          kind: 'help_task.cancelled',
          title: '志愿任务已取消',
          body: `「${moved.title}」已取消：${reason}`,
          link: `${PAGES.volunteerTask}?id=${moved.id}`,
          dedupeKey: `help_task.cancelled:${moved.id}`,
        });
      await audit(tx, null, 'help_task.cancelled', { type: 'help_task', id: moved.id }, { reason });
      return true;
    });
    if (done) cancelled++;
  }
  return cancelled;
}

// ---- the task's life ----------------------------------------------------------------------------

const isErrand = (task: TaskRow): task is TaskRow & { orderId: string } =>
  task.source === 'locker_errand' && task.orderId != null;

/**
 * The produce run. A produce-run task (source `locker_errand`) once accepted holds a one-time
 * delegated pickup code for its order's compartments, valid until the task's window ends or the
 * locker's free window does, whichever is sooner. An order no longer in the locker cannot be
 * taken (the accept is refused; the next scan cancels the task).
 */
export async function errandTaskAccepted(tx: DbOrTx, deps: Deps, task: TaskRow): Promise<void> {
  if (!isErrand(task) || !task.volunteerId) return;
  const issued = await issueDelegation(tx, deps, {
    orderId: task.orderId,
    holderId: task.volunteerId,
    purpose: `help_task:${task.id}`,
    expiresAt: task.windowEnd,
  });
  if (!issued)
    throw conflict(
      'NOT_IN_LOCKER',
      'The order is no longer waiting in the locker; there is nothing to bring',
    );
}

/**
 * Released, cancelled, expired or finished: the delegated code (if any) is void. A volunteer who
 * already took the bag out may not simply release the task (the elder's food is with them): they
 * bring it up, or the family or staff cancel.
 */
export async function errandTaskEnded(tx: DbOrTx, deps: Deps, task: TaskRow): Promise<void> {
  if (!isErrand(task)) return;
  if (task.status === 'open' && (await collectedByDelegate(tx, [task.orderId])).size)
    throw conflict(
      'ERRAND_ORDER_COLLECTED',
      'You have already taken the order out of the locker; bring it to the elder, or ask staff for help',
    );
  await revokeDelegations(tx, { orderId: task.orderId, now: deps.clock.now() });
}

/** The delegated code and compartments, for the volunteer holding an active produce-run task. */
export async function errandPickup(
  db: DbOrTx,
  task: TaskRow,
  now: Date,
): Promise<{ bankName: string; code: string; compartments: string[]; expiresAt: string } | null> {
  if (!isErrand(task) || !task.volunteerId) return null;
  const d = await delegationFor(db, task.orderId, task.volunteerId, now);
  if (!d) return null;
  return {
    bankName: d.bankName,
    code: d.code,
    compartments: d.compartments,
    expiresAt: d.expiresAt.toISOString(),
  };
}

let scan: ((deps: AppDeps) => Promise<unknown>) | undefined;
/** errand-routes.ts hands over the scan (it makes tasks through tasks.ts; see the top of this file). */
export function provideErrandScan(run: (deps: AppDeps) => Promise<unknown>) {
  scan = run;
}

export const errandJobs: JobHandler[] = [
  handles(errandScanJob, async (_p, deps) => {
    if (!scan) throw new Error('the produce-run scan was not provided (errand-routes.ts not loaded)');
    return scan(deps);
  }),
];

/** The produce-run scan's scheduler (created once; fixed ids make a restart a no-op). */
export async function startErrandScheduler(deps: AppDeps): Promise<void> {
  await deps.queues
    .get(errandScanJob.queue)
    .upsertJobScheduler(
      ERRAND_SCHEDULER_ID,
      { every: ERRAND_SCAN_EVERY_MS },
      { name: errandScanJob.name, data: {} },
    );
}
