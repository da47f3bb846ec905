import { randomInt, timingSafeEqual } from 'node:crypto';
import { and, asc, desc, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import {
  ACTIVITY_PLACE_HOLDING,
  ACTIVITY_REMINDERS,
  ACTIVITY_ROSTER_RANK,
  type ActivityReminderKind,
  activitySignupFlow,
  COMMUNITY_CHECKIN_OPENS_BEFORE_MIN,
  type CommunityActivity,
  checkinWindow,
  maskPhone,
  PAGES,
  wechatPage,
} from 'shared';
import type { Actor } from '../../access/actor';
import { requireAccess } from '../../access/require-access';
import type { DbOrTx } from '../../db/client';
import { advance } from '../../db/flow-update';
import type { AppDeps } from '../../deps';
import { AppError, conflict, fieldConflict, invalidField } from '../../http/errors';
import { notDueYet } from '../../jobs/not-due-yet';
import { enqueue } from '../../jobs/outbox';
import { audit } from '../audit';
import { peopleByIds } from '../identity';
import { type NotifyInput, notify, notifyMany } from '../notifications';
import { staffCommunityIds } from '../places';
import { MAX_ACTIVITY_CODE_TRIES, staffCommunity, takeCodeTry } from '../volunteers';
import { auditIfProxy, memberCommunities } from './access';
import { groupOfCommunity } from './groups';
import { communityReminderJob } from './jobs';
import { activityPolicies } from './policies';
import { communityActivities, communitySignups, interestGroups } from './tables';

type Deps = Pick<AppDeps, 'db' | 'clock' | 'config'>;
type Row = typeof communityActivities.$inferSelect;
type Signup = typeof communitySignups.$inferSelect;
type Status = Signup['status'];

const MIN = 60_000;
const HOLDING = [...ACTIVITY_PLACE_HOLDING];
const link = (id: string) => `${PAGES.communityActivity}?id=${id}`;
const thing = (s: string) => ([...s].length > 20 ? `${[...s].slice(0, 19).join('')}…` : s);

/** One message about an activity to one person: the inbox, and a subscribe message if granted. */
const told = (
  a: Row,
  userId: string,
  kind: string,
  title: string,
  body: string,
  key: string,
  phrase: string,
) =>
  ({
    userId,
    kind: `community.activity.${kind}`,
    title,
    body,
    link: link(a.id),
    dedupeKey: `community.activity.${kind}:${a.id}:${key}`,
    wechat: {
      template: 'orderStatus',
      page: wechatPage(link(a.id)),
      data: { thing1: thing(a.title), phrase2: phrase, time3: a.startsAt.toISOString() },
    },
  }) satisfies NotifyInput;

// ---- views --------------------------------------------------------------------------------------

async function views(db: DbOrTx, rows: Row[], viewer: { staff: boolean; userId: string }) {
  const ids = rows.map((r) => r.id);
  if (ids.length === 0) return [];
  const groupIds = [...new Set(rows.flatMap((r) => (r.groupId ? [r.groupId] : [])))];
  const [counts, mine, groups] = await Promise.all([
    db
      .select({
        id: communitySignups.activityId,
        taken: sql<number>`count(*) FILTER (WHERE ${inArray(communitySignups.status, HOLDING)})::int`,
        waiting: sql<number>`count(*) FILTER (WHERE ${communitySignups.status} = 'waitlisted')::int`,
      })
      .from(communitySignups)
      .where(inArray(communitySignups.activityId, ids))
      .groupBy(communitySignups.activityId),
    viewer.staff
      ? Promise.resolve([])
      : db
          .select({
            id: communitySignups.activityId,
            status: communitySignups.status,
            // Place in the queue: waitlisted sign-ups of the activity numbered up to this one.
            ahead: sql<number>`(SELECT count(*)::int FROM community_activity_signups w
              WHERE w.activity_id = "community_activity_signups"."activity_id" AND w.status = 'waitlisted'
                AND w.seq <= "community_activity_signups"."seq")`,
          })
          .from(communitySignups)
          .where(and(inArray(communitySignups.activityId, ids), eq(communitySignups.userId, viewer.userId))),
    groupIds.length
      ? db
          .select({ id: interestGroups.id, name: interestGroups.name })
          .from(interestGroups)
          .where(inArray(interestGroups.id, groupIds))
      : Promise.resolve([]),
  ]);
  const countOf = new Map(counts.map((c) => [c.id, c]));
  const mineOf = new Map(mine.map((m) => [m.id, m]));
  const groupName = new Map(groups.map((g) => [g.id, g.name]));
  return rows.map((a): CommunityActivity => {
    const m = mineOf.get(a.id);
    return {
      id: a.id,
      communityId: a.communityId,
      groupId: a.groupId,
      groupName: a.groupId ? (groupName.get(a.groupId) ?? null) : null,
      title: a.title,
      description: a.description,
      place: a.place,
      startsAt: a.startsAt.toISOString(),
      endsAt: a.endsAt.toISOString(),
      capacity: a.capacity,
      signedUp: countOf.get(a.id)?.taken ?? 0,
      waitlisted: countOf.get(a.id)?.waiting ?? 0,
      cancelled: a.cancelledAt !== null,
      mine: m ? { status: m.status, waitlistPosition: m.status === 'waitlisted' ? m.ahead : null } : null,
      checkinCode: viewer.staff ? a.checkinCode : null,
    };
  });
}

const asMember = (actor: Actor) => ({ staff: false, userId: actor.userId });
const asStaff = (actor: Actor) => ({ staff: true, userId: actor.actorId });
const view = async (db: DbOrTx, row: Row, viewer: { staff: boolean; userId: string }) =>
  (await views(db, [row], viewer))[0]!;

async function activityRow(db: DbOrTx, id: string, lock?: 'update' | 'share'): Promise<Row> {
  const q = db.select().from(communityActivities).where(eq(communityActivities.id, id));
  const [row] = lock ? await q.for(lock) : await q;
  if (!row) throw new Error(`community activity ${id} vanished`);
  return row;
}

async function signupOf(tx: DbOrTx, activityId: string, userId: string): Promise<Signup | undefined> {
  const [row] = await tx
    .select()
    .from(communitySignups)
    .where(and(eq(communitySignups.activityId, activityId), eq(communitySignups.userId, userId)));
  return row;
}

/** The sign-up flow's event on one person's row (a conditional update: a lost race moves nothing). */
const move = (
  tx: DbOrTx,
  activityId: string,
  userId: string,
  event: keyof typeof activitySignupFlow.transitions,
  set: Partial<Signup> = {},
) =>
  advance(
    tx,
    communitySignups,
    communitySignups.status,
    activitySignupFlow,
    event,
    and(eq(communitySignups.activityId, activityId), eq(communitySignups.userId, userId)),
    set,
  );

// ---- residents ----------------------------------------------------------------------------------

/** Activities of some communities that ended after `sinceDays` ago, as the viewer sees them. */
async function listIn(
  deps: Deps,
  communities: string[] | ReturnType<typeof staffCommunityIds>,
  q: { sinceDays: number; soonestFirst: boolean; groupId?: string },
  viewer: { staff: boolean; userId: string },
) {
  const since = new Date(deps.clock.now().getTime() - q.sinceDays * 24 * 60 * MIN);
  const rows = await deps.db
    .select()
    .from(communityActivities)
    .where(
      and(
        inArray(communityActivities.communityId, communities),
        gt(communityActivities.endsAt, since),
        q.groupId ? eq(communityActivities.groupId, q.groupId) : undefined,
      ),
    )
    .orderBy(q.soonestFirst ? asc(communityActivities.startsAt) : desc(communityActivities.startsAt))
    .limit(q.soonestFirst ? 100 : 200);
  return { items: await views(deps.db, rows, viewer) };
}

/** The activities of the caller's communities from a week back on, soonest first. */
export async function listActivities(deps: Deps, actor: Actor, q: { groupId?: string }) {
  const communities = await memberCommunities(deps.db, actor);
  return listIn(deps, communities, { sinceDays: 7, soonestFirst: true, groupId: q.groupId }, asMember(actor));
}

export async function memberActivity(deps: Deps, actor: Actor, id: string) {
  await requireAccess(deps.db, actor, activityPolicies.member, id);
  return view(deps.db, await activityRow(deps.db, id), asMember(actor));
}

/**
 * A place while places are left, else the waitlist. The activity row is locked for the
 * transaction, so sign-ups count and number themselves one at a time: N at once for C places
 * leave exactly C with a place and the rest waiting in the order they got the lock.
 */
export async function signUp(deps: Deps, actor: Actor, id: string) {
  await requireAccess(deps.db, actor, activityPolicies.member, id);
  return deps.db.transaction(async (tx) => {
    const a = await activityRow(tx, id, 'update');
    const existing = await signupOf(tx, id, actor.userId);
    if (existing && existing.status !== 'cancelled') return view(tx, a, asMember(actor));
    if (a.cancelledAt) throw conflict('ACTIVITY_CANCELLED', 'This activity has been cancelled');
    if (a.startsAt <= deps.clock.now())
      throw conflict('ACTIVITY_SIGNUP_CLOSED', 'Sign-up closed when the activity started');
    const [c] = await tx
      .select({
        taken: sql<number>`count(*) FILTER (WHERE ${inArray(communitySignups.status, HOLDING)})::int`,
        last: sql<number>`coalesce(max(${communitySignups.seq}), 0)::int`,
      })
      .from(communitySignups)
      .where(eq(communitySignups.activityId, id));
    // Coming back after cancelling is a new sign-up at the back: only a cancelled row is rewritten.
    const fresh = {
      status: (c!.taken < a.capacity ? 'signed_up' : 'waitlisted') as Status,
      seq: c!.last + 1,
      signedAt: deps.clock.now(),
      checkedInAt: null,
    };
    await tx
      .insert(communitySignups)
      .values({ activityId: id, userId: actor.userId, ...fresh })
      .onConflictDoUpdate({
        target: [communitySignups.activityId, communitySignups.userId],
        set: fresh,
        setWhere: eq(communitySignups.status, 'cancelled'),
      });
    await auditIfProxy(tx, actor, 'community.activity.signed_up', { type: 'community_activity', id });
    return view(tx, a, asMember(actor));
  });
}

/**
 * Leaving: a place given up goes at once to the lowest number on the waitlist, who is told. Under
 * the activity's row lock, five leaving at once promote exactly five, in order, never past capacity.
 */
export async function cancelSignup(deps: Deps, actor: Actor, id: string) {
  await requireAccess(deps.db, actor, activityPolicies.member, id);
  return deps.db.transaction(async (tx) => {
    const a = await activityRow(tx, id, 'update');
    const s = await signupOf(tx, id, actor.userId);
    if (!s) throw conflict('ACTIVITY_NOT_SIGNED_UP', 'You have not signed up for this activity');
    if (s.status === 'cancelled') return view(tx, a, asMember(actor));
    const [left] = await move(tx, id, actor.userId, 'cancel');
    if (!left) throw conflict('ACTIVITY_ALREADY_CHECKED_IN', 'You have already checked in');
    await auditIfProxy(tx, actor, 'community.activity.cancelled_signup', { type: 'community_activity', id });
    if (s.status === 'signed_up' && !a.cancelledAt && a.endsAt > deps.clock.now()) await promoteFirst(tx, a);
    return view(tx, a, asMember(actor));
  });
}

async function promoteFirst(tx: DbOrTx, a: Row) {
  const [next] = await tx
    .select({ userId: communitySignups.userId, seq: communitySignups.seq })
    .from(communitySignups)
    .where(and(eq(communitySignups.activityId, a.id), eq(communitySignups.status, 'waitlisted')))
    .orderBy(asc(communitySignups.seq))
    .limit(1);
  if (!next || (await move(tx, a.id, next.userId, 'promote')).length === 0) return;
  await notify(
    tx,
    told(
      a,
      next.userId,
      'promoted',
      '候补成功，已为你保留名额',
      `「${a.title}」有人退出，你已从候补转为报名成功，请按时参加`,
      `${next.userId}:${next.seq}`,
      '候补成功',
    ),
  );
}

const sameCode = (given: string, real: string) =>
  given.length === real.length && timingSafeEqual(Buffer.from(given), Buffer.from(real));

/** At the place, with the code shown there, from half an hour before the start until the end. */
export async function checkIn(deps: Deps & Pick<AppDeps, 'redis'>, actor: Actor, id: string, code: string) {
  await requireAccess(deps.db, actor, activityPolicies.member, id);
  const outcome = await deps.db.transaction(async (tx) => {
    // Shared: check-ins do not wait for each other; a cancel waits for them.
    const a = await activityRow(tx, id, 'share');
    const s = await signupOf(tx, id, actor.userId);
    if (s?.status === 'checked_in') return { done: await view(tx, a, asMember(actor)) };
    if (a.cancelledAt) throw conflict('ACTIVITY_CANCELLED', 'This activity has been cancelled');
    const window = checkinWindow(a, deps.clock.now());
    if (window === 'not_open')
      throw conflict(
        'ACTIVITY_CHECKIN_NOT_OPEN',
        `Check-in opens ${COMMUNITY_CHECKIN_OPENS_BEFORE_MIN} minutes before the start`,
      );
    if (window === 'closed') throw conflict('ACTIVITY_CHECKIN_CLOSED', 'This activity has ended');
    if (s?.status !== 'signed_up')
      throw conflict(
        'ACTIVITY_NOT_SIGNED_UP',
        s?.status === 'waitlisted'
          ? 'You are still on the waitlist'
          : 'You have not signed up for this activity',
      );
    const tries = await takeCodeTry(deps, a, actor.userId);
    if (tries.n > MAX_ACTIVITY_CODE_TRIES) return { locked: true };
    if (!sameCode(code, a.checkinCode)) return { left: MAX_ACTIVITY_CODE_TRIES - tries.n };
    await deps.redis.del(tries.key).catch(() => {});
    const [moved] = await move(tx, id, actor.userId, 'checkIn', { checkedInAt: deps.clock.now() });
    if (!moved) throw conflict('ACTIVITY_NOT_SIGNED_UP', 'You have not signed up for this activity');
    return { done: await view(tx, a, asMember(actor)) };
  });
  if ('done' in outcome && outcome.done) return outcome.done;
  if ('left' in outcome)
    throw fieldConflict('ACTIVITY_CODE_INVALID', `Wrong code; ${outcome.left} tries left`, 'body.code', 422);
  throw new AppError(423, 'CODE_ENTRY_LOCKED', 'Too many wrong codes for this activity; ask the organiser');
}

// ---- staff --------------------------------------------------------------------------------------

/** Staff: their communities' activities from two months back, newest first, with the codes. */
export const staffActivityList = (deps: Deps, actor: Actor) =>
  listIn(
    deps,
    staffCommunityIds(deps.db, actor.actorId),
    { sinceDays: 60, soonestFirst: false },
    asStaff(actor),
  );

export interface NewCommunityActivity {
  title: string;
  description: string;
  place: string;
  startsAt: string;
  endsAt: string;
  capacity: number;
  groupId?: string;
  communityId?: string;
}

/** Staff post an activity (for one of the community's groups, or the community); reminders are queued with it. */
export async function createActivity(deps: Deps, actor: Actor, body: NewCommunityActivity) {
  const now = deps.clock.now();
  const startsAt = new Date(body.startsAt);
  if (startsAt <= now) throw invalidField('body.startsAt', 'must be in the future');
  const communityId = await staffCommunity(deps.db, actor, body.communityId);
  if (body.groupId && !(await groupOfCommunity(deps.db, body.groupId, communityId)))
    throw invalidField('body.groupId', 'is not a group of this community');
  const row = await deps.db.transaction(async (tx) => {
    const [a] = await tx
      .insert(communityActivities)
      .values({
        communityId,
        groupId: body.groupId ?? null,
        organiserId: actor.actorId,
        title: body.title,
        description: body.description,
        place: body.place,
        startsAt,
        endsAt: new Date(body.endsAt),
        capacity: body.capacity,
        checkinCode: String(randomInt(0, 1_000_000)).padStart(6, '0'),
      })
      .returning();
    for (const r of ACTIVITY_REMINDERS) {
      const delayMs = startsAt.getTime() - r.beforeMs - now.getTime();
      if (delayMs > 0)
        await enqueue(
          tx,
          communityReminderJob,
          { activityId: a!.id, kind: r.kind, startsAt: startsAt.toISOString() },
          { delayMs },
        );
    }
    await audit(
      tx,
      actor,
      'community.activity.created',
      { type: 'community_activity', id: a!.id },
      { communityId },
    );
    return a!;
  });
  return view(deps.db, row, asStaff(actor));
}

/** Who is coming: places in sign-up order, then the waitlist with positions, then those who left. */
export async function roster(deps: Deps, actor: Actor, id: string) {
  await requireAccess(deps.db, actor, activityPolicies.staff, id);
  const rows = await deps.db
    .select()
    .from(communitySignups)
    .where(eq(communitySignups.activityId, id))
    .orderBy(asc(communitySignups.seq));
  rows.sort((a, b) => ACTIVITY_ROSTER_RANK[a.status] - ACTIVITY_ROSTER_RANK[b.status] || a.seq - b.seq);
  const people = await peopleByIds(
    deps.db,
    rows.map((r) => r.userId),
  );
  let position = 0;
  return {
    items: rows.map((s) => ({
      userId: s.userId,
      name: people.get(s.userId)?.name || '住户',
      phoneMasked: maskPhone(people.get(s.userId)?.phone),
      status: s.status,
      waitlistPosition: s.status === 'waitlisted' ? ++position : null,
      checkedInAt: s.checkedInAt?.toISOString() ?? null,
    })),
  };
}

/** Called off, once, before it ends: those with a place hear by subscribe message too, the waitlist by inbox. */
export async function cancelActivity(deps: Deps, actor: Actor, id: string) {
  await requireAccess(deps.db, actor, activityPolicies.staff, id);
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const a = await activityRow(tx, id, 'update');
    if (a.cancelledAt) return view(tx, a, asStaff(actor));
    if (a.endsAt <= now) throw conflict('ACTIVITY_ENDED', 'This activity has already ended');
    const [moved] = await tx
      .update(communityActivities)
      .set({ cancelledAt: now })
      .where(and(eq(communityActivities.id, id), isNull(communityActivities.cancelledAt)))
      .returning();
    const people = await tx
      .select({ userId: communitySignups.userId, status: communitySignups.status })
      .from(communitySignups)
      .where(
        and(
          eq(communitySignups.activityId, id),
          inArray(communitySignups.status, ['signed_up', 'checked_in', 'waitlisted']),
        ),
      );
    const say = (userId: string) =>
      told(
        a,
        userId,
        'cancelled',
        '社区活动已取消',
        `「${a.title}」（${a.place}）已取消，敬请谅解`,
        userId,
        '已取消',
      );
    for (const p of people.filter((p) => p.status !== 'waitlisted')) await notify(tx, say(p.userId));
    await notifyMany(
      tx,
      people.filter((p) => p.status === 'waitlisted').map((p) => ({ ...say(p.userId), wechat: undefined })),
    );
    await audit(
      tx,
      actor,
      'community.activity.cancelled',
      { type: 'community_activity', id },
      { told: people.length },
    );
    return view(tx, moved!, asStaff(actor));
  });
}

