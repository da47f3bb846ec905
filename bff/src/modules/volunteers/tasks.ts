import { randomInt, timingSafeEqual } from 'node:crypto';
import { and, eq, gt, inArray, sql } from 'drizzle-orm';
import {
  helpTaskFlow,
  localClock,
  PAGES,
  rankCandidates,
  TAKEABLE_TASK_STATES,
  taskHoursFlow,
  wechatPage,
} from 'shared';
import type { Actor } from '../../access/actor';
import { requireAccess } from '../../access/require-access';
import type { DbOrTx } from '../../db/client';
import { advance } from '../../db/flow-update';
import type { AppDeps } from '../../deps';
import { AppError, conflict, fieldConflict, invalidField, notFound } from '../../http/errors';
import { notDueYet } from '../../jobs/not-due-yet';
import { enqueue } from '../../jobs/outbox';
import { audit } from '../audit';
import { careItemsByIds, elderContext, familyOf } from '../care';
import { notify } from '../notifications';
import { compoundsRunBy, staffOf } from '../places';
import { errandTaskAccepted, errandTaskEnded } from './errands';
import { hoursAutoConfirmJob, offerWaveJob, taskDeadlineJob, taskStaffAlertJob } from './jobs';
import { helpTaskOwn, helpTaskStaff, helpTaskVolunteer } from './policies';
import { matchCandidates, requireVerified, volunteerRow, weekMinutesOf } from './profiles';
import { checkins, helpTasks, taskOffers, volunteers } from './tables';
import { type TaskRow, taskViews, type Viewer } from './task-views';
import { creditMinutes, debitMinutes, refundMinutes } from './time-bank';

type Deps = Pick<AppDeps, 'db' | 'clock' | 'config'>;

const MIN = 60_000;
/** Wrong door codes in a row before a task's code entry locks. */
export const MAX_CODE_ATTEMPTS = 5;
/** A volunteer may claim the time since they started plus this much (the walk over, a chat at the door). */
export const CLAIM_MARGIN_MIN = 30;

const thing = (s: string) => (s.length > 20 ? `${s.slice(0, 19)}…` : s);
const code6 = () => String(randomInt(0, 1_000_000)).padStart(6, '0');

export interface NewTask {
  elderId: string;
  raisedBy: string;
  source: TaskRow['source'];
  skill: string;
  title: string;
  note?: string;
  windowStart: Date;
  windowEnd: Date;
  durationMin: number;
  urgency?: TaskRow['urgency'];
  /** Latest moment someone must take it; default: the latest start that still fits the window. */
  deadline?: Date;
  careItemId?: string | null;
  orderId?: string | null;
  /** Spend this person's banked minutes on it (held now, given back if nobody does it). */
  paidBy?: string | null;
  /**
   * The volunteer the weekly plan chose: offered it alone as the first wave, with `untilMs` from
   * now to answer before the waves go on.
   */
  firstOffer?: { volunteerId: string; score: number; untilMs: number } | null;
}

/**
 * A help task and its jobs, in the caller's transaction: the first wave of offers at once, the
 * staff alert before the deadline, the deadline itself. The household is the elder's (care's
 * profile, or their verified membership).
 */
export async function createTask(tx: DbOrTx, deps: Deps, t: NewTask): Promise<TaskRow> {
  const now = deps.clock.now();
  const elder = await elderContext(tx, t.elderId, now);
  if (!elder?.householdId || !elder.compoundId || !elder.communityId)
    throw conflict('ELDER_HAS_NO_HOUSEHOLD', 'The elder is not a verified member of a household yet');
  const deadline = t.deadline ?? new Date(t.windowEnd.getTime() - t.durationMin * MIN);
  if (t.windowEnd.getTime() - t.windowStart.getTime() < t.durationMin * MIN)
    throw invalidField('body.windowEnd', 'the time window is shorter than the task');
  if (deadline <= now) throw invalidField('body.windowEnd', 'the time window has already passed');
  const paidMinutes = t.paidBy ? t.durationMin : 0;
  const [row] = await tx
    .insert(helpTasks)
    .values({
      communityId: elder.communityId,
      compoundId: elder.compoundId,
      householdId: elder.householdId,
      elderId: t.elderId,
      raisedBy: t.raisedBy,
      source: t.source,
      skill: t.skill,
      title: t.title,
      note: t.note ?? '',
      careItemId: t.careItemId ?? null,
      orderId: t.orderId ?? null,
      windowStart: t.windowStart,
      windowEnd: t.windowEnd,
      durationMin: t.durationMin,
      urgency: t.urgency ?? 'normal',
      deadline,
      checkinCode: code6(),
      paidBy: t.paidBy ?? null,
      paidMinutes,
    })
    .returning();
  const task = row!;
  if (t.paidBy)
    await debitMinutes(tx, {
      userId: t.paidBy,
      minutes: paidMinutes,
      reason: `为家人预约志愿服务：${t.title}`,
      taskId: task.id,
      dedupeKey: `task.pay:${task.id}`,
      createdBy: t.raisedBy,
    });
  if (t.firstOffer) {
    await tx.insert(taskOffers).values({
      taskId: task.id,
      volunteerId: t.firstOffer.volunteerId,
      wave: 1,
      score: t.firstOffer.score,
      offeredAt: now,
    });
    const [offered] = await advance(
      tx,
      helpTasks,
      helpTasks.status,
      helpTaskFlow,
      'offer',
      eq(helpTasks.id, task.id),
      {
        wave: 1,
      },
    );
    await notifyOffer(tx, offered!, t.firstOffer.volunteerId, elder.name);
    await scheduleTaskJobs(tx, deps, offered!, 2, t.firstOffer.untilMs);
  } else await scheduleTaskJobs(tx, deps, task, 1);
  await audit(
    tx,
    null,
    'help_task.created',
    { type: 'help_task', id: task.id },
    { source: t.source, by: t.raisedBy },
  );
  return task;
}

