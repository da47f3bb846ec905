import { asc, eq } from 'drizzle-orm';
import {
  AWAITING_RESPONSE_STATES,
  can,
  handlerMayCall,
  MAX_REQUEST_REOPENS,
  maskPhone,
  OPEN_REQUEST_STATES,
  type RequestAction,
  type RequestDetail,
  type RequestEventKind,
  type RequestSummary,
  requestFlow,
} from 'shared';
import type { DbOrTx } from '../../db/client';
import { peopleByIds } from '../identity';
import { shopsByIds } from '../merchants';
import { attachedImages } from '../uploads';
import { requestEvents, type residentRequests } from './tables';

export type RequestRow = typeof residentRequests.$inferSelect;

/**
 * Who is looking decides what the view holds: the resident sees roles on the timeline and the
 * shop's phone; staff see names and the resident's phone; the handler shop sees the resident's
 * phone in full only once it accepted (masked while it decides, gone once done or when the resident
 * asked not to be called).
 */
export type Viewer =
  | { as: 'resident' }
  | { as: 'staff'; userId: string }
  | { as: 'merchant'; merchantId: string };

const iso = (d: Date | null) => d?.toISOString() ?? null;
const isOneOf = <T extends string>(list: readonly T[], v: string): v is T =>
  (list as readonly string[]).includes(v);

/** What people read out on the phone: the random tail of the uuid v7, never a counter. */
export const requestNumber = (id: string) => `Q${id.replace(/-/g, '').slice(-8).toUpperCase()}`;

/** Missed: the answer came late, or it is still awaited past the limit. */
function late(doneAt: Date | null, by: Date, stillRunning: boolean, now: Date): boolean {
  if (doneAt) return doneAt > by;
  return stillRunning && now > by;
}

export async function summaries(db: DbOrTx, rows: RequestRow[], now: Date): Promise<RequestSummary[]> {
  const staff = await peopleByIds(
    db,
    rows.flatMap((r) => (r.handlerUserId ? [r.handlerUserId] : [])),
  );
  const shops = await shopsByIds(
    db,
    rows.flatMap((r) => (r.handlerMerchantId ? [r.handlerMerchantId] : [])),
  );
  return rows.map((r) => {
    const shop = r.handlerMerchantId ? shops.get(r.handlerMerchantId) : undefined;
    const person = r.handlerUserId ? staff.get(r.handlerUserId) : undefined;
    return {
      id: r.id,
      number: requestNumber(r.id),
      category: r.category,
      status: r.status,
      text: r.text,
      location: r.location,
      communityId: r.communityId,
      createdAt: r.createdAt.toISOString(),
      respondBy: r.respondBy.toISOString(),
      respondedAt: iso(r.respondedAt),
      resolveBy: r.resolveBy.toISOString(),
      resolvedAt: iso(r.resolvedAt),
      responseLate: late(r.respondedAt, r.respondBy, isOneOf(AWAITING_RESPONSE_STATES, r.status), now),
      resolutionLate: late(r.resolvedAt, r.resolveBy, isOneOf(OPEN_REQUEST_STATES, r.status), now),
      handler: shop
        ? { kind: 'merchant' as const, id: shop.id, name: shop.name, phone: shop.contactPhone }
        : person
          ? { kind: 'staff' as const, id: person.id, name: person.name || '社区工作人员', phone: null }
          : null,
      photoCount: r.photos.length,
      version: r.version,
    };
  });
}

/** The buttons that will work for this viewer now (the same rules the services check). */
export function actionsFor(row: RequestRow, viewer: Viewer): RequestAction[] {
  const out: RequestAction[] = [];
  const may = (e: keyof typeof requestFlow.transitions) => can(requestFlow, row.status, e);
  if (viewer.as === 'resident') {
    if (may('withdraw')) out.push('withdraw');
    if (may('close')) out.push('rate');
    if (may('reopen') && row.reopenCount < MAX_REQUEST_REOPENS) out.push('reopen');
    return out;
  }
  if (viewer.as === 'staff') {
    if (may('dispatch')) out.push('dispatch');
    if (may('reject')) out.push('reject');
  }
  const handles =
    viewer.as === 'staff' ? row.handlerUserId === viewer.userId : row.handlerMerchantId === viewer.merchantId;
  if (handles) {
    if (may('accept')) out.push('accept');
    if (may('decline')) out.push('decline');
    if (may('resolve')) out.push('resolve');
  }
  return out;
}

/**
 * Notes the desk and the handler write to each other (the dispatch instructions, the reason a shop
 * handed it back): the resident's timeline shows the event without them.
 */
const DESK_ONLY_NOTES: readonly RequestEventKind[] = ['dispatch', 'decline'];

/** The resident's number as the handler shop sees it (see `handlerMayCall`). */
function handlerPhone(row: RequestRow, phone: string | null): string | null {
  if (handlerMayCall(row.status, row.contact)) return phone;
  return row.status === 'dispatched' && row.contact !== 'inbox' ? maskPhone(phone) : null;
}

export async function detail(db: DbOrTx, row: RequestRow, viewer: Viewer, now: Date): Promise<RequestDetail> {
  const [summary] = await summaries(db, [row], now);
  const events = await db
    .select()
    .from(requestEvents)
    .where(eq(requestEvents.requestId, row.id))
    .orderBy(asc(requestEvents.id));
  const people = await peopleByIds(db, [
    row.residentId,
    ...events.flatMap((e) => (e.byUserId ? [e.byUserId] : [])),
  ]);
  const shops = await shopsByIds(
    db,
    events.flatMap((e) => (e.byMerchantId ? [e.byMerchantId] : [])),
  );
  const photos = await attachedImages(db, 'request', new Map([[row.id, row.photos]]));
  const resolutionPhotos = await attachedImages(db, 'request', new Map([[row.id, row.resolutionPhotos]]));
  const resident = people.get(row.residentId);
  const phone = resident?.phone ?? null;
  const showsResolution = row.resolvedAt !== null && (row.status === 'resolved' || row.status === 'closed');
  return {
    ...summary!,
    contact: row.contact,
    resident:
      viewer.as === 'resident'
        ? null
        : {
            name: resident?.name ?? '',
            phone: viewer.as === 'staff' ? phone : handlerPhone(row, phone),
          },
    photos: photos.get(row.id) ?? [],
    resolution: showsResolution
      ? {
          note: row.resolutionNote ?? '',
          photos: resolutionPhotos.get(row.id) ?? [],
          at: row.resolvedAt!.toISOString(),
        }
      : null,
    rating:
      row.rating !== null && row.ratedAt
        ? { stars: row.rating, text: row.ratingText ?? '', at: row.ratedAt.toISOString() }
        : null,
    rejectReason: row.rejectReason,
    reopenCount: row.reopenCount,
    closedAt: iso(row.closedAt),
    timeline: events.map((e) => ({
      at: e.at.toISOString(),
      kind: e.kind,
      by: e.byRole,
      byName: e.byMerchantId
        ? (shops.get(e.byMerchantId)?.name ?? null)
        : viewer.as !== 'resident' && e.byUserId
          ? (people.get(e.byUserId)?.name ?? null)
          : null,
      note: viewer.as === 'resident' && DESK_ONLY_NOTES.includes(e.kind) ? '' : e.note,
    })),
    actions: actionsFor(row, viewer),
  };
}
