import { and, asc, eq, gte, inArray, isNotNull, sql } from 'drizzle-orm';
import {
  type AvailabilitySlot,
  addDays,
  localClock,
  type MatchCandidate,
  PAGES,
  VOLUNTEER_STATUS_LABELS,
  type VolunteerProfile,
  volunteerFlow,
  zonedInstant,
} from 'shared';
import type { Actor } from '../../access/actor';
import { requireAccess } from '../../access/require-access';
import type { DbOrTx } from '../../db/client';
import { advance } from '../../db/flow-update';
import type { AppDeps } from '../../deps';
import { badRequest, conflict, fieldConflict, forbidden, notFound } from '../../http/errors';
import { audit } from '../audit';
import { grantRole, peopleByIds } from '../identity';
import { approvedCompounds } from '../memberships';
import { notify } from '../notifications';
import { compoundsByIds, staffCommunityIds } from '../places';
import { volunteerStaff } from './policies';
import { helpTasks, taskOffers, timeBankLedger, volunteers } from './tables';

type Deps = Pick<AppDeps, 'db' | 'clock' | 'config'>;
export type VolunteerRow = typeof volunteers.$inferSelect;

/** Monday 00:00 local time of the week holding `now`: weekly caps and fairness count from here. */
export function weekStart(now: Date, tz: string): Date {
  const local = localClock(now, tz);
  return zonedInstant(addDays(local.date, -(local.weekday - 1)), '00:00', tz);
}

export async function volunteerRow(db: DbOrTx, userId: string): Promise<VolunteerRow | undefined> {
  const [row] = await db.select().from(volunteers).where(eq(volunteers.userId, userId));
  return row;
}

/** The caller as a verified volunteer, or 403 saying why not. */
export async function requireVerified(db: DbOrTx, userId: string): Promise<VolunteerRow> {
  const row = await volunteerRow(db, userId);
  if (!row) throw forbidden('Register as a volunteer first');
  if (row.status === 'suspended')
    throw conflict('VOLUNTEER_SUSPENDED', `Your volunteer account is suspended: ${row.suspendReason ?? ''}`);
  if (row.status !== 'verified')
    throw conflict('VOLUNTEER_NOT_VERIFIED', 'Your volunteer profile has not been verified by staff yet');
  return row;
}

/** Whether a volunteer receives offers right now. */
export const receivesOffers = (v: VolunteerRow, now: Date) =>
  v.status === 'verified' && v.onDuty && (!v.pausedUntil || v.pausedUntil <= now);

/**
 * Minutes a volunteer has this week: tasks taken or done with a window starting this week (the
 * confirmed minutes where known, else the task's length) plus activity credits.
 */
export async function weekMinutesOf(
  db: DbOrTx,
  userIds: string[],
  now: Date,
  tz: string,
): Promise<Map<string, number>> {
  const out = new Map<string, number>(userIds.map((id) => [id, 0]));
  if (userIds.length === 0) return out;
  const since = weekStart(now, tz);
  const [tasks, activities] = await Promise.all([
    db
      .select({
        userId: helpTasks.volunteerId,
        min: sql<number>`sum(coalesce(${helpTasks.resolvedMinutes}, ${helpTasks.minutes}, ${helpTasks.durationMin}))::int`,
      })
      .from(helpTasks)
      .where(
        and(
          inArray(helpTasks.volunteerId, userIds),
          inArray(helpTasks.status, ['accepted', 'in_progress', 'done']),
          gte(helpTasks.windowStart, since),
        ),
      )
      .groupBy(helpTasks.volunteerId),
    db
      .select({ userId: timeBankLedger.userId, min: sql<number>`sum(${timeBankLedger.deltaMin})::int` })
      .from(timeBankLedger)
      .where(
        and(
          inArray(timeBankLedger.userId, userIds),
          isNotNull(timeBankLedger.activityId),
          gte(timeBankLedger.createdAt, since),
        ),
      )
      .groupBy(timeBankLedger.userId),
  ]);
  for (const r of [...tasks, ...activities])
    if (r.userId) out.set(r.userId, (out.get(r.userId) ?? 0) + r.min);
  return out;
}

