import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, memberships, userRoles } from '../../src/db/schema';
import {
  auditRows,
  bearer,
  demoHouseholds,
  demoHouseholdTree,
  freshPhone,
  inbox,
  makeStaff,
  PHONES,
  TEST_ENV,
} from '../fixtures/people';
import { setupTestApp, type TestApp } from '../helper';

let t: TestApp;
let households: string[];
let staff: { authorization: string; userId: string };
beforeAll(async () => {
  t = await setupTestApp(TEST_ENV);
  staff = await t.login(PHONES.staff);
  households = await demoHouseholds(t, staff);
});
afterAll(() => t?.close());

async function request(who: { authorization: string }, householdId: string) {
  return t.call({ method: 'POST', url: '/v1/memberships', headers: bearer(who), payload: { householdId } });
}
const review = (who: { authorization: string }, id: string, verb: 'approve' | 'reject', payload = {}) =>
  t.call({ method: 'POST', url: `/v1/staff/memberships/${id}/${verb}`, headers: bearer(who), payload });

async function rolesOf(who: { authorization: string }) {
  const me = await t.call({ method: 'GET', url: '/v1/me', headers: bearer(who) });
  expect(me.status).toBe(200);
  return me.body.roles as string[];
}

describe('request and approve', () => {
  it('a new user asks, staff sees it and is notified, approval makes them a resident', async () => {
    const applicant = await t.login(freshPhone());
    expect(await rolesOf(applicant)).toEqual([]);

    const res = await request(applicant, households[2]!);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: 'pending',
      householdId: households[2],
      reviewNote: null,
      reviewedAt: null,
    });
    const tree = await demoHouseholdTree(t, staff);
    const address = tree.find((h) => h.id === households[2])!.address;
    expect(address).toMatch(/^黌门街社区 · (银杏院|梧桐院|玉兰院) · [12]栋 · \d{3}$/);
    expect(res.body.address).toBe(address);
    const id = res.body.id;

    const mine = await t.call({ method: 'GET', url: '/v1/memberships', headers: bearer(applicant) });
    expect(mine.body.items.map((m: { id: string }) => m.id)).toEqual([id]);

    const list = await t.call({ method: 'GET', url: '/v1/staff/memberships', headers: bearer(staff) });
    expect(list.status).toBe(200);
    const entry = list.body.items.find((m: { id: string }) => m.id === id);
    expect(entry).toMatchObject({ status: 'pending', applicant: { id: applicant.userId } });
    expect(entry.applicant.phoneMasked).toMatch(/^139\*{4}\d{4}$/);
    // Reviewed lists are separate.
    const approvedList = await t.call({
      method: 'GET',
      url: '/v1/staff/memberships?status=approved',
      headers: bearer(staff),
    });
    expect(approvedList.body.items.map((m: { id: string }) => m.id)).not.toContain(id);

    const staffInbox = await inbox(t, staff.userId);
    const pending = staffInbox.filter((n) => n.dedupeKey === `membership.pending:${id}`);
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatchObject({ kind: 'membership.pending', title: '新的住户认证申请', readAt: null });
    expect(pending[0]!.body).toBe(`${address} 有一条新的住户认证申请待审核`);

    expect(await auditRows(t, 'membership.requested', id)).toEqual([
      expect.objectContaining({ actorId: applicant.userId, onBehalfOf: null, subjectType: 'membership' }),
    ]);

    const ok = await review(staff, id, 'approve', { note: '已核对房产证' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ id, status: 'approved', reviewNote: '已核对房产证' });
    expect(Date.parse(ok.body.reviewedAt)).not.toBeNaN();

    expect(await rolesOf(applicant)).toEqual(['resident']);
    const me = await t.call({ method: 'GET', url: '/v1/me', headers: bearer(applicant) });
    expect(me.body.memberships).toEqual([expect.objectContaining({ id, status: 'approved' })]);

    const applicantInbox = await t.call({
      method: 'GET',
      url: '/v1/notifications',
      headers: bearer(applicant),
    });
    expect(applicantInbox.body.items).toEqual([
      expect.objectContaining({ kind: 'membership.approved', title: '住户认证已通过', readAt: null }),
    ]);
    expect(applicantInbox.body.unread).toBe(1);

    const audits = await auditRows(t, 'membership.approved', id);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({
      actorId: staff.userId,
      onBehalfOf: null,
      subjectType: 'membership',
      data: { note: '已核对房产证' },
    });

    const [row] = await t.deps.db.select().from(memberships).where(eq(memberships.id, id));
    expect(row).toMatchObject({ status: 'approved', reviewedBy: staff.userId });
  });

  it('approving twice is 409 MEMBERSHIP_ALREADY_REVIEWED and changes nothing', async () => {
    const applicant = await t.login(freshPhone());
    const { body } = await request(applicant, households[3]!);
    expect((await review(staff, body.id, 'approve')).status).toBe(200);
    const again = await review(staff, body.id, 'approve');
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('MEMBERSHIP_ALREADY_REVIEWED');
    const reject = await review(staff, body.id, 'reject', { note: '改主意' });
    expect(reject.status).toBe(409);
    expect(reject.body.error.code).toBe('MEMBERSHIP_ALREADY_REVIEWED');
    expect(await auditRows(t, 'membership.approved', body.id)).toHaveLength(1);
    expect(await auditRows(t, 'membership.rejected', body.id)).toHaveLength(0);
    expect((await inbox(t, applicant.userId)).map((n) => n.kind)).toEqual(['membership.approved']);
    const mine = await t.call({ method: 'GET', url: '/v1/memberships', headers: bearer(applicant) });
    expect(mine.body.items[0].status).toBe('approved');
  });

  it('an approved membership cannot be requested again', async () => {
    const applicant = await t.login(freshPhone());
    const { body } = await request(applicant, households[5]!);
    await review(staff, body.id, 'approve');
    const again = await request(applicant, households[5]!);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('MEMBERSHIP_EXISTS');
  });
});