/** The waves from `firstWave` on (the first at once), the staff alert and the deadline. */
async function scheduleTaskJobs(tx: DbOrTx, deps: Deps, task: TaskRow, firstWave: number, firstDelayMs = 0) {
  const now = deps.clock.now().getTime();
  await enqueue(
    tx,
    offerWaveJob,
    { taskId: task.id, wave: firstWave, version: task.version },
    { delayMs: firstDelayMs },
  );
  const waves = deps.config.VOLUNTEER_WAVE_SIZES.length + 1;
  const lastWaveEnds =
    now + firstDelayMs + (waves - firstWave + 1) * deps.config.VOLUNTEER_WAVE_MINUTES * MIN;
  const deadline = task.deadline.getTime();
  // Staff hear of it before the deadline, but not before the volunteers have had their waves
  // (unless the deadline comes first).
  const staffAt = Math.min(
    Math.max(lastWaveEnds, deadline - deps.config.VOLUNTEER_STAFF_BEFORE_DEADLINE_MINUTES * MIN),
    deadline - MIN,
  );
  await enqueue(
    tx,
    taskStaffAlertJob,
    { taskId: task.id, version: task.version },
    { delayMs: Math.max(0, staffAt - now) },
  );
  await enqueue(
    tx,
    taskDeadlineJob,
    { taskId: task.id, deadline: task.deadline.toISOString() },
    { delayMs: Math.max(0, deadline - now) },
  );
}

async function lockTask(tx: DbOrTx, id: string): Promise<TaskRow | undefined> {
  const [row] = await tx.select().from(helpTasks).where(eq(helpTasks.id, id)).for('update');
  return row;
}

const matchTaskOf = (task: TaskRow, location: { lat: number; lng: number } | null) => ({
  skill: task.skill,
  location,
  windowStart: task.windowStart,
  windowEnd: task.windowEnd,
  durationMin: task.durationMin,
  elderId: task.elderId,
});

/**
 * Wave `wave` of offers: the next best qualified volunteers not yet offered (the top 3, then 5
 * more, then everyone left on duty). Only while the task is still takeable in the version the
 * wave was queued for; the next wave is queued here.
 */
export async function sendWave(deps: Deps, taskId: string, wave: number, version: number): Promise<number> {
  return deps.db.transaction(async (tx) => {
    const task = await lockTask(tx, taskId);
    if (!task || task.version !== version || !['open', 'offered'].includes(task.status)) return 0;
    if (task.wave >= wave) return 0; // this wave already went out (a replay)
    const now = deps.clock.now();
    const elder = await elderContext(tx, task.elderId, now);
    const candidates = await matchCandidates(tx, task.communityId, task.elderId, now, deps.config.TZ_DISPLAY);
    const offered = new Set(
      (
        await tx.select({ id: taskOffers.volunteerId }).from(taskOffers).where(eq(taskOffers.taskId, taskId))
      ).map((o) => o.id),
    );
    const ranked = rankCandidates(
      candidates.filter((c) => !offered.has(c.id)),
      matchTaskOf(task, elder?.location ?? null),
    );
    const sizes = deps.config.VOLUNTEER_WAVE_SIZES;
    const chosen = wave <= sizes.length ? ranked.slice(0, sizes[wave - 1]) : ranked;
    if (chosen.length)
      await tx
        .insert(taskOffers)
        .values(chosen.map((c) => ({ taskId, volunteerId: c.id, wave, score: c.score, offeredAt: now })))
        .onConflictDoNothing();
    if (chosen.length)
      await advance(tx, helpTasks, helpTasks.status, helpTaskFlow, 'offer', eq(helpTasks.id, taskId), {
        wave,
      });
    else await tx.update(helpTasks).set({ wave }).where(eq(helpTasks.id, taskId));
    for (const c of chosen) await notifyOffer(tx, task, c.id, elder?.name ?? '');
    if (wave <= sizes.length)
      await enqueue(
        tx,
        offerWaveJob,
        { taskId, wave: wave + 1, version },
        { delayMs: deps.config.VOLUNTEER_WAVE_MINUTES * MIN },
      );
    return chosen.length;
  });
}

async function notifyOffer(tx: DbOrTx, task: TaskRow, volunteerId: string, elderName: string) {
  const link = `${PAGES.volunteerTask}?id=${task.id}`;
  await notify(tx, {
    userId: volunteerId,
    kind: 'help_task.offer',
    title: task.urgency === 'urgent' ? '紧急求助任务' : '新的志愿服务任务',
    body: `${task.title}，${elderName.slice(0, 1)}家，请尽快查看并接单`,
    link,
    dedupeKey: `help_task.offer:${task.id}:${volunteerId}`,
    wechat: {
      template: 'orderStatus',
      page: wechatPage(link),
      data: { thing1: thing(task.title), phrase2: '待接单', time3: task.windowStart.toISOString() },
    },
  });
}