export async function profileViews(
  db: DbOrTx,
  rows: VolunteerRow[],
  now: Date,
  tz: string,
): Promise<VolunteerProfile[]> {
  const ids = rows.map((r) => r.userId);
  const [people, places, weeks] = await Promise.all([
    peopleByIds(db, ids),
    compoundsByIds(
      db,
      rows.map((r) => r.compoundId),
    ),
    weekMinutesOf(db, ids, now, tz),
  ]);
  return rows.map((r) => ({
    userId: r.userId,
    realName: r.realName,
    idTail: r.idTail,
    phone: people.get(r.userId)?.phone ?? null,
    communityId: r.communityId,
    compoundId: r.compoundId,
    compoundName: places.get(r.compoundId)?.name ?? '',
    buildingId: r.buildingId,
    skills: r.skills as VolunteerProfile['skills'],
    availability: r.availability,
    weeklyCapMin: r.weeklyCapMin,
    status: r.status,
    onDuty: r.onDuty,
    pausedUntil: r.pausedUntil?.toISOString() ?? null,
    reviewNote: r.reviewNote,
    suspendReason: r.suspendReason,
    rating: r.ratingCount ? Math.round((r.ratingSum / r.ratingCount) * 10) / 10 : null,
    ratingCount: r.ratingCount,
    leaderboardOptOut: r.leaderboardOptOut,
    weekMin: weeks.get(r.userId) ?? 0,
    createdAt: r.createdAt.toISOString(),
  }));
}

const oneView = async (deps: Deps, row: VolunteerRow) =>
  (await profileViews(deps.db, [row], deps.clock.now(), deps.config.TZ_DISPLAY))[0]!;

export async function myVolunteer(deps: Deps, actor: Actor) {
  const row = await volunteerRow(deps.db, actor.actorId);
  return { volunteer: row ? await oneView(deps, row) : null };
}

/** The home compound must be one the person lives in (a verified household member). */
async function checkHome(db: DbOrTx, userId: string, compoundId: string) {
  if (!(await approvedCompounds(db, userId)).includes(compoundId))
    throw fieldConflict(
      'VOLUNTEER_HOME_NOT_VERIFIED',
      'Choose a compound where you are a verified resident',
      'body.compoundId',
      422,
    );
  const place = (await compoundsByIds(db, [compoundId])).get(compoundId);
  if (!place) throw notFound('Compound');
  return place;
}

/** A first application, or a fixed one after a rejection; staff of the home community review it. */
export async function applyVolunteer(
  deps: Deps,
  actor: Actor,
  body: {
    realName: string;
    idTail: string;
    compoundId: string;
    buildingId?: string;
    skills: string[];
    availability: AvailabilitySlot[];
    weeklyCapMin: number;
  },
) {
  const place = await checkHome(deps.db, actor.actorId, body.compoundId);
  const row = await deps.db.transaction(async (tx) => {
    const values = {
      realName: body.realName,
      idTail: body.idTail.toUpperCase(),
      compoundId: body.compoundId,
      communityId: place.communityId,
      buildingId: body.buildingId ?? null,
      skills: [...new Set(body.skills)],
      availability: body.availability,
      weeklyCapMin: body.weeklyCapMin,
      updatedAt: deps.clock.now(),
    };
    const [created] = await tx
      .insert(volunteers)
      .values({ userId: actor.actorId, ...values })
      .onConflictDoNothing()
      .returning();
    let row = created;
    if (!row) {
      [row] = await advance(
        tx,
        volunteers,
        volunteers.status,
        volunteerFlow,
        'reapply',
        eq(volunteers.userId, actor.actorId),
        {
          ...values,
          reviewNote: null,
        },
      );
      if (!row) throw conflict('VOLUNTEER_EXISTS', 'You have already registered as a volunteer');
    }
    await audit(tx, actor, 'volunteer.applied', { type: 'volunteer', id: actor.actorId });
    return row;
  });
  return oneView(deps, row);
}

