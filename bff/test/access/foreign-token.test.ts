import { api } from 'shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, demoHouseholds, freshPhone, inbox, makeStaff, PHONES, TEST_ENV } from '../fixtures/people';
import { setupTestApp, type TestApp } from '../helper';

let t: TestApp;
beforeAll(async () => {
  t = await setupTestApp(TEST_ENV);
});
afterAll(() => t?.close());

type Who = { authorization: string; userId: string };

/** Routes taking an :id that this file proves answer 404 to the wrong person. */
const COVERED = [
  'approveMembership',
  'rejectMembership',
  'consentProxyLink',
  'revokeProxyLink',
  'staffRecordConsent',
];
/** :id routes whose resource everyone signed in may read (the community directory). */
const PUBLIC_BY_DESIGN = ['community'];

it('every :id route in the API table is covered here (add a case when you add a route)', () => {
  const withId = Object.entries(api)
    .filter(([, def]) => def.path.includes(':id'))
    .map(([name]) => name)
    .sort();
  expect(withId).toEqual([...COVERED, ...PUBLIC_BY_DESIGN].sort());
});

async function pendingMembership(): Promise<{ applicant: Who; id: string }> {
  const applicant = await t.login(freshPhone());
  const households = await demoHouseholds(t, applicant);
  const res = await t.call({
    method: 'POST',
    url: '/v1/memberships',
    headers: bearer(applicant),
    payload: { householdId: households[7] },
  });
  expect(res.status).toBe(201);
  return { applicant, id: res.body.id };
}

async function pendingLink(): Promise<{ proxy: Who; id: string }> {
  const proxy = await t.login(freshPhone());
  const res = await t.call({
    method: 'POST',
    url: '/v1/proxy-links',
    headers: bearer(proxy),
    payload: { elderPhone: PHONES.elder, relationship: '孙女' },
  });
  expect(res.status).toBe(201);
  expect(res.body.consentStatus).toBe('pending');
  return { proxy, id: res.body.id };
}

async function membershipStatus(applicant: Who, id: string) {
  const mine = await t.call({ method: 'GET', url: '/v1/memberships', headers: bearer(applicant) });
  return mine.body.items.find((m: { id: string }) => m.id === id)?.status;
}

async function linkStatus(who: Who, id: string) {
  const res = await t.call({ method: 'GET', url: '/v1/proxy-links', headers: bearer(who) });
  return res.body.items.find((l: { id: string }) => l.id === id)?.consentStatus;
}

function expectNotFound(res: { status: number; body: unknown }) {
  expect(res.status).toBe(404);
  expect(res.body).toEqual({ error: { code: 'NOT_FOUND', message: 'Resource not found' } });
}

describe('membership review', () => {
  it.each([
    ['approve', {}],
    ['reject', { note: '地址不符' }],
  ])(
    '%s: staff of no community gets 404, a non-staff 403, the community staff 200',
    async (verb, payload) => {
      const { applicant, id } = await pendingMembership();
      const strayStaff = await makeStaff(t, { runsDemo: false });
      const url = `/v1/staff/memberships/${id}/${verb}`;

      const stray = await t.call({ method: 'POST', url, headers: bearer(strayStaff), payload });
      expectNotFound(stray);
      // The 404 is the same as for an id that does not exist at all: nothing leaks.
      const ghost = await t.call({
        method: 'POST',
        url: '/v1/staff/memberships/0190a0b0-0000-7000-8000-000000000000/approve',
        headers: bearer(strayStaff),
        payload: {},
      });
      expect(ghost.body).toEqual(stray.body);

      for (const phone of [PHONES.resident, PHONES.merchant]) {
        const notStaff = await t.login(phone);
        const res = await t.call({ method: 'POST', url, headers: bearer(notStaff), payload });
        expect(res.status).toBe(403);
        expect(res.body.error.code).toBe('FORBIDDEN');
      }
      // The applicant cannot review their own request either.
      expect((await t.call({ method: 'POST', url, headers: bearer(applicant), payload })).status).toBe(403);
      expect(await membershipStatus(applicant, id)).toBe('pending');

      const staff = await t.login(PHONES.staff);
      const ok = await t.call({ method: 'POST', url, headers: bearer(staff), payload });
      expect(ok.status).toBe(200);
      expect(ok.body.status).toBe(verb === 'approve' ? 'approved' : 'rejected');
      expect(await membershipStatus(applicant, id)).toBe(ok.body.status);
    },
  );

  it("a staff of no community sees none of the community's requests", async () => {
    const { id } = await pendingMembership();
    const strayStaff = await makeStaff(t, { runsDemo: false });
    const res = await t.call({ method: 'GET', url: '/v1/staff/memberships', headers: bearer(strayStaff) });
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([]);
    const staff = await t.login(PHONES.staff);
    const real = await t.call({ method: 'GET', url: '/v1/staff/memberships', headers: bearer(staff) });
    expect(real.body.items.map((m: { id: string }) => m.id)).toContain(id);
  });
});