/** The waves are over and nobody took it: staff of the community are told and may assign someone. */
export async function alertStaff(deps: Deps, taskId: string, version: number): Promise<boolean> {
  return deps.db.transaction(async (tx) => {
    const [moved] = await advance(
      tx,
      helpTasks,
      helpTasks.status,
      helpTaskFlow,
      'escalate',
      and(eq(helpTasks.id, taskId), eq(helpTasks.version, version)),
    );
    if (!moved) return false;
    for (const staffId of await staffOf(tx, moved.communityId))
      await notify(tx, {
        userId: staffId,
        kind: 'help_task.escalated',
        title: '志愿任务无人接单',
        body: `「${moved.title}」还没有志愿者接单，请在截止前安排`,
        link: `${PAGES.staffHelpTasks}?id=${taskId}`,
        dedupeKey: `help_task.escalated:${taskId}:${version}`,
      });
    return true;
  });
}

/** Past the deadline with nobody: expired; the family hears, held minutes go back. */
export async function expireTask(deps: Deps, taskId: string, deadline: string): Promise<boolean> {
  return deps.db.transaction(async (tx) => {
    const task = await lockTask(tx, taskId);
    if (!task || !(TAKEABLE_TASK_STATES as readonly string[]).includes(task.status)) return false;
    if (await notDueYet(tx, deps, task.deadline, { job: taskDeadlineJob, payload: { taskId, deadline } }))
      return false;
    const [moved] = await advance(
      tx,
      helpTasks,
      helpTasks.status,
      helpTaskFlow,
      'expire',
      eq(helpTasks.id, taskId),
      {
        version: sql`${helpTasks.version} + 1`,
      },
    );
    if (!moved) return false;
    await endTask(tx, deps, moved, 'expired');
    for (const userId of await familyOf(tx, moved.elderId))
      await notify(tx, {
        userId,
        kind: 'help_task.expired',
        title: '暂时没有志愿者接单',
        body: `「${moved.title}」在截止前没有志愿者接单，社区工作人员已知悉，可以重新发布或联系社区`,
        link: `${PAGES.helpTask}?id=${taskId}`,
        dedupeKey: `help_task.expired:${taskId}`,
      });
    return true;
  });
}

/** What ends a task without hours: held minutes back to the payer, the produce run's code void. */
async function endTask(tx: DbOrTx, deps: Deps, task: TaskRow, why: 'expired' | 'cancelled') {
  if (task.paidBy && task.paidMinutes > 0)
    await refundMinutes(tx, {
      userId: task.paidBy,
      minutes: task.paidMinutes,
      reason: why === 'expired' ? `无人接单，退回时间：${task.title}` : `任务取消，退回时间：${task.title}`,
      taskId: task.id,
      dedupeKey: `task.refund:${task.id}`,
    });
  await errandTaskEnded(tx, deps, task);
}

/** Whether this volunteer could take this task: the skill, and room under the weekly cap. */
async function checkCanTake(tx: DbOrTx, deps: Deps, volunteerId: string, task: TaskRow) {
  const v = await requireVerified(tx, volunteerId);
  if (v.communityId !== task.communityId) throw notFound();
  if (volunteerId === task.elderId) throw conflict('TASK_OWN', 'You cannot take your own household’s task');
  if (!v.skills.includes(task.skill))
    throw conflict('TASK_SKILL_MISSING', 'This task needs a skill you have not listed in your profile');
  const week =
    (await weekMinutesOf(tx, [volunteerId], deps.clock.now(), deps.config.TZ_DISPLAY)).get(volunteerId) ?? 0;
  if (week + task.durationMin > v.weeklyCapMin)
    throw conflict(
      'VOLUNTEER_WEEKLY_CAP',
      'This task would take you over your weekly hours; raise the cap in your profile first',
    );
  return v;
}

/**
 * The first accept wins: one conditional UPDATE from a takeable state. Everyone else's view then
 * says 已被接单 (409 TASK_TAKEN for a late tap).
 */
async function take(tx: DbOrTx, deps: Deps, task: TaskRow, volunteerId: string): Promise<TaskRow> {
  const now = deps.clock.now();
  const [moved] = await advance(
    tx,
    helpTasks,
    helpTasks.status,
    helpTaskFlow,
    'accept',
    and(eq(helpTasks.id, task.id), gt(helpTasks.deadline, now)),
    {
      volunteerId,
      acceptedAt: now,
      version: sql`${helpTasks.version} + 1`,
    },
  );
  if (!moved) {
    const [now2] = await tx
      .select({ status: helpTasks.status, volunteerId: helpTasks.volunteerId })
      .from(helpTasks)
      .where(eq(helpTasks.id, task.id));
    if (now2?.status === 'accepted' || now2?.status === 'in_progress')
      throw conflict('TASK_TAKEN', 'Someone else has already taken this task');
    throw conflict('TASK_NOT_OPEN', 'This task can no longer be taken');
  }
  await errandTaskAccepted(tx, deps, moved);
  const [v] = await tx
    .select({ name: volunteers.realName })
    .from(volunteers)
    .where(eq(volunteers.userId, volunteerId));
  for (const userId of await familyOf(tx, moved.elderId))
    await notify(tx, {
      userId,
      kind: 'help_task.accepted',
      title: '志愿者已接单',
      body: `${v?.name ?? '志愿者'}接下了「${moved.title}」，上门时请出示签到码`,
      link: `${PAGES.helpTask}?id=${moved.id}`,
      dedupeKey: `help_task.accepted:${moved.id}:${moved.version}`,
      wechat: {
        template: 'orderStatus',
        page: wechatPage(`${PAGES.helpTask}?id=${moved.id}`),
        data: { thing1: thing(moved.title), phrase2: '已接单', time3: now.toISOString() },
      },
    });
  return moved;
}

