import { and, asc, desc, eq, gte, inArray, lt, lte, ne, type SQL, sql } from 'drizzle-orm';
import {
  addDays,
  type CareBookingStatus,
  careBookingFlow,
  distanceMetres,
  localClock,
  maskPhone,
  PAGES,
  type Visit,
  type VisitRecord,
  wechatPage,
  zonedInstant,
} from 'shared';
import type { z } from 'zod';
import type { Actor } from '../../access/actor';
import { requireAccess } from '../../access/require-access';
import type { DbOrTx } from '../../db/client';
import { advance } from '../../db/flow-update';
import type { AppDeps } from '../../deps';
import { AppError, badRequest, conflict, notFound } from '../../http/errors';
import { audit } from '../audit';
import { peopleByIds } from '../identity';
import { notify } from '../notifications';
import { compoundsByIds, householdPlaces, staffOf } from '../places';
import { consentedProxiesOf } from '../proxies';
import { attachedImages, attachUploads } from '../uploads';
import { logElderRead, type SensitiveField } from './elders';
import { careVisitCaregiver } from './policies';
import {
  careBookings,
  caregivers,
  careIncidents,
  careItems,
  careProviders,
  careVisitPhotos,
  careVisits,
  elderProfiles,
} from './tables';

type Deps = Pick<AppDeps, 'db' | 'clock' | 'config'>;
type BookingRow = typeof careBookings.$inferSelect;
export type VisitRecordView = z.input<typeof VisitRecord>;
type VisitView = z.input<typeof Visit>;

const MINUTE = 60_000;
/** The assigned caregiver sees the elder's full address, phone and health notes from this long before the start. */
export const REVEAL_BEFORE_MS = 120 * MINUTE;
/** Clock-in opens this long before the start (a caregiver early at the door may begin). */
export const CLOCK_IN_EARLY_MS = 15 * MINUTE;
/** A clock-in or out further than this from the compound's gate is flagged for the provider. */
export const FAR_FROM_COMPOUND_M = 300;
/** As many as the WeChat picker sends at once. */
const MAX_PHOTOS = 9;
const LIST_LIMIT = 100;

/**
 * Whether the visit's caregiver may see the elder's address, phone and health notes now: from two
 * hours before the start until the visit ends, which is the later of clock-out and the planned
 * end (a visit running late stays revealed while in service). Only a confirmed visit opens: the
 * caregiver goes to no one the provider has not confirmed, and nothing opens once it is over.
 */
export function detailsRevealed(b: Pick<BookingRow, 'status' | 'startsAt' | 'endsAt'>, now: Date): boolean {
  if (now.getTime() < b.startsAt.getTime() - REVEAL_BEFORE_MS) return false;
  if (b.status === 'in_service') return true;
  return b.status === 'confirmed' && now.getTime() <= b.endsAt.getTime();
}

/** "黌门街社区 · 银杏院 · 1栋 · 102" -> "银杏院 · 1栋 · ***": enough to plan the day, not to find the door. */
function maskedAddress(address: string | undefined, compoundName: string): string {
  const parts = address?.split(' · ') ?? [];
  return parts.length >= 4 ? [...parts.slice(1, -1), '***'].join(' · ') : `${compoundName} · ***`;
}

const VISIT_STATE_CONFLICTS: Record<CareBookingStatus, [code: string, message: string]> = {
  requested: ['VISIT_NOT_CONFIRMED', 'The provider has not confirmed this visit yet'],
  confirmed: ['VISIT_NOT_STARTED', 'This visit has not been clocked in yet'],
  in_service: ['VISIT_IN_SERVICE', 'This visit is already in service'],
  completed: ['VISIT_COMPLETED', 'This visit is already completed'],
  cancelled: ['VISIT_CANCELLED', 'This visit was cancelled'],
  no_show: ['VISIT_NO_SHOW', 'This visit was recorded as missed'],
};
const stateConflict = (status: CareBookingStatus) => conflict(...VISIT_STATE_CONFLICTS[status]);

/** The caregiver rows of the signed-in person, as a subquery (a person is at most one caregiver). */
const caregiverIdsOf = (db: DbOrTx, actor: Actor) =>
  db.select({ id: caregivers.id }).from(caregivers).where(eq(caregivers.userId, actor.actorId));

