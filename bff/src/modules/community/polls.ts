import { and, desc, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import { choiceError, maskName, type Poll, pollPhase, pollResultsVisible } from 'shared';
import type { Actor } from '../../access/actor';
import { requireAccess } from '../../access/require-access';
import type { DbOrTx } from '../../db/client';
import type { AppDeps } from '../../deps';
import { conflict, invalidField } from '../../http/errors';
import { audit } from '../audit';
import { peopleByIds } from '../identity';
import { communityMembers } from '../memberships';
import { staffCommunityIds } from '../places';
import { staffCommunity } from '../volunteers';
import { auditIfProxy, homesOf, type MemberHome, memberCommunities, notMember } from './access';
import { pollPolicies } from './policies';
import { polls, pollVotes } from './tables';

type Deps = Pick<AppDeps, 'db' | 'clock'>;
type Row = typeof polls.$inferSelect;
type VoteRow = typeof pollVotes.$inferSelect;
type Viewer = { staff: true } | { staff: false; userId: string; homes: MemberHome[] };

const PHASE_ORDER = { open: 0, upcoming: 1, closed: 2 } as const;

async function pollRow(db: DbOrTx, id: string, lock?: 'share' | 'update'): Promise<Row> {
  const q = db.select().from(polls).where(eq(polls.id, id));
  const [row] = lock ? await q.for(lock) : await q;
  if (!row) throw new Error(`poll ${id} vanished`);
  return row;
}

/** Households with a verified member, per community: who may vote. */
async function householdCounts(db: DbOrTx, communityIds: string[]) {
  const out = new Map<string, number>();
  for (const id of new Set(communityIds)) {
    const m = communityMembers(db, id).as('m');
    const [r] = await db.select({ n: sql<number>`count(DISTINCT ${m.householdId})::int` }).from(m);
    out.set(id, r?.n ?? 0);
  }
  return out;
}

/** Polls as the viewer may see them: results only when the setting allows, their household's vote. */
async function pollViews(db: DbOrTx, rows: Row[], viewer: Viewer, now: Date): Promise<Poll[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const myHouseholds = viewer.staff ? [] : viewer.homes.map((h) => h.householdId);
  // A household's vote is one small row: tallying them here keeps the query plain.
  const [votes, mine, households] = await Promise.all([
    db
      .select({ id: pollVotes.pollId, choices: pollVotes.choices })
      .from(pollVotes)
      .where(inArray(pollVotes.pollId, ids)),
    myHouseholds.length
      ? db
          .select()
          .from(pollVotes)
          .where(and(inArray(pollVotes.pollId, ids), inArray(pollVotes.householdId, myHouseholds)))
      : Promise.resolve([] as VoteRow[]),
    householdCounts(
      db,
      rows.map((r) => r.communityId),
    ),
  ]);
  const voters = await peopleByIds(
    db,
    mine.map((v) => v.userId),
  );
  const tally = new Map<string, number>();
  const total = new Map<string, number>();
  for (const v of votes) {
    total.set(v.id, (total.get(v.id) ?? 0) + 1);
    for (const c of v.choices) tally.set(`${v.id}:${c}`, (tally.get(`${v.id}:${c}`) ?? 0) + 1);
  }
  return rows.map((p) => {
    const phase = pollPhase(p, now);
    const home = viewer.staff ? undefined : viewer.homes.find((h) => h.communityId === p.communityId);
    const vote = home && mine.find((v) => v.pollId === p.id && v.householdId === home.householdId);
    const visible = pollResultsVisible(p.resultsVisibility, phase, {
      staff: viewer.staff,
      householdVoted: vote !== undefined,
    });
    return {
      id: p.id,
      communityId: p.communityId,
      question: p.question,
      description: p.description,
      options: p.options.map((label, index) => ({
        index,
        label,
        votes: visible ? (tally.get(`${p.id}:${index}`) ?? 0) : null,
      })),
      multiple: p.multiple,
      maxChoices: p.maxChoices,
      opensAt: p.opensAt.toISOString(),
      closesAt: p.closesAt.toISOString(),
      closedAt: p.closedAt?.toISOString() ?? null,
      status: phase,
      resultsVisibility: p.resultsVisibility,
      resultsVisible: visible,
      votedHouseholds: visible ? (total.get(p.id) ?? 0) : null,
      households: households.get(p.communityId) ?? 0,
      myHousehold: home
        ? {
            householdId: home.householdId,
            address: home.address,
            voted: vote !== undefined,
            choices: vote?.choices ?? null,
            votedBy: vote ? maskName(voters.get(vote.userId)?.name) : null,
            byMe: vote !== undefined && !viewer.staff && vote.userId === viewer.userId,
          }
        : null,
      canVote: home !== undefined && vote === undefined && phase === 'open',
    };
  });
}

const memberViewer = async (db: DbOrTx, actor: Actor): Promise<Viewer> => ({
  staff: false,
  userId: actor.userId,
  homes: await homesOf(db, actor.userId),
});

// ---- residents ----------------------------------------------------------------------------------

/** Open polls first, then upcoming, then the recently closed (a month back). */
export async function listPolls(deps: Deps, actor: Actor) {
  const communities = await memberCommunities(deps.db, actor);
  const now = deps.clock.now();
  const rows = await deps.db
    .select()
    .from(polls)
    .where(
      and(
        inArray(polls.communityId, communities),
        gt(polls.closesAt, new Date(now.getTime() - 30 * 86_400_000)),
      ),
    )
    .orderBy(desc(polls.closesAt))
    .limit(100);
  const views = await pollViews(deps.db, rows, await memberViewer(deps.db, actor), now);
  return { items: views.sort((a, b) => PHASE_ORDER[a.status] - PHASE_ORDER[b.status]) };
}

export async function memberPoll(deps: Deps, actor: Actor, id: string) {
  await requireAccess(deps.db, actor, pollPolicies.member, id);
  const [view] = await pollViews(
    deps.db,
    [await pollRow(deps.db, id)],
    await memberViewer(deps.db, actor),
    deps.clock.now(),
  );
  return view!;
}

/**
 * One vote per household: the primary key (poll, household) decides when two members vote at
 * once, and the one who lost hears who in the household voted and for what. The poll row is held
 * shared, so an early close waits for the votes under way and no vote lands after it.
 */
export async function votePoll(
  deps: Deps,
  actor: Actor,
  id: string,
  body: { choices: number[]; householdId?: string },
) {
  await requireAccess(deps.db, actor, pollPolicies.member, id);
  const homes = await homesOf(deps.db, actor.userId);
  const row = await pollRow(deps.db, id);
  const here = homes.filter((h) => h.communityId === row.communityId);
  if (here.length === 0) throw notMember();
  const home = body.householdId ? here.find((h) => h.householdId === body.householdId) : here[0];
  if (!home) throw invalidField('body.householdId', 'is not a household of yours in this community');
  if (!body.householdId && here.length > 1)
    throw invalidField('body.householdId', 'say which of your households this vote is for');
  await deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const p = await pollRow(tx, id, 'share');
    const phase = pollPhase(p, now);
    if (phase === 'upcoming') throw conflict('POLL_NOT_OPEN', 'Voting has not opened yet');
    if (phase === 'closed') throw conflict('POLL_CLOSED', 'Voting has closed');
    const wrong = choiceError(body.choices, {
      optionCount: p.options.length,
      multiple: p.multiple,
      maxChoices: p.maxChoices,
    });
    if (wrong) throw invalidField('body.choices', wrong);
    const [cast] = await tx
      .insert(pollVotes)
      .values({
        pollId: id,
        householdId: home.householdId,
        userId: actor.userId,
        choices: [...body.choices].sort((a, b) => a - b),
        votedAt: now,
      })
      .onConflictDoNothing()
      .returning();
    if (!cast) {
      const [prior] = await tx
        .select()
        .from(pollVotes)
        .where(and(eq(pollVotes.pollId, id), eq(pollVotes.householdId, home.householdId)));
      const voter = prior && (await peopleByIds(tx, [prior.userId])).get(prior.userId);
      const who = prior?.userId === actor.userId ? 'you' : maskName(voter?.name);
      const picked = (prior?.choices ?? []).map((c) => `「${p.options[c]}」`).join('、');
      throw conflict('POLL_HOUSEHOLD_VOTED', `Your household has already voted: ${who} chose ${picked}`);
    }
    await auditIfProxy(tx, actor, 'poll.voted', { type: 'poll', id });
  });
  return memberPoll(deps, actor, id);
}

