import { and, desc, eq, gt, inArray, isNull, notExists, sql } from 'drizzle-orm';
import { excerptOf, Id, maskName, type Notice, type NoticeItem, type StaffNotice } from 'shared';
import type { Actor } from '../../access/actor';
import { requireAccess } from '../../access/require-access';
import type { DbOrTx } from '../../db/client';
import type { AppDeps } from '../../deps';
import { conflict, invalidField } from '../../http/errors';
import { audit } from '../audit';
import { peopleByIds } from '../identity';
import { communityMembers, memberCommunityIds } from '../memberships';
import { householdPlaces, staffCommunityIds } from '../places';
import { attachedImages, attachUploads } from '../uploads';
import { staffCommunity } from '../volunteers';
import { memberCommunities } from './access';
import { planFanout } from './fanout';
import { noticePolicies } from './policies';
import { communityNotices, noticeReads } from './tables';

type Deps = Pick<AppDeps, 'db' | 'clock' | 'config'>;
type Row = typeof communityNotices.$inferSelect;

// ---- paging: pinned first, then newest -----------------------------------------------------------

const encodeCursor = (r: Row) =>
  Buffer.from(`${r.pinned ? 1 : 0}|${r.publishedAt.toISOString()}|${r.id}`).toString('base64url');

/** Rows after the cursor in (pinned desc, published desc, id desc) order. */
function afterCursor(cursor: string | undefined) {
  if (!cursor) return undefined;
  const [p, at, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  const date = new Date(at ?? '');
  const year = date.getUTCFullYear();
  if ((p !== '0' && p !== '1') || !Id.safeParse(id).success || !(year >= 1 && year <= 9999))
    throw invalidField('querystring.cursor', 'is not a cursor we issued');
  return sql`(${communityNotices.pinned}, ${communityNotices.publishedAt}, ${communityNotices.id}) < (${p === '1'}, ${date.toISOString()}::timestamptz, ${id}::uuid)`;
}

const feedOrder = [
  desc(communityNotices.pinned),
  desc(communityNotices.publishedAt),
  desc(communityNotices.id),
];

function pageOf(rows: Row[], limit: number) {
  const page = rows.slice(0, limit);
  return { page, nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]!) : null };
}

// ---- views --------------------------------------------------------------------------------------

async function readsOf(db: DbOrTx, userId: string, ids: string[]) {
  if (ids.length === 0) return new Map<string, Date>();
  const rows = await db
    .select({ id: noticeReads.noticeId, at: noticeReads.readAt })
    .from(noticeReads)
    .where(and(eq(noticeReads.userId, userId), inArray(noticeReads.noticeId, ids)));
  return new Map(rows.map((r) => [r.id, r.at]));
}

/** `reads` may still be on its way: the thumbnails are asked for alongside it. */
async function items(
  db: DbOrTx,
  rows: Row[],
  readsOrPending: Map<string, Date> | Promise<Map<string, Date>>,
): Promise<NoticeItem[]> {
  const [thumbs, reads] = await Promise.all([
    attachedImages(db, 'notice', new Map(rows.map((r) => [r.id, r.imageIds.slice(0, 1)]))),
    readsOrPending,
  ]);
  return rows.map((r) => ({
    id: r.id,
    communityId: r.communityId,
    title: r.title,
    excerpt: excerptOf(r.body),
    pinned: r.pinned,
    imageCount: r.imageIds.length,
    thumbUrl: thumbs.get(r.id)?.[0]?.thumbUrl ?? null,
    publishedAt: r.publishedAt.toISOString(),
    editedAt: r.editedAt?.toISOString() ?? null,
    readAt: reads.get(r.id)?.toISOString() ?? null,
  }));
}

async function details(db: DbOrTx, rows: Row[], reads: Map<string, Date>): Promise<Notice[]> {
  const [list, images] = await Promise.all([
    items(db, rows, reads),
    attachedImages(db, 'notice', new Map(rows.map((r) => [r.id, r.imageIds]))),
  ]);
  return list.map((item, i) => ({ ...item, body: rows[i]!.body, images: images.get(item.id) ?? [] }));
}