/** Every statement on a visit names its caregiver too, so a booking reassigned meanwhile is not touched. */
const mine = (db: DbOrTx, actor: Actor, id: string): SQL =>
  and(eq(careBookings.id, id), inArray(careBookings.caregiverId, caregiverIdsOf(db, actor)))!;

async function lockedBooking(tx: DbOrTx, actor: Actor, id: string): Promise<BookingRow> {
  const [row] = await tx
    .select()
    .from(careBookings)
    .where(mine(tx, actor, id))
    .for('update');
  // requireAccess ran first: a booking reassigned since is this caregiver's no longer.
  if (!row) throw notFound();
  return row;
}

async function bookingOf(tx: DbOrTx, id: string): Promise<BookingRow> {
  const [row] = await tx.select().from(careBookings).where(eq(careBookings.id, id));
  return row!;
}

// ---- the visit record, shared with the booking views ---------------------------------------------

/**
 * What happened at each booking's visit, for every view of a booking (family, provider, staff and
 * the caregiver): clock-in/out, the item's checklist with what was done, notes, summary, photos
 * and the rating. A booking with no visit yet gets an empty record. The caller has checked the
 * viewer may see these bookings (photo URLs are signed for whoever is being answered).
 */
export async function visitRecords(
  db: DbOrTx,
  bookings: { id: string; itemId: string }[],
): Promise<Map<string, VisitRecordView>> {
  const out = new Map<string, VisitRecordView>();
  if (bookings.length === 0) return out;
  const ids = [...new Set(bookings.map((b) => b.id))];
  const visits = await db.select().from(careVisits).where(inArray(careVisits.bookingId, ids));
  const items = await db
    .select({ id: careItems.id, checklist: careItems.checklist })
    .from(careItems)
    .where(inArray(careItems.id, [...new Set(bookings.map((b) => b.itemId))]));
  const photoRows = await db
    .select({ bookingId: careVisitPhotos.bookingId, uploadId: careVisitPhotos.uploadId })
    .from(careVisitPhotos)
    .where(inArray(careVisitPhotos.bookingId, ids))
    .orderBy(asc(careVisitPhotos.createdAt), asc(careVisitPhotos.uploadId));
  const order = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const p of photoRows) order.get(p.bookingId)!.push(p.uploadId);
  const photos = await attachedImages(db, 'care_visit', order);
  const visitOf = new Map(visits.map((v) => [v.bookingId, v]));
  const checklistOf = new Map(items.map((i) => [i.id, i.checklist]));
  for (const b of bookings) {
    const v = visitOf.get(b.id);
    const done = new Set(v?.checklistDone ?? []);
    out.set(b.id, {
      clockInAt: v?.clockInAt?.toISOString() ?? null,
      clockOutAt: v?.clockOutAt?.toISOString() ?? null,
      clockInDistanceM: v?.clockInDistanceM ?? null,
      clockOutDistanceM: v?.clockOutDistanceM ?? null,
      locationFlagged: v?.locationFlagged ?? false,
      checklist: (checklistOf.get(b.itemId) ?? []).map((label) => ({ label, done: done.has(label) })),
      notes: v?.notes ?? '',
      summary: v?.summary ?? '',
      photos: photos.get(b.id) ?? [],
      rating: v?.rating ?? null,
      ratingComment: v?.ratingComment ?? null,
    });
  }
  return out;
}

// ---- the caregiver's view -----------------------------------------------------------------------

/**
 * Visits as their caregiver sees them. The address, phone and health notes are full only inside
 * the reveal window; each one shown in full is written to the elder's access log, in the same
 * transaction as the read. Masked entries write nothing.
 */