// ---- staff --------------------------------------------------------------------------------------

export async function staffPollList(deps: Deps, actor: Actor) {
  const rows = await deps.db
    .select()
    .from(polls)
    .where(inArray(polls.communityId, staffCommunityIds(deps.db, actor.actorId)))
    .orderBy(desc(polls.createdAt))
    .limit(100);
  return { items: await pollViews(deps.db, rows, { staff: true }, deps.clock.now()) };
}

export async function staffPoll(deps: Deps, actor: Actor, id: string) {
  await requireAccess(deps.db, actor, pollPolicies.staff, id);
  return (await pollViews(deps.db, [await pollRow(deps.db, id)], { staff: true }, deps.clock.now()))[0]!;
}

export interface NewPoll {
  question: string;
  description: string;
  options: string[];
  multiple: boolean;
  maxChoices?: number;
  opensAt?: string;
  closesAt: string;
  resultsVisibility: 'after_vote' | 'after_close';
  communityId?: string;
}

export async function createPoll(deps: Deps, actor: Actor, body: NewPoll) {
  const now = deps.clock.now();
  const opensAt = body.opensAt ? new Date(body.opensAt) : now;
  const closesAt = new Date(body.closesAt);
  if (closesAt <= now) throw invalidField('body.closesAt', 'must be in the future');
  if (closesAt <= opensAt) throw invalidField('body.closesAt', 'must close after it opens');
  const communityId = await staffCommunity(deps.db, actor, body.communityId);
  const row = await deps.db.transaction(async (tx) => {
    const [p] = await tx
      .insert(polls)
      .values({
        communityId,
        authorId: actor.actorId,
        question: body.question,
        description: body.description,
        options: body.options,
        multiple: body.multiple,
        maxChoices: body.multiple ? (body.maxChoices ?? body.options.length) : 1,
        opensAt,
        closesAt,
        resultsVisibility: body.resultsVisibility,
      })
      .returning();
    await audit(tx, actor, 'poll.created', { type: 'poll', id: p!.id }, { communityId });
    return p!;
  });
  return (await pollViews(deps.db, [row], { staff: true }, now))[0]!;
}

/** Close early: once, and only a poll not already over (closing a closed poll changes nothing). */
export async function closePoll(deps: Deps, actor: Actor, id: string) {
  await requireAccess(deps.db, actor, pollPolicies.staff, id);
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const [moved] = await tx
      .update(polls)
      .set({ closedAt: now })
      .where(and(eq(polls.id, id), isNull(polls.closedAt), gt(polls.closesAt, now)))
      .returning({ id: polls.id });
    if (moved) await audit(tx, actor, 'poll.closed', { type: 'poll', id });
  });
  return staffPoll(deps, actor, id);
}
