import { randomInt, timingSafeEqual } from 'node:crypto';
import { and, asc, desc, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import {
  ACTIVITY_PLACE_HOLDING,
  ACTIVITY_REMINDERS,
  ACTIVITY_ROSTER_RANK,
  type Activity,
  activitySignupFlow,
  COMMUNITY_CHECKIN_OPENS_BEFORE_MIN,
  checkinWindow,
  PAGES,
  wechatPage,
} from 'shared';
import type { z } from 'zod';
import type { Actor } from '../../access/actor';
import { requireAccess } from '../../access/require-access';
import type { DbOrTx } from '../../db/client';
import { advance } from '../../db/flow-update';
import type { AppDeps } from '../../deps';
import {
  AppError,
  conflict,
  fieldConflict,
  forbidden,
  invalidField,
  serviceUnavailable,
} from '../../http/errors';
import { notDueYet } from '../../jobs/not-due-yet';
import { enqueue } from '../../jobs/outbox';
import { handles, type JobHandler } from '../../module';
import { audit } from '../audit';
import { peopleByIds } from '../identity';
import { notify, notifyMany } from '../notifications';
import { communityNames, staffCommunityIds } from '../places';
import { activityReminderJob } from './activity-jobs';
import { activityStaff, activityVolunteer } from './activity-policies';
import { requireVerified } from './profiles';
import { activitySignups, volunteerActivities, volunteers } from './tables';
import { creditMinutes } from './time-bank';

type Deps = Pick<AppDeps, 'db' | 'clock' | 'config'>;
type CodeDeps = Deps & Pick<AppDeps, 'redis'>;
export type ActivityRow = typeof volunteerActivities.$inferSelect;
type SignupRow = typeof activitySignups.$inferSelect;
type ActivityView = z.input<typeof Activity>;

const MIN = 60_000;
/** Check-in opens this long before the start (people arrive early to set up); shared with community activities. */
export const CHECKIN_OPENS_BEFORE_MIN = COMMUNITY_CHECKIN_OPENS_BEFORE_MIN;
/** Wrong codes a volunteer may enter for one activity before code entry locks for them. */
export const MAX_ACTIVITY_CODE_TRIES = 5;
const REMINDERS = ACTIVITY_REMINDERS;
/** Places taken: a sign-up keeps its place through check-in and check-out. */
const HOLDS_PLACE = ACTIVITY_PLACE_HOLDING;

const thing = (s: string) => (s.length > 20 ? `${s.slice(0, 19)}…` : s);
const code6 = () => String(randomInt(0, 1_000_000)).padStart(6, '0');
const activityLink = (id: string) => `${PAGES.volunteerActivities}?id=${id}`;

// ---- shared with teams and the certificate ------------------------------------------------------

/**
 * The community a staff member acts in: the one they name (it must be theirs), or the only one
 * they run.
 */
export async function staffCommunity(db: DbOrTx, actor: Actor, requested?: string): Promise<string> {
  const ids = (await staffCommunityIds(db, actor.actorId)).map((r) => r.id);
  if (requested) {
    if (!ids.includes(requested)) throw invalidField('body.communityId', 'is not a community you run');
    return requested;
  }
  if (ids.length === 0) throw forbidden('You do not run a community');
  if (ids.length > 1) throw invalidField('body.communityId', 'say which of your communities this is for');
  return ids[0]!;
}

// ---- views --------------------------------------------------------------------------------------

type Viewer = { kind: 'volunteer' | 'staff'; userId: string };

/** Activities as the caller sees them: counts, their own sign-up, and (staff only) the code. */
export async function activityViews(
  db: DbOrTx,
  viewer: Viewer,
  rows: ActivityRow[],
): Promise<ActivityView[]> {
  const ids = rows.map((r) => r.id);
  if (ids.length === 0) return [];
  const [counts, mine] = await Promise.all([
    db
      .select({
        activityId: activitySignups.activityId,
        taken: sql<number>`count(*) FILTER (WHERE ${inArray(activitySignups.status, [...HOLDS_PLACE])})::int`,
        waiting: sql<number>`count(*) FILTER (WHERE ${activitySignups.status} = 'waitlisted')::int`,
      })
      .from(activitySignups)
      .where(inArray(activitySignups.activityId, ids))
      .groupBy(activitySignups.activityId),
    viewer.kind === 'volunteer'
      ? db
          .select({
            activityId: activitySignups.activityId,
            status: activitySignups.status,
            // The place in the queue: waitlisted sign-ups of the activity up to and including this
            // one. The outer columns are qualified by hand: drizzle leaves them bare in a one-table
            // select, and bare names inside the subquery would mean its own rows.
            position: sql<number>`(SELECT count(*)::int FROM activity_signups w
              WHERE w.activity_id = "activity_signups"."activity_id" AND w.status = 'waitlisted'
                AND w.seq <= "activity_signups"."seq")`,
          })
          .from(activitySignups)
          .where(
            and(inArray(activitySignups.activityId, ids), eq(activitySignups.volunteerId, viewer.userId)),
          )
      : Promise.resolve([]),
  ]);
  const countOf = new Map(counts.map((c) => [c.activityId, c]));
  const mineOf = new Map(mine.map((m) => [m.activityId, m]));
  return rows.map((a) => {
    const c = countOf.get(a.id);
    const m = mineOf.get(a.id);
    return {
      id: a.id,
      title: a.title,
      description: a.description,
      place: a.place,
      organiserName: a.organiserName,
      startsAt: a.startsAt.toISOString(),
      endsAt: a.endsAt.toISOString(),
      capacity: a.capacity,
      creditMin: a.creditMin,
      signedUp: c?.taken ?? 0,
      waitlisted: c?.waiting ?? 0,
      cancelled: a.cancelledAt !== null,
      mine: m ? { status: m.status, waitlistPosition: m.status === 'waitlisted' ? m.position : null } : null,
      checkinCode: viewer.kind === 'staff' ? a.checkinCode : null,
    };
  });
}

const volunteerViewer = (actor: Actor): Viewer => ({ kind: 'volunteer', userId: actor.actorId });
const staffViewer = (actor: Actor): Viewer => ({ kind: 'staff', userId: actor.actorId });
const oneView = async (db: DbOrTx, viewer: Viewer, row: ActivityRow) =>
  (await activityViews(db, viewer, [row]))[0]!;

async function activityById(tx: DbOrTx, id: string, lock?: 'update' | 'share'): Promise<ActivityRow> {
  const q = tx.select().from(volunteerActivities).where(eq(volunteerActivities.id, id));
  const [row] = lock ? await q.for(lock) : await q;
  // The policy let the id through, so the row exists; a vanished row is a bug, not a 404 to hide.
  if (!row) throw new Error(`activity ${id} vanished`);
  return row;
}

async function signupOf(tx: DbOrTx, activityId: string, volunteerId: string): Promise<SignupRow | undefined> {
  const [row] = await tx
    .select()
    .from(activitySignups)
    .where(and(eq(activitySignups.activityId, activityId), eq(activitySignups.volunteerId, volunteerId)));
  return row;
}

/** The caller as a verified volunteer allowed to touch this activity (403/409 before 404). */
async function volunteerOnActivity(deps: Deps, actor: Actor, id: string) {
  const v = await requireVerified(deps.db, actor.actorId);
  await requireAccess(deps.db, actor, activityVolunteer, id);
  return v;
}

// ---- lists --------------------------------------------------------------------------------------

/** The community's activities from a week back on, soonest first. */
export async function volunteerActivityList(deps: Deps, actor: Actor) {
  const v = await requireVerified(deps.db, actor.actorId);
  const since = new Date(deps.clock.now().getTime() - 7 * 24 * 60 * MIN);
  const rows = await deps.db
    .select()
    .from(volunteerActivities)
    .where(and(eq(volunteerActivities.communityId, v.communityId), gt(volunteerActivities.endsAt, since)))
    .orderBy(asc(volunteerActivities.startsAt))
    .limit(100);
  return { items: await activityViews(deps.db, volunteerViewer(actor), rows) };
}

export async function staffActivityList(deps: Deps, actor: Actor) {
  const since = new Date(deps.clock.now().getTime() - 60 * 24 * 60 * MIN);
  const rows = await deps.db
    .select()
    .from(volunteerActivities)
    .where(
      and(
        inArray(volunteerActivities.communityId, staffCommunityIds(deps.db, actor.actorId)),
        gt(volunteerActivities.endsAt, since),
      ),
    )
    .orderBy(desc(volunteerActivities.startsAt))
    .limit(200);
  return { items: await activityViews(deps.db, staffViewer(actor), rows) };
}

// ---- staff: create, roster, cancel --------------------------------------------------------------

export interface NewActivity {
  title: string;
  description: string;
  place: string;
  organiserName?: string;
  startsAt: string;
  endsAt: string;
  capacity: number;
  creditMin: number;
  communityId?: string;
}

/** Staff post an activity; its reminders are queued with it. */
export async function createActivity(deps: Deps, actor: Actor, body: NewActivity) {
  const now = deps.clock.now();
  const startsAt = new Date(body.startsAt);
  const endsAt = new Date(body.endsAt);
  if (startsAt <= now) throw invalidField('body.startsAt', 'must be in the future');
  const communityId = await staffCommunity(deps.db, actor, body.communityId);
  let organiserName = body.organiserName?.trim();
  if (!organiserName)
    organiserName =
      (await communityNames(deps.db, [communityId])).get(communityId) ||
      (await peopleByIds(deps.db, [actor.actorId])).get(actor.actorId)?.name ||
      '社区';
  const row = await deps.db.transaction(async (tx) => {
    const [a] = await tx
      .insert(volunteerActivities)
      .values({
        communityId,
        organiserId: actor.actorId,
        organiserName,
        title: body.title,
        description: body.description,
        place: body.place,
        startsAt,
        endsAt,
        capacity: body.capacity,
        creditMin: body.creditMin,
        checkinCode: code6(),
      })
      .returning();
    for (const r of REMINDERS) {
      const dueAt = startsAt.getTime() - r.beforeMs;
      if (dueAt <= now.getTime()) continue;
      await enqueue(
        tx,
        activityReminderJob,
        { activityId: a!.id, kind: r.kind, startsAt: startsAt.toISOString() },
        { delayMs: dueAt - now.getTime() },
      );
    }
    await audit(
      tx,
      actor,
      'activity.created',
      { type: 'activity', id: a!.id },
      { communityId, capacity: body.capacity },
    );
    return a!;
  });
  return oneView(deps.db, staffViewer(actor), row);
}

const ROSTER_ORDER = ACTIVITY_ROSTER_RANK;

/** Who signed up: places in sign-up order, then the waitlist with positions, then those who left. */
export async function activityRoster(deps: Deps, actor: Actor, id: string) {
  await requireAccess(deps.db, actor, activityStaff, id);
  const rows = await deps.db
    .select({ s: activitySignups, name: volunteers.realName })
    .from(activitySignups)
    .innerJoin(volunteers, eq(volunteers.userId, activitySignups.volunteerId))
    .where(eq(activitySignups.activityId, id))
    .orderBy(asc(activitySignups.seq));
  rows.sort((a, b) => ROSTER_ORDER[a.s.status] - ROSTER_ORDER[b.s.status] || a.s.seq - b.s.seq);
  let position = 0;
  return {
    items: rows.map(({ s, name }) => ({
      volunteerId: s.volunteerId,
      name,
      status: s.status,
      waitlistPosition: s.status === 'waitlisted' ? ++position : null,
      checkedInAt: s.checkedInAt?.toISOString() ?? null,
      checkedOutAt: s.checkedOutAt?.toISOString() ?? null,
    })),
  };
}

/**
 * Staff call an activity off: once (a second press changes nothing), before it ends. Everyone
 * holding a place hears by subscribe message as well (they would otherwise come); the waitlist
 * by the inbox.
 */
export async function cancelActivity(deps: Deps, actor: Actor, id: string) {
  await requireAccess(deps.db, actor, activityStaff, id);
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const a = await activityById(tx, id, 'update');
    if (a.cancelledAt) return oneView(tx, staffViewer(actor), a);
    if (a.endsAt <= now) throw conflict('ACTIVITY_ENDED', 'This activity has already ended');
    const [moved] = await tx
      .update(volunteerActivities)
      .set({ cancelledAt: now })
      .where(and(eq(volunteerActivities.id, id), isNull(volunteerActivities.cancelledAt)))
      .returning();
    const people = await tx
      .select({ userId: activitySignups.volunteerId, status: activitySignups.status })
      .from(activitySignups)
      .where(
        and(
          eq(activitySignups.activityId, id),
          inArray(activitySignups.status, ['signed_up', 'checked_in', 'waitlisted']),
        ),
      );
    const title = '志愿活动已取消';
    const body = `「${a.title}」（${a.place}）已取消，给你带来不便，敬请谅解`;
    for (const p of people.filter((p) => p.status !== 'waitlisted'))
      await notify(tx, {
        userId: p.userId,
        kind: 'activity.cancelled',
        title,
        body,
        link: activityLink(id),
        dedupeKey: `activity.cancelled:${id}`,
        wechat: {
          template: 'orderStatus',
          page: wechatPage(activityLink(id)),
          data: { thing1: thing(a.title), phrase2: '已取消', time3: a.startsAt.toISOString() },
        },
      });
    await notifyMany(
      tx,
      people
        .filter((p) => p.status === 'waitlisted')
        .map((p) => ({
          userId: p.userId,
          kind: 'activity.cancelled',
          title,
          body,
          link: activityLink(id),
          dedupeKey: `activity.cancelled:${id}`,
        })),
    );
    await audit(tx, actor, 'activity.cancelled', { type: 'activity', id }, { told: people.length });
    return oneView(tx, staffViewer(actor), moved!);
  });
}