export async function updateVolunteer(
  deps: Deps,
  actor: Actor,
  body: Partial<{
    skills: string[];
    availability: AvailabilitySlot[];
    weeklyCapMin: number;
    onDuty: boolean;
    pausedUntil: string | null;
    leaderboardOptOut: boolean;
    compoundId: string;
    buildingId: string | null;
  }>,
) {
  const existing = await volunteerRow(deps.db, actor.actorId);
  if (!existing) throw notFound('Volunteer profile');
  const place = body.compoundId ? await checkHome(deps.db, actor.actorId, body.compoundId) : null;
  if (place && place.communityId !== existing.communityId)
    throw fieldConflict(
      'VOLUNTEER_OTHER_COMMUNITY',
      'Moving to another community needs a new registration there',
      'body.compoundId',
      422,
    );
  const [row] = await deps.db
    .update(volunteers)
    .set({
      ...(body.skills ? { skills: [...new Set(body.skills)] } : {}),
      ...(body.availability ? { availability: body.availability } : {}),
      ...(body.weeklyCapMin !== undefined ? { weeklyCapMin: body.weeklyCapMin } : {}),
      ...(body.onDuty !== undefined ? { onDuty: body.onDuty } : {}),
      ...(body.pausedUntil !== undefined
        ? { pausedUntil: body.pausedUntil ? new Date(body.pausedUntil) : null }
        : {}),
      ...(body.leaderboardOptOut !== undefined ? { leaderboardOptOut: body.leaderboardOptOut } : {}),
      ...(body.compoundId ? { compoundId: body.compoundId } : {}),
      ...(body.buildingId !== undefined ? { buildingId: body.buildingId } : {}),
      updatedAt: deps.clock.now(),
    })
    .where(eq(volunteers.userId, actor.actorId))
    .returning();
  return oneView(deps, row!);
}

export async function staffVolunteers(deps: Deps, actor: Actor, status: VolunteerRow['status']) {
  const rows = await deps.db
    .select()
    .from(volunteers)
    .where(
      and(
        eq(volunteers.status, status),
        inArray(volunteers.communityId, staffCommunityIds(deps.db, actor.actorId)),
      ),
    )
    .orderBy(asc(volunteers.createdAt))
    .limit(300);
  return { items: await profileViews(deps.db, rows, deps.clock.now(), deps.config.TZ_DISPLAY) };
}

const REVIEW_COPY = {
  verify: { title: '志愿者认证已通过', body: '欢迎加入社区志愿者！打开“志愿服务”即可接单、报名活动。' },
  reject: { title: '志愿者认证未通过', body: '请根据审核意见修改资料后重新提交：' },
  suspend: { title: '志愿者账号已停用', body: '社区已暂停你的志愿服务：' },
  reinstate: { title: '志愿者账号已恢复', body: '你可以继续接单了。' },
} as const;