const viewFor = async (tx: DbOrTx, deps: Deps, viewer: Viewer, row: TaskRow) =>
  (await taskViews(tx, deps, viewer, [row]))[0]!;

export async function acceptTask(deps: Deps, actor: Actor, id: string) {
  await requireAccess(deps.db, actor, helpTaskVolunteer, id);
  return deps.db.transaction(async (tx) => {
    const [task] = await tx.select().from(helpTasks).where(eq(helpTasks.id, id));
    if (!task) throw notFound();
    if (task.volunteerId === actor.actorId && task.status === 'accepted')
      return viewFor(tx, deps, volunteerViewer(actor), task);
    await checkCanTake(tx, deps, actor.actorId, task);
    const moved = await take(tx, deps, task, actor.actorId);
    await audit(tx, actor, 'help_task.accepted', { type: 'help_task', id });
    return viewFor(tx, deps, volunteerViewer(actor), moved);
  });
}

const volunteerViewer = (actor: Actor): Viewer => ({ kind: 'volunteer', userId: actor.actorId });

/**
 * A decline with a reason. It counts into fairness (like load), never as a penalty; when the
 * whole current wave has declined, the next wave goes out at once instead of waiting.
 */
export async function declineTask(deps: Deps, actor: Actor, id: string, reason: string) {
  await requireAccess(deps.db, actor, helpTaskVolunteer, id);
  return deps.db.transaction(async (tx) => {
    const task = await lockTask(tx, id);
    if (!task) throw notFound();
    const offer = await recordDecline(tx, id, actor.actorId, reason, deps.clock.now());
    if (offer && task.status === 'offered' && offer.wave === task.wave) {
      const [waiting] = await tx
        .select({ n: sql<number>`count(*)::int` })
        .from(taskOffers)
        .where(
          and(
            eq(taskOffers.taskId, id),
            eq(taskOffers.wave, task.wave),
            sql`${taskOffers.declinedAt} IS NULL`,
          ),
        );
      if (waiting!.n === 0 && task.wave <= deps.config.VOLUNTEER_WAVE_SIZES.length)
        await enqueue(tx, offerWaveJob, { taskId: id, wave: task.wave + 1, version: task.version });
    }
    return viewFor(tx, deps, volunteerViewer(actor), task);
  });
}

/**
 * A volunteer's no to a task, once: the offer row gets the reason, or (a task seen on the board,
 * or one they held and released) a row of wave 0 is made, so no later wave asks them again.
 * Returns the row when this call declined it, null when it was declined already.
 */
async function recordDecline(tx: DbOrTx, taskId: string, volunteerId: string, reason: string, now: Date) {
  const [row] = await tx
    .insert(taskOffers)
    .values({
      taskId,
      volunteerId,
      wave: 0,
      score: 0,
      offeredAt: now,
      declinedAt: now,
      declineReason: reason,
    })
    .onConflictDoUpdate({
      target: [taskOffers.taskId, taskOffers.volunteerId],
      set: { declinedAt: now, declineReason: reason },
      setWhere: sql`${taskOffers.declinedAt} IS NULL`,
    })
    .returning();
  return row ?? null;
}

/** The volunteer backs out before starting: back to the waves, after those not yet asked. */
export async function releaseTask(deps: Deps, actor: Actor, id: string, reason: string) {
  await requireAccess(deps.db, actor, helpTaskVolunteer, id);
  return deps.db.transaction(async (tx) => {
    // Only the holder may even learn that this task is held (anyone else: 404, as for no task).
    const held = await lockTask(tx, id);
    if (held?.volunteerId !== actor.actorId) throw notFound();
    const [moved] = await advance(
      tx,
      helpTasks,
      helpTasks.status,
      helpTaskFlow,
      'release',
      and(eq(helpTasks.id, id), eq(helpTasks.volunteerId, actor.actorId)),
      {
        volunteerId: null,
        acceptedAt: null,
        version: sql`${helpTasks.version} + 1`,
      },
    );
    if (!moved) throw conflict('TASK_NOT_HELD', 'You are not holding this task, or it has already started');
    await recordDecline(tx, id, actor.actorId, reason, deps.clock.now());
    await errandTaskEnded(tx, deps, moved);
    // Waves start again for those not yet asked (the new version retires the old jobs).
    await tx.update(helpTasks).set({ wave: 0 }).where(eq(helpTasks.id, id));
    await scheduleTaskJobs(tx, deps, moved, 1);
    for (const userId of await familyOf(tx, moved.elderId))
      await notify(tx, {
        userId,
        kind: 'help_task.released',
        title: '志愿者临时有事',
        body: `「${moved.title}」的志愿者临时无法前来，正在为你重新安排`,
        link: `${PAGES.helpTask}?id=${id}`,
        dedupeKey: `help_task.released:${id}:${moved.version}`,
      });
    await audit(tx, actor, 'help_task.released', { type: 'help_task', id }, { reason });
    return viewFor(tx, deps, volunteerViewer(actor), { ...moved, wave: 0 });
  });
}