// ---- the volunteer: sign up, cancel, check in, check out ----------------------------------------

/**
 * A place while places are left, else the waitlist. The activity row is locked for the
 * transaction, so sign-ups to one activity count and number themselves one at a time: N at once
 * for C places leave exactly C with a place and the rest waiting in the order they got the lock.
 */
export async function signUpActivity(deps: Deps, actor: Actor, id: string) {
  await volunteerOnActivity(deps, actor, id);
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const a = await activityById(tx, id, 'update');
    const existing = await signupOf(tx, id, actor.actorId);
    if (existing && existing.status !== 'cancelled') return oneView(tx, volunteerViewer(actor), a);
    if (a.cancelledAt) throw conflict('ACTIVITY_CANCELLED', 'This activity has been cancelled');
    if (a.startsAt <= now)
      throw conflict('ACTIVITY_SIGNUP_CLOSED', 'Sign-up closed when the activity started');
    const [c] = await tx
      .select({
        taken: sql<number>`count(*) FILTER (WHERE ${inArray(activitySignups.status, [...HOLDS_PLACE])})::int`,
        lastSeq: sql<number>`coalesce(max(${activitySignups.seq}), 0)::int`,
      })
      .from(activitySignups)
      .where(eq(activitySignups.activityId, id));
    const status = c!.taken < a.capacity ? 'signed_up' : 'waitlisted';
    const values = {
      status,
      seq: c!.lastSeq + 1,
      signedAt: now,
      checkedInAt: null,
      checkedOutAt: null,
    } as const;
    // Signing up again after cancelling goes to the back: a new number, not the old one. Only a
    // cancelled row is ever rewritten (the flow has no way back from cancelled; this is a new sign-up).
    await tx
      .insert(activitySignups)
      .values({ activityId: id, volunteerId: actor.actorId, ...values })
      .onConflictDoUpdate({
        target: [activitySignups.activityId, activitySignups.volunteerId],
        set: values,
        setWhere: eq(activitySignups.status, 'cancelled'),
      });
    return oneView(tx, volunteerViewer(actor), a);
  });
}