// ---- reminders ----------------------------------------------------------------------------------

/**
 * The reminder to everyone holding a place, once per start. Nothing for a cancelled activity or
 * one moved off the start the job was queued for; early, it queues itself again for the rest.
 */
export async function sendReminder(
  deps: Deps,
  activityId: string,
  kind: ActivityReminderKind,
  startsAt: string,
) {
  return deps.db.transaction(async (tx) => {
    const [a] = await tx.select().from(communityActivities).where(eq(communityActivities.id, activityId));
    if (!a || a.cancelledAt || a.startsAt.getTime() !== Date.parse(startsAt)) return 0;
    const before = ACTIVITY_REMINDERS.find((r) => r.kind === kind)!.beforeMs;
    const again = { job: communityReminderJob, payload: { activityId, kind, startsAt } };
    if (await notDueYet(tx, deps, new Date(a.startsAt.getTime() - before), again)) return 0;
    const holders = await tx
      .select({ userId: communitySignups.userId })
      .from(communitySignups)
      .where(and(eq(communitySignups.activityId, activityId), eq(communitySignups.status, 'signed_up')));
    let sent = 0;
    for (const h of holders) {
      const row = await notify(
        tx,
        told(
          a,
          h.userId,
          `reminder.${kind}`,
          kind === '24h' ? '社区活动提醒：明天' : '社区活动提醒：1小时后开始',
          `「${a.title}」在${a.place}，请按时到场，用现场签到码签到`,
          a.startsAt.toISOString(),
          '即将开始',
        ),
      );
      if (row) sent += 1;
    }
    return sent;
  });
}