describe('proxy links', () => {
  it('consent: only the elder; anyone else (the asker too, staff too) gets 404', async () => {
    const { proxy, id } = await pendingLink();
    const url = `/v1/proxy-links/${id}/consent`;
    for (const who of [proxy, await t.login(PHONES.resident), await t.login(PHONES.staff)]) {
      expectNotFound(await t.call({ method: 'POST', url, headers: bearer(who), payload: {} }));
    }
    expect(await linkStatus(proxy, id)).toBe('pending');

    const elder = await t.login(PHONES.elder);
    const ok = await t.call({ method: 'POST', url, headers: bearer(elder), payload: {} });
    expect(ok.status).toBe(200);
    expect(ok.body.consentStatus).toBe('granted');
    expect(ok.body.consentMethod).toBe('in_app');
  });

  it('revoke: an unrelated user gets 404; either side of the link may revoke', async () => {
    const { proxy, id } = await pendingLink();
    const url = `/v1/proxy-links/${id}/revoke`;
    for (const phone of [PHONES.resident, PHONES.familyProxy, PHONES.staff]) {
      const stranger = await t.login(phone);
      expectNotFound(await t.call({ method: 'POST', url, headers: bearer(stranger), payload: {} }));
    }
    expect(await linkStatus(proxy, id)).toBe('pending');
    const ok = await t.call({ method: 'POST', url, headers: bearer(proxy), payload: {} });
    expect(ok.status).toBe(200);
    expect(ok.body.consentStatus).toBe('revoked');

    const second = await pendingLink();
    const elder = await t.login(PHONES.elder);
    const byElder = await t.call({
      method: 'POST',
      url: `/v1/proxy-links/${second.id}/revoke`,
      headers: bearer(elder),
      payload: {},
    });
    expect(byElder.status).toBe(200);
    expect(byElder.body.consentStatus).toBe('revoked');
  });

  it('staff-recorded consent: staff of no community 404, non-staff 403, community staff 200', async () => {
    const { proxy, id } = await pendingLink();
    const url = `/v1/staff/proxy-links/${id}/consent`;
    const payload = { method: 'paper', note: '签字确认书' };
    const strayStaff = await makeStaff(t, { runsDemo: false });
    expectNotFound(await t.call({ method: 'POST', url, headers: bearer(strayStaff), payload }));
    const notStaff = await t.call({ method: 'POST', url, headers: bearer(proxy), payload });
    expect(notStaff.status).toBe(403);
    expect(notStaff.body.error.code).toBe('FORBIDDEN');
    expect(await linkStatus(proxy, id)).toBe('pending');

    const staff = await t.login(PHONES.staff);
    const ok = await t.call({ method: 'POST', url, headers: bearer(staff), payload });
    expect(ok.status).toBe(200);
    expect(ok.body.consentStatus).toBe('granted');
    expect(ok.body.consentMethod).toBe('paper');
  });
});

