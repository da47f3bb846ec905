import { and, desc, eq, inArray, lt, lte, or, type SQL, sql } from 'drizzle-orm';
import {
  AWAITING_RESPONSE_STATES,
  type CreateRequestBody,
  type DispatchRequestBody,
  MAX_REQUEST_REOPENS,
  OPEN_REQUEST_STATES,
  type RequestDetail,
  type RequestEvent,
  type RequestPage,
  type RequestStatus,
  requestFlow,
  sourcesOf,
} from 'shared';
import type { z } from 'zod';
import type { Actor } from '../../access/actor';
import { requireAccess } from '../../access/require-access';
import type { DbOrTx } from '../../db/client';
import type { AppDeps } from '../../deps';
import { olderThan, pageOf } from '../../http/cursor';
import { AppError, conflict, fieldConflict, forbidden, invalidField, notFound } from '../../http/errors';
import { audit } from '../audit';
import { peopleByIds } from '../identity';
import { membershipsOf } from '../memberships';
import { merchantRow, servesCommunity, shopOf, shopsByIds, shopsServing } from '../merchants';
import { staffCommunityIds, staffOf } from '../places';
import { attachUploads } from '../uploads';
import { requestMerchant, requestOwn, requestStaff } from './policies';
import { limitsFor } from './settings';
import { residentRequests } from './tables';
import { armDeadline, type By, recordEvent, type TransitionInput, tellStaff, transition } from './transition';
import { detail, type RequestRow, summaries, type Viewer } from './views';

type Deps = Pick<AppDeps, 'db' | 'clock' | 'config'>;
type Query = { cursor?: string; limit: number };

/** Shops that do home services: the categories a request can be dispatched to. */
export const HOME_SERVICE_CATEGORIES = ['repairs', 'housekeeping'] as const;

const stateConflict = (status: string) =>
  conflict('REQUEST_STATE_CONFLICT', `This request is ${status} now: reload it and try again`);

async function rowOf(db: DbOrTx, id: string): Promise<RequestRow> {
  const [row] = await db.select().from(residentRequests).where(eq(residentRequests.id, id));
  if (!row) throw notFound('Request');
  return row;
}

/** A transition that did not happen: says why (the status moved on meanwhile). */
async function moved(db: DbOrTx, id: string, row: RequestRow | undefined): Promise<RequestRow> {
  if (row) return row;
  throw stateConflict((await rowOf(db, id)).status);
}

// ---- the resident -------------------------------------------------------------------------------

/**
 * A verified resident raises a request about one of their households (their only one when they
 * leave it out). The time limits are fixed now, from the community's own or the defaults, and
 * their jobs go through the outbox with the row.
 */