/**
 * Read counts for staff: of the community's verified members now, how many opened it, and of its
 * households, in how many someone did. One query per community over the members subquery.
 */
async function readStats(db: DbOrTx, rows: Row[]) {
  const out = new Map<string, StaffNotice['stats']>();
  for (const communityId of new Set(rows.map((r) => r.communityId))) {
    const m = communityMembers(db, communityId).as('m');
    const ids = rows.filter((r) => r.communityId === communityId).map((r) => r.id);
    const [totals] = await db
      .select({
        members: sql<number>`count(DISTINCT ${m.userId})::int`,
        households: sql<number>`count(DISTINCT ${m.householdId})::int`,
      })
      .from(m);
    const read = await db
      .select({
        id: noticeReads.noticeId,
        read: sql<number>`count(DISTINCT ${m.userId})::int`,
        households: sql<number>`count(DISTINCT ${m.householdId})::int`,
      })
      .from(noticeReads)
      .innerJoin(m, eq(m.userId, noticeReads.userId))
      .where(inArray(noticeReads.noticeId, ids))
      .groupBy(noticeReads.noticeId);
    const byId = new Map(read.map((r) => [r.id, r]));
    for (const id of ids) {
      const r = byId.get(id);
      const members = totals?.members ?? 0;
      out.set(id, {
        members,
        read: r?.read ?? 0,
        rate: members === 0 ? 0 : Math.round(((r?.read ?? 0) / members) * 1000) / 1000,
        households: totals?.households ?? 0,
        householdsRead: r?.households ?? 0,
      });
    }
  }
  return out;
}

async function staffViews(db: DbOrTx, rows: Row[]): Promise<StaffNotice[]> {
  const [list, stats, authors] = await Promise.all([
    details(db, rows, new Map()),
    readStats(db, rows),
    peopleByIds(
      db,
      rows.map((r) => r.authorId),
    ),
  ]);
  return list.map((n, i) => ({
    ...n,
    withdrawnAt: rows[i]!.withdrawnAt?.toISOString() ?? null,
    authorName: authors.get(rows[i]!.authorId)?.name || '社区工作人员',
    stats: stats.get(n.id)!,
  }));
}

async function noticeRow(db: DbOrTx, id: string, lock?: 'update'): Promise<Row> {
  const q = db.select().from(communityNotices).where(eq(communityNotices.id, id));
  const [row] = lock ? await q.for(lock) : await q;
  if (!row) throw new Error(`notice ${id} vanished`);
  return row;
}

// ---- residents ----------------------------------------------------------------------------------

/**
 * A page of the feed of the reader's communities with their own read receipts, in one statement:
 * the communities are a subquery, the receipts a join.
 */
async function feedPage(db: DbOrTx, userId: string, q: { cursor?: string; limit: number }) {
  const rows = await db
    .select({ notice: communityNotices, readAt: noticeReads.readAt })
    .from(communityNotices)
    .leftJoin(noticeReads, and(eq(noticeReads.noticeId, communityNotices.id), eq(noticeReads.userId, userId)))
    .where(
      and(
        inArray(communityNotices.communityId, memberCommunityIds(db, userId)),
        isNull(communityNotices.withdrawnAt),
        afterCursor(q.cursor),
      ),
    )
    .orderBy(...feedOrder)
    .limit(q.limit + 1);
  const { page, nextCursor } = pageOf(
    rows.map((r) => r.notice),
    q.limit,
  );
  const reads = new Map(rows.flatMap((r) => (r.readAt ? [[r.notice.id, r.readAt] as const] : [])));
  return { page, reads, nextCursor };
}

/** The notices of the caller's communities: pinned first, then newest; withdrawn ones are gone. */
export async function listNotices(deps: Deps, actor: Actor, q: { cursor?: string; limit: number }) {
  // The membership check (none is a 403) runs alongside the page rather than before it.
  const [, { page, reads, nextCursor }] = await Promise.all([
    memberCommunities(deps.db, actor),
    feedPage(deps.db, actor.userId, q),
  ]);
  return { items: await items(deps.db, page, reads), nextCursor };
}