describe('X-On-Behalf-Of', () => {
  it('an elder you have no granted link to is 404, pending links included', async () => {
    const elder = await t.login(PHONES.elder);
    const stranger = await t.login(freshPhone());
    const asStranger = { ...bearer(stranger), 'x-on-behalf-of': elder.userId };
    expectNotFound(await t.call({ method: 'GET', url: '/v1/me', headers: asStranger }));

    const { proxy } = await pendingLink();
    expectNotFound(
      await t.call({
        method: 'GET',
        url: '/v1/me',
        headers: { ...bearer(proxy), 'x-on-behalf-of': elder.userId },
      }),
    );
    // A granted link's other direction does not count: the elder cannot act for the proxy.
    const seededProxy = await t.login(PHONES.familyProxy);
    expectNotFound(
      await t.call({
        method: 'GET',
        url: '/v1/me',
        headers: { ...bearer(elder), 'x-on-behalf-of': seededProxy.userId },
      }),
    );
    // Nor can anyone act for an arbitrary user id or garbage.
    for (const other of [(await t.login(PHONES.resident)).userId, 'not-a-uuid']) {
      expectNotFound(
        await t.call({
          method: 'GET',
          url: '/v1/me',
          headers: { ...bearer(seededProxy), 'x-on-behalf-of': other },
        }),
      );
    }
    // The write did not happen either.
    const before = (await inbox(t, elder.userId)).length;
    const households = await demoHouseholds(t, stranger);
    expectNotFound(
      await t.call({
        method: 'POST',
        url: '/v1/memberships',
        headers: asStranger,
        payload: { householdId: households[10] },
      }),
    );
    const mine = await t.call({ method: 'GET', url: '/v1/memberships', headers: bearer(elder) });
    expect(mine.body.items.map((m: { householdId: string }) => m.householdId)).not.toContain(households[10]);
    expect((await inbox(t, elder.userId)).length).toBe(before);
  });

  it('on a route that is not proxy-enabled it is 400 PROXY_NOT_ALLOWED, even with a granted link', async () => {
    const elder = await t.login(PHONES.elder);
    const seededProxy = await t.login(PHONES.familyProxy);
    const headers = { ...bearer(seededProxy), 'x-on-behalf-of': elder.userId };
    // The link is granted: a proxy-enabled route works.
    expect((await t.call({ method: 'GET', url: '/v1/me', headers })).status).toBe(200);

    const res = await t.call({
      method: 'POST',
      url: '/v1/notifications/subscriptions',
      headers,
      payload: { results: { 'tmpl-1': 'accept' } },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('PROXY_NOT_ALLOWED');
    // Nothing was granted to anyone.
    for (const who of [elder, seededProxy]) {
      const q = await t.call({ method: 'GET', url: '/v1/notifications/subscriptions', headers: bearer(who) });
      expect(q.body.items).toEqual([]);
    }
    for (const url of ['/v1/proxy-links']) {
      const r = await t.call({ method: 'GET', url, headers });
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('PROXY_NOT_ALLOWED');
    }
  });
});

describe('notifications', () => {
  it("marking someone else's notification read leaves it unread", async () => {
    const elder = await t.login(PHONES.elder);
    await pendingLink(); // the elder's inbox gets a proxy_link.requested notification
    const theirs = await t.call({
      method: 'GET',
      url: '/v1/notifications?unread=true',
      headers: bearer(elder),
    });
    const target = theirs.body.items.find((n: { kind: string }) => n.kind === 'proxy_link.requested');
    expect(target).toBeDefined();
    expect(target.readAt).toBeNull();
    const unreadBefore = theirs.body.unread;

    const other = await pendingMembership(); // a stranger with one notification-free inbox
    const staff = await t.login(PHONES.staff);
    const staffInbox = await t.call({ method: 'GET', url: '/v1/notifications', headers: bearer(staff) });
    const staffOwn = staffInbox.body.items.find((n: { readAt: string | null }) => n.readAt === null);
    expect(staffOwn).toBeDefined();

    for (const who of [other.applicant, staff]) {
      const res = await t.call({
        method: 'POST',
        url: '/v1/notifications/read',
        headers: bearer(who),
        payload: { ids: who === staff ? [target.id, staffOwn.id] : [target.id] },
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ok: true });
    }
    const after = await t.call({ method: 'GET', url: '/v1/notifications', headers: bearer(elder) });
    expect(after.body.items.find((n: { id: string }) => n.id === target.id).readAt).toBeNull();
    expect(after.body.unread).toBe(unreadBefore);
    // The staff member's own id in the same request was marked.
    const staffAfter = await t.call({ method: 'GET', url: '/v1/notifications', headers: bearer(staff) });
    expect(staffAfter.body.items.find((n: { id: string }) => n.id === staffOwn.id).readAt).not.toBeNull();

    // "all: true" by someone else does not reach it either.
    await t.call({
      method: 'POST',
      url: '/v1/notifications/read',
      headers: bearer(other.applicant),
      payload: { all: true },
    });
    const still = await t.call({ method: 'GET', url: '/v1/notifications', headers: bearer(elder) });
    expect(still.body.items.find((n: { id: string }) => n.id === target.id).readAt).toBeNull();
  });
});