export async function createRequest(
  deps: Deps,
  actor: Actor,
  body: z.output<typeof CreateRequestBody>,
): Promise<RequestDetail> {
  const homes = (await membershipsOf(deps.db, actor.userId)).filter((m) => m.status === 'approved');
  if (homes.length === 0)
    throw new AppError(403, 'REQUEST_NOT_RESIDENT', 'Only verified residents can raise a request');
  const home = body.householdId ? homes.find((h) => h.householdId === body.householdId) : homes[0];
  if (!home) throw invalidField('body.householdId', 'is not a household you are a verified resident of');
  if (!body.householdId && new Set(homes.map((h) => h.householdId)).size > 1)
    throw invalidField('body.householdId', 'say which of your households this is about');
  const now = deps.clock.now();
  const limits = await limitsFor(deps.db, deps.config, home.communityId, body.category);
  return deps.db.transaction(async (tx) => {
    await capOpenRequests(tx, deps, actor.userId);
    const [row] = await tx
      .insert(residentRequests)
      .values({
        communityId: home.communityId,
        compoundId: home.compoundId,
        householdId: home.householdId,
        residentId: actor.userId,
        raisedBy: actor.actorId,
        category: body.category,
        text: body.text,
        location: body.location || home.address,
        contact: body.contact,
        photos: body.photos,
        respondBy: new Date(now.getTime() + limits.respondHours * 3_600_000),
        resolveBy: new Date(now.getTime() + limits.resolveHours * 3_600_000),
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await attachUploads(tx, {
      ownerId: actor.userId,
      ids: body.photos,
      to: { type: 'request', id: row!.id },
      path: 'body.photos',
    });
    await recordEvent(tx, row!.id, 'submit', residentBy(actor), '', now);
    await audit(
      tx,
      actor,
      'request.submitted',
      { type: 'resident_request', id: row!.id },
      {
        category: body.category,
      },
    );
    await tellStaff(
      tx,
      row!,
      await staffOf(tx, row!.communityId),
      'submitted',
      '有新的居民诉求',
      `${row!.location}：${row!.text.slice(0, 40)}`,
    );
    await armDeadline(tx, deps, row!, 'respond');
    await armDeadline(tx, deps, row!, 'resolve');
    return detail(tx, row!, { as: 'resident' }, now);
  });
}

const residentBy = (actor: Actor): By => ({ role: 'resident', userId: actor.actorId });

/**
 * A resident has at most REQUEST_MAX_OPEN_PER_RESIDENT requests waiting for the office (not yet
 * dispatched) at once: a flood of them helps nobody get an answer. The count is taken under a lock
 * of the resident's own, so requests sent at once cannot all slip under it.
 */
async function capOpenRequests(tx: DbOrTx, deps: Deps, residentId: string) {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`requests.open:${residentId}`}))`);
  const [open] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(residentRequests)
    .where(and(eq(residentRequests.residentId, residentId), eq(residentRequests.status, 'submitted')));
  const max = deps.config.REQUEST_MAX_OPEN_PER_RESIDENT;
  if ((open?.n ?? 0) >= max)
    throw conflict(
      'REQUEST_TOO_MANY_OPEN',
      `You have ${max} requests waiting for the office already: wait for them, or withdraw one`,
    );
}

const SCOPES: Record<'open' | 'done' | 'all', readonly RequestStatus[] | null> = {
  open: [...OPEN_REQUEST_STATES, 'resolved'],
  done: ['closed', 'rejected', 'withdrawn'],
  all: null,
};

async function pageWhere(deps: Deps, where: SQL | undefined, q: Query): Promise<RequestPage> {
  const rows = await deps.db
    .select()
    .from(residentRequests)
    .where(and(where, olderThan(residentRequests, q.cursor)))
    .orderBy(desc(residentRequests.createdAt), desc(residentRequests.id))
    .limit(q.limit + 1);
  const { page, nextCursor } = pageOf(rows, q.limit);
  return { items: await summaries(deps.db, page, deps.clock.now()), nextCursor };
}

const inScope = (scope: keyof typeof SCOPES) => {
  const states = SCOPES[scope];
  return states ? inArray(residentRequests.status, [...states]) : undefined;
};

export async function myRequests(deps: Deps, actor: Actor, q: Query & { scope: keyof typeof SCOPES }) {
  return pageWhere(deps, and(eq(residentRequests.residentId, actor.userId), inScope(q.scope)), q);
}

export async function myRequest(deps: Deps, actor: Actor, id: string) {
  await requireAccess(deps.db, actor, requestOwn, id);
  return detail(deps.db, await rowOf(deps.db, id), { as: 'resident' }, deps.clock.now());
}

/** One resident step: the access check, the transition, the resident's view of the result. */
async function residentStep(
  deps: Deps,
  actor: Actor,
  id: string,
  input: Omit<TransitionInput, 'by' | 'actor'>,
) {
  await requireAccess(deps.db, actor, requestOwn, id);
  return deps.db.transaction(async (tx) => {
    const before = await rowOf(tx, id);
    const row = await transition(tx, deps, id, { ...input, before, by: residentBy(actor), actor });
    return detail(tx, await moved(tx, id, row), { as: 'resident' }, deps.clock.now());
  });
}

export const withdrawRequest = (deps: Deps, actor: Actor, id: string, reason: string) =>
  residentStep(deps, actor, id, { event: 'withdraw', note: reason });

/** Rating closes it: one conditional update, so two ratings at once make one. */
export const rateRequest = (deps: Deps, actor: Actor, id: string, body: { stars: number; text: string }) =>
  residentStep(deps, actor, id, {
    event: 'close',
    note: body.text,
    set: {
      rating: body.stars,
      ratingText: body.text,
      ratedAt: deps.clock.now(),
      closedAt: deps.clock.now(),
    },
  });

/**
 * Not solved after all: back to the handler, once. The count is part of the same UPDATE, and the
 * resolution clock starts again from now (its job is queued by the transition).
 */
export async function reopenRequest(deps: Deps, actor: Actor, id: string, reason: string) {
  await requireAccess(deps.db, actor, requestOwn, id);
  const row = await rowOf(deps.db, id);
  if (row.status === 'resolved' && row.reopenCount >= MAX_REQUEST_REOPENS)
    throw conflict(
      'REQUEST_REOPEN_USED',
      'This request was reopened once already: contact the office instead',
    );
  const now = deps.clock.now();
  const limits = await limitsFor(deps.db, deps.config, row.communityId, row.category);
  try {
    return await residentStep(deps, actor, id, {
      event: 'reopen',
      note: reason,
      where: lt(residentRequests.reopenCount, MAX_REQUEST_REOPENS),
      set: {
        reopenCount: sql`${residentRequests.reopenCount} + 1`,
        resolvedAt: null,
        resolveBy: new Date(now.getTime() + limits.resolveHours * 3_600_000),
        resolveEscalatedAt: null,
      },
    });
  } catch (err) {
    // Two reopens at once: the loser finds it reopened, or resolved again with the count used.
    if (err instanceof AppError && err.code === 'REQUEST_STATE_CONFLICT') {
      const current = await rowOf(deps.db, id);
      if (current.reopenCount >= MAX_REQUEST_REOPENS && current.status === 'resolved')
        throw conflict('REQUEST_REOPEN_USED', 'This request was reopened once already');
    }
    throw err;
  }
}

// ---- staff --------------------------------------------------------------------------------------

const staffViewer = (actor: Actor): Viewer => ({ as: 'staff', userId: actor.actorId });

export async function staffRequests(
  deps: Deps,
  actor: Actor,
  q: Query & {
    status: RequestStatus | 'open' | 'late' | 'all';
    category?: string;
    communityId?: string;
    mine?: boolean;
  },
) {
  const now = deps.clock.now();
  const status =
    q.status === 'all'
      ? undefined
      : q.status === 'open'
        ? inArray(residentRequests.status, [...OPEN_REQUEST_STATES])
        : q.status === 'late'
          ? or(
              and(
                inArray(residentRequests.status, [...AWAITING_RESPONSE_STATES]),
                lte(residentRequests.respondBy, now),
              ),
              and(
                inArray(residentRequests.status, [...OPEN_REQUEST_STATES]),
                lte(residentRequests.resolveBy, now),
              ),
            )
          : eq(residentRequests.status, q.status);
  return pageWhere(
    deps,
    and(
      inArray(residentRequests.communityId, staffCommunityIds(deps.db, actor.actorId)),
      q.communityId ? eq(residentRequests.communityId, q.communityId) : undefined,
      q.mine ? eq(residentRequests.handlerUserId, actor.actorId) : undefined,
      q.category ? eq(residentRequests.category, q.category as RequestRow['category']) : undefined,
      status,
    ),
    q,
  );
}

export async function staffRequest(deps: Deps, actor: Actor, id: string) {
  await requireAccess(deps.db, actor, requestStaff, id);
  return detail(deps.db, await rowOf(deps.db, id), staffViewer(actor), deps.clock.now());
}

/** Whom staff may dispatch to: the community's staff and the home-service shops serving it. */
export async function handlerOptions(deps: Deps, actor: Actor, id: string) {
  await requireAccess(deps.db, actor, requestStaff, id);
  const row = await rowOf(deps.db, id);
  const staffIds = await staffOf(deps.db, row.communityId);
  const people = await peopleByIds(deps.db, staffIds);
  const serving = (await shopsServing(deps.db, [row.communityId])).map((s) => s.id);
  const shops = [...(await shopsByIds(deps.db, serving)).values()].filter(isHomeService);
  return {
    staff: staffIds.map((userId) => ({ userId, name: people.get(userId)?.name || '社区工作人员' })),
    merchants: shops
      .sort((a, b) => a.name.localeCompare(b.name, 'zh'))
      .map((m) => ({ merchantId: m.id, name: m.name, category: m.category })),
  };
}

function isHomeService(m: { category: string; status: string }) {
  return (HOME_SERVICE_CATEGORIES as readonly string[]).includes(m.category) && m.status === 'open';
}

/**
 * Staff hand the request to a handler. The version they saw is part of the UPDATE: two staff
 * dispatching at once, one wins and the other is told it moved.
 */
export async function dispatchRequest(
  deps: Deps,
  actor: Actor,
  id: string,
  body: z.output<typeof DispatchRequestBody>,
) {
  await requireAccess(deps.db, actor, requestStaff, id);
  const row = await rowOf(deps.db, id);
  const h = body.handler;
  if (h.kind === 'staff') {
    if (!(await staffOf(deps.db, row.communityId)).includes(h.userId))
      throw fieldConflict(
        'REQUEST_HANDLER_INVALID',
        'is not a staff member of this community',
        'body.handler.userId',
        400,
      );
  } else {
    const shop = await merchantRow(deps.db, h.merchantId);
    if (!shop || !isHomeService(shop) || !(await servesCommunity(deps.db, shop.id, row.communityId)))
      throw fieldConflict(
        'REQUEST_HANDLER_INVALID',
        'is not an open home-service shop serving this community',
        'body.handler.merchantId',
        400,
      );
  }
  return deps.db.transaction(async (tx) => {
    const before = await rowOf(tx, id);
    const dispatched = await transition(tx, deps, id, {
      event: 'dispatch',
      by: { role: 'staff', userId: actor.actorId },
      actor,
      note: body.note,
      before,
      where: eq(residentRequests.version, body.version),
      set: {
        handlerUserId: h.kind === 'staff' ? h.userId : null,
        handlerMerchantId: h.kind === 'merchant' ? h.merchantId : null,
        dispatchedAt: deps.clock.now(),
      },
    });
    if (!dispatched)
      throw conflict(
        'REQUEST_STATE_CONFLICT',
        before.version !== body.version
          ? 'Someone else changed this request meanwhile: reload it and dispatch again'
          : `This request is ${before.status} now and cannot be dispatched`,
      );
    return detail(tx, dispatched, staffViewer(actor), deps.clock.now());
  });
}

/** Staff turn it down with a reason before anyone works on it: that is an answer, in time or not. */
export async function rejectRequest(deps: Deps, actor: Actor, id: string, reason: string) {
  await requireAccess(deps.db, actor, requestStaff, id);
  return deps.db.transaction(async (tx) => {
    const row = await transition(tx, deps, id, {
      event: 'reject',
      by: { role: 'staff', userId: actor.actorId },
      actor,
      note: reason,
      set: {
        rejectReason: reason,
        respondedAt: sql`coalesce(${residentRequests.respondedAt}, ${deps.clock.now().toISOString()}::timestamptz)`,
      },
    });
    return detail(tx, await moved(tx, id, row), staffViewer(actor), deps.clock.now());
  });
}

// ---- the handler (a staff member, or the shop's owner) ------------------------------------------

type HandlerEvent = Extract<RequestEvent, 'accept' | 'decline' | 'resolve'>;

interface HandlerCall {
  event: HandlerEvent;
  note: string;
  photos?: string[];
}

function handlerSet(deps: Deps, actor: Actor, call: HandlerCall): TransitionInput['set'] {
  const now = deps.clock.now();
  if (call.event === 'accept')
    return { respondedAt: sql`coalesce(${residentRequests.respondedAt}, ${now.toISOString()}::timestamptz)` };
  if (call.event === 'decline') return { handlerUserId: null, handlerMerchantId: null };
  return {
    resolvedAt: now,
    resolutionNote: call.note,
    resolutionPhotos: call.photos ?? [],
    resolvedBy: actor.actorId,
  };
}

/**
 * The handler's steps, for both kinds of handler. The handler is part of the UPDATE's condition,
 * so a request re-dispatched away while the handler was looking at it is not theirs to move.
 */
async function handlerStep(deps: Deps, actor: Actor, id: string, who: Viewer, call: HandlerCall) {
  return deps.db.transaction(async (tx) => {
    const before = await rowOf(tx, id);
    const mine =
      who.as === 'staff'
        ? eq(residentRequests.handlerUserId, who.userId)
        : who.as === 'merchant'
          ? eq(residentRequests.handlerMerchantId, who.merchantId)
          : undefined;
    if (call.event === 'resolve' && call.photos?.length)
      await attachUploads(tx, {
        ownerId: actor.actorId,
        ids: call.photos,
        to: { type: 'request', id },
        path: 'body.photos',
      });
    const row = await transition(tx, deps, id, {
      event: call.event,
      by: {
        role: 'handler',
        userId: actor.actorId,
        merchantId: who.as === 'merchant' ? who.merchantId : null,
      },
      actor,
      note: call.note,
      before,
      where: mine,
      set: handlerSet(deps, actor, call),
    });
    if (!row) {
      const handles =
        who.as === 'staff'
          ? before.handlerUserId === who.userId
          : who.as === 'merchant' && before.handlerMerchantId === who.merchantId;
      if (!handles && sourcesOf(requestFlow, call.event).includes(before.status))
        throw forbidden('This request is handled by someone else');
      throw stateConflict(before.status);
    }
    return detail(tx, row, who, deps.clock.now());
  });
}

/** A staff member acting as the handler of a request dispatched to them. */
export async function staffHandle(deps: Deps, actor: Actor, id: string, call: HandlerCall) {
  await requireAccess(deps.db, actor, requestStaff, id);
  const row = await rowOf(deps.db, id);
  if (row.handlerUserId !== actor.actorId)
    throw new AppError(403, 'REQUEST_NOT_HANDLER', 'This request was dispatched to someone else');
  return handlerStep(deps, actor, id, staffViewer(actor), call);
}

async function merchantViewer(db: DbOrTx, actor: Actor): Promise<Viewer> {
  return { as: 'merchant', merchantId: (await shopOf(db, actor)).id };
}

export async function merchantHandle(deps: Deps, actor: Actor, id: string, call: HandlerCall) {
  await requireAccess(deps.db, actor, requestMerchant, id);
  return handlerStep(deps, actor, id, await merchantViewer(deps.db, actor), call);
}

export async function merchantRequests(deps: Deps, actor: Actor, q: Query & { scope: keyof typeof SCOPES }) {
  const shop = await shopOf(deps.db, actor);
  return pageWhere(deps, and(eq(residentRequests.handlerMerchantId, shop.id), inScope(q.scope)), q);
}

export async function merchantRequest(deps: Deps, actor: Actor, id: string) {
  await requireAccess(deps.db, actor, requestMerchant, id);
  return detail(deps.db, await rowOf(deps.db, id), await merchantViewer(deps.db, actor), deps.clock.now());
}