/** Staff decide once per state (the conditional update settles two reviewers racing). */
export async function reviewVolunteer(
  deps: Deps,
  actor: Actor,
  id: string,
  event: 'verify' | 'reject' | 'suspend' | 'reinstate',
  note?: string,
): Promise<VolunteerProfile> {
  await requireAccess(deps.db, actor, volunteerStaff, id);
  if (event === 'reject' && !note)
    throw badRequest('VALIDATION_FAILED', 'Say why', [
      { path: 'body.note', message: 'is required to reject' },
    ]);
  const row = await deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const [row] = await advance(
      tx,
      volunteers,
      volunteers.status,
      volunteerFlow,
      event,
      eq(volunteers.userId, id),
      {
        ...(event === 'suspend' ? { suspendReason: note ?? null } : {}),
        ...(event === 'reinstate' ? { suspendReason: null } : {}),
        ...(event === 'verify' || event === 'reject'
          ? { reviewNote: note ?? null, reviewedBy: actor.actorId, reviewedAt: now }
          : {}),
        updatedAt: now,
      },
    );
    if (!row)
      throw conflict(
        'VOLUNTEER_STATE_CHANGED',
        `This volunteer is ${VOLUNTEER_STATUS_LABELS[(await volunteerRow(tx, id))!.status]} now; reload`,
      );
    if (event === 'verify') await grantRole(tx, id, 'volunteer');
    await audit(tx, actor, `volunteer.${event}`, { type: 'volunteer', id }, note ? { note } : undefined);
    const copy = REVIEW_COPY[event];
    await notify(tx, {
      userId: id,
      kind: `volunteer.${event}`,
      title: copy.title,
      body: event === 'reject' || event === 'suspend' ? `${copy.body}${note ?? ''}` : copy.body,
      link: event === 'reject' ? PAGES.volunteerApply : PAGES.volunteerHome,
      dedupeKey: `volunteer.${event}:${id}:${now.getTime()}`,
    });
    return row;
  });
  return oneView(deps, row);
}

/**
 * Everyone who could be offered a task in a community, as the matcher sees them: place, skills,
 * availability, this week's load and declines, rating, and good past visits with this elder.
 */
export async function matchCandidates(
  db: DbOrTx,
  communityId: string,
  /** Whose task it is (for past good visits); null to score many elders' tasks at once. */
  elderId: string | null,
  now: Date,
  tz: string,
): Promise<(MatchCandidate & { row: VolunteerRow })[]> {
  const rows = (
    await db
      .select()
      .from(volunteers)
      .where(and(eq(volunteers.communityId, communityId), eq(volunteers.status, 'verified')))
  ).filter((v) => v.userId !== elderId);
  const ids = rows.map((r) => r.userId);
  if (ids.length === 0) return [];
  const since = weekStart(now, tz);
  const [places, weeks, declines, history] = await Promise.all([
    compoundsByIds(db, [...new Set(rows.map((r) => r.compoundId))]),
    weekMinutesOf(db, ids, now, tz),
    db
      .select({ userId: taskOffers.volunteerId, n: sql<number>`count(*)::int` })
      .from(taskOffers)
      .where(and(inArray(taskOffers.volunteerId, ids), gte(taskOffers.declinedAt, since)))
      .groupBy(taskOffers.volunteerId),
    elderId === null
      ? Promise.resolve([] as { userId: string | null; n: number }[])
      : db
          .select({ userId: helpTasks.volunteerId, n: sql<number>`count(*)::int` })
          .from(helpTasks)
          .where(
            and(
              eq(helpTasks.elderId, elderId ?? ''),
              inArray(helpTasks.volunteerId, ids),
              eq(helpTasks.status, 'done'),
              sql`coalesce(${helpTasks.rating}, 5) >= 4`,
              sql`${helpTasks.hoursStatus} <> 'disputed'`,
            ),
          )
          .groupBy(helpTasks.volunteerId),
  ]);
  const declined = new Map(declines.map((d) => [d.userId, d.n]));
  const good = new Map(history.map((h) => [h.userId!, h.n]));
  return rows.map((r) => {
    const place = places.get(r.compoundId);
    return {
      row: r,
      id: r.userId,
      skills: r.skills,
      location: place?.lat != null && place.lng != null ? { lat: place.lat, lng: place.lng } : null,
      availability: r.availability,
      onDuty: receivesOffers(r, now),
      weekMinutes: weeks.get(r.userId) ?? 0,
      weeklyCapMinutes: r.weeklyCapMin,
      declinedThisWeek: declined.get(r.userId) ?? 0,
      rating: r.ratingCount ? r.ratingSum / r.ratingCount : null,
      goodVisitsWithElder: good.get(r.userId) ?? 0,
    };
  });
}