async function visitViews(tx: DbOrTx, actor: Actor, rows: BookingRow[], now: Date): Promise<VisitView[]> {
  if (rows.length === 0) return [];
  const people = await peopleByIds(
    tx,
    rows.map((r) => r.elderId),
  );
  const places = await householdPlaces(tx, [...new Set(rows.map((r) => r.householdId))]);
  const compounds = await compoundsByIds(
    tx,
    rows.map((r) => r.compoundId),
  );
  const open = rows.filter((r) => detailsRevealed(r, now));
  const notes = new Map<string, string>();
  if (open.length) {
    const profiles = await tx
      .select({ userId: elderProfiles.userId, healthNotes: elderProfiles.healthNotes })
      .from(elderProfiles)
      .where(inArray(elderProfiles.userId, [...new Set(open.map((r) => r.elderId))]));
    for (const p of profiles) notes.set(p.userId, p.healthNotes);
  }
  const records = await visitRecords(tx, rows);
  const views: VisitView[] = [];
  for (const r of rows) {
    const person = people.get(r.elderId);
    const place = places.get(r.householdId);
    const compoundName = compounds.get(r.compoundId)?.name ?? '';
    const revealed = detailsRevealed(r, now);
    const healthNotes = revealed ? (notes.get(r.elderId) ?? '') : null;
    if (revealed) {
      const fields: SensitiveField[] = [];
      if (place) fields.push('address');
      if (person?.phone) fields.push('phone');
      if (healthNotes) fields.push('health_notes');
      await logElderRead(tx, {
        elderId: r.elderId,
        readerId: actor.actorId,
        fields,
        reason: `上门服务 ${r.shortNo}`,
        bookingId: r.id,
      });
    }
    views.push({
      bookingId: r.id,
      shortNo: r.shortNo,
      status: r.status,
      itemName: r.itemName,
      elderName: person?.name ?? '',
      compoundName,
      address: revealed && place ? place.address : maskedAddress(place?.address, compoundName),
      phone: revealed ? (person?.phone ?? null) : maskPhone(person?.phone),
      healthNotes,
      revealed,
      startsAt: r.startsAt.toISOString(),
      endsAt: r.endsAt.toISOString(),
      note: r.note,
      visit: records.get(r.id)!,
    });
  }
  return views;
}

/**
 * The caregiver's visits by local day (TZ_DISPLAY): today's (any outcome but cancelled), the
 * upcoming ones after today still to be done, and the past ones before today, newest first.
 */
export async function caregiverVisits(deps: Deps, actor: Actor, scope: 'today' | 'upcoming' | 'past') {
  const tz = deps.config.TZ_DISPLAY;
  const now = deps.clock.now();
  const today = localClock(now, tz).date;
  const dayStart = zonedInstant(today, '00:00', tz);
  const dayEnd = zonedInstant(addDays(today, 1), '00:00', tz);
  return deps.db.transaction(async (tx) => {
    const own = inArray(careBookings.caregiverId, caregiverIdsOf(tx, actor));
    const where =
      scope === 'today'
        ? and(
            own,
            gte(careBookings.startsAt, dayStart),
            lt(careBookings.startsAt, dayEnd),
            ne(careBookings.status, 'cancelled'),
          )
        : scope === 'upcoming'
          ? and(
              own,
              gte(careBookings.startsAt, dayEnd),
              inArray(careBookings.status, ['requested', 'confirmed']),
            )
          : and(own, lt(careBookings.startsAt, dayStart));
    const rows = await tx
      .select()
      .from(careBookings)
      .where(where)
      .orderBy(
        scope === 'past' ? desc(careBookings.startsAt) : asc(careBookings.startsAt),
        asc(careBookings.id),
      )
      .limit(LIST_LIMIT);
    return { items: await visitViews(tx, actor, rows, now) };
  });
}

export async function caregiverVisit(deps: Deps, actor: Actor, id: string) {
  await requireAccess(deps.db, actor, careVisitCaregiver, id);
  return deps.db.transaction(async (tx) => {
    const [view] = await visitViews(tx, actor, [await bookingOf(tx, id)], deps.clock.now());
    return view!;
  });
}

// ---- clock-in and clock-out ---------------------------------------------------------------------

/** Metres from the compound's gate, or null when the compound has no position on record. */
async function distanceFromCompound(tx: DbOrTx, row: BookingRow, at: { lat: number; lng: number }) {
  const location = (await householdPlaces(tx, [row.householdId])).get(row.householdId)?.location;
  return location ? Math.round(distanceMetres(location, at)) : null;
}