/**
 * Leaving: a place given up goes at once to the first on the waitlist (lowest number), who is
 * told; leaving the waitlist just leaves it.
 */
export async function cancelActivitySignup(deps: Deps, actor: Actor, id: string) {
  await volunteerOnActivity(deps, actor, id);
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    // Under this lock no sign-up of the activity moves (check-in and check-out take it shared).
    const a = await activityById(tx, id, 'update');
    const s = await signupOf(tx, id, actor.actorId);
    if (!s) throw conflict('ACTIVITY_NOT_SIGNED_UP', 'You have not signed up for this activity');
    if (s.status === 'cancelled') return oneView(tx, volunteerViewer(actor), a);
    const [left] = await advance(
      tx,
      activitySignups,
      activitySignups.status,
      activitySignupFlow,
      'cancel',
      and(eq(activitySignups.activityId, id), eq(activitySignups.volunteerId, actor.actorId)),
    );
    if (!left)
      throw conflict('ACTIVITY_ALREADY_CHECKED_IN', 'You have already checked in; check out instead');
    if (s.status === 'signed_up' && !a.cancelledAt && a.endsAt > now) await promoteNext(tx, a);
    return oneView(tx, volunteerViewer(actor), a);
  });
}

/** The first waitlisted sign-up takes the free place and hears of it. */
async function promoteNext(tx: DbOrTx, a: ActivityRow) {
  const [next] = await tx
    .select({ volunteerId: activitySignups.volunteerId })
    .from(activitySignups)
    .where(and(eq(activitySignups.activityId, a.id), eq(activitySignups.status, 'waitlisted')))
    .orderBy(asc(activitySignups.seq))
    .limit(1);
  if (!next) return;
  const [moved] = await advance(
    tx,
    activitySignups,
    activitySignups.status,
    activitySignupFlow,
    'promote',
    and(eq(activitySignups.activityId, a.id), eq(activitySignups.volunteerId, next.volunteerId)),
  );
  if (!moved) return;
  await notify(tx, {
    userId: next.volunteerId,
    kind: 'activity.promoted',
    title: '候补成功，已为你保留名额',
    body: `「${a.title}」有人退出，你已从候补转为报名成功，请按时参加`,
    link: activityLink(a.id),
    dedupeKey: `activity.promoted:${a.id}:${next.volunteerId}:${moved.seq}`,
    wechat: {
      template: 'orderStatus',
      page: wechatPage(activityLink(a.id)),
      data: { thing1: thing(a.title), phrase2: '候补成功', time3: a.startsAt.toISOString() },
    },
  });
}

