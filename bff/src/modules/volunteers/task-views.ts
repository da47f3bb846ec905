import { and, eq, inArray } from 'drizzle-orm';
import { distanceMetres, type HelpTask, TAKEABLE_TASK_STATES } from 'shared';
import type { DbOrTx } from '../../db/client';
import type { AppDeps } from '../../deps';
import { elderContext, logElderRead } from '../care';
import { peopleByIds } from '../identity';
import { compoundsByIds } from '../places';
import { errandPickup } from './errands';
import { type helpTasks, taskOffers, volunteers } from './tables';

export type TaskRow = typeof helpTasks.$inferSelect;

/** Who is looking: the elder's side (elder or consented family), a volunteer, or staff. */
export interface Viewer {
  kind: 'elder' | 'volunteer' | 'staff';
  /** The person holding the phone. */
  userId: string;
}

/** 王家: enough to recognise a neighbour's task, not to find the door. */
const householdLabel = (name: string | undefined) => (name ? `${name.slice(0, 1)}家` : '邻居');

const iso = (d: Date | null) => d?.toISOString() ?? null;

/**
 * Tasks as the viewer may see them. The elder's address and phone go only to the volunteer who
 * holds the task while it is active; each such read is written to the elder's access log.
 */
export async function taskViews(
  db: DbOrTx,
  deps: Pick<AppDeps, 'clock'>,
  viewer: Viewer,
  rows: TaskRow[],
): Promise<HelpTask[]> {
  if (rows.length === 0) return [];
  const now = deps.clock.now();
  const [people, places, me, offers] = await Promise.all([
    peopleByIds(
      db,
      rows.flatMap((r) => [r.elderId, ...(r.volunteerId ? [r.volunteerId] : [])]),
    ),
    compoundsByIds(db, [...new Set(rows.map((r) => r.compoundId))]),
    viewer.kind === 'volunteer'
      ? db
          .select()
          .from(volunteers)
          .where(eq(volunteers.userId, viewer.userId))
          .then((r) => r[0])
      : Promise.resolve(undefined),
    viewer.kind === 'volunteer'
      ? db
          .select()
          .from(taskOffers)
          .where(
            and(
              eq(taskOffers.volunteerId, viewer.userId),
              inArray(
                taskOffers.taskId,
                rows.map((r) => r.id),
              ),
            ),
          )
      : Promise.resolve([]),
  ]);
  const home = me ? (await compoundsByIds(db, [me.compoundId])).get(me.compoundId) : undefined;
  const offerOf = new Map(offers.map((o) => [o.taskId, o]));
  const volunteerNames = new Map<string, string>();
  const vIds = [...new Set(rows.flatMap((r) => (r.volunteerId ? [r.volunteerId] : [])))];
  if (vIds.length)
    for (const v of await db
      .select({ id: volunteers.userId, name: volunteers.realName })
      .from(volunteers)
      .where(inArray(volunteers.userId, vIds)))
      volunteerNames.set(v.id, v.name);
  const out: HelpTask[] = [];
  for (const r of rows) {
    const elder = people.get(r.elderId);
    const place = places.get(r.compoundId);
    const holder = viewer.kind === 'volunteer' && r.volunteerId === viewer.userId;
    const active = r.status === 'accepted' || r.status === 'in_progress';
    let contact: HelpTask['contact'] = null;
    if (holder && active) {
      const ctx = await elderContext(db, r.elderId, now);
      contact = {
        elderName: ctx?.name ?? elder?.name ?? '',
        address: ctx?.address ?? '',
        phone: ctx?.phone ?? null,
      };
      await logElderRead(db, {
        elderId: r.elderId,
        readerId: viewer.userId,
        fields: ['address', 'phone'],
        reason: `志愿者上门服务：${r.title}`,
      });
    }
    const takeable = (TAKEABLE_TASK_STATES as readonly string[]).includes(r.status) && r.deadline > now;
    const elderSide = viewer.kind === 'elder';
    const offer = offerOf.get(r.id);
    const distance =
      home?.lat != null && home.lng != null && place?.lat != null && place.lng != null
        ? Math.round(distanceMetres({ lat: home.lat, lng: home.lng }, { lat: place.lat, lng: place.lng }))
        : null;
    out.push({
      id: r.id,
      status: r.status,
      source: r.source,
      skill: r.skill as HelpTask['skill'],
      title: r.title,
      note: r.note,
      urgency: r.urgency,
      windowStart: r.windowStart.toISOString(),
      windowEnd: r.windowEnd.toISOString(),
      durationMin: r.durationMin,
      deadline: r.deadline.toISOString(),
      compoundName: place?.name ?? '',
      elderLabel:
        elderSide || viewer.kind === 'staff' || (holder && active)
          ? (elder?.name ?? '')
          : householdLabel(elder?.name),
      contact,
      distanceMetres: distance,
      volunteerName: r.volunteerId ? (volunteerNames.get(r.volunteerId) ?? null) : null,
      acceptedAt: iso(r.acceptedAt),
      startedAt: iso(r.startedAt),
      finishedAt: iso(r.finishedAt),
      minutes: r.resolvedMinutes ?? r.minutes,
      hoursStatus: r.hoursStatus,
      hoursConfirmBy: iso(r.hoursConfirmBy),
      disputeNote: r.disputeNote,
      rating: r.rating,
      paidMinutes: r.paidMinutes,
      checkinCode: elderSide && (takeable || active) ? r.checkinCode : null,
      pickup: holder && active ? await errandPickup(db, r, now) : null,
      can: {
        accept: viewer.kind === 'volunteer' && takeable && !offer?.declinedAt && r.elderId !== viewer.userId,
        decline: viewer.kind === 'volunteer' && takeable && !!offer && !offer.declinedAt,
        release: holder && r.status === 'accepted',
        start: holder && r.status === 'accepted',
        finish: holder && r.status === 'in_progress',
        confirm: elderSide && r.hoursStatus === 'pending',
        dispute: elderSide && r.hoursStatus === 'pending',
        cancel:
          (elderSide || viewer.kind === 'staff') && [...TAKEABLE_TASK_STATES, 'accepted'].includes(r.status),
      },
      declined: !!offer?.declinedAt,
      createdAt: r.createdAt.toISOString(),
    });
  }
  return out;
}
