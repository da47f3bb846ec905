import { and, desc, eq, inArray, type SQLWrapper } from 'drizzle-orm';
import { type Membership, maskPhone, membershipFlow, PAGES, wechatPage } from 'shared';
import type { Actor } from '../../access/actor';
import { requireAccess } from '../../access/require-access';
import type { Db, DbOrTx } from '../../db/client';
import { compiledSelect } from '../../db/compiled';
import { advance } from '../../db/flow-update';
import type { AppDeps } from '../../deps';
import { badRequest, conflict, describeConstraint } from '../../http/errors';
import { audit } from '../audit';
import { grantRole, peopleByIds } from '../identity';
import { notify } from '../notifications';
import { householdPlaceRows, householdPlaces, householdsIn, householdsRunBy, staffOf } from '../places';
import { membershipReview } from './policies';
import { memberships } from './tables';

describeConstraint(
  'memberships_live_unique',
  'MEMBERSHIP_EXISTS',
  'You already have a pending or approved request for this household',
);

type Row = typeof memberships.$inferSelect;

type Place = { address: string; communityId: string; compoundId: string };

const view = (r: Row, p: Place): Membership => ({
  id: r.id,
  status: r.status,
  householdId: r.householdId,
  address: p.address,
  communityId: p.communityId,
  compoundId: p.compoundId,
  reviewNote: r.reviewNote,
  createdAt: r.createdAt.toISOString(),
  reviewedAt: r.reviewedAt?.toISOString() ?? null,
});

async function toViews(db: DbOrTx, rows: Row[]): Promise<Membership[]> {
  const places = await householdPlaces(db, [...new Set(rows.map((r) => r.householdId))]);
  return rows.map((r) => view(r, places.get(r.householdId)!));
}

/** A person's memberships with their places, in one round trip (every signed-in page reads it). */
// Part of /v1/me: built once.
const membershipRows = compiledSelect<{ userId: string }, ReturnType<typeof selectMemberships>>((db, p) =>
  selectMemberships(db, p('userId')),
);
function selectMemberships(db: DbOrTx, userId: SQLWrapper) {
  const place = householdPlaceRows(db);
  return db
    .select({
      m: memberships,
      place: { address: place.address, communityId: place.communityId, compoundId: place.compoundId },
    })
    .from(memberships)
    .innerJoin(place, eq(place.householdId, memberships.householdId))
    .where(eq(memberships.userId, userId))
    .orderBy(desc(memberships.createdAt));
}

export async function membershipsOf(db: DbOrTx, userId: string): Promise<Membership[]> {
  const rows = await membershipRows(db, { userId });
  return rows.map((r) => view(r.m, r.place));
}

/** A resident (or a proxy for an elder) asks to be recorded as living in a household. */
export async function requestMembership(db: Db, actor: Actor, householdId: string): Promise<Membership> {
  return db.transaction(async (tx) => {
    const place = (await householdPlaces(tx, [householdId])).get(householdId);
    if (!place)
      throw badRequest('VALIDATION_FAILED', 'Some fields are invalid', [
        { path: 'body.householdId', message: 'no such household' },
      ]);
    const [row] = await tx.insert(memberships).values({ userId: actor.userId, householdId }).returning();
    await audit(tx, actor, 'membership.requested', { type: 'membership', id: row!.id }, { householdId });
    const [view] = await toViews(tx, [row!]);
    for (const staffId of await staffOf(tx, place.communityId)) {
      await notify(tx, {
        userId: staffId,
        kind: 'membership.pending',
        title: '新的住户认证申请',
        body: `${place.address} 有一条新的住户认证申请待审核`,
        link: PAGES.staffMemberships,
        dedupeKey: `membership.pending:${row!.id}`,
      });
    }
    return view!;
  });
}

/** Staff decide; the conditional update makes two reviewers racing produce one decision. */
export async function reviewMembership(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  actor: Actor,
  id: string,
  event: 'approve' | 'reject',
  note?: string,
): Promise<Membership> {
  const { db } = deps;
  await requireAccess(db, actor, membershipReview, id);
  return db.transaction(async (tx) => {
    const [row] = await advance(
      tx,
      memberships,
      memberships.status,
      membershipFlow,
      event,
      eq(memberships.id, id),
      {
        reviewNote: note ?? null,
        reviewedBy: actor.actorId,
        reviewedAt: deps.clock.now(),
      },
    );
    if (!row) throw conflict('MEMBERSHIP_ALREADY_REVIEWED', 'This request has already been reviewed');
    const decision = row.status;
    if (decision === 'approved') {
      await grantRole(tx, row.userId, 'resident');
    }
    await audit(tx, actor, `membership.${decision}`, { type: 'membership', id }, note ? { note } : undefined);
    const [view] = await toViews(tx, [row]);
    const approved = decision === 'approved';
    await notify(tx, {
      userId: row.userId,
      kind: `membership.${decision}`,
      title: approved ? '住户认证已通过' : '住户认证未通过',
      body: approved
        ? `您已成为 ${view!.address} 的认证住户`
        : `您对 ${view!.address} 的认证申请未通过：${note ?? ''}`,
      link: PAGES.membership,
      dedupeKey: `membership.reviewed:${id}`,
      wechat: {
        template: 'reviewResult',
        page: wechatPage(PAGES.membership),
        data: {
          thing1: '住户认证',
          phrase2: approved ? '已通过' : '未通过',
          time3: row.reviewedAt!.toISOString(),
        },
      },
    });
    return view!;
  });
}