/**
 * One try at an activity's code, taken before it is compared, so a burst of guesses cannot beat the
 * limit. Keyed by the activity's id (community activities count their tries with it too).
 */
export async function takeCodeTry(
  deps: CodeDeps,
  a: Pick<ActivityRow, 'id' | 'endsAt'>,
  userId: string,
): Promise<{ key: string; n: number }> {
  const key = `${deps.config.QUEUE_PREFIX}:activity-code:${a.id}:${userId}`;
  const ttl = Math.max(MIN, a.endsAt.getTime() - deps.clock.now().getTime() + 60 * MIN);
  try {
    const res = await deps.redis.multi().incr(key).pexpire(key, ttl).exec();
    return { key, n: Number(res?.[0]?.[1] ?? 0) };
  } catch (err) {
    throw serviceUnavailable('Could not check the code right now; try again', err);
  }
}

/** At the place, with the code shown there, from 30 minutes before the start until the end. */
export async function checkInActivity(deps: CodeDeps, actor: Actor, id: string, code: string) {
  await volunteerOnActivity(deps, actor, id);
  const outcome = await deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    // Shared: check-ins do not wait for each other, but a cancel waits for them (and they for it).
    const a = await activityById(tx, id, 'share');
    const s = await signupOf(tx, id, actor.actorId);
    if (s?.status === 'checked_in' || s?.status === 'checked_out')
      return { view: await oneView(tx, volunteerViewer(actor), a) };
    if (a.cancelledAt) throw conflict('ACTIVITY_CANCELLED', 'This activity has been cancelled');
    const window = checkinWindow(a, now);
    if (window === 'not_open')
      throw conflict(
        'ACTIVITY_CHECKIN_NOT_OPEN',
        `Check-in opens ${CHECKIN_OPENS_BEFORE_MIN} minutes before the start`,
      );
    if (window === 'closed')
      throw conflict('ACTIVITY_CHECKIN_CLOSED', 'This activity has ended; check-in is closed');
    if (s?.status !== 'signed_up')
      throw conflict(
        'ACTIVITY_NOT_SIGNED_UP',
        s?.status === 'waitlisted'
          ? 'You are still on the waitlist for this activity'
          : 'You have not signed up for this activity',
      );
    const tries = await takeCodeTry(deps, a, actor.actorId);
    if (tries.n > MAX_ACTIVITY_CODE_TRIES) return { locked: true as const };
    const ok =
      code.length === a.checkinCode.length && timingSafeEqual(Buffer.from(code), Buffer.from(a.checkinCode));
    if (!ok) return { left: MAX_ACTIVITY_CODE_TRIES - tries.n };
    await deps.redis.del(tries.key).catch(() => {});
    const [moved] = await advance(
      tx,
      activitySignups,
      activitySignups.status,
      activitySignupFlow,
      'checkIn',
      and(eq(activitySignups.activityId, id), eq(activitySignups.volunteerId, actor.actorId)),
      { checkedInAt: now },
    );
    // Lost to a cancel of the sign-up in between: answer as the row stands now.
    if (!moved) throw conflict('ACTIVITY_NOT_SIGNED_UP', 'You have not signed up for this activity');
    return { view: await oneView(tx, volunteerViewer(actor), a) };
  });
  if ('locked' in outcome)
    throw new AppError(
      423,
      'CODE_ENTRY_LOCKED',
      'Too many wrong codes for this activity; ask the organiser for help',
    );
  if ('left' in outcome)
    throw fieldConflict('ACTIVITY_CODE_INVALID', `Wrong code; ${outcome.left} tries left`, 'body.code', 422);
  return outcome.view;
}

