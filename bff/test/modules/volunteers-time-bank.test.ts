import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { STAR_LEVELS, starLevel } from 'shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  communities,
  compounds,
  staffCommunities,
  timeBankAccounts,
  timeBankLedger,
  userRoles,
  users,
  volunteers,
} from '../../src/db/schema';
import { DEMO_COMMUNITY } from '../../src/demo';
import { creditMinutes, debitMinutes } from '../../src/modules/volunteers/time-bank';
import {
  auditRows,
  bearer,
  demoCommunityId,
  freshPhone,
  makeStaff,
  PHONES,
  TEST_ENV,
} from '../fixtures/people';
import { setupTestApp, type TestApp } from '../helper';

type Who = { authorization: string; userId: string };

let t: TestApp;
let staff: Who;
let demo: { communityId: string; compoundId: string };

const NOW = new Date('2026-12-07T10:00:00+08:00');
const tag = () => randomBytes(3).toString('hex');

async function newCommunity() {
  const [c] = await t.deps.db
    .insert(communities)
    .values({ name: `测试社区${tag()}`, city: '成都' })
    .returning();
  const [p] = await t.deps.db.insert(compounds).values({ communityId: c!.id, name: '一号院' }).returning();
  return { communityId: c!.id, compoundId: p!.id };
}

/** A verified volunteer who can sign in, in `place` (the demo community by default). */
async function makeVolunteer(opts: { place?: typeof demo; name?: string; optOut?: boolean } = {}) {
  const who = await t.login(freshPhone());
  const place = opts.place ?? demo;
  const name = opts.name ?? `测${tag()}`;
  await t.deps.db.insert(volunteers).values({
    userId: who.userId,
    ...place,
    realName: name,
    idTail: '1234',
    status: 'verified',
    leaderboardOptOut: opts.optOut ?? false,
  });
  await t.deps.db.insert(userRoles).values({ userId: who.userId, role: 'volunteer' });
  return { ...who, name };
}

async function ledgerOf(userId: string) {
  return t.deps.db.select().from(timeBankLedger).where(eq(timeBankLedger.userId, userId));
}
async function accountOf(userId: string) {
  const [a] = await t.deps.db.select().from(timeBankAccounts).where(eq(timeBankAccounts.userId, userId));
  return a;
}
const sum = (rows: { deltaMin: number }[]) => rows.reduce((s, r) => s + r.deltaMin, 0);
const credit = (userId: string, minutes: number, dedupeKey: string) =>
  t.deps.db.transaction((tx) => creditMinutes(tx, { userId, minutes, reason: '测试入账', dedupeKey }));

const errorCode = (err: unknown): string | undefined => (err as { code?: string }).code;
/** The database's own message for a refused statement (drizzle wraps it in `cause`). */
async function refusal(q: PromiseLike<unknown>): Promise<string> {
  try {
    await q;
  } catch (err) {
    const e = err as { message?: string; cause?: { message?: string } };
    return e.cause?.message ?? e.message ?? '';
  }
  return 'no error';
}

beforeAll(async () => {
  t = await setupTestApp(TEST_ENV);
  t.clock.set(NOW);
  staff = await t.login(PHONES.staff);
  const communityId = await demoCommunityId(t);
  const [c] = await t.deps.db.select().from(compounds).where(eq(compounds.communityId, communityId)).limit(1);
  demo = { communityId, compoundId: c!.id };
}, 60_000);
afterAll(async () => {
  await t?.close();
});

describe('the ledger', () => {
  it('is never edited: an UPDATE or DELETE of a row raises, and the row stays', async () => {
    const v = await makeVolunteer();
    expect(await credit(v.userId, 30, `test:${tag()}`)).toBe(true);
    const [row] = await ledgerOf(v.userId);
    expect(
      await refusal(
        t.deps.db.update(timeBankLedger).set({ deltaMin: 999 }).where(eq(timeBankLedger.id, row!.id)),
      ),
    ).toMatch(/time_bank_ledger is append-only/);
    expect(await refusal(t.deps.db.delete(timeBankLedger).where(eq(timeBankLedger.id, row!.id)))).toMatch(
      /time_bank_ledger is append-only/,
    );
    expect(await ledgerOf(v.userId)).toEqual([row]);
  });

  it('50 credits at once with distinct keys and 10 replayed keys: each key credited once, balance = earned = the rows', async () => {
    const v = await makeVolunteer();
    const keys = Array.from({ length: 50 }, (_, i) => ({
      key: `burst:${v.userId}:${i}`,
      minutes: 5 + (i % 7) * 3,
    }));
    const replays = keys.filter((_, i) => i % 5 === 0);
    const results = await Promise.all(
      [...keys, ...replays].map(({ key, minutes }) => credit(v.userId, minutes, key)),
    );
    expect(results.filter(Boolean)).toHaveLength(50);
    expect(results.filter((r) => !r)).toHaveLength(10);
    const rows = await ledgerOf(v.userId);
    expect(rows).toHaveLength(50);
    const expected = keys.reduce((s, k) => s + k.minutes, 0);
    expect(sum(rows)).toBe(expected);
    expect(await accountOf(v.userId)).toEqual({
      userId: v.userId,
      balanceMin: expected,
      earnedMin: expected,
    });
  });

  it('debits at once never take the balance below zero; the balance is the sum of the rows', async () => {
    const v = await makeVolunteer();
    await credit(v.userId, 100, `seed:${v.userId}`);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 30 }, (_, i) =>
        t.deps.db.transaction((tx) =>
          debitMinutes(tx, {
            userId: v.userId,
            minutes: 7,
            reason: '测试支出',
            dedupeKey: `spend:${v.userId}:${i}`,
          }),
        ),
      ),
    );
    const ok = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.filter((o) => o.status === 'rejected');
    expect(ok).toHaveLength(14);
    expect(refused).toHaveLength(16);
    expect(
      refused.every((o) => errorCode((o as PromiseRejectedResult).reason) === 'TIME_BANK_INSUFFICIENT'),
    ).toBe(true);
    const rows = await ledgerOf(v.userId);
    expect(rows).toHaveLength(15);
    expect(sum(rows)).toBe(2);
    expect(await accountOf(v.userId)).toMatchObject({ balanceMin: 2, earnedMin: 100 });
    // The CHECK is the last line: a direct write below zero is refused by the database itself.
    expect(
      await refusal(
        t.deps.db
          .update(timeBankAccounts)
          .set({ balanceMin: -1 })
          .where(eq(timeBankAccounts.userId, v.userId)),
      ),
    ).toMatch(/time_bank_balance/);
  });
});