/**
 * Starts the visit: confirmed -> in_service, from 15 minutes before the start. Time and place are
 * recorded; far from the compound is flagged, never refused (GPS indoors is poor, and the visit
 * matters more than the fix).
 */
export async function clockIn(deps: Deps, actor: Actor, id: string, body: { lat: number; lng: number }) {
  await requireAccess(deps.db, actor, careVisitCaregiver, id);
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    // One statement decides: the state and the opening time are both in its WHERE.
    const [row] = await advance(
      tx,
      careBookings,
      careBookings.status,
      careBookingFlow,
      'clockIn',
      and(mine(tx, actor, id), lte(careBookings.startsAt, new Date(now.getTime() + CLOCK_IN_EARLY_MS))),
      { version: sql`${careBookings.version} + 1` },
    );
    if (!row) {
      const current = await bookingOf(tx, id);
      if (current.status === 'confirmed')
        throw conflict(
          'VISIT_TOO_EARLY',
          `Clock-in opens ${CLOCK_IN_EARLY_MS / MINUTE} minutes before the visit starts (at ${new Date(current.startsAt.getTime() - CLOCK_IN_EARLY_MS).toISOString()})`,
        );
      throw stateConflict(current.status);
    }
    const distance = await distanceFromCompound(tx, row, body);
    const far = distance !== null && distance > FAR_FROM_COMPOUND_M;
    const fields = { clockInAt: now, clockInLat: body.lat, clockInLng: body.lng, clockInDistanceM: distance };
    await tx
      .insert(careVisits)
      .values({ bookingId: id, ...fields, locationFlagged: far })
      .onConflictDoUpdate({
        target: careVisits.bookingId,
        set: { ...fields, locationFlagged: sql`${careVisits.locationFlagged} OR ${far}` },
      });
    await audit(
      tx,
      actor,
      'care.visit.clocked_in',
      { type: 'care_booking', id },
      { distanceM: distance, locationFlagged: far },
    );
    return (await visitViews(tx, actor, [row], now))[0]!;
  });
}

/** The elder and every consented family member: who hears how a visit went. */
async function familyOf(tx: DbOrTx, elderId: string): Promise<string[]> {
  return [...new Set([elderId, ...(await consentedProxiesOf(tx, elderId))])];
}

async function caregiverName(tx: DbOrTx, caregiverId: string): Promise<string> {
  const [c] = await tx
    .select({ name: caregivers.name })
    .from(caregivers)
    .where(eq(caregivers.id, caregiverId));
  return c?.name ?? '护理员';
}

/** A subscribe message's `thing` field takes at most 20 characters. */
const thing = (s: string) => (s.length > 20 ? `${s.slice(0, 19)}…` : s);

/**
 * Ends the visit: in_service -> completed, with time, place and the summary. The summary goes to
 * the elder and the consented family in the same transaction (inbox, and a subscribe message
 * where they granted one).
 */
export async function clockOut(
  deps: Deps,
  actor: Actor,
  id: string,
  body: { lat: number; lng: number; summary?: string },
) {
  await requireAccess(deps.db, actor, careVisitCaregiver, id);
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const [row] = await advance(
      tx,
      careBookings,
      careBookings.status,
      careBookingFlow,
      'clockOut',
      mine(tx, actor, id),
      {
        version: sql`${careBookings.version} + 1`,
      },
    );
    if (!row) throw stateConflict((await bookingOf(tx, id)).status);
    const distance = await distanceFromCompound(tx, row, body);
    const far = distance !== null && distance > FAR_FROM_COMPOUND_M;
    const fields = {
      clockOutAt: now,
      clockOutLat: body.lat,
      clockOutLng: body.lng,
      clockOutDistanceM: distance,
      ...(body.summary !== undefined ? { summary: body.summary } : {}),
    };
    const [visit] = await tx
      .insert(careVisits)
      .values({ bookingId: id, ...fields, locationFlagged: far })
      .onConflictDoUpdate({
        target: careVisits.bookingId,
        set: { ...fields, locationFlagged: sql`${careVisits.locationFlagged} OR ${far}` },
      })
      .returning();
    await audit(
      tx,
      actor,
      'care.visit.clocked_out',
      { type: 'care_booking', id },
      { distanceM: distance, locationFlagged: far },
    );
    const who = await caregiverName(tx, row.caregiverId);
    const summary = visit!.summary.trim();
    const link = `${PAGES.careBooking}?id=${id}`;
    for (const userId of await familyOf(tx, row.elderId))
      await notify(tx, {
        userId,
        kind: 'care.visit.completed',
        title: `${row.itemName}已完成`,
        body: summary
          ? `${who}已完成上门服务：${summary.length > 120 ? `${summary.slice(0, 119)}…` : summary}`
          : `${who}已完成上门服务，点击查看服务记录并评价`,
        link,
        dedupeKey: `care.visit.completed:${id}`,
        wechat: {
          template: 'orderStatus',
          page: wechatPage(link),
          data: { thing1: thing(row.itemName), phrase2: '服务完成', time3: now.toISOString() },
        },
      });
    return (await visitViews(tx, actor, [row], now))[0]!;
  });
}