/**
 * Checking out after checking in credits the activity's minutes to the time bank, once: the
 * status moves once, and the ledger's key refuses a second credit whatever happens.
 */
export async function checkOutActivity(deps: Deps, actor: Actor, id: string) {
  await volunteerOnActivity(deps, actor, id);
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const a = await activityById(tx, id, 'share');
    const s = await signupOf(tx, id, actor.actorId);
    if (s?.status === 'checked_out') return oneView(tx, volunteerViewer(actor), a);
    if (s?.status !== 'checked_in')
      throw conflict('ACTIVITY_NOT_CHECKED_IN', 'Check in with the code at the place first');
    if (a.cancelledAt) throw conflict('ACTIVITY_CANCELLED', 'This activity has been cancelled');
    if (now < a.startsAt) throw conflict('ACTIVITY_NOT_STARTED', 'Check out once the activity has started');
    const [moved] = await advance(
      tx,
      activitySignups,
      activitySignups.status,
      activitySignupFlow,
      'checkOut',
      and(eq(activitySignups.activityId, id), eq(activitySignups.volunteerId, actor.actorId)),
      { checkedOutAt: now },
    );
    if (moved)
      await creditMinutes(tx, {
        userId: actor.actorId,
        minutes: a.creditMin,
        reason: `志愿活动：${a.title}`,
        activityId: a.id,
        dedupeKey: `activity:${a.id}:${actor.actorId}`,
      });
    return oneView(tx, volunteerViewer(actor), a);
  });
}