/** Requests in the communities this staff member runs, newest first. */
export async function staffMemberships(db: Db, actor: Actor, status: Row['status']) {
  const found = await db
    .select()
    .from(memberships)
    .where(
      and(
        eq(memberships.status, status),
        inArray(memberships.householdId, householdsRunBy(db, actor.actorId)),
      ),
    )
    .orderBy(desc(memberships.createdAt))
    .limit(200);
  const people = await peopleByIds(
    db,
    found.map((m) => m.userId),
  );
  const rows = found.map((m) => ({
    m,
    name: people.get(m.userId)?.name ?? '',
    phone: people.get(m.userId)?.phone ?? null,
  }));
  const views = await toViews(
    db,
    rows.map((r) => r.m),
  );
  return {
    items: views.map((v, i) => ({
      ...v,
      applicant: { id: rows[i]!.m.userId, name: rows[i]!.name, phoneMasked: maskPhone(rows[i]!.phone) },
    })),
  };
}

/** Whether the user is a verified member of the household (home delivery goes only there). */
export async function isApprovedMember(db: DbOrTx, userId: string, householdId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: memberships.id })
    .from(memberships)
    .where(
      and(
        eq(memberships.userId, userId),
        eq(memberships.householdId, householdId),
        eq(memberships.status, 'approved'),
      ),
    );
  return row !== undefined;
}

/** The compounds the user is a verified resident of (their locker banks are theirs to use). */
export async function approvedCompounds(db: DbOrTx, userId: string): Promise<string[]> {
  const rows = await db
    .select({ householdId: memberships.householdId })
    .from(memberships)
    .where(and(eq(memberships.userId, userId), eq(memberships.status, 'approved')));
  const places = await householdPlaces(
    db,
    rows.map((r) => r.householdId),
  );
  return [...new Set([...places.values()].map((p) => p.compoundId))];
}

/**
 * The compound each of these people lives in within a community (their verified household's; the
 * first by household id when they have several there), by user id: what neighbours see beside a
 * name ("王阿姨 · 银杏院"). People without a verified household there are absent.
 */
export async function memberCompounds(
  db: DbOrTx,
  communityId: string,
  userIds: string[],
): Promise<Map<string, string>> {
  if (userIds.length === 0) return new Map();
  const rows = await db
    .select({ userId: memberships.userId, householdId: memberships.householdId })
    .from(memberships)
    .where(
      and(
        eq(memberships.status, 'approved'),
        inArray(memberships.userId, [...new Set(userIds)]),
        inArray(memberships.householdId, householdsIn(db, communityId)),
      ),
    )
    .orderBy(memberships.householdId);
  const places = await householdPlaces(
    db,
    rows.map((r) => r.householdId),
  );
  const out = new Map<string, string>();
  for (const r of rows) {
    const name = places.get(r.householdId)?.compoundName;
    if (name && !out.has(r.userId)) out.set(r.userId, name);
  }
  return out;
}

/** Ids of the verified residents of the communities a staff member runs, as a subquery. */
export function residentsRunBy(db: DbOrTx, staffId: string) {
  return db
    .selectDistinct({ id: memberships.userId })
    .from(memberships)
    .where(
      and(eq(memberships.status, 'approved'), inArray(memberships.householdId, householdsRunBy(db, staffId))),
    );
}

/** Ids of everyone verified as living in some household (care's monthly vouchers look among them). */
export function verifiedResidents(db: DbOrTx) {
  return db
    .selectDistinct({ id: memberships.userId })
    .from(memberships)
    .where(eq(memberships.status, 'approved'));
}

/**
 * The verified members of one community and their households, as a subquery (a person verified in
 * two households of it appears twice): the community office counts, polls and alerts by it.
 */
export function communityMembers(db: DbOrTx, communityId: string) {
  return db
    .select({ userId: memberships.userId, householdId: memberships.householdId })
    .from(memberships)
    .where(
      and(
        eq(memberships.status, 'approved'),
        inArray(memberships.householdId, householdsIn(db, communityId)),
      ),
    );
}

/**
 * Ids of the communities a person is a verified member of, as a subquery: a community feed filters
 * by it in the same statement instead of reading the memberships first. `latest` keeps the one of
 * the newest verified membership (the home the 首页 shows).
 */
export function memberCommunityIds(db: DbOrTx, userId: string, opts: { latest?: boolean } = {}) {
  const place = householdPlaceRows(db);
  const q = db
    .select({ id: place.communityId })
    .from(memberships)
    .innerJoin(place, eq(place.householdId, memberships.householdId))
    .where(and(eq(memberships.userId, userId), eq(memberships.status, 'approved')));
  return opts.latest ? q.orderBy(desc(memberships.createdAt)).limit(1) : q;
}