// ---- during the visit ---------------------------------------------------------------------------

/** Checklist ticks (labels of the item's checklist) and notes, while the visit is in service. */
export async function updateVisit(
  deps: Deps,
  actor: Actor,
  id: string,
  body: { checklistDone?: string[]; notes?: string },
) {
  await requireAccess(deps.db, actor, careVisitCaregiver, id);
  return deps.db.transaction(async (tx) => {
    const row = await lockedBooking(tx, actor, id);
    if (body.checklistDone) {
      const [item] = await tx
        .select({ checklist: careItems.checklist })
        .from(careItems)
        .where(eq(careItems.id, row.itemId));
      const known = new Set(item?.checklist ?? []);
      const bad = body.checklistDone.flatMap((label, i) =>
        known.has(label)
          ? []
          : [{ path: `body.checklistDone.${i}`, message: "is not on this service's checklist" }],
      );
      if (bad.length) throw badRequest('VALIDATION_FAILED', 'Some fields are invalid', bad);
    }
    if (row.status !== 'in_service') throw stateConflict(row.status);
    const set = {
      ...(body.checklistDone ? { checklistDone: [...new Set(body.checklistDone)] } : {}),
      ...(body.notes !== undefined ? { notes: body.notes } : {}),
    };
    if (Object.keys(set).length)
      await tx
        .insert(careVisits)
        .values({ bookingId: id, ...set })
        .onConflictDoUpdate({ target: careVisits.bookingId, set });
    await audit(tx, actor, 'care.visit.updated', { type: 'care_booking', id }, { fields: Object.keys(set) });
    return (await visitViews(tx, actor, [row], deps.clock.now()))[0]!;
  });
}

/**
 * Attaches a photo the caregiver uploaded (purpose care_visit, private): it is shown only through
 * the views of this booking, to its elder and consented family, its provider, the staff of its
 * compound and its caregiver.
 */
export async function addVisitPhoto(deps: Deps, actor: Actor, id: string, uploadId: string) {
  await requireAccess(deps.db, actor, careVisitCaregiver, id);
  return deps.db.transaction(async (tx) => {
    const row = await lockedBooking(tx, actor, id);
    if (row.status !== 'in_service') throw stateConflict(row.status);
    const [count] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(careVisitPhotos)
      .where(eq(careVisitPhotos.bookingId, id));
    if ((count?.n ?? 0) >= MAX_PHOTOS)
      throw conflict('VISIT_PHOTOS_FULL', `A visit keeps at most ${MAX_PHOTOS} photos`);
    try {
      await attachUploads(tx, {
        ownerId: actor.actorId,
        ids: [uploadId],
        to: { type: 'care_visit', id },
        path: 'body.uploadId',
      });
    } catch (err) {
      // One id in the body, so the field is the body's uploadId itself, not an item of a list.
      if (err instanceof AppError && err.code === 'UPLOAD_NOT_AVAILABLE')
        throw new AppError(409, err.code, err.message, [
          { path: 'body.uploadId', message: 'is not a visit photo you uploaded, or is already used' },
        ]);
      throw err;
    }
    await tx.insert(careVisitPhotos).values({ bookingId: id, uploadId });
    await audit(tx, actor, 'care.visit.photo_added', { type: 'care_booking', id }, { uploadId });
    return (await visitViews(tx, actor, [row], deps.clock.now()))[0]!;
  });
}