/** At the door: the elder's code starts the task. Five wrong codes lock it (staff can help). */
export async function startTask(deps: Deps, actor: Actor, id: string, code: string) {
  await requireAccess(deps.db, actor, helpTaskVolunteer, id);
  const outcome = await deps.db.transaction(async (tx) => {
    const task = await lockTask(tx, id);
    if (!task || task.volunteerId !== actor.actorId) throw notFound();
    if (task.status !== 'accepted') throw conflict('TASK_NOT_ACCEPTED', 'This task is not waiting to start');
    if (task.codeAttempts >= MAX_CODE_ATTEMPTS) return { locked: true as const };
    const ok =
      code.length === task.checkinCode.length &&
      timingSafeEqual(Buffer.from(code), Buffer.from(task.checkinCode));
    if (!ok) {
      await tx
        .update(helpTasks)
        .set({ codeAttempts: task.codeAttempts + 1 })
        .where(eq(helpTasks.id, id));
      return { left: MAX_CODE_ATTEMPTS - task.codeAttempts - 1 };
    }
    const [moved] = await advance(
      tx,
      helpTasks,
      helpTasks.status,
      helpTaskFlow,
      'start',
      eq(helpTasks.id, id),
      {
        startedAt: deps.clock.now(),
        codeAttempts: 0,
      },
    );
    return { view: await viewFor(tx, deps, volunteerViewer(actor), moved!) };
  });
  if ('locked' in outcome)
    throw new AppError(
      423,
      'CODE_ENTRY_LOCKED',
      'Too many wrong codes for this task; ask the family or staff for help',
    );
  if ('left' in outcome)
    throw fieldConflict('CHECKIN_CODE_INVALID', `Wrong code; ${outcome.left} tries left`, 'body.code', 422);
  return outcome.view;
}

/** The volunteer's end: the minutes they claim, waiting for the elder's side (auto after 48 h). */
export async function finishTask(deps: Deps, actor: Actor, id: string, minutes: number, note: string) {
  await requireAccess(deps.db, actor, helpTaskVolunteer, id);
  return deps.db.transaction(async (tx) => {
    const task = await lockTask(tx, id);
    if (!task || task.volunteerId !== actor.actorId) throw notFound();
    const now = deps.clock.now();
    if (task.status === 'in_progress' && task.startedAt) {
      const elapsed = Math.ceil((now.getTime() - task.startedAt.getTime()) / MIN);
      if (minutes > elapsed + CLAIM_MARGIN_MIN)
        throw invalidField(
          'body.minutes',
          `must be at most ${elapsed + CLAIM_MARGIN_MIN} (the time since you started, plus ${CLAIM_MARGIN_MIN})`,
        );
    }
    const confirmBy = new Date(now.getTime() + deps.config.VOLUNTEER_HOURS_AUTO_CONFIRM_HOURS * 3600_000);
    const [moved] = await advance(
      tx,
      helpTasks,
      helpTasks.status,
      helpTaskFlow,
      'finish',
      and(eq(helpTasks.id, id), eq(helpTasks.volunteerId, actor.actorId)),
      {
        finishedAt: now,
        minutes,
        note: note ? `${task.note}${task.note ? '\n' : ''}志愿者：${note}` : task.note,
        hoursStatus: 'pending',
        hoursConfirmBy: confirmBy,
      },
    );
    if (!moved) throw conflict('TASK_NOT_IN_PROGRESS', 'Start the task with the elder’s code first');
    await errandTaskEnded(tx, deps, moved);
    // A well-being visit that took place is that day's check-in: nobody is alerted for a missed tap.
    if (moved.source === 'checkin_visit')
      await tx
        .insert(checkins)
        .values({
          elderId: moved.elderId,
          date: localClock(now, deps.config.TZ_DISPLAY).date,
          at: now,
          by: actor.actorId,
        })
        .onConflictDoNothing();
    await enqueue(
      tx,
      hoursAutoConfirmJob,
      { taskId: id, confirmBy: confirmBy.toISOString() },
      { delayMs: confirmBy.getTime() - now.getTime() },
    );
    for (const userId of await familyOf(tx, moved.elderId))
      await notify(tx, {
        userId,
        kind: 'help_task.finished',
        title: '请确认志愿服务时长',
        body: `「${moved.title}」已完成，志愿者记录了 ${minutes} 分钟。请确认或提出异议（48 小时后自动确认）`,
        link: `${PAGES.helpTask}?id=${id}`,
        dedupeKey: `help_task.finished:${id}`,
      });
    return viewFor(tx, deps, volunteerViewer(actor), moved);
  });
}

/** Hours confirmed (by the elder's side, by the clock, or by staff): credited once, to the volunteer. */
async function creditTask(tx: DbOrTx, task: TaskRow, minutes: number, by: string | null) {
  if (!task.volunteerId) return;
  if (minutes > 0)
    await creditMinutes(tx, {
      userId: task.volunteerId,
      minutes,
      reason: `志愿服务：${task.title}`,
      taskId: task.id,
      dedupeKey: `task.credit:${task.id}`,
      createdBy: by,
    });
  // Paid in hours: what was held beyond the minutes served goes back to the payer.
  if (task.paidBy && task.paidMinutes > minutes)
    await refundMinutes(tx, {
      userId: task.paidBy,
      minutes: task.paidMinutes - minutes,
      reason: `退回未用完的时间：${task.title}`,
      taskId: task.id,
      dedupeKey: `task.refund:${task.id}`,
    });
  await notify(tx, {
    userId: task.volunteerId,
    kind: 'time_bank.credited',
    title: '时间银行入账',
    body: `「${task.title}」${minutes} 分钟已存入你的时间银行`,
    link: PAGES.volunteerBank,
    dedupeKey: `time_bank.credited:${task.id}`,
  });
}

