import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { auditLog, memberships, proxyLinks } from '../../src/db/schema';
import {
  auditRows,
  bearer,
  demoHouseholds,
  freshPhone,
  inbox,
  makeStaff,
  PHONES,
  TEST_ENV,
} from '../fixtures/people';
import { setupTestApp, type TestApp } from '../helper';

type Who = { authorization: string; userId: string };

let t: TestApp;
let elder: Who;
let staff: Who;
let households: string[];
beforeAll(async () => {
  t = await setupTestApp(TEST_ENV);
  elder = await t.login(PHONES.elder);
  staff = await t.login(PHONES.staff);
  households = await demoHouseholds(t, staff);
});
afterAll(() => t?.close());

const askLink = (who: Who, elderPhone: string = PHONES.elder, relationship = '孙子') =>
  t.call({
    method: 'POST',
    url: '/v1/proxy-links',
    headers: bearer(who),
    payload: { elderPhone, relationship },
  });
const forElder = (who: Who, elderId = elder.userId) => ({ ...bearer(who), 'x-on-behalf-of': elderId });

describe('family proxy flow', () => {
  it('request, consent, act for the elder (audited), revoke', async () => {
    const proxy = await t.login(freshPhone());

    // 1. The family member asks; nothing is allowed yet.
    const asked = await askLink(proxy);
    expect(asked.status).toBe(201);
    // Until she agrees, the asker is not told who the number belongs to.
    expect(asked.body).toMatchObject({
      elder: null,
      elderPhone: '138****0020',
      proxy: { id: proxy.userId },
      relationship: '孙子',
      consentStatus: 'pending',
      consentMethod: null,
      consentAt: null,
    });
    const linkId = asked.body.id;
    const elderNote = (await inbox(t, elder.userId)).find(
      (n) => n.dedupeKey === `proxy_link.requested:${linkId}`,
    );
    expect(elderNote).toMatchObject({ kind: 'proxy_link.requested', title: '家属代办申请' });
    // The elder can tell who is asking: the asker's masked number, in the request and the inbox.
    const elderSees = await t.call({ method: 'GET', url: '/v1/proxy-links', headers: bearer(elder) });
    const request = elderSees.body.items.find((l: { id: string }) => l.id === linkId);
    expect(request.proxy.phoneMasked).toMatch(/^1\d{2}\*{4}\d{4}$/);
    expect(elderNote!.body).toContain(request.proxy.phoneMasked);
    expect(elderNote!.body).toContain('孙子');

    const meBefore = await t.call({ method: 'GET', url: '/v1/me', headers: bearer(proxy) });
    expect(meBefore.body.elders).toEqual([]);
    const early = await t.call({ method: 'GET', url: '/v1/me', headers: forElder(proxy) });
    expect(early.status).toBe(404);

    // 2. The elder consents in the app.
    const consent = await t.call({
      method: 'POST',
      url: `/v1/proxy-links/${linkId}/consent`,
      headers: bearer(elder),
      payload: {},
    });
    expect(consent.status).toBe(200);
    expect(consent.body).toMatchObject({ id: linkId, consentStatus: 'granted', consentMethod: 'in_app' });
    const meGranted = await t.call({ method: 'GET', url: '/v1/me', headers: bearer(proxy) });
    expect(meGranted.body.elders).toEqual([
      { linkId, elderId: elder.userId, name: '刘奶奶', relationship: '孙子', consentStatus: 'granted' },
    ]);
    const mine = await t.call({ method: 'GET', url: '/v1/proxy-links', headers: bearer(proxy) });
    expect(mine.body.items[0].elder).toEqual({ id: elder.userId, name: '刘奶奶' });
    expect(Date.parse(consent.body.consentAt)).not.toBeNaN();
    expect((await inbox(t, proxy.userId)).map((n) => n.kind)).toEqual(['proxy_link.granted']);
    const again = await t.call({
      method: 'POST',
      url: `/v1/proxy-links/${linkId}/consent`,
      headers: bearer(elder),
      payload: {},
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('PROXY_LINK_NOT_PENDING');

    // 3. The proxy sees the elder's data, and that read is audited.
    const me = await t.call({ method: 'GET', url: '/v1/me', headers: forElder(proxy) });
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({
      id: elder.userId,
      name: '刘奶奶',
      phoneMasked: '138****0020',
      birthDate: '1940-03-15',
      isElder: true,
    });
    expect(me.body.roles).toEqual(['resident']);
    expect(me.body.memberships).toEqual([expect.objectContaining({ status: 'approved' })]);
    // Without the header the proxy is themself again: no roles, no memberships.
    const own = await t.call({ method: 'GET', url: '/v1/me', headers: bearer(proxy) });
    expect(own.body.user.id).toBe(proxy.userId);
    expect(own.body.roles).toEqual([]);

    const reads = () =>
      t.deps.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.actorId, proxy.userId), eq(auditLog.action, 'read /v1/me')));
    // The read is written in onResponse, just after the reply went out.
    await vi.waitFor(async () => expect(await reads()).toHaveLength(1));
    expect((await reads())[0]).toMatchObject({ onBehalfOf: elder.userId, data: { status: 200 } });
    // The proxy's own reads are not "for someone" and not audited as such.
    const behalf = await t.deps.db.select().from(auditLog).where(eq(auditLog.actorId, proxy.userId));
    expect(
      behalf.filter((r) => r.action.startsWith('read ')).every((r) => r.onBehalfOf === elder.userId),
    ).toBe(true);

    const elderInbox = await t.call({ method: 'GET', url: '/v1/notifications', headers: forElder(proxy) });
    expect(elderInbox.status).toBe(200);
    expect(elderInbox.body.items.map((n: { id: string }) => n.id)).toContain(elderNote!.id);

    // 4. A write for the elder: the membership is the elder's, the audit names both people.
    const made = await t.call({
      method: 'POST',
      url: '/v1/memberships',
      headers: forElder(proxy),
      payload: { householdId: households[30] },
    });
    expect(made.status).toBe(201);
    const [row] = await t.deps.db.select().from(memberships).where(eq(memberships.id, made.body.id));
    expect(row!.userId).toBe(elder.userId);
    expect(await auditRows(t, 'membership.requested', made.body.id)).toEqual([
      expect.objectContaining({ actorId: proxy.userId, onBehalfOf: elder.userId, subjectType: 'membership' }),
    ]);
    const proxyOwn = await t.call({ method: 'GET', url: '/v1/memberships', headers: bearer(proxy) });
    expect(proxyOwn.body.items).toEqual([]);
    const elderOwn = await t.call({ method: 'GET', url: '/v1/memberships', headers: bearer(elder) });
    expect(elderOwn.body.items.map((m: { id: string }) => m.id)).toContain(made.body.id);

    // 5. Revoke (by the proxy here): the header stops working at once.
    const revoked = await t.call({
      method: 'POST',
      url: `/v1/proxy-links/${linkId}/revoke`,
      headers: bearer(proxy),
      payload: {},
    });
    expect(revoked.status).toBe(200);
    expect(revoked.body.consentStatus).toBe('revoked');
    expect(await auditRows(t, 'proxy_link.revoked', linkId)).toHaveLength(1);
    for (const url of ['/v1/me', '/v1/memberships', '/v1/notifications']) {
      const after = await t.call({ method: 'GET', url, headers: forElder(proxy) });
      expect(after.status).toBe(404);
      expect(after.body.error.code).toBe('NOT_FOUND');
    }
    const write = await t.call({
      method: 'POST',
      url: '/v1/memberships',
      headers: forElder(proxy),
      payload: { householdId: households[31] },
    });
    expect(write.status).toBe(404);
    const meAfter = await t.call({ method: 'GET', url: '/v1/me', headers: bearer(proxy) });
    expect(meAfter.body.elders).toEqual([]);

    const twice = await t.call({
      method: 'POST',
      url: `/v1/proxy-links/${linkId}/revoke`,
      headers: bearer(elder),
      payload: {},
    });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('PROXY_LINK_REVOKED');
    const reconsent = await t.call({
      method: 'POST',
      url: `/v1/proxy-links/${linkId}/consent`,
      headers: bearer(elder),
      payload: {},
    });
    expect(reconsent.status).toBe(409);

    // 6. After a revoke the family member may ask again; a new link, pending.
    const reasked = await askLink(proxy);
    expect(reasked.status).toBe(201);
    expect(reasked.body.id).not.toBe(linkId);
    expect(reasked.body.consentStatus).toBe('pending');
  });

  it('the seeded proxy acts for 刘奶奶 without any new consent', async () => {
    const seeded = await t.login(PHONES.familyProxy);
    const me = await t.call({ method: 'GET', url: '/v1/me', headers: forElder(seeded) });
    expect(me.status).toBe(200);
    expect(me.body.user.id).toBe(elder.userId);
  });
});