/**
 * What the 首页 card says about the first `limit` notices of a verified member's feed: how many are
 * unread, whether there may be more unread past them, and the pinned one's title.
 */
export async function noticeDigest(deps: Deps, actor: Actor, limit: number) {
  const { page, reads, nextCursor } = await feedPage(deps.db, actor.userId, { limit });
  const unread = page.filter((n) => !reads.has(n.id)).length;
  return {
    unread,
    more: unread === page.length && nextCursor !== null,
    pinnedTitle: page.find((n) => n.pinned)?.title ?? null,
  };
}

/**
 * Opening a notice records the reader's receipt, once: the primary key (notice, user) makes a
 * double tap or two devices at once one row, and the first time stays the time.
 */
export async function openNotice(deps: Deps, actor: Actor, id: string): Promise<Notice> {
  await requireAccess(deps.db, actor, noticePolicies.member, id);
  const row = await noticeRow(deps.db, id);
  if (row.withdrawnAt) throw conflict('NOTICE_WITHDRAWN', 'This notice has been withdrawn');
  await deps.db
    .insert(noticeReads)
    .values({ noticeId: id, userId: actor.userId, readAt: deps.clock.now() })
    .onConflictDoNothing();
  const [view] = await details(deps.db, [row], await readsOf(deps.db, actor.userId, [id]));
  return view!;
}

// ---- staff --------------------------------------------------------------------------------------

export async function staffNoticeList(deps: Deps, actor: Actor, q: { cursor?: string; limit: number }) {
  const rows = await deps.db
    .select()
    .from(communityNotices)
    .where(
      and(
        inArray(communityNotices.communityId, staffCommunityIds(deps.db, actor.actorId)),
        afterCursor(q.cursor),
      ),
    )
    .orderBy(...feedOrder)
    .limit(q.limit + 1);
  const { page, nextCursor } = pageOf(rows, q.limit);
  return { items: await staffViews(deps.db, page), nextCursor };
}

export async function staffNotice(deps: Deps, actor: Actor, id: string) {
  await requireAccess(deps.db, actor, noticePolicies.staff, id);
  return (await staffViews(deps.db, [await noticeRow(deps.db, id)]))[0]!;
}

export interface NewNotice {
  title: string;
  body: string;
  imageIds: string[];
  pinned: boolean;
  communityId?: string;
}

/**
 * Staff publish a notice: its photos are attached (theirs, made for a notice, unused), and every
 * member hears of it in the inbox through the same chunked fan-out as an alert: one INSERT ...
 * SELECT per chunk instead of a statement per member. No subscribe message: a notice is not
 * urgent, and each member's few grants are kept for what is.
 */
export async function createNotice(deps: Deps, actor: Actor, body: NewNotice) {
  const communityId = await staffCommunity(deps.db, actor, body.communityId);
  const row = await deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const [n] = await tx
      .insert(communityNotices)
      .values({
        communityId,
        authorId: actor.actorId,
        title: body.title,
        body: body.body,
        imageIds: body.imageIds,
        pinned: body.pinned,
        publishedAt: now,
      })
      .returning();
    await attachUploads(tx, {
      ownerId: actor.actorId,
      ids: body.imageIds,
      to: { type: 'notice', id: n!.id },
      path: 'body.imageIds',
    });
    const { members } = await planFanout(tx, deps, 'notice', n!.id, communityId);
    await audit(tx, actor, 'notice.published', { type: 'notice', id: n!.id }, { communityId, members });
    return n!;
  });
  return (await staffViews(deps.db, [row]))[0]!;
}