export async function confirmHours(deps: Deps, actor: Actor, id: string, rating?: number) {
  await requireAccess(deps.db, actor, helpTaskOwn, id);
  return deps.db.transaction(async (tx) => {
    const [moved] = await advance(
      tx,
      helpTasks,
      helpTasks.hoursStatus,
      taskHoursFlow,
      'confirm',
      eq(helpTasks.id, id),
      {
        elderConfirmedAt: deps.clock.now(),
        ...(rating ? { rating } : {}),
      },
    );
    if (!moved) throw conflict('HOURS_NOT_PENDING', 'These hours are not waiting for confirmation');
    if (rating && moved.volunteerId)
      await tx
        .update(volunteers)
        .set({
          ratingSum: sql`${volunteers.ratingSum} + ${rating}`,
          ratingCount: sql`${volunteers.ratingCount} + 1`,
        })
        .where(eq(volunteers.userId, moved.volunteerId));
    await creditTask(tx, moved, moved.minutes ?? 0, actor.actorId);
    await audit(
      tx,
      actor,
      'help_task.hours_confirmed',
      { type: 'help_task', id },
      { minutes: moved.minutes, rating },
    );
    return viewFor(tx, deps, elderViewer(actor), moved);
  });
}

const elderViewer = (actor: Actor): Viewer => ({ kind: 'elder', userId: actor.actorId });

export async function autoConfirmHours(deps: Deps, id: string, confirmBy: string): Promise<boolean> {
  return deps.db.transaction(async (tx) => {
    const task = await lockTask(tx, id);
    if (task?.hoursStatus !== 'pending' || !task.hoursConfirmBy) return false;
    if (
      await notDueYet(tx, deps, task.hoursConfirmBy, {
        job: hoursAutoConfirmJob,
        payload: { taskId: id, confirmBy },
      })
    )
      return false;
    const [moved] = await advance(
      tx,
      helpTasks,
      helpTasks.hoursStatus,
      taskHoursFlow,
      'confirm',
      eq(helpTasks.id, id),
    );
    if (!moved) return false;
    await creditTask(tx, moved, moved.minutes ?? 0, null);
    return true;
  });
}

export async function disputeHours(deps: Deps, actor: Actor, id: string, note: string) {
  await requireAccess(deps.db, actor, helpTaskOwn, id);
  return deps.db.transaction(async (tx) => {
    const [moved] = await advance(
      tx,
      helpTasks,
      helpTasks.hoursStatus,
      taskHoursFlow,
      'dispute',
      eq(helpTasks.id, id),
      {
        disputeNote: note,
      },
    );
    if (!moved) throw conflict('HOURS_NOT_PENDING', 'These hours are not waiting for confirmation');
    for (const staffId of await staffOf(tx, moved.communityId))
      await notify(tx, {
        userId: staffId,
        kind: 'help_task.disputed',
        title: '志愿时长有异议',
        body: `「${moved.title}」的时长有异议：${note}`,
        link: `${PAGES.staffHelpTasks}?status=disputed`,
        dedupeKey: `help_task.disputed:${id}:${staffId}`,
      });
    await audit(tx, actor, 'help_task.hours_disputed', { type: 'help_task', id }, { note });
    return viewFor(tx, deps, elderViewer(actor), moved);
  });
}

/** Staff settle a dispute: their minutes are credited (0 credits nothing); both sides are told. */
export async function resolveDispute(deps: Deps, actor: Actor, id: string, minutes: number, note: string) {
  await requireAccess(deps.db, actor, helpTaskStaff, id);
  return deps.db.transaction(async (tx) => {
    const [moved] = await advance(
      tx,
      helpTasks,
      helpTasks.hoursStatus,
      taskHoursFlow,
      'resolve',
      eq(helpTasks.id, id),
      {
        resolvedMinutes: minutes,
        disputeNote: sql`${helpTasks.disputeNote} || ${`\n社区裁定：${note}`}`,
      },
    );
    if (!moved) throw conflict('HOURS_NOT_DISPUTED', 'These hours are not in dispute');
    await creditTask(tx, moved, minutes, actor.actorId);
    for (const userId of [
      ...(await familyOf(tx, moved.elderId)),
      ...(moved.volunteerId ? [moved.volunteerId] : []),
    ])
      await notify(tx, {
        userId,
        kind: 'help_task.resolved',
        title: '社区已裁定志愿时长',
        body: `「${moved.title}」按 ${minutes} 分钟计：${note}`,
        link: userId === moved.volunteerId ? `${PAGES.volunteerTask}?id=${id}` : `${PAGES.helpTask}?id=${id}`,
        dedupeKey: `help_task.resolved:${id}:${userId}`,
      });
    await audit(tx, actor, 'help_task.dispute_resolved', { type: 'help_task', id }, { minutes, note });
    return viewFor(tx, deps, { kind: 'staff', userId: actor.actorId }, moved);
  });
}

