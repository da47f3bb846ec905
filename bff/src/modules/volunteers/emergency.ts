import { and, desc, eq, gt, inArray, or, sql } from 'drizzle-orm';
import { distanceMetres, type EmergencyCall, emergencyFlow, PAGES, wechatPage } from 'shared';
import type { Actor } from '../../access/actor';
import { requireAccess } from '../../access/require-access';
import type { DbOrTx } from '../../db/client';
import { advance } from '../../db/flow-update';
import type { AppDeps } from '../../deps';
import { conflict, notFound } from '../../http/errors';
import { notDueYet } from '../../jobs/not-due-yet';
import { enqueue } from '../../jobs/outbox';
import { handles, type JobHandler } from '../../module';
import { audit } from '../audit';
import { elderContext, familyOf, logElderRead } from '../care';
import { peopleByIds } from '../identity';
import { notify } from '../notifications';
import { compoundsByIds, householdPlaces, staffCommunityIds, staffOf } from '../places';
import { emergencyEscalateJob } from './alert-jobs';
import { emergencyOwn, emergencyStaff, emergencyTold } from './alert-policies';
import { matchCandidates, requireVerified } from './profiles';
import { emergencyCalls, emergencyEvents, volunteers } from './tables';

type Deps = Pick<AppDeps, 'db' | 'clock' | 'config'>;
export type CallRow = typeof emergencyCalls.$inferSelect;
type EventRow = typeof emergencyEvents.$inferSelect;

/** Volunteers told by the first call and by each escalation round. */
export const VOLUNTEERS_PER_ROUND = 3;
/**
 * Rounds go on until staff acknowledge; this bounds a call nobody ever acknowledges (an hour at
 * the default pace) so a forgotten drill does not remind staff forever.
 */
export const MAX_ROUNDS = 60;
const LIVE: CallRow['status'][] = ['raised', 'answered'];
const DRILL = '【演练】';

type Role = 'family' | 'staff' | 'volunteer';
const ROLE_LABEL: Record<Role, string> = { family: '家人', staff: '社区工作人员', volunteer: '附近志愿者' };

/** Who is looking: the elder's side (the elder or a consented family member), staff, or a volunteer. */
export interface EmergencyViewer {
  kind: Role;
  /** The person holding the phone. */
  userId: string;
}

const thing = (s: string) => (s.length > 20 ? `${s.slice(0, 19)}…` : s);
const iso = (d: Date | null) => d?.toISOString() ?? null;
const titled = (call: CallRow, title: string) => (call.testMode ? `${DRILL}${title}` : title);
const linkFor = (role: Role, id: string) =>
  `${role === 'family' ? PAGES.helpEmergency : role === 'staff' ? PAGES.staffEmergencies : PAGES.volunteerEmergency}?id=${id}`;

/** What a told person learns: the elder side, staff and volunteers get different words. */
interface Place {
  name: string;
  address: string;
  compoundName: string;
  location: { lat: number; lng: number } | null;
}

/** 银杏院刘家: enough for a volunteer to know roughly where, not which door, until they answer. */
const householdLabel = (p: Place) => `${p.compoundName}${p.name.slice(0, 1)}家`;

async function placeOf(db: DbOrTx, call: CallRow, elderName: string): Promise<Place> {
  const place = (await householdPlaces(db, [call.householdId])).get(call.householdId);
  const compound = place ? (await compoundsByIds(db, [place.compoundId])).get(place.compoundId) : undefined;
  return {
    name: elderName,
    address: place?.address ?? '',
    compoundName: compound?.name ?? '',
    location: place?.location ?? null,
  };
}

