import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollVotes, users } from '../../src/db/schema';
import { type CommunityWorld, communityWorld, outsider, type Who } from '../fixtures/community';
import { auditRows, bearer, PHONES, TEST_ENV } from '../fixtures/people';
import { setupTestApp, type TestApp } from '../helper';

let t: TestApp;
let w: CommunityWorld;
let other: CommunityWorld;
const H = 3_600_000;
const later = (ms: number) => new Date(t.clock.now().getTime() + ms).toISOString();

async function newPoll(over: Record<string, unknown> = {}, as: Who = w.staff) {
  const res = await t.call({
    method: 'POST',
    url: '/v1/staff/community/polls',
    headers: bearer(as),
    payload: {
      question: '是否增设快递柜？',
      options: ['同意', '不同意', '弃权'],
      closesAt: later(48 * H),
      ...over,
    },
  });
  return res;
}
const created = async (over: Record<string, unknown> = {}) => {
  const res = await newPoll(over);
  expect(res.status).toBe(201);
  return res.body as { id: string };
};
const vote = (who: Who, id: string, choices: number[], extra: Record<string, unknown> = {}) =>
  t.call({
    method: 'POST',
    url: `/v1/community/polls/${id}/vote`,
    headers: bearer(who),
    payload: { choices, ...extra },
  });
const get = (who: Who, id: string) =>
  t.call({ method: 'GET', url: `/v1/community/polls/${id}`, headers: bearer(who) });

beforeAll(async () => {
  t = await setupTestApp(TEST_ENV);
  [w, other] = await Promise.all([
    communityWorld(t, { households: 4, perHousehold: 2, tokens: true }),
    communityWorld(t, { households: 1, tokens: true }),
  ]);
  // Named members, so the household's other member sees who voted (masked).
  await t.deps.db.update(users).set({ name: '王小明' }).where(eq(users.id, w.members[0]![0]!.userId));
}, 30_000);
afterAll(() => t?.close());