describe('reject', () => {
  it.each([{}, { note: '' }, { note: '   ' }])('needs a note (%j is 400 with body.note)', async (payload) => {
    const applicant = await t.login(freshPhone());
    const { body } = await request(applicant, households[6]!);
    const res = await review(staff, body.id, 'reject', payload);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual(['body.note']);
    const [row] = await t.deps.db.select().from(memberships).where(eq(memberships.id, body.id));
    expect(row!.status).toBe('pending');
  });

  it('with a note it rejects, tells the applicant why, and they may ask again', async () => {
    const applicant = await t.login(freshPhone());
    const first = await request(applicant, households[8]!);
    const res = await review(staff, first.body.id, 'reject', { note: '  门牌号不符  ' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'rejected', reviewNote: '门牌号不符' });
    expect(await rolesOf(applicant)).toEqual([]);
    const roles = await t.deps.db.select().from(userRoles).where(eq(userRoles.userId, applicant.userId));
    expect(roles).toEqual([]);

    const note = (await inbox(t, applicant.userId)).find((n) => n.kind === 'membership.rejected');
    expect(note).toMatchObject({ title: '住户认证未通过' });
    expect(note!.body).toContain('门牌号不符');
    expect(await auditRows(t, 'membership.rejected', first.body.id)).toEqual([
      expect.objectContaining({ actorId: staff.userId, data: { note: '门牌号不符' } }),
    ]);

    const second = await request(applicant, households[8]!);
    expect(second.status).toBe(201);
    expect(second.body.id).not.toBe(first.body.id);
    expect(second.body.status).toBe('pending');
    const mine = await t.call({ method: 'GET', url: '/v1/memberships', headers: bearer(applicant) });
    expect(mine.body.items.map((m: { status: string }) => m.status).sort()).toEqual(['pending', 'rejected']);
    // The second one can be approved on its own.
    expect((await review(staff, second.body.id, 'approve')).status).toBe(200);
    expect(await rolesOf(applicant)).toEqual(['resident']);
  });
});