describe('staff corrections', () => {
  const correct = (as: Who, payload: Record<string, unknown>) =>
    t.call({ method: 'POST', url: '/v1/staff/time-bank/corrections', headers: bearer(as), payload });

  it('add a row (never edit one) and refuse to go below zero', async () => {
    const v = await makeVolunteer();
    await credit(v.userId, 60, `task:${tag()}`);
    const before = await ledgerOf(v.userId);

    const down = await correct(staff, { userId: v.userId, deltaMin: -30, reason: '重复登记，扣回' });
    expect(down.status).toBe(200);
    expect(down.body).toMatchObject({ kind: 'correction', deltaMin: -30, reason: '重复登记，扣回' });
    const rows = await ledgerOf(v.userId);
    expect(rows).toHaveLength(2);
    expect(rows.find((r) => r.id === before[0]!.id)).toEqual(before[0]);
    expect(rows.find((r) => r.id === down.body.id)!.createdBy).toBe(staff.userId);
    expect(await accountOf(v.userId)).toMatchObject({ balanceMin: 30, earnedMin: 30 });

    const tooMuch = await correct(staff, { userId: v.userId, deltaMin: -31, reason: '再扣' });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body.error.code).toBe('TIME_BANK_INSUFFICIENT');
    expect(await ledgerOf(v.userId)).toHaveLength(2);

    expect((await correct(staff, { userId: v.userId, deltaMin: 45, reason: '补录活动时长' })).status).toBe(
      200,
    );
    const after = await ledgerOf(v.userId);
    expect(sum(after)).toBe(75);
    expect(await accountOf(v.userId)).toMatchObject({ balanceMin: 75 });
    expect(await auditRows(t, 'time_bank.corrected', v.userId)).toHaveLength(2);
  });

  it('staff of another community get 404 and a volunteer 403; nothing is written', async () => {
    const v = await makeVolunteer();
    const place = await newCommunity();
    const otherStaff = await makeStaff(t, { runsDemo: false });
    await t.deps.db
      .insert(staffCommunities)
      .values({ userId: otherStaff.userId, communityId: place.communityId });
    expect((await correct(otherStaff, { userId: v.userId, deltaMin: 30, reason: '试试' })).status).toBe(404);
    expect((await correct(v, { userId: v.userId, deltaMin: 30, reason: '给自己加' })).status).toBe(403);
    expect(await ledgerOf(v.userId)).toHaveLength(0);
  });
});

describe('star levels', () => {
  it('go up at 100, 300, 600, 1000 and 1500 hours earned', () => {
    expect(STAR_LEVELS).toEqual([100, 300, 600, 1000, 1500]);
    STAR_LEVELS.forEach((hours, i) => {
      expect(starLevel(hours * 60 - 1)).toBe(i);
      expect(starLevel(hours * 60)).toBe(i + 1);
    });
    expect(starLevel(0)).toBe(0);
    expect(starLevel(100_000 * 60)).toBe(5);
  });

  it('the time bank and the certificate show the star of the hours earned', async () => {
    const v = await makeVolunteer({ name: '王小明' });
    await credit(v.userId, 100 * 60, `big:${v.userId}`);
    const bank = await t.call({ method: 'GET', url: '/v1/volunteer/time-bank', headers: bearer(v) });
    expect(bank.body).toMatchObject({ earnedMin: 6000, star: 1, nextStarHours: 200 });

    const cert = await t.call({ method: 'GET', url: '/v1/volunteer/certificate', headers: bearer(v) });
    expect(cert.status).toBe(200);
    const [row] = await t.deps.db.select().from(volunteers).where(eq(volunteers.userId, v.userId));
    expect(cert.body).toMatchObject({
      name: '王小明',
      communityName: DEMO_COMMUNITY,
      earnedMin: 6000,
      star: 1,
      tasks: 0,
      since: row!.createdAt.toISOString(),
      serial: `LL-2026-${v.userId.slice(0, 8)}`,
    });
    expect(Math.abs(Date.parse(cert.body.issuedAt) - NOW.getTime())).toBeLessThan(60_000);

    const resident = await t.login(PHONES.resident);
    expect(
      (await t.call({ method: 'GET', url: '/v1/volunteer/certificate', headers: bearer(resident) })).status,
    ).toBe(403);
  });
});