describe('polls: one vote per household', () => {
  it('two members of one household voting at once: one vote counts, the other hears who and what', async () => {
    const { id } = await created();
    const [a, b] = w.members[0]!;
    const results = await Promise.all([vote(a!, id, [0]), vote(b!, id, [1])]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const lost = results.find((r) => r.status === 409)!;
    expect(lost.body.error.code).toBe('POLL_HOUSEHOLD_VOTED');
    const won = results.find((r) => r.status === 200)!;
    const winner = won === results[0] ? 0 : 1;
    expect(lost.body.error.message).toContain(winner === 0 ? '「同意」' : '「不同意」');
    expect(lost.body.error.message).toContain(winner === 0 ? '王**' : '居');
    const rows = await t.deps.db.select().from(pollVotes).where(eq(pollVotes.pollId, id));
    expect(rows).toHaveLength(1);
    // The loser's view: their household voted, by someone else, and they may not vote again.
    const loserView = await get(winner === 0 ? b! : a!, id);
    expect(loserView.body.myHousehold).toMatchObject({ voted: true, byMe: false, choices: [winner] });
    expect(loserView.body.canVote).toBe(false);
    // Another household votes too; results after voting are visible to voters, counted by household.
    expect((await vote(w.members[1]![0]!, id, [winner])).status).toBe(200);
    const view = await get(a!, id);
    expect(view.body.resultsVisible).toBe(true);
    expect(view.body.votedHouseholds).toBe(2);
    expect(view.body.options[winner].votes).toBe(2);
    expect(view.body.households).toBe(4);
  });

  it('shows results per the setting: after voting, or only after the close; staff always', async () => {
    const afterClose = await created({ resultsVisibility: 'after_close' });
    const voter = w.members[2]![0]!;
    expect((await vote(voter, afterClose.id, [2])).status).toBe(200);
    const mine = await get(voter, afterClose.id);
    expect(mine.body.resultsVisible).toBe(false);
    expect(mine.body.options.every((o: { votes: number | null }) => o.votes === null)).toBe(true);
    expect(mine.body.votedHouseholds).toBeNull();
    const staffView = await t.call({
      method: 'GET',
      url: `/v1/staff/community/polls/${afterClose.id}`,
      headers: bearer(w.staff),
    });
    expect(staffView.body.options[2].votes).toBe(1);

    const afterVote = await created({ resultsVisibility: 'after_vote' });
    const notYet = await get(w.members[3]![0]!, afterVote.id);
    expect(notYet.body.resultsVisible).toBe(false);
    expect(notYet.body.canVote).toBe(true);

    // Staff close it early: everyone sees the results, and nobody can vote any more.
    const closed = await t.call({
      method: 'POST',
      url: `/v1/staff/community/polls/${afterClose.id}/close`,
      headers: bearer(w.staff),
      payload: {},
    });
    expect(closed.status).toBe(200);
    expect(closed.body.status).toBe('closed');
    const seen = await get(w.members[3]![0]!, afterClose.id);
    expect(seen.body.resultsVisible).toBe(true);
    expect(seen.body.options[2].votes).toBe(1);
    const tooLate = await vote(w.members[3]![0]!, afterClose.id, [0]);
    expect(tooLate.status).toBe(409);
    expect(tooLate.body.error.code).toBe('POLL_CLOSED');
  });

  it('is open only in its window (test clock)', async () => {
    const p = await created({ opensAt: later(2 * H), closesAt: later(4 * H) });
    const who = w.members[3]![1]!;
    const early = await vote(who, p.id, [0]);
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('POLL_NOT_OPEN');
    expect((await get(who, p.id)).body.status).toBe('upcoming');
    t.clock.advance(2 * H);
    try {
      expect((await get(who, p.id)).body.status).toBe('open');
      t.clock.advance(2 * H);
      const late = await vote(who, p.id, [0]);
      expect(late.status).toBe(409);
      expect(late.body.error.code).toBe('POLL_CLOSED');
    } finally {
      t.clock.advance(-4 * H);
    }
    // Inside the window it counts.
    t.clock.advance(3 * H);
    try {
      expect((await vote(who, p.id, [1])).status).toBe(200);
    } finally {
      t.clock.advance(-3 * H);
    }
  });

  it('checks choices against the poll: single choice takes one; multiple up to its limit', async () => {
    const single = await created();
    const who = w.members[1]![1]!;
    for (const choices of [[0, 1], [3], [-1]]) {
      const r = await vote(who, single.id, choices);
      expect(r.status).toBe(400);
      expect(r.body.error.details[0].path).toMatch(/^body\.choices/);
    }
    for (const payload of [
      { choices: [] },
      { choices: [0, 0] },
      { choices: ['0'] },
      { choices: [0], x: 1 },
      {},
    ]) {
      const r = await t.call({
        method: 'POST',
        url: `/v1/community/polls/${single.id}/vote`,
        headers: bearer(who),
        payload,
      });
      expect(r.status).toBe(400);
    }
    const multi = await created({ multiple: true, maxChoices: 2, options: ['周一', '周三', '周五', '周日'] });
    expect((await vote(who, multi.id, [0, 1, 2])).status).toBe(400);
    const ok = await vote(who, multi.id, [2, 0]);
    expect(ok.status).toBe(200);
    expect(ok.body.myHousehold.choices).toEqual([0, 2]);
  });

  it('refuses bad polls with field errors', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ options: ['只有一个'] }, 'body.options'],
      [{ options: Array.from({ length: 11 }, (_, i) => `选项${i}`) }, 'body.options'],
      [{ options: ['同意', '同意'] }, 'body.options'],
      [{ closesAt: later(-H) }, 'body.closesAt'],
      [{ opensAt: later(5 * H), closesAt: later(4 * H) }, 'body.closesAt'],
      [{ maxChoices: 2 }, 'body.maxChoices'],
      [{ question: '' }, 'body.question'],
      [{ resultsVisibility: 'never' }, 'body.resultsVisibility'],
    ];
    for (const [over, path] of cases) {
      const r = await newPoll(over);
      expect(r.status, JSON.stringify(over)).toBe(400);
      expect(r.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    }
  });

  it("a family member votes for their elder's household, and it shows in the elder's 代办记录", async () => {
    const elder = await t.login(PHONES.elder);
    const family = await t.login(PHONES.familyProxy);
    const asFamily = { ...bearer(family), 'x-on-behalf-of': elder.userId };
    const list = await t.call({ method: 'GET', url: '/v1/community/polls', headers: asFamily });
    expect(list.status).toBe(200);
    // The seeded open poll of the demo community.
    const seeded = list.body.items.find((x: { status: string }) => x.status === 'open');
    expect(seeded.canVote).toBe(true);
    const res = await t.call({
      method: 'POST',
      url: `/v1/community/polls/${seeded.id}/vote`,
      headers: asFamily,
      payload: { choices: [0] },
    });
    expect(res.status).toBe(200);
    expect(res.body.myHousehold).toMatchObject({ voted: true, byMe: true });
    const [row] = await t.deps.db.select().from(pollVotes).where(eq(pollVotes.pollId, seeded.id));
    expect(row!.userId).toBe(elder.userId);
    const logged = await auditRows(t, 'poll.voted', seeded.id);
    expect(logged.map((l) => [l.actorId, l.onBehalfOf])).toEqual([[family.userId, elder.userId]]);
    // The elder's own view agrees: their household has voted.
    expect((await get(elder, seeded.id)).body.myHousehold.byMe).toBe(true);
  });

  it('keeps polls to the community: outsiders, other members and other staff cannot see or vote', async () => {
    const p = await created();
    const nobody = await outsider(t);
    expect(
      (await t.call({ method: 'GET', url: '/v1/community/polls', headers: bearer(nobody) })).status,
    ).toBe(403);
    for (const who of [nobody, other.members[0]![0]!]) {
      expect((await get(who, p.id)).status).toBe(404);
      expect((await vote(who, p.id, [0])).status).toBe(404);
    }
    const foreign = await t.call({
      method: 'POST',
      url: `/v1/staff/community/polls/${p.id}/close`,
      headers: bearer(other.staff),
      payload: {},
    });
    expect(foreign.status).toBe(404);
    const list = await t.call({
      method: 'GET',
      url: '/v1/community/polls',
      headers: bearer(other.members[0]![0]!),
    });
    expect(list.body.items.map((x: { id: string }) => x.id)).not.toContain(p.id);
  });
});