// ---- reminders ----------------------------------------------------------------------------------

/**
 * The day-before or hour-before reminder to everyone holding a place, once. Nothing for a
 * cancelled activity or one no longer at the start the job was queued for; early, it waits.
 */
export async function sendActivityReminder(
  deps: Deps,
  activityId: string,
  kind: '24h' | '1h',
  startsAtIso: string,
): Promise<number> {
  return deps.db.transaction(async (tx) => {
    const [a] = await tx.select().from(volunteerActivities).where(eq(volunteerActivities.id, activityId));
    if (!a || a.cancelledAt || a.startsAt.getTime() !== new Date(startsAtIso).getTime()) return 0;
    const before = REMINDERS.find((r) => r.kind === kind)!.beforeMs;
    const dueAt = new Date(a.startsAt.getTime() - before);
    if (
      await notDueYet(tx, deps, dueAt, {
        job: activityReminderJob,
        payload: { activityId, kind, startsAt: startsAtIso },
      })
    )
      return 0;
    const people = await tx
      .select({ userId: activitySignups.volunteerId })
      .from(activitySignups)
      .where(and(eq(activitySignups.activityId, activityId), eq(activitySignups.status, 'signed_up')));
    let sent = 0;
    for (const p of people) {
      const row = await notify(tx, {
        userId: p.userId,
        kind: `activity.reminder.${kind}`,
        title: kind === '24h' ? '志愿活动提醒：明天' : '志愿活动提醒：1小时后开始',
        body: `「${a.title}」在${a.place}，请按时到场并用现场签到码签到`,
        link: activityLink(activityId),
        dedupeKey: `activity.reminder:${activityId}:${kind}:${a.startsAt.toISOString()}`,
        wechat: {
          template: 'orderStatus',
          page: wechatPage(activityLink(activityId)),
          data: { thing1: thing(a.title), phrase2: '即将开始', time3: a.startsAt.toISOString() },
        },
      });
      if (row) sent += 1;
    }
    return sent;
  });
}

export const activityJobs: JobHandler[] = [
  handles(activityReminderJob, (p, deps) => sendActivityReminder(deps, p.activityId, p.kind, p.startsAt)),
];