describe('asking for a link', () => {
  it.each([
    ['a resident who is not an elder', PHONES.resident],
    ['a phone nobody has', '13999999999'],
  ])('to %s answers exactly as for an elder, and tells nobody', async (_what, phone) => {
    const proxy = await t.login(freshPhone());
    const forElder = await askLink(proxy, PHONES.elder);
    const res = await askLink(proxy, phone);
    // Same status, same shape, nothing that differs but the ids, times and the number asked.
    expect(res.status).toBe(forElder.status);
    const shape = (b: Record<string, unknown>) => ({ ...b, id: 'x', createdAt: 'x', elderPhone: 'x' });
    expect(shape(res.body)).toEqual(shape(forElder.body));
    expect(res.body.elder).toBeNull();
    const mine = await t.call({ method: 'GET', url: '/v1/proxy-links', headers: bearer(proxy) });
    expect(mine.body.items.map(shape)).toEqual([shape(res.body), shape(forElder.body)]);
    // Asking again is the same 409 either way.
    expect((await askLink(proxy, phone)).body).toEqual((await askLink(proxy, PHONES.elder)).body);
    // The resident behind the number (if any) hears nothing and sees nothing.
    const [row] = await t.deps.db.select().from(proxyLinks).where(eq(proxyLinks.id, res.body.id));
    expect(row!.elderId).toBeNull();
    const notices = await t.deps.db.execute(
      `SELECT count(*)::int AS n FROM notifications WHERE dedupe_key = 'proxy_link.requested:${res.body.id}'`,
    );
    expect((notices as unknown as { n: number }[])[0]!.n).toBe(0);
  });

  it('is rate-limited per person', async () => {
    const proxy = await t.login(freshPhone());
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await askLink(proxy, `1390000${String(1000 + i)}`)).status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    const last = await askLink(proxy, '13900009999');
    expect(last.status).toBe(429);
    expect(last.body.error.code).toBe('RATE_LIMITED');
    // Someone else is not held back by it.
    expect((await askLink(await t.login(freshPhone()), '13900009999')).status).toBe(201);
  });

  it('a malformed phone or missing relationship is 400 naming the fields', async () => {
    const proxy = await t.login(freshPhone());
    const res = await t.call({
      method: 'POST',
      url: '/v1/proxy-links',
      headers: bearer(proxy),
      payload: { elderPhone: '110', relationship: ' ' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual([
      'body.elderPhone',
      'body.relationship',
    ]);
  });

  it('linking twice is 409 PROXY_LINK_EXISTS, pending or granted', async () => {
    const proxy = await t.login(freshPhone());
    expect((await askLink(proxy)).status).toBe(201);
    const again = await askLink(proxy, PHONES.elder, '外孙');
    expect(again.status).toBe(409);
    expect(again.body).toEqual({
      error: {
        code: 'PROXY_LINK_EXISTS',
        message: 'You are already linked to this elder, or have asked to be',
      },
    });
    // The seeded family member already holds a granted link.
    const seeded = await t.login(PHONES.familyProxy);
    const dup = await askLink(seeded);
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('PROXY_LINK_EXISTS');
    const rows = await t.deps.db.select().from(proxyLinks).where(eq(proxyLinks.proxyId, proxy.userId));
    expect(rows).toHaveLength(1);
  });

  it('an elder cannot be their own proxy (409 PROXY_LINK_SELF)', async () => {
    const res = await askLink(elder);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('PROXY_LINK_SELF');
  });
});

describe('staff record consent given offline', () => {
  it('a pending link becomes granted with consentMethod in_person, audited to the staff member', async () => {
    const proxy = await t.login(freshPhone());
    const { body } = await askLink(proxy, PHONES.elder, '女儿');
    const res = await t.call({
      method: 'POST',
      url: `/v1/staff/proxy-links/${body.id}/consent`,
      headers: bearer(staff),
      payload: { method: 'in_person', note: '上门确认' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: body.id, consentStatus: 'granted', consentMethod: 'in_person' });
    const [row] = await t.deps.db.select().from(proxyLinks).where(eq(proxyLinks.id, body.id));
    expect(row).toMatchObject({ consentRecordedBy: staff.userId, consentNote: '上门确认' });
    expect(await auditRows(t, 'proxy_link.consented', body.id)).toEqual([
      expect.objectContaining({ actorId: staff.userId, onBehalfOf: null, data: { method: 'in_person' } }),
    ]);
    const me = await t.call({ method: 'GET', url: '/v1/me', headers: forElder(proxy) });
    expect(me.status).toBe(200);
    expect(me.body.user.id).toBe(elder.userId);

    const bad = await t.call({
      method: 'POST',
      url: `/v1/staff/proxy-links/${body.id}/consent`,
      headers: bearer(staff),
      payload: { method: 'in_app' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path)).toEqual(['body.method']);
    const twice = await t.call({
      method: 'POST',
      url: `/v1/staff/proxy-links/${body.id}/consent`,
      headers: bearer(staff),
      payload: { method: 'paper' },
    });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('PROXY_LINK_NOT_PENDING');
  });
});

describe('concurrency against the real database', () => {
  it('the same family member asking 8 times at once: one 201, seven 409 PROXY_LINK_EXISTS', async () => {
    const proxy = await t.login(freshPhone());
    const results = await Promise.all(Array.from({ length: 8 }, () => askLink(proxy)));
    expect(results.map((r) => r.status).sort()).toEqual([201, ...Array(7).fill(409)]);
    expect(new Set(results.filter((r) => r.status === 409).map((r) => r.body.error.code))).toEqual(
      new Set(['PROXY_LINK_EXISTS']),
    );
    const rows = await t.deps.db.select().from(proxyLinks).where(eq(proxyLinks.proxyId, proxy.userId));
    expect(rows).toHaveLength(1);
    const notes = (await inbox(t, elder.userId)).filter(
      (n) => n.dedupeKey === `proxy_link.requested:${rows[0]!.id}`,
    );
    expect(notes).toHaveLength(1);
  });

  it('elder consenting in the app while staff record consent: one wins, one 409, one audit row', async () => {
    const proxy = await t.login(freshPhone());
    const { body } = await askLink(proxy);
    const [inApp, offline] = await Promise.all([
      t.call({
        method: 'POST',
        url: `/v1/proxy-links/${body.id}/consent`,
        headers: bearer(elder),
        payload: {},
      }),
      t.call({
        method: 'POST',
        url: `/v1/staff/proxy-links/${body.id}/consent`,
        headers: bearer(staff),
        payload: { method: 'paper' },
      }),
    ]);
    expect([inApp.status, offline.status].sort()).toEqual([200, 409]);
    const winner = inApp.status === 200 ? 'in_app' : 'paper';
    const [row] = await t.deps.db.select().from(proxyLinks).where(eq(proxyLinks.id, body.id));
    expect(row).toMatchObject({ consentStatus: 'granted', consentMethod: winner });
    expect(await auditRows(t, 'proxy_link.consented', body.id)).toEqual([
      expect.objectContaining({ data: { method: winner } }),
    ]);
    expect((await inbox(t, proxy.userId)).map((n) => n.kind)).toEqual(['proxy_link.granted']);
  });
});

describe('staff list of links and the audit trail for the elder', () => {
  it('staff see pending links of elders in their community only, and can confirm from the list', async () => {
    const proxy = await t.login(freshPhone());
    const asked = await askLink(proxy, PHONES.elder, '女儿');
    const list = await t.call({ method: 'GET', url: '/v1/staff/proxy-links', headers: bearer(staff) });
    expect(list.status).toBe(200);
    expect(list.body.items.map((l: { id: string }) => l.id)).toContain(asked.body.id);

    const outsider = await makeStaff(t, { runsDemo: false });
    const none = await t.call({ method: 'GET', url: '/v1/staff/proxy-links', headers: bearer(outsider) });
    expect(none.body.items).toEqual([]);
    const resident = await t.login(PHONES.resident);
    expect(
      (await t.call({ method: 'GET', url: '/v1/staff/proxy-links', headers: bearer(resident) })).status,
    ).toBe(403);

    const granted = await t.call({
      method: 'GET',
      url: '/v1/staff/proxy-links?status=granted',
      headers: bearer(staff),
    });
    expect(granted.body.items.every((l: { consentStatus: string }) => l.consentStatus === 'granted')).toBe(
      true,
    );
  });

  it('the elder, and the family acting for them, can read what was done on the elder’s behalf', async () => {
    const family = await t.login(PHONES.familyProxy);
    const acting = { ...bearer(family), 'x-on-behalf-of': elder.userId };
    await t.call({ method: 'GET', url: '/v1/notifications', headers: acting });
    const seenByElder = await t.call({ method: 'GET', url: '/v1/proxy-links/audit', headers: bearer(elder) });
    expect(seenByElder.status).toBe(200);
    expect(seenByElder.body.items[0]).toMatchObject({
      actorId: family.userId,
      actorName: '刘晓明',
      relationship: '儿子',
      onBehalfOf: elder.userId,
      action: 'read /v1/notifications',
    });
    // Writes for the elder are audited in their own transaction.
    const read = await t.call({
      method: 'POST',
      url: '/v1/notifications/read',
      headers: acting,
      payload: { all: true },
    });
    expect(read.status).toBe(200);
    const after = await t.call({ method: 'GET', url: '/v1/proxy-links/audit', headers: bearer(elder) });
    expect(after.body.items.map((i: { action: string }) => i.action)).toContain('notifications.read');
    const seenByFamily = await t.call({ method: 'GET', url: '/v1/proxy-links/audit', headers: acting });
    expect(seenByFamily.body.items.length).toBeGreaterThan(0);
    // A stranger's own trail is empty; it never shows the elder's.
    const stranger = await t.login(freshPhone());
    const own = await t.call({ method: 'GET', url: '/v1/proxy-links/audit', headers: bearer(stranger) });
    expect(own.body.items).toEqual([]);
  });
});