/** One change to a live notice, under its row lock; a withdrawn notice is final. */
async function changeNotice(
  deps: Deps,
  actor: Actor,
  id: string,
  action: string,
  change: (tx: DbOrTx, row: Row) => Promise<Partial<typeof communityNotices.$inferInsert>>,
) {
  await requireAccess(deps.db, actor, noticePolicies.staff, id);
  const row = await deps.db.transaction(async (tx) => {
    const current = await noticeRow(tx, id, 'update');
    if (current.withdrawnAt) throw conflict('NOTICE_WITHDRAWN', 'This notice has been withdrawn');
    const set = await change(tx, current);
    const [moved] = await tx.update(communityNotices).set(set).where(eq(communityNotices.id, id)).returning();
    await audit(
      tx,
      actor,
      action,
      { type: 'notice', id },
      Object.keys(set).length ? { fields: Object.keys(set) } : undefined,
    );
    return moved!;
  });
  return (await staffViews(deps.db, [row]))[0]!;
}

export function updateNotice(
  deps: Deps,
  actor: Actor,
  id: string,
  body: { title?: string; body?: string; imageIds?: string[] },
) {
  return changeNotice(deps, actor, id, 'notice.edited', async (tx, current) => {
    if (body.imageIds) {
      const added = body.imageIds.filter((i) => !current.imageIds.includes(i));
      await attachUploads(tx, {
        ownerId: actor.actorId,
        ids: added,
        to: { type: 'notice', id },
        path: 'body.imageIds',
      });
    }
    return {
      ...(body.title !== undefined ? { title: body.title } : {}),
      ...(body.body !== undefined ? { body: body.body } : {}),
      ...(body.imageIds !== undefined ? { imageIds: body.imageIds } : {}),
      editedAt: deps.clock.now(),
    };
  });
}

export const pinNotice = (deps: Deps, actor: Actor, id: string, pinned: boolean) =>
  changeNotice(deps, actor, id, pinned ? 'notice.pinned' : 'notice.unpinned', async () => ({ pinned }));

/**
 * Withdrawing hides it from residents (the inbox line stays and opens to "withdrawn"). Once: the
 * conditional update lets one of two presses at once do it, and both answer with the result.
 */
export async function withdrawNotice(deps: Deps, actor: Actor, id: string) {
  await requireAccess(deps.db, actor, noticePolicies.staff, id);
  const row = await deps.db.transaction(async (tx) => {
    const [moved] = await tx
      .update(communityNotices)
      .set({ withdrawnAt: deps.clock.now() })
      .where(and(eq(communityNotices.id, id), isNull(communityNotices.withdrawnAt)))
      .returning();
    if (moved) await audit(tx, actor, 'notice.withdrawn', { type: 'notice', id });
    return moved ?? (await noticeRow(tx, id));
  });
  return (await staffViews(deps.db, [row]))[0]!;
}

/** Members who have not opened it, by user id pages; names masked, with their address. */
export async function noticeUnread(
  deps: Deps,
  actor: Actor,
  id: string,
  q: { cursor?: string; limit: number },
) {
  await requireAccess(deps.db, actor, noticePolicies.staff, id);
  if (q.cursor && !Id.safeParse(q.cursor).success)
    throw invalidField('querystring.cursor', 'is not a cursor we issued');
  const row = await noticeRow(deps.db, id);
  const m = communityMembers(deps.db, row.communityId).as('m');
  const found = await deps.db
    .select({ userId: m.userId, householdId: sql<string>`min(${m.householdId}::text)` })
    .from(m)
    .where(
      and(
        q.cursor ? gt(m.userId, q.cursor) : undefined,
        notExists(
          deps.db
            .select({ one: sql`1` })
            .from(noticeReads)
            .where(and(eq(noticeReads.noticeId, id), eq(noticeReads.userId, m.userId))),
        ),
      ),
    )
    .groupBy(m.userId)
    .orderBy(m.userId)
    .limit(q.limit + 1);
  const page = found.slice(0, q.limit);
  const [people, places] = await Promise.all([
    peopleByIds(
      deps.db,
      page.map((p) => p.userId),
    ),
    householdPlaces(
      deps.db,
      page.map((p) => p.householdId),
    ),
  ]);
  return {
    items: page.map((p) => ({
      name: maskName(people.get(p.userId)?.name),
      address: places.get(p.householdId)?.address ?? '',
    })),
    nextCursor: found.length > q.limit ? page[page.length - 1]!.userId : null,
  };
}