function toldCopy(call: CallRow, place: Place, role: Role, userId: string, round: number) {
  if (role === 'family')
    return userId === call.elderId
      ? { title: '一键求助已发出', body: '已通知家人、社区和附近志愿者，请保持电话畅通，尽量待在原地' }
      : {
          title: `紧急求助：${place.name}按下了一键求助`,
          body: `已同时通知社区和附近志愿者。请尽快联系老人，地址：${place.address}`,
        };
  if (role === 'staff')
    return round === 0
      ? {
          title: `紧急求助：${place.name}`,
          body: `${place.address} 的${place.name}按下了一键求助，请立即联系处置`,
        }
      : {
          title: `紧急求助仍未处置（第${round}次提醒）`,
          body: `${place.address} 的${place.name}的一键求助还没有社区工作人员确认，请立即处置`,
        };
  return {
    title: '附近老人紧急求助',
    body: `${householdLabel(place)}需要帮助。点“我去帮忙”响应后可查看地址和电话`,
  };
}

/**
 * Tells each person once per round: the inbox row always (the app's banner reads it too), a
 * subscribe message queued unless it is a drill (it goes out only within the person's quota,
 * which the notifications module decides later). One timeline row per person told.
 */
async function tell(
  tx: DbOrTx,
  deps: Deps,
  call: CallRow,
  place: Place,
  people: { userId: string; role: Role }[],
  round: number,
): Promise<number> {
  const now = deps.clock.now();
  const events: (typeof emergencyEvents.$inferInsert)[] = [];
  for (const p of people) {
    const copy = toldCopy(call, place, p.role, p.userId, round);
    const link = linkFor(p.role, call.id);
    const wechat = !call.testMode;
    const sent = await notify(tx, {
      userId: p.userId,
      kind: 'emergency.told',
      title: titled(call, copy.title),
      body: call.testMode ? `这是一次演练，无需出动。${copy.body}` : copy.body,
      link,
      dedupeKey: `emergency.told:${call.id}:${round}:${p.userId}`,
      ...(wechat
        ? {
            wechat: {
              template: 'orderStatus' as const,
              page: wechatPage(link),
              data: {
                thing1: thing(`一键求助：${place.name}`),
                phrase2: '紧急求助',
                time3: call.createdAt.toISOString(),
              },
            },
          }
        : {}),
    });
    if (!sent) continue;
    events.push({
      callId: call.id,
      kind: 'told',
      userId: p.userId,
      channel: 'inbox',
      round,
      detail: `${ROLE_LABEL[p.role]}${wechat ? '；已排队微信订阅消息（额度用完时只有站内通知）' : ''}${call.testMode ? '；演练' : ''}`,
      createdAt: now,
    });
  }
  if (events.length) await tx.insert(emergencyEvents).values(events);
  return events.length;
}

/**
 * The nearest volunteers on duty not already told, by distance from the household's compound;
 * those whose home has no known position come last.
 */
async function nearestVolunteers(
  tx: DbOrTx,
  deps: Deps,
  call: CallRow,
  from: { lat: number; lng: number } | null,
  exclude: Set<string>,
  n: number,
): Promise<string[]> {
  const candidates = (
    await matchCandidates(tx, call.communityId, call.elderId, deps.clock.now(), deps.config.TZ_DISPLAY)
  ).filter((c) => c.onDuty && !exclude.has(c.id));
  const metres = (c: (typeof candidates)[number]) =>
    from && c.location ? distanceMetres(from, c.location) : Number.POSITIVE_INFINITY;
  const ranked = candidates
    .map((c) => ({ id: c.id, m: metres(c) }))
    .sort((a, b) => (a.m === b.m ? a.id.localeCompare(b.id) : a.m - b.m));
  return ranked.slice(0, n).map((c) => c.id);
}

async function toldIds(db: DbOrTx, callId: string): Promise<Set<string>> {
  const rows = await db
    .selectDistinct({ userId: emergencyEvents.userId })
    .from(emergencyEvents)
    .where(and(eq(emergencyEvents.callId, callId), eq(emergencyEvents.kind, 'told')));
  return new Set(rows.flatMap((r) => (r.userId ? [r.userId] : [])));
}

const escalateDelayMs = (deps: Deps) => deps.config.EMERGENCY_ESCALATE_SECONDS * 1000;

/**
 * One press of 一键求助, in one transaction: the call, everyone told at once (the family incl. the
 * elder, the community's staff, the nearest volunteers on duty), and the first escalation round
 * queued. A second press while a call is live returns that call (the lock makes two presses at
 * once one call).
 */