async function cancel(tx: DbOrTx, deps: Deps, actor: Actor, id: string, reason: string) {
  const [moved] = await advance(
    tx,
    helpTasks,
    helpTasks.status,
    helpTaskFlow,
    'cancel',
    eq(helpTasks.id, id),
    {
      cancelledAt: deps.clock.now(),
      cancelReason: reason,
      version: sql`${helpTasks.version} + 1`,
    },
  );
  if (!moved)
    throw conflict('TASK_NOT_CANCELLABLE', 'This task has started or ended and can no longer be cancelled');
  await endTask(tx, deps, moved, 'cancelled');
  if (moved.volunteerId)
    await notify(tx, {
      userId: moved.volunteerId,
      kind: 'help_task.cancelled',
      title: '志愿任务已取消',
      body: `「${moved.title}」已取消：${reason}`,
      link: `${PAGES.volunteerTask}?id=${id}`,
      dedupeKey: `help_task.cancelled:${id}`,
    });
  await audit(tx, actor, 'help_task.cancelled', { type: 'help_task', id }, { reason });
  return moved;
}

export async function cancelHelpTask(deps: Deps, actor: Actor, id: string, reason: string) {
  await requireAccess(deps.db, actor, helpTaskOwn, id);
  return deps.db.transaction(async (tx) =>
    viewFor(tx, deps, elderViewer(actor), await cancel(tx, deps, actor, id, reason)),
  );
}

export async function staffCancelTask(deps: Deps, actor: Actor, id: string, reason: string) {
  await requireAccess(deps.db, actor, helpTaskStaff, id);
  return deps.db.transaction(async (tx) =>
    viewFor(tx, deps, { kind: 'staff', userId: actor.actorId }, await cancel(tx, deps, actor, id, reason)),
  );
}

/** Staff give a task nobody took to a volunteer of the community who could do it. */
export async function staffAssignTask(deps: Deps, actor: Actor, id: string, volunteerId: string) {
  await requireAccess(deps.db, actor, helpTaskStaff, id);
  return deps.db.transaction(async (tx) => {
    const task = await lockTask(tx, id);
    if (!task) throw notFound();
    const v = await volunteerRow(tx, volunteerId);
    if (!v || v.communityId !== task.communityId)
      throw fieldConflict(
        'VOLUNTEER_NOT_FOUND',
        'No such volunteer in this community',
        'body.volunteerId',
        404,
      );
    await checkCanTake(tx, deps, volunteerId, task);
    const moved = await take(tx, deps, task, volunteerId);
    await notify(tx, {
      userId: volunteerId,
      kind: 'help_task.assigned',
      title: '社区为你安排了志愿任务',
      body: `${moved.title}，请查看时间和地址`,
      link: `${PAGES.volunteerTask}?id=${id}`,
      dedupeKey: `help_task.assigned:${id}:${moved.version}`,
    });
    await audit(tx, actor, 'help_task.assigned', { type: 'help_task', id }, { volunteerId });
    return viewFor(tx, deps, { kind: 'staff', userId: actor.actorId }, moved);
  });
}

/** A task the elder (or a consented family member) raises, or made from a volunteer-performed care item. */
export async function raiseHelpTask(
  deps: Deps,
  actor: Actor,
  body: {
    skill: string;
    title: string;
    note: string;
    windowStart: string;
    windowEnd: string;
    durationMin: number;
    urgency: TaskRow['urgency'];
    elderId?: string;
    careItemId?: string;
    payInHours: boolean;
  },
  asStaff = false,
) {
  const elderId = asStaff ? body.elderId : actor.userId;
  if (!elderId) throw invalidField('body.elderId', 'is required when staff raise a task');
  if (!asStaff && body.elderId && body.elderId !== actor.userId)
    throw invalidField('body.elderId', 'raise a task for the elder you act for (X-On-Behalf-Of)');
  let { title, durationMin, skill } = body;
  if (body.careItemId) {
    const item = (await careItemsByIds(deps.db, [body.careItemId])).get(body.careItemId);
    if (!item?.active || item.performer !== 'volunteer')
      throw fieldConflict(
        'CARE_ITEM_NOT_FOR_VOLUNTEERS',
        'This care service is not one volunteers do',
        'body.careItemId',
        422,
      );
    title = item.name;
    durationMin = item.durationMin;
    skill = skillOfItem(item.code, skill);
  }
  if (body.payInHours && asStaff) throw invalidField('body.payInHours', 'staff tasks are not paid in hours');
  const row = await deps.db.transaction(async (tx) => {
    if (asStaff) {
      const elder = await elderContext(tx, elderId, deps.clock.now());
      const allowed = elder?.communityId && (await staffOf(tx, elder.communityId)).includes(actor.actorId);
      if (!allowed)
        throw fieldConflict('ELDER_NOT_FOUND', 'No such elder in your community', 'body.elderId', 404);
    }
    return createTask(tx, deps, {
      elderId,
      raisedBy: actor.actorId,
      source: asStaff ? 'staff' : body.careItemId ? 'care_item' : actor.onBehalfOf ? 'proxy' : 'elder',
      skill,
      title,
      note: body.note,
      windowStart: new Date(body.windowStart),
      windowEnd: new Date(body.windowEnd),
      durationMin,
      urgency: body.urgency,
      careItemId: body.careItemId ?? null,
      // A family member spends their own banked time on help for the elder.
      paidBy: body.payInHours ? actor.actorId : null,
    });
  });
  return viewFor(deps.db, deps, asStaff ? { kind: 'staff', userId: actor.actorId } : elderViewer(actor), row);
}