describe('bad requests', () => {
  it('an unknown household is 400 with body.householdId, and nothing is written', async () => {
    const applicant = await t.login(freshPhone());
    const res = await request(applicant, '0190a0b0-0000-7000-8000-000000000000');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: {
        code: 'VALIDATION_FAILED',
        message: 'Some fields are invalid',
        details: [{ path: 'body.householdId', message: 'no such household' }],
      },
    });
    const notUuid = await request(applicant, 'household-1');
    expect(notUuid.status).toBe(400);
    expect(notUuid.body.error.details.map((d: { path: string }) => d.path)).toEqual(['body.householdId']);
    const rows = await t.deps.db.select().from(memberships).where(eq(memberships.userId, applicant.userId));
    expect(rows).toEqual([]);
    const audits = await t.deps.db.select().from(auditLog).where(eq(auditLog.actorId, applicant.userId));
    expect(audits).toEqual([]);
  });

  it('the review routes need the staff role', async () => {
    const applicant = await t.login(freshPhone());
    const { body } = await request(applicant, households[9]!);
    const resident = await t.login(PHONES.resident);
    const res = await review(resident, body.id, 'approve');
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
    const list = await t.call({ method: 'GET', url: '/v1/staff/memberships', headers: bearer(resident) });
    expect(list.status).toBe(403);
  });
});

describe('concurrency against the real database', () => {
  it('two staff approving and rejecting the same request at once: one 200, one 409, consistent state', async () => {
    const second = await makeStaff(t, { runsDemo: true });
    for (let round = 0; round < 5; round++) {
      const applicant = await t.login(freshPhone());
      const { body } = await request(applicant, households[11 + round]!);
      const [a, b] = await Promise.all([
        review(staff, body.id, 'approve'),
        review(second, body.id, 'reject', { note: '不在本户' }),
      ]);
      const statuses = [a.status, b.status].sort();
      expect(statuses).toEqual([200, 409]);
      const loser = a.status === 409 ? a : b;
      expect(loser.body.error.code).toBe('MEMBERSHIP_ALREADY_REVIEWED');
      const decided = a.status === 200 ? 'approved' : 'rejected';

      const [row] = await t.deps.db.select().from(memberships).where(eq(memberships.id, body.id));
      expect(row!.status).toBe(decided);
      expect(row!.reviewedBy).toBe(a.status === 200 ? staff.userId : second.userId);
      expect(await rolesOf(applicant)).toEqual(decided === 'approved' ? ['resident'] : []);
      const audits = [
        ...(await auditRows(t, 'membership.approved', body.id)),
        ...(await auditRows(t, 'membership.rejected', body.id)),
      ];
      expect(audits.map((r) => r.action)).toEqual([`membership.${decided}`]);
      expect((await inbox(t, applicant.userId)).map((n) => n.kind)).toEqual([`membership.${decided}`]);
    }
  });

  it('the same user requesting the same household 10 times at once: one 201, nine 409', async () => {
    const applicant = await t.login(freshPhone());
    const results = await Promise.all(Array.from({ length: 10 }, () => request(applicant, households[20]!)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, ...Array(9).fill(409)]);
    for (const r of results.filter((x) => x.status === 409)) {
      expect(r.body).toEqual({
        error: {
          code: 'MEMBERSHIP_EXISTS',
          message: 'You already have a pending or approved request for this household',
        },
      });
    }
    const rows = await t.deps.db.select().from(memberships).where(eq(memberships.userId, applicant.userId));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id).toBe(results.find((r) => r.status === 201)!.body.id);
    // The losers' transactions rolled back whole: one audit row, one staff notification.
    const audits = await t.deps.db.select().from(auditLog).where(eq(auditLog.actorId, applicant.userId));
    expect(audits).toHaveLength(1);
    const staffNotes = (await inbox(t, staff.userId)).filter(
      (n) => n.dedupeKey === `membership.pending:${rows[0]!.id}`,
    );
    expect(staffNotes).toHaveLength(1);
  });
});