/** Something went wrong at a visit (a fall, a refusal, a hazard): the provider and staff hear at once. */
export async function reportIncident(deps: Deps, actor: Actor, id: string, description: string) {
  await requireAccess(deps.db, actor, careVisitCaregiver, id);
  return deps.db.transaction(async (tx) => {
    const row = await lockedBooking(tx, actor, id);
    if (row.status === 'requested' || row.status === 'cancelled') throw stateConflict(row.status);
    const [incident] = await tx
      .insert(careIncidents)
      .values({ bookingId: id, reportedBy: actor.actorId, description })
      .returning({ id: careIncidents.id });
    await audit(
      tx,
      actor,
      'care.incident.reported',
      { type: 'care_booking', id },
      { incidentId: incident!.id },
    );
    const [provider] = await tx
      .select({ ownerId: careProviders.ownerId })
      .from(careProviders)
      .where(eq(careProviders.id, row.providerId));
    const compound = (await compoundsByIds(tx, [row.compoundId])).get(row.compoundId);
    const elder = (await peopleByIds(tx, [row.elderId])).get(row.elderId);
    const who = await caregiverName(tx, row.caregiverId);
    const text = `${row.shortNo} ${row.itemName}（${elder?.name ?? ''}，${compound?.name ?? ''}）${who}报告：${description}`;
    const recipients: { userId: string; link: string }[] = [
      ...(provider ? [{ userId: provider.ownerId, link: PAGES.providerBookings }] : []),
      ...(compound ? await staffOf(tx, compound.communityId) : []).map((userId) => ({
        userId,
        link: PAGES.staffCareBookings,
      })),
    ];
    const seen = new Set<string>();
    for (const r of recipients) {
      if (seen.has(r.userId)) continue;
      seen.add(r.userId);
      await notify(tx, {
        userId: r.userId,
        kind: 'care.incident',
        title: '上门服务异常报告',
        body: text,
        link: r.link,
        dedupeKey: `care.incident:${incident!.id}`,
      });
    }
    return (await visitViews(tx, actor, [row], deps.clock.now()))[0]!;
  });
}

/**
 * The elder was not home: confirmed -> no_show (by the elder), only once the start time has
 * passed. The family hears it, since they are the ones who can find out why.
 */
export async function markElderAbsent(deps: Deps, actor: Actor, id: string) {
  await requireAccess(deps.db, actor, careVisitCaregiver, id);
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const [row] = await advance(
      tx,
      careBookings,
      careBookings.status,
      careBookingFlow,
      'noShow',
      and(mine(tx, actor, id), lte(careBookings.startsAt, now)),
      { noShowBy: 'elder', version: sql`${careBookings.version} + 1` },
    );
    if (!row) {
      const current = await bookingOf(tx, id);
      if (current.status === 'confirmed')
        throw conflict(
          'VISIT_NOT_DUE',
          'The elder can be marked absent only once the visit was due to start',
        );
      throw stateConflict(current.status);
    }
    await audit(tx, actor, 'care.visit.elder_absent', { type: 'care_booking', id });
    const who = await caregiverName(tx, row.caregiverId);
    const link = `${PAGES.careBooking}?id=${id}`;
    for (const userId of await familyOf(tx, row.elderId))
      await notify(tx, {
        userId,
        kind: 'care.visit.no_show',
        title: `${row.itemName}未能进行`,
        body: `${who}按约上门时家中无人应答，本次服务记为未上门。如需服务请重新预约。`,
        link,
        dedupeKey: `care.visit.no_show:${id}`,
        wechat: {
          template: 'orderStatus',
          page: wechatPage(link),
          data: { thing1: thing(row.itemName), phrase2: '未上门', time3: now.toISOString() },
        },
      });
    return (await visitViews(tx, actor, [row], now))[0]!;
  });
}