describe('the leaderboard', () => {
  const board = async (who: Who) => {
    const res = await t.call({ method: 'GET', url: '/v1/volunteer/leaderboard', headers: bearer(who) });
    expect(res.status).toBe(200);
    return res.body as {
      items: { rank: number; name: string; earnedMin: number; star: number; me: boolean }[];
      optedOut: boolean;
    };
  };

  it('ranks by minutes earned, masks others’ names, and hides whoever opts out from everyone else', async () => {
    const place = await newCommunity();
    const a = await makeVolunteer({ place, name: '李大爷' });
    const b = await makeVolunteer({ place, name: '张阿姨' });
    const c = await makeVolunteer({ place, name: '陈同学' });
    await credit(a.userId, 300, `lb:${a.userId}`);
    await credit(b.userId, 120, `lb:${b.userId}`);
    await credit(c.userId, 120, `lb:${c.userId}`);

    const seenByB = await board(b);
    expect(seenByB.optedOut).toBe(false);
    // Equal minutes share a rank (the earlier volunteer is listed first).
    expect(seenByB.items.map((i) => [i.rank, i.earnedMin, i.me])).toEqual([
      [1, 300, false],
      [2, 120, true],
      [2, 120, false],
    ]);
    expect(seenByB.items[0]!.name).toBe('李**');
    expect(seenByB.items.find((i) => i.me)!.name).toBe('张阿姨');
    expect(
      seenByB.items
        .filter((i) => !i.me)
        .map((i) => i.name)
        .sort(),
    ).toEqual(['李**', '陈**'].sort());

    const off = await t.call({
      method: 'PATCH',
      url: '/v1/volunteer/me',
      headers: bearer(a),
      payload: { leaderboardOptOut: true },
    });
    expect(off.status).toBe(200);
    const afterB = await board(b);
    expect(afterB.items.map((i) => i.name).sort()).toEqual(['张阿姨', '陈**'].sort());
    expect(afterB.items.map((i) => i.rank)).toEqual([1, 1]);
    const own = await board(a);
    expect(own.optedOut).toBe(true);
    expect(own.items.some((i) => i.me)).toBe(false);
    expect(own.items).toHaveLength(2);
  });

  it('shows the top 50 and always the caller’s own line with their true rank', async () => {
    const place = await newCommunity();
    const me = await makeVolunteer({ place, name: '赵小红' });
    await credit(me.userId, 10, `lb:${me.userId}`);
    // 55 others ahead, inserted directly; one of them opted out and one suspended, so 53 count.
    const others = await t.deps.db
      .insert(users)
      .values(Array.from({ length: 55 }, (_, i) => ({ phone: freshPhone(), name: `队员${i}` })))
      .returning({ id: users.id });
    await t.deps.db.insert(volunteers).values(
      others.map((u, i) => ({
        userId: u.id,
        ...place,
        realName: `钱${i}`,
        idTail: '4321',
        status: i === 1 ? ('suspended' as const) : ('verified' as const),
        leaderboardOptOut: i === 0,
      })),
    );
    await t.deps.db
      .insert(timeBankAccounts)
      .values(others.map((u, i) => ({ userId: u.id, balanceMin: 0, earnedMin: 10_000 - i * 10 })));

    const seen = await board(me);
    expect(seen.items).toHaveLength(51);
    expect(seen.items.slice(0, 50).map((i) => i.rank)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(seen.items[0]).toMatchObject({ earnedMin: 10_000 - 2 * 10, name: '钱**', me: false });
    expect(seen.items.slice(0, 50).every((i) => !i.me && i.earnedMin > 10)).toBe(true);
    expect(seen.items[50]).toEqual({ rank: 54, name: '赵小红', earnedMin: 10, star: 0, me: true });

    // The database agrees: 53 shown volunteers have more than the caller.
    const [ahead] = await t.deps.db
      .select({ n: sql<number>`count(*)::int` })
      .from(volunteers)
      .innerJoin(timeBankAccounts, eq(timeBankAccounts.userId, volunteers.userId))
      .where(
        sql`${volunteers.communityId} = ${place.communityId} AND ${volunteers.status} = 'verified' AND NOT ${volunteers.leaderboardOptOut} AND ${timeBankAccounts.earnedMin} > 10`,
      );
    expect(ahead!.n).toBe(53);
  });
});