export async function raiseEmergency(
  deps: Deps,
  actor: Actor,
  body: { testMode: boolean },
): Promise<EmergencyCall> {
  const elderId = actor.userId;
  const viewer: EmergencyViewer = { kind: 'family', userId: actor.actorId };
  return deps.db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`emergency:${elderId}`}, 0))`);
    const [live] = await tx
      .select()
      .from(emergencyCalls)
      .where(and(eq(emergencyCalls.elderId, elderId), inArray(emergencyCalls.status, LIVE)))
      .orderBy(desc(emergencyCalls.createdAt))
      .limit(1);
    if (live) return viewOne(tx, viewer, live);
    const now = deps.clock.now();
    const elder = await elderContext(tx, elderId, now);
    if (!elder?.householdId || !elder.communityId)
      throw conflict('ELDER_HAS_NO_HOUSEHOLD', 'The elder is not a verified member of a household yet');
    const [call] = await tx
      .insert(emergencyCalls)
      .values({
        elderId,
        raisedBy: actor.actorId,
        communityId: elder.communityId,
        householdId: elder.householdId,
        testMode: body.testMode,
        createdAt: now,
      })
      .returning();
    const c = call!;
    await tx.insert(emergencyEvents).values({
      callId: c.id,
      kind: 'raised',
      userId: actor.actorId,
      channel: null,
      round: 0,
      detail: [
        body.testMode ? '演练：这是一次测试，不是真实求助' : '',
        actor.onBehalfOf ? '家人代为发起' : '',
      ]
        .filter(Boolean)
        .join('；'),
      createdAt: now,
    });
    const place = await placeOf(tx, c, elder.name);
    const family = await familyOf(tx, elderId);
    const staff = (await staffOf(tx, c.communityId)).filter((id) => !family.includes(id));
    const near = await nearestVolunteers(
      tx,
      deps,
      c,
      place.location,
      new Set([...family, ...staff]),
      VOLUNTEERS_PER_ROUND,
    );
    await tell(
      tx,
      deps,
      c,
      place,
      [
        ...family.map((userId) => ({ userId, role: 'family' as const })),
        ...staff.map((userId) => ({ userId, role: 'staff' as const })),
        ...near.map((userId) => ({ userId, role: 'volunteer' as const })),
      ],
      0,
    );
    await enqueue(tx, emergencyEscalateJob, { callId: c.id, round: 1 }, { delayMs: escalateDelayMs(deps) });
    await audit(
      tx,
      actor,
      'emergency.raised',
      { type: 'emergency_call', id: c.id },
      { testMode: body.testMode },
    );
    return viewOne(tx, viewer, c);
  });
}

/**
 * Escalation round `round`: the next nearest volunteers not yet told (while nobody has answered)
 * and all staff again, then the next round queued. Only the round after the last one sent, and
 * only while the call is raised or answered: a replayed, stale or early job changes nothing.
 */
export async function escalateEmergency(deps: Deps, callId: string, round: number): Promise<number | false> {
  return deps.db.transaction(async (tx) => {
    const [call] = await tx.select().from(emergencyCalls).where(eq(emergencyCalls.id, callId)).for('update');
    if (!call || !LIVE.includes(call.status) || call.round !== round - 1) return false;
    const dueAt = new Date(call.createdAt.getTime() + round * escalateDelayMs(deps));
    if (await notDueYet(tx, deps, dueAt, { job: emergencyEscalateJob, payload: { callId, round } }))
      return false;
    const [elderUser] = [...(await peopleByIds(tx, [call.elderId])).values()];
    const place = await placeOf(tx, call, elderUser?.name ?? '');
    const told = await toldIds(tx, callId);
    const family = await familyOf(tx, call.elderId);
    const staff = (await staffOf(tx, call.communityId)).filter((id) => !family.includes(id));
    // Once a volunteer is on the way more volunteers would only be turned away; staff still must confirm.
    const near =
      call.status === 'raised'
        ? await nearestVolunteers(
            tx,
            deps,
            call,
            place.location,
            new Set([...told, ...family, ...staff]),
            VOLUNTEERS_PER_ROUND,
          )
        : [];
    await tx.update(emergencyCalls).set({ round }).where(eq(emergencyCalls.id, callId));
    const n = await tell(
      tx,
      deps,
      { ...call, round },
      place,
      [
        ...near.map((userId) => ({ userId, role: 'volunteer' as const })),
        ...staff.map((userId) => ({ userId, role: 'staff' as const })),
      ],
      round,
    );
    if (round < MAX_ROUNDS)
      await enqueue(
        tx,
        emergencyEscalateJob,
        { callId, round: round + 1 },
        { delayMs: escalateDelayMs(deps) },
      );
    return n;
  });
}

async function callById(tx: DbOrTx, id: string): Promise<CallRow | undefined> {
  const [row] = await tx.select().from(emergencyCalls).where(eq(emergencyCalls.id, id));
  return row;
}

async function nameOf(db: DbOrTx, userId: string): Promise<string> {
  const [v] = await db
    .select({ name: volunteers.realName })
    .from(volunteers)
    .where(eq(volunteers.userId, userId));
  if (v) return v.name;
  return (await peopleByIds(db, [userId])).get(userId)?.name ?? '';
}

/** Tells these people (inbox; the family also by subscribe message unless a drill) what changed. */
async function update(
  tx: DbOrTx,
  now: Date,
  call: CallRow,
  people: { userId: string; role: Role }[],
  event: string,
  copy: { title: string; body: string },
  wechatPhrase?: string,
) {
  const seen = new Set<string>();
  for (const p of people) {
    if (seen.has(p.userId)) continue;
    seen.add(p.userId);
    const link = linkFor(p.role, call.id);
    const wechat = wechatPhrase && p.role === 'family' && !call.testMode;
    await notify(tx, {
      userId: p.userId,
      kind: `emergency.${event}`,
      title: titled(call, copy.title),
      body: copy.body,
      link,
      dedupeKey: `emergency.${event}:${call.id}:${p.userId}`,
      ...(wechat
        ? {
            wechat: {
              template: 'orderStatus' as const,
              page: wechatPage(link),
              data: { thing1: thing(copy.title), phrase2: wechatPhrase, time3: now.toISOString() },
            },
          }
        : {}),
    });
  }
}

/** Everyone told of the call, by their part in it (for the notices of what happened next). */
async function audienceOf(tx: DbOrTx, call: CallRow) {
  const family = await familyOf(tx, call.elderId);
  const staff = new Set(await staffOf(tx, call.communityId));
  const told = await toldIds(tx, call.id);
  const all = new Set([...family, ...told, ...(call.responderId ? [call.responderId] : [])]);
  return [...all].map((userId) => ({
    userId,
    role: (family.includes(userId) ? 'family' : staff.has(userId) ? 'staff' : 'volunteer') as Role,
  }));
}

/**
 * The first volunteer who answers is the responder (one conditional UPDATE decides a race); they
 * are shown the address and phone, and the family and staff are told who is coming.
 */
export async function answerEmergency(deps: Deps, actor: Actor, id: string): Promise<EmergencyCall> {
  await requireAccess(deps.db, actor, emergencyTold, id);
  const viewer: EmergencyViewer = { kind: 'volunteer', userId: actor.actorId };
  return deps.db.transaction(async (tx) => {
    await requireVerified(tx, actor.actorId);
    const now = deps.clock.now();
    const [moved] = await advance(
      tx,
      emergencyCalls,
      emergencyCalls.status,
      emergencyFlow,
      'answer',
      and(eq(emergencyCalls.id, id), sql`${emergencyCalls.elderId} <> ${actor.actorId}`),
      { responderId: actor.actorId, answeredAt: now },
    );
    if (!moved) {
      const current = await callById(tx, id);
      if (!current || current.elderId === actor.actorId) throw notFound();
      if (current.responderId === actor.actorId) return viewOne(tx, viewer, current);
      if (current.responderId)
        throw conflict('EMERGENCY_ANSWERED', 'Another volunteer has already answered this call');
      throw conflict('EMERGENCY_NOT_LIVE', 'This call is no longer waiting for a volunteer');
    }
    await tx.insert(emergencyEvents).values({
      callId: id,
      kind: 'answered',
      userId: actor.actorId,
      channel: null,
      round: moved.round,
      detail: '志愿者已响应，正在赶往',
      createdAt: now,
    });
    const name = await nameOf(tx, actor.actorId);
    const elderName = (await peopleByIds(tx, [moved.elderId])).get(moved.elderId)?.name ?? '老人';
    const audience = (await audienceOf(tx, moved)).filter((p) => p.userId !== actor.actorId);
    await update(
      tx,
      now,
      moved,
      audience.filter((p) => p.role !== 'volunteer'),
      'answered',
      { title: `志愿者${name}正在赶来`, body: `${name}已响应${elderName}的一键求助，正在赶往` },
      '正在赶来',
    );
    await update(
      tx,
      now,
      moved,
      audience.filter((p) => p.role === 'volunteer'),
      'answered',
      {
        title: '已有志愿者响应',
        body: `志愿者${name}已响应这次求助，其他志愿者无需前往`,
      },
    );
    await audit(tx, actor, 'emergency.answered', { type: 'emergency_call', id });
    return viewOne(tx, viewer, moved);
  });
}

/** Staff have it in hand: escalation stops (the next round finds the call acknowledged). */
export async function acknowledgeEmergency(deps: Deps, actor: Actor, id: string): Promise<EmergencyCall> {
  await requireAccess(deps.db, actor, emergencyStaff, id);
  const viewer: EmergencyViewer = { kind: 'staff', userId: actor.actorId };
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const [moved] = await advance(
      tx,
      emergencyCalls,
      emergencyCalls.status,
      emergencyFlow,
      'acknowledge',
      eq(emergencyCalls.id, id),
      {
        acknowledgedBy: actor.actorId,
        acknowledgedAt: now,
      },
    );
    if (!moved) {
      const current = (await callById(tx, id))!;
      if (current.status === 'acknowledged' && current.acknowledgedBy === actor.actorId)
        return viewOne(tx, viewer, current);
      throw conflict('EMERGENCY_NOT_LIVE', 'This call has already been handled or cancelled');
    }
    await tx.insert(emergencyEvents).values({
      callId: id,
      kind: 'acknowledged',
      userId: actor.actorId,
      channel: null,
      round: moved.round,
      detail: '社区已确认，停止继续呼叫',
      createdAt: now,
    });
    const name = await nameOf(tx, actor.actorId);
    const audience = (await audienceOf(tx, moved)).filter(
      (p) => p.userId !== actor.actorId && (p.role === 'family' || p.userId === moved.responderId),
    );
    await update(
      tx,
      now,
      moved,
      audience,
      'acknowledged',
      { title: `社区工作人员${name}已接手`, body: `社区工作人员${name}已确认这次求助，正在处置` },
      '社区已接手',
    );
    await audit(tx, actor, 'emergency.acknowledged', { type: 'emergency_call', id });
    return viewOne(tx, viewer, moved);
  });
}

/** Staff close a call with a note of what happened; everyone told hears it is over. */
export async function resolveEmergency(
  deps: Deps,
  actor: Actor,
  id: string,
  note: string,
): Promise<EmergencyCall> {
  await requireAccess(deps.db, actor, emergencyStaff, id);
  const viewer: EmergencyViewer = { kind: 'staff', userId: actor.actorId };
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const [moved] = await advance(
      tx,
      emergencyCalls,
      emergencyCalls.status,
      emergencyFlow,
      'resolve',
      eq(emergencyCalls.id, id),
      {
        resolvedAt: now,
        note: note || null,
        acknowledgedBy: sql`coalesce(${emergencyCalls.acknowledgedBy}, ${actor.actorId}::uuid)`,
        acknowledgedAt: sql`coalesce(${emergencyCalls.acknowledgedAt}, ${now.toISOString()}::timestamptz)`,
      },
    );
    if (!moved) throw conflict('EMERGENCY_NOT_LIVE', 'This call has already been closed');
    await tx.insert(emergencyEvents).values({
      callId: id,
      kind: 'resolved',
      userId: actor.actorId,
      channel: null,
      round: moved.round,
      detail: note,
      createdAt: now,
    });
    const name = await nameOf(tx, actor.actorId);
    await update(
      tx,
      now,
      moved,
      (await audienceOf(tx, moved)).filter((p) => p.userId !== actor.actorId),
      'resolved',
      { title: `社区工作人员${name}已处理`, body: note ? `一键求助已处理：${note}` : '一键求助已处理完毕' },
      '已处理',
    );
    await audit(tx, actor, 'emergency.resolved', { type: 'emergency_call', id }, note ? { note } : undefined);
    return viewOne(tx, viewer, moved);
  });
}

/** The elder or family call it off (a false alarm) while it is raised or answered. */
export async function cancelEmergency(
  deps: Deps,
  actor: Actor,
  id: string,
  note: string,
): Promise<EmergencyCall> {
  await requireAccess(deps.db, actor, emergencyOwn, id);
  const viewer: EmergencyViewer = { kind: 'family', userId: actor.actorId };
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const [moved] = await advance(
      tx,
      emergencyCalls,
      emergencyCalls.status,
      emergencyFlow,
      'cancel',
      eq(emergencyCalls.id, id),
      {
        resolvedAt: now,
        note: note || null,
      },
    );
    if (!moved)
      throw conflict(
        'EMERGENCY_NOT_LIVE',
        'This call has already been handled and can no longer be cancelled',
      );
    await tx.insert(emergencyEvents).values({
      callId: id,
      kind: 'cancelled',
      userId: actor.actorId,
      channel: null,
      round: moved.round,
      detail: note || '误报，已取消',
      createdAt: now,
    });
    const elderName = (await peopleByIds(tx, [moved.elderId])).get(moved.elderId)?.name ?? '老人';
    await update(
      tx,
      now,
      moved,
      (await audienceOf(tx, moved)).filter((p) => p.userId !== actor.actorId),
      'cancelled',
      {
        title: '一键求助已取消',
        body: `${elderName}的一键求助已取消（误报），无需前往${note ? `：${note}` : ''}`,
      },
    );
    await audit(
      tx,
      actor,
      'emergency.cancelled',
      { type: 'emergency_call', id },
      note ? { note } : undefined,
    );
    return viewOne(tx, viewer, moved);
  });
}

// ---- reads --------------------------------------------------------------------------------------

const ORDER = [desc(emergencyCalls.createdAt), desc(emergencyCalls.id)];

export async function elderEmergencies(deps: Deps, actor: Actor) {
  const rows = await deps.db
    .select()
    .from(emergencyCalls)
    .where(eq(emergencyCalls.elderId, actor.userId))
    .orderBy(...ORDER)
    .limit(50);
  return { items: await callViews(deps.db, () => ({ kind: 'family', userId: actor.actorId }), rows) };
}

export async function elderEmergency(deps: Deps, actor: Actor, id: string) {
  await requireAccess(deps.db, actor, emergencyOwn, id);
  return viewOne(deps.db, { kind: 'family', userId: actor.actorId }, (await callById(deps.db, id))!);
}

/** Calls the volunteer was told of or answered, live ones and the last week's. */
export async function volunteerEmergencies(deps: Deps, actor: Actor) {
  const me = actor.actorId;
  const since = new Date(deps.clock.now().getTime() - 7 * 24 * 3600_000);
  const rows = await deps.db
    .select()
    .from(emergencyCalls)
    .where(
      and(
        or(eq(emergencyCalls.responderId, me), inArray(emergencyCalls.id, toldTo(deps.db, me))),
        or(inArray(emergencyCalls.status, LIVE), gt(emergencyCalls.createdAt, since)),
      ),
    )
    .orderBy(sql`${emergencyCalls.status} IN ('raised', 'answered') DESC`, ...ORDER)
    .limit(50);
  return { items: await callViews(deps.db, () => ({ kind: 'volunteer', userId: me }), rows) };
}

export async function staffEmergencies(deps: Deps, actor: Actor) {
  const rows = await deps.db
    .select()
    .from(emergencyCalls)
    .where(inArray(emergencyCalls.communityId, staffCommunityIds(deps.db, actor.actorId)))
    .orderBy(sql`${emergencyCalls.status} IN ('raised', 'answered', 'acknowledged') DESC`, ...ORDER)
    .limit(100);
  return { items: await callViews(deps.db, () => ({ kind: 'staff', userId: actor.actorId }), rows) };
}

const toldTo = (db: DbOrTx, userId: string) =>
  db
    .select({ id: emergencyEvents.callId })
    .from(emergencyEvents)
    .where(and(eq(emergencyEvents.kind, 'told'), eq(emergencyEvents.userId, userId)));

/**
 * The in-app banner: live calls the caller raised or was told of, whatever their subscribe quota
 * (the app polls it, so an alert reaches someone who never granted a message).
 */
export async function emergencyBanner(deps: Deps, actor: Actor) {
  const me = actor.actorId;
  const rows = await deps.db
    .select()
    .from(emergencyCalls)
    .where(
      and(
        inArray(emergencyCalls.status, LIVE),
        or(
          eq(emergencyCalls.raisedBy, me),
          eq(emergencyCalls.elderId, me),
          inArray(emergencyCalls.id, toldTo(deps.db, me)),
        ),
      ),
    )
    .orderBy(...ORDER)
    .limit(20);
  const families = new Map<string, string[]>();
  for (const elderId of new Set(rows.map((r) => r.elderId)))
    families.set(elderId, await familyOf(deps.db, elderId));
  const staffed = new Set((await staffCommunityIds(deps.db, me)).map((r) => r.id));
  return {
    items: await callViews(
      deps.db,
      (r) => ({
        kind:
          r.raisedBy === me || families.get(r.elderId)?.includes(me)
            ? 'family'
            : staffed.has(r.communityId)
              ? 'staff'
              : 'volunteer',
        userId: me,
      }),
      rows,
    ),
  };
}

// ---- the view -----------------------------------------------------------------------------------

const viewOne = async (db: DbOrTx, viewer: EmergencyViewer, row: CallRow) =>
  (await callViews(db, () => viewer, [row]))[0]!;

function headlineOf(
  call: CallRow,
  names: { responder: string | null; acknowledgedBy: string | null },
  volunteersTold: number,
): string {
  const head = (() => {
    switch (call.status) {
      case 'raised':
        return volunteersTold > 0
          ? `已通知家人、社区和 ${volunteersTold} 位附近志愿者，正在等待响应`
          : '已通知家人和社区，正在等待响应';
      case 'answered':
        return `志愿者${names.responder ?? ''}正在赶来`;
      case 'acknowledged':
        return call.responderId
          ? `志愿者${names.responder ?? ''}正在赶来，社区工作人员${names.acknowledgedBy ?? ''}已接手`
          : `社区工作人员${names.acknowledgedBy ?? ''}已接手，正在处置`;
      case 'resolved':
        return `社区工作人员${names.acknowledgedBy ?? ''}已处理`;
      case 'cancelled':
        return '求助已取消';
    }
  })();
  return call.testMode ? `${DRILL}${head}` : head;
}

/**
 * Calls as the viewer may see them. The address and phone go to the elder's side, staff and the
 * responder; every read of them by someone other than the family is written to the elder's access
 * log. Volunteers see the timeline's state changes and their own notices, not who else was told.
 */
export async function callViews(
  db: DbOrTx,
  viewerOf: (row: CallRow) => EmergencyViewer,
  rows: CallRow[],
): Promise<EmergencyCall[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const events = await db
    .select()
    .from(emergencyEvents)
    .where(inArray(emergencyEvents.callId, ids))
    .orderBy(emergencyEvents.createdAt, emergencyEvents.id);
  const byCall = new Map<string, EventRow[]>();
  for (const e of events) byCall.set(e.callId, [...(byCall.get(e.callId) ?? []), e]);
  const userIds = [
    ...new Set([
      ...rows.flatMap((r) => [
        r.elderId,
        ...(r.responderId ? [r.responderId] : []),
        ...(r.acknowledgedBy ? [r.acknowledgedBy] : []),
      ]),
      ...events.flatMap((e) => (e.userId ? [e.userId] : [])),
    ]),
  ];
  const [people, volunteerNames] = await Promise.all([
    peopleByIds(db, userIds),
    db
      .select({ id: volunteers.userId, name: volunteers.realName })
      .from(volunteers)
      .where(inArray(volunteers.userId, userIds))
      .then((vs) => new Map(vs.map((v) => [v.id, v.name]))),
  ]);
  const nameOfId = (id: string | null) =>
    id ? (volunteerNames.get(id) ?? people.get(id)?.name ?? null) : null;
  const families = new Map<string, Set<string>>();
  for (const elderId of new Set(rows.map((r) => r.elderId)))
    families.set(elderId, new Set(await familyOf(db, elderId)));
  const staffs = new Map<string, Set<string>>();
  for (const communityId of new Set(rows.map((r) => r.communityId)))
    staffs.set(communityId, new Set(await staffOf(db, communityId)));

  const out: EmergencyCall[] = [];
  for (const r of rows) {
    const viewer = viewerOf(r);
    const elderUser = people.get(r.elderId);
    const place = await placeOf(db, r, elderUser?.name ?? '');
    const family = families.get(r.elderId)!;
    const staff = staffs.get(r.communityId)!;
    const evs = byCall.get(r.id) ?? [];
    const volunteersTold = new Set(
      evs
        .filter((e) => e.kind === 'told' && e.userId && !family.has(e.userId) && !staff.has(e.userId))
        .map((e) => e.userId),
    ).size;
    const isResponder = viewer.kind === 'volunteer' && r.responderId === viewer.userId;
    const wasTold = evs.some((e) => e.kind === 'told' && e.userId === viewer.userId);
    // The responder needs the door only while the call is open; afterwards it is none of theirs.
    const seesPlace =
      viewer.kind === 'family' ||
      viewer.kind === 'staff' ||
      (isResponder && r.status !== 'resolved' && r.status !== 'cancelled');
    if (seesPlace && viewer.kind !== 'family')
      await logElderRead(db, {
        elderId: r.elderId,
        readerId: viewer.userId,
        fields: ['address', 'phone'],
        reason: isResponder ? '一键求助响应' : '一键求助处置',
      });
    const live = LIVE.includes(r.status);
    const timeline = evs
      .filter((e) => viewer.kind !== 'volunteer' || e.kind !== 'told' || e.userId === viewer.userId)
      .map((e) => ({
        kind: e.kind,
        who: nameOfId(e.userId),
        channel: e.channel,
        round: e.round,
        detail: e.detail,
        at: e.createdAt.toISOString(),
      }));
    const responderName = nameOfId(r.responderId);
    const acknowledgedByName = nameOfId(r.acknowledgedBy);
    out.push({
      id: r.id,
      status: r.status,
      testMode: r.testMode,
      elderName: seesPlace ? place.name : householdLabel(place),
      address: seesPlace ? place.address : null,
      phone: seesPlace ? (elderUser?.phone ?? null) : null,
      round: r.round,
      responderName,
      acknowledgedByName,
      createdAt: r.createdAt.toISOString(),
      answeredAt: iso(r.answeredAt),
      acknowledgedAt: iso(r.acknowledgedAt),
      resolvedAt: iso(r.resolvedAt),
      headline: headlineOf(
        r,
        { responder: responderName, acknowledgedBy: acknowledgedByName },
        volunteersTold,
      ),
      timeline,
      can: {
        answer:
          viewer.kind === 'volunteer' && r.status === 'raised' && wasTold && r.elderId !== viewer.userId,
        acknowledge: viewer.kind === 'staff' && live,
        resolve: viewer.kind === 'staff' && (live || r.status === 'acknowledged'),
        cancel: viewer.kind === 'family' && live,
      },
    });
  }
  return out;
}

export const emergencyJobs: JobHandler[] = [
  handles(emergencyEscalateJob, (p, deps) => escalateEmergency(deps, p.callId, p.round)),
];