/** Which skill a volunteer-performed care item needs (by its code), else what the caller chose. */
function skillOfItem(code: string, fallback: string): string {
  const map: [RegExp, string][] = [
    [/phone|smart|手机/i, 'phone_teaching'],
    [/compan|chat|read|陪伴|聊天|读/i, 'company'],
    [/escort|walk|陪同|散步/i, 'escort'],
    [/clean|清洁/i, 'cleaning'],
    [/errand|shop|parcel|fetch|代买|跑腿|快递/i, 'errands'],
    [/visit|探访/i, 'visit'],
  ];
  return map.find(([re]) => re.test(code))?.[1] ?? fallback;
}

// ---- reads --------------------------------------------------------------------------------------

const ACTIVE_OR_HOURS_OPEN = sql`(${helpTasks.status} IN ('open', 'offered', 'escalated', 'accepted', 'in_progress') OR (${helpTasks.status} = 'done' AND ${helpTasks.hoursStatus} IN ('pending', 'disputed')))`;

export async function elderTasks(deps: Deps, actor: Actor, scope: 'active' | 'past') {
  const rows = await deps.db
    .select()
    .from(helpTasks)
    .where(
      and(
        eq(helpTasks.elderId, actor.userId),
        scope === 'active' ? ACTIVE_OR_HOURS_OPEN : sql`NOT ${ACTIVE_OR_HOURS_OPEN}`,
      ),
    )
    .orderBy(sql`${helpTasks.createdAt} DESC`)
    .limit(100);
  return { items: await taskViews(deps.db, deps, elderViewer(actor), rows) };
}

export async function elderTask(deps: Deps, actor: Actor, id: string) {
  await requireAccess(deps.db, actor, helpTaskOwn, id);
  const [row] = await deps.db.select().from(helpTasks).where(eq(helpTasks.id, id));
  return viewFor(deps.db, deps, elderViewer(actor), row!);
}

/**
 * The volunteer's lists: offers (incl. those just taken by someone else, shown as 已被接单), the
 * open board of their community (tasks needing one of their skills), their own, their history.
 */
export async function volunteerTasks(
  deps: Deps,
  actor: Actor,
  scope: 'offers' | 'board' | 'mine' | 'history',
) {
  const v = await volunteerRow(deps.db, actor.actorId);
  if (v?.status !== 'verified') return { items: [] };
  const now = deps.clock.now();
  const me = actor.actorId;
  const where = {
    offers: and(
      inArray(
        helpTasks.id,
        deps.db
          .select({ id: taskOffers.taskId })
          .from(taskOffers)
          .where(
            and(
              eq(taskOffers.volunteerId, me),
              sql`${taskOffers.declinedAt} IS NULL`,
              gt(taskOffers.offeredAt, new Date(now.getTime() - 24 * 3600_000)),
            ),
          ),
      ),
      sql`${helpTasks.volunteerId} IS DISTINCT FROM ${me}`,
      inArray(helpTasks.status, ['open', 'offered', 'escalated', 'accepted', 'in_progress']),
    ),
    board: and(
      eq(helpTasks.communityId, v.communityId),
      inArray(helpTasks.status, [...TAKEABLE_TASK_STATES]),
      gt(helpTasks.deadline, now),
      inArray(helpTasks.skill, v.skills),
      sql`${helpTasks.elderId} <> ${me}`,
    ),
    mine: and(eq(helpTasks.volunteerId, me), ACTIVE_OR_HOURS_OPEN),
    history: and(eq(helpTasks.volunteerId, me), sql`NOT ${ACTIVE_OR_HOURS_OPEN}`),
  }[scope];
  const order =
    scope === 'board'
      ? sql`${helpTasks.urgency} = 'urgent' DESC, ${helpTasks.deadline} ASC`
      : sql`${helpTasks.windowStart} ASC`;
  const rows = await deps.db.select().from(helpTasks).where(where).orderBy(order).limit(100);
  return {
    items: await taskViews(
      deps.db,
      deps,
      volunteerViewer(actor),
      scope === 'history' ? rows.reverse() : rows,
    ),
  };
}

export async function volunteerTask(deps: Deps, actor: Actor, id: string) {
  await requireAccess(deps.db, actor, helpTaskVolunteer, id);
  const [row] = await deps.db.select().from(helpTasks).where(eq(helpTasks.id, id));
  return deps.db.transaction(async (tx) => viewFor(tx, deps, volunteerViewer(actor), row!));
}

export async function staffTasks(
  deps: Deps,
  actor: Actor,
  status: 'escalated' | 'disputed' | 'active' | 'all',
) {
  const where = {
    escalated: eq(helpTasks.status, 'escalated'),
    disputed: eq(helpTasks.hoursStatus, 'disputed'),
    active: ACTIVE_OR_HOURS_OPEN,
    all: undefined,
  }[status];
  const rows = await deps.db
    .select()
    .from(helpTasks)
    .where(and(inArray(helpTasks.compoundId, compoundsRunBy(deps.db, actor.actorId)), where))
    .orderBy(sql`${helpTasks.deadline} ASC`)
    .limit(200);
  return { items: await taskViews(deps.db, deps, { kind: 'staff', userId: actor.actorId }, rows) };
}
