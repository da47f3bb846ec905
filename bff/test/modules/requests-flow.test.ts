import { eq, sql } from 'drizzle-orm';
import { maskPhone } from 'shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestEvents, uploads } from '../../src/db/schema';
import type { AppError } from '../../src/http/errors';
import { createRequest } from '../../src/modules/requests/service';
import { auditRows, bearer, freshPhone, inbox, makeStaff, PHONES, TEST_ENV } from '../fixtures/people';
import { dispatchTo, ok, raiseRequest, repairShop, requestRow, type Who } from '../fixtures/requests';
import { UPLOAD_TEST_ENV, uploadDir, uploadPhotos } from '../fixtures/uploads';
import { setupTestApp, type TestApp } from '../helper';

let t: TestApp;
let resident: Who;
let neighbour: Who;
let elder: Who;
let family: Who;
let staff: Who;
let colleague: Who;
let outsider: Who;
let shop: { owner: Who; merchantId: string };
let produceOwner: Who;
const store = uploadDir();

beforeAll(async () => {
  // This file raises many requests for one resident; the cap has a test of its own below.
  t = await setupTestApp({
    ...TEST_ENV,
    ...UPLOAD_TEST_ENV,
    ...store.env,
    REQUEST_MAX_OPEN_PER_RESIDENT: '1000',
  });
  resident = await t.login(PHONES.resident);
  neighbour = await t.login(PHONES.otherResident);
  elder = await t.login(PHONES.elder);
  family = await t.login(PHONES.familyProxy);
  staff = await t.login(PHONES.staff);
  colleague = await makeStaff(t, { runsDemo: true });
  outsider = await makeStaff(t, { runsDemo: false });
  shop = await repairShop(t);
  produceOwner = await t.login(PHONES.merchant);
});
afterAll(async () => {
  await t?.close();
  store.cleanup();
});

const kinds = async (userId: string, prefix = 'request.') =>
  (await inbox(t, userId)).filter((n) => n.kind.startsWith(prefix)).map((n) => n.kind);

describe('a request from raising to rating', () => {
  it('goes submitted -> dispatched -> accepted -> resolved -> closed, told to whom it concerns at each step', async () => {
    const photos = await uploadPhotos(t, resident, 2, 'request');
    const raised = await raiseRequest(t, resident, { photos, location: '', contact: 'phone' });
    expect(raised).toMatchObject({ status: 'submitted', category: 'repair', actions: ['withdraw'] });
    expect(raised.number).toMatch(/^Q[0-9A-F]{8}$/);
    // The household's address stands in for an empty location.
    expect(raised.location).toContain('黌门街社区');
    expect(raised.photos).toHaveLength(2);
    expect(raised.photos[0].url).toContain('sig=');
    expect(new Date(raised.respondBy).getTime() - new Date(raised.createdAt).getTime()).toBe(24 * 3600_000);
    expect(new Date(raised.resolveBy).getTime() - new Date(raised.createdAt).getTime()).toBe(72 * 3600_000);
    const id = raised.id as string;
    expect(await kinds(staff.userId)).toContain('request.submitted');

    const desk = await ok(t, staff, 'GET', `/v1/staff/requests/${id}`);
    expect(desk.resident).toMatchObject({ name: expect.any(String), phone: PHONES.resident });
    expect(desk.actions).toEqual(['dispatch', 'reject']);
    const options = await ok(t, staff, 'GET', `/v1/staff/requests/${id}/handlers`);
    expect(options.merchants.map((m: { name: string }) => m.name)).toEqual(['邻里快修']);
    expect(options.staff.map((s: { userId: string }) => s.userId)).toContain(colleague.userId);

    const sent = await dispatchTo(t, staff, id, { kind: 'merchant', merchantId: shop.merchantId });
    expect(sent).toMatchObject({ status: 'dispatched', handler: { kind: 'merchant', name: '邻里快修' } });
    expect(await kinds(shop.owner.userId)).toContain('request.assigned');
    expect(await kinds(resident.userId)).toContain('request.dispatched');

    const list = await ok(t, shop.owner, 'GET', '/v1/merchant/requests');
    expect(list.items.map((r: { id: string }) => r.id)).toContain(id);
    const seen = await ok(t, shop.owner, 'GET', `/v1/merchant/requests/${id}`);
    // Deciding whether to take it, the shop sees the number masked; in full once it accepted.
    expect(seen.resident.phone).toBe(maskPhone(PHONES.resident));
    expect(seen.actions).toEqual(['accept', 'decline']);
    expect(seen.photos).toHaveLength(2);

    const accepted = await ok(t, shop.owner, 'POST', `/v1/merchant/requests/${id}/accept`, {});
    expect(accepted.status).toBe('accepted');
    expect(accepted.respondedAt).not.toBeNull();
    expect(accepted.responseLate).toBe(false);
    expect(accepted.resident.phone).toBe(PHONES.resident);

    const fixPhotos = await uploadPhotos(t, shop.owner, 1, 'request');
    const resolved = await ok(t, shop.owner, 'POST', `/v1/merchant/requests/${id}/resolve`, {
      note: '已更换下水管件，疏通完毕',
      photos: fixPhotos,
    });
    expect(resolved.status).toBe('resolved');
    expect(resolved.resolution).toMatchObject({ note: '已更换下水管件，疏通完毕' });
    expect(resolved.resolution.photos).toHaveLength(1);
    expect(await kinds(resident.userId)).toContain('request.resolved');

    const mine = await ok(t, resident, 'GET', `/v1/requests/${id}`);
    expect(mine.actions).toEqual(['rate', 'reopen']);
    expect(mine.resident).toBeNull();
    expect(mine.handler).toMatchObject({ name: '邻里快修', phone: expect.any(String) });

    const rated = await ok(t, resident, 'POST', `/v1/requests/${id}/rate`, { stars: 5, text: '师傅很专业' });
    expect(rated).toMatchObject({ status: 'closed', rating: { stars: 5, text: '师傅很专业' }, actions: [] });
    expect(await kinds(shop.owner.userId)).toContain('request.rated');
    // Done with, the shop no longer sees the resident's phone.
    expect((await ok(t, shop.owner, 'GET', `/v1/merchant/requests/${id}`)).resident.phone).toBeNull();

    expect(rated.timeline.map((e: { kind: string }) => e.kind)).toEqual([
      'submit',
      'dispatch',
      'accept',
      'resolve',
      'close',
    ]);
    expect(
      rated.timeline.every(
        (e: { byName: string | null; by: string }) => e.by !== 'staff' || e.byName === null,
      ),
    ).toBe(true);
    for (const action of ['request.dispatch', 'request.accept', 'request.resolve', 'request.close'])
      expect(await auditRows(t, action, id)).toHaveLength(1);
  });

  it('keeps the timeline append-only in the database itself', async () => {
    const raised = await raiseRequest(t, resident);
    await expect(
      t.deps.db.update(requestEvents).set({ note: 'x' }).where(eq(requestEvents.requestId, raised.id)),
    ).rejects.toThrow();
    await expect(
      t.deps.db.delete(requestEvents).where(eq(requestEvents.requestId, raised.id)),
    ).rejects.toThrow();
  });

  it('lets a family proxy raise and follow a request for the elder, audited', async () => {
    const asFamily = { ...bearer(family), 'x-on-behalf-of': elder.userId };
    const raised = await ok(
      t,
      asFamily,
      'POST',
      '/v1/requests',
      { category: 'need', text: '想申请助餐服务' },
      201,
    );
    const row = await requestRow(t, raised.id);
    expect(row).toMatchObject({ residentId: elder.userId, raisedBy: family.userId });
    const audited = await auditRows(t, 'request.submitted', raised.id);
    expect(audited[0]).toMatchObject({ actorId: family.userId, onBehalfOf: elder.userId });
    const list = await ok(t, asFamily, 'GET', '/v1/requests');
    expect(list.items.map((r: { id: string }) => r.id)).toContain(raised.id);
  });
});

describe('the demo', () => {
  it('seeds requests in several states, one of them with 邻里快修', async () => {
    const all = await ok(t, staff, 'GET', '/v1/staff/requests?status=all&limit=100');
    const statuses = new Set(all.items.map((r: { status: string }) => r.status));
    for (const s of ['submitted', 'dispatched', 'resolved', 'closed', 'rejected'])
      expect(statuses).toContain(s);
    const theirs = await ok(t, shop.owner, 'GET', '/v1/merchant/requests');
    expect(theirs.items.some((r: { status: string }) => r.status === 'dispatched')).toBe(true);
  });
});

describe('dispatch rules', () => {
  it('dispatches to a staff member of the community, or a home-service shop serving it, nobody else', async () => {
    const { id } = await raiseRequest(t, resident);
    const seen = await ok(t, staff, 'GET', `/v1/staff/requests/${id}`);
    const bad = [
      [{ kind: 'staff', userId: outsider.userId }, 'body.handler.userId'],
      [{ kind: 'staff', userId: resident.userId }, 'body.handler.userId'],
      [{ kind: 'merchant', merchantId: await shopIdOf(produceOwner) }, 'body.handler.merchantId'],
      [{ kind: 'merchant', merchantId: '0190a0b0-0000-7000-8000-000000000000' }, 'body.handler.merchantId'],
    ] as const;
    for (const [handler, path] of bad) {
      const res = await t.call({
        method: 'POST',
        url: `/v1/staff/requests/${id}/dispatch`,
        headers: bearer(staff),
        payload: { handler, version: seen.version },
      });
      expect(res.status, JSON.stringify(handler)).toBe(400);
      expect(res.body.error.code).toBe('REQUEST_HANDLER_INVALID');
      expect(res.body.error.details[0].path).toBe(path);
    }
    expect((await requestRow(t, id)).status).toBe('submitted');
  });

  it('a staff handler accepts and resolves; another staff member cannot act as the handler; staff can re-dispatch', async () => {
    const { id } = await raiseRequest(t, resident, { category: 'environment', text: '楼道灯坏了' });
    await dispatchTo(t, staff, id, { kind: 'staff', userId: colleague.userId });
    expect(await kinds(colleague.userId)).toContain('request.assigned');
    const ids = async (who: Who) =>
      (await ok(t, who, 'GET', '/v1/staff/requests?mine=true&status=all')).items.map(
        (r: { id: string }) => r.id,
      );
    expect(await ids(colleague)).toEqual([id]);
    expect(await ids(staff)).not.toContain(id);
    const notMine = await t.call({
      method: 'POST',
      url: `/v1/staff/requests/${id}/accept`,
      headers: bearer(staff),
      payload: {},
    });
    expect(notMine.status).toBe(403);
    expect(notMine.body.error.code).toBe('REQUEST_NOT_HANDLER');
    const accepted = await ok(t, colleague, 'POST', `/v1/staff/requests/${id}/accept`, {});
    expect(accepted.actions).toEqual(['dispatch', 'resolve']);

    // Re-dispatched to the shop: the colleague is told, and can no longer resolve it.
    await dispatchTo(t, staff, id, { kind: 'merchant', merchantId: shop.merchantId });
    expect(await kinds(colleague.userId)).toContain('request.unassigned');
    const stale = await t.call({
      method: 'POST',
      url: `/v1/staff/requests/${id}/resolve`,
      headers: bearer(colleague),
      payload: { note: '修好了' },
    });
    expect(stale.status).toBe(403);

    // The shop hands it back: to staff again, the handler cleared.
    const back = await ok(t, shop.owner, 'POST', `/v1/merchant/requests/${id}/decline`, {
      reason: '不是水电问题',
    });
    expect(back.status).toBe('submitted');
    expect(back.handler).toBeNull();
    expect(await kinds(staff.userId)).toContain('request.declined');
    // ...and it is no longer the shop's to see.
    expect(
      (await t.call({ method: 'GET', url: `/v1/merchant/requests/${id}`, headers: bearer(shop.owner) }))
        .status,
    ).toBe(404);
  });

  it('staff reject with a reason from submitted only; the resident is told why', async () => {
    const { id } = await raiseRequest(t, resident, { category: 'complaint', text: '隔壁装修太吵' });
    const empty = await t.call({
      method: 'POST',
      url: `/v1/staff/requests/${id}/reject`,
      headers: bearer(staff),
      payload: { reason: '   ' },
    });
    expect(empty.status).toBe(400);
    expect(empty.body.error.details[0].path).toBe('body.reason');
    const rejected = await ok(t, staff, 'POST', `/v1/staff/requests/${id}/reject`, {
      reason: '不属于社区受理范围',
    });
    expect(rejected).toMatchObject({ status: 'rejected', rejectReason: '不属于社区受理范围' });
    expect(rejected.respondedAt).not.toBeNull();
    const inboxRows = (await inbox(t, resident.userId)).filter((n) => n.kind === 'request.rejected');
    expect(inboxRows.at(-1)!.body).toContain('不属于社区受理范围');
    expect(inboxRows.at(-1)!.link).toBe(`/requests/detail?id=${id}`);
    const again = await t.call({
      method: 'POST',
      url: `/v1/staff/requests/${id}/dispatch`,
      headers: bearer(staff),
      payload: { handler: { kind: 'staff', userId: colleague.userId }, version: rejected.version },
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('REQUEST_STATE_CONFLICT');
  });

  it('two staff dispatching at once: one wins, the other is told it moved', async () => {
    const { id } = await raiseRequest(t, resident);
    const seen = await ok(t, staff, 'GET', `/v1/staff/requests/${id}`);
    const results = await Promise.all(
      [
        [staff, { kind: 'merchant', merchantId: shop.merchantId }],
        [colleague, { kind: 'staff', userId: colleague.userId }],
      ].map(([who, handler]) =>
        t.call({
          method: 'POST',
          url: `/v1/staff/requests/${id}/dispatch`,
          headers: bearer(who as Who),
          payload: { handler, version: seen.version },
        }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const row = await requestRow(t, id);
    expect(row.version).toBe(seen.version + 1);
    const events = await t.deps.db.select().from(requestEvents).where(eq(requestEvents.requestId, id));
    expect(events.filter((e) => e.kind === 'dispatch')).toHaveLength(1);
  });
});

describe('the resident: reopen once, rate once, withdraw', () => {
  async function resolvedRequest() {
    const { id } = await raiseRequest(t, resident);
    await dispatchTo(t, staff, id, { kind: 'merchant', merchantId: shop.merchantId });
    await ok(t, shop.owner, 'POST', `/v1/merchant/requests/${id}/accept`, {});
    await ok(t, shop.owner, 'POST', `/v1/merchant/requests/${id}/resolve`, { note: '处理好了' });
    return id;
  }

  it('reopens once: back to the same handler with a fresh resolution limit; the second time is refused', async () => {
    const id = await resolvedRequest();
    const before = await requestRow(t, id);
    const reopened = await ok(t, resident, 'POST', `/v1/requests/${id}/reopen`, { reason: '还是堵' });
    expect(reopened).toMatchObject({ status: 'reopened', reopenCount: 1, resolution: null, actions: [] });
    expect(await kinds(shop.owner.userId)).toContain('request.reopened');
    expect(await kinds(staff.userId)).toContain('request.reopened');
    const after = await requestRow(t, id);
    expect(after.resolveBy.getTime()).toBeGreaterThanOrEqual(before.resolveBy.getTime() - 72 * 3600_000);
    expect(after.resolvedAt).toBeNull();

    expect((await ok(t, shop.owner, 'POST', `/v1/merchant/requests/${id}/accept`, {})).status).toBe(
      'accepted',
    );
    await ok(t, shop.owner, 'POST', `/v1/merchant/requests/${id}/resolve`, { note: '换了整根管' });
    const mine = await ok(t, resident, 'GET', `/v1/requests/${id}`);
    expect(mine.actions).toEqual(['rate']);
    const twice = await t.call({
      method: 'POST',
      url: `/v1/requests/${id}/reopen`,
      headers: bearer(resident),
      payload: { reason: '又坏了' },
    });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('REQUEST_REOPEN_USED');
  });

  it('two reopens at once reopen it once', async () => {
    const id = await resolvedRequest();
    const results = await Promise.all(
      [1, 2].map(() =>
        t.call({
          method: 'POST',
          url: `/v1/requests/${id}/reopen`,
          headers: bearer(resident),
          payload: { reason: '没修好' },
        }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect((await requestRow(t, id)).reopenCount).toBe(1);
  });

  it('rating twice at once rates once', async () => {
    const id = await resolvedRequest();
    const results = await Promise.all(
      [4, 2].map((stars) =>
        t.call({
          method: 'POST',
          url: `/v1/requests/${id}/rate`,
          headers: bearer(resident),
          payload: { stars },
        }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const winner = results.find((r) => r.status === 200)!.body.rating.stars;
    expect((await requestRow(t, id)).rating).toBe(winner);
    const events = await t.deps.db.select().from(requestEvents).where(eq(requestEvents.requestId, id));
    expect(events.filter((e) => e.kind === 'close')).toHaveLength(1);
  });

  it('withdraws before a handler accepted it, not after', async () => {
    const { id } = await raiseRequest(t, resident);
    await dispatchTo(t, staff, id, { kind: 'merchant', merchantId: shop.merchantId });
    const gone = await ok(t, resident, 'POST', `/v1/requests/${id}/withdraw`, { reason: '自己修好了' });
    expect(gone.status).toBe('withdrawn');
    expect(await kinds(shop.owner.userId)).toContain('request.withdrawn');
    const id2 = await resolvedRequest();
    const late = await t.call({
      method: 'POST',
      url: `/v1/requests/${id2}/withdraw`,
      headers: bearer(resident),
      payload: {},
    });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('REQUEST_STATE_CONFLICT');
  });
});

describe('who sees what', () => {
  it('only the resident, the community staff and the handler shop see a request', async () => {
    const { id } = await raiseRequest(t, resident);
    const get = (who: Who, url: string) => t.call({ method: 'GET', url, headers: bearer(who) });
    expect((await get(neighbour, `/v1/requests/${id}`)).status).toBe(404);
    expect((await get(outsider, `/v1/staff/requests/${id}`)).status).toBe(404);
    expect((await get(shop.owner, `/v1/merchant/requests/${id}`)).status).toBe(404);
    expect((await get(resident, `/v1/staff/requests/${id}`)).status).toBe(403);
    const outsiderList = await ok(t, outsider, 'GET', '/v1/staff/requests?status=all');
    expect(outsiderList.items).toHaveLength(0);
    const neighbourList = await ok(t, neighbour, 'GET', '/v1/requests');
    expect(neighbourList.items.map((r: { id: string }) => r.id)).not.toContain(id);
  });

  it('a stranger cannot attach their photos, or the resident a photo made for something else', async () => {
    const theirs = await uploadPhotos(t, neighbour, 1, 'request');
    const refund = await uploadPhotos(t, resident, 1, 'refund');
    for (const photos of [theirs, refund]) {
      const res = await t.call({
        method: 'POST',
        url: '/v1/requests',
        headers: bearer(resident),
        payload: { category: 'repair', text: '门锁坏了', photos },
      });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('UPLOAD_NOT_AVAILABLE');
      expect(res.body.error.details[0].path).toBe('body.photos.0');
    }
    // Nothing half-written: the photos are still free.
    const [u] = await t.deps.db.select().from(uploads).where(eq(uploads.id, theirs[0]!));
    expect(u!.attachedId).toBeNull();
  });
});

describe("the resident's number and the desk's notes", () => {
  const shopSees = async (id: string) =>
    (await ok(t, shop.owner, 'GET', `/v1/merchant/requests/${id}`)).resident.phone;

  it('the shop gets the full number only once it accepted, and again when the resident reopens it to them', async () => {
    const { id } = await raiseRequest(t, resident, { contact: 'visit' });
    await dispatchTo(t, staff, id, { kind: 'merchant', merchantId: shop.merchantId });
    expect(await shopSees(id)).toBe(maskPhone(PHONES.resident));
    await ok(t, shop.owner, 'POST', `/v1/merchant/requests/${id}/accept`, {});
    expect(await shopSees(id)).toBe(PHONES.resident);
    await ok(t, shop.owner, 'POST', `/v1/merchant/requests/${id}/resolve`, { note: '处理好了' });
    expect(await shopSees(id)).toBeNull();
    await ok(t, resident, 'POST', `/v1/requests/${id}/reopen`, { reason: '还在漏' });
    expect(await shopSees(id)).toBe(PHONES.resident);
    // Staff always have it.
    expect((await ok(t, staff, 'GET', `/v1/staff/requests/${id}`)).resident.phone).toBe(PHONES.resident);
  });

  it('a resident who asked not to be called is never given to the shop as a number', async () => {
    const { id } = await raiseRequest(t, resident, { contact: 'inbox' });
    await dispatchTo(t, staff, id, { kind: 'merchant', merchantId: shop.merchantId });
    expect(await shopSees(id)).toBeNull();
    const accepted = await ok(t, shop.owner, 'POST', `/v1/merchant/requests/${id}/accept`, {});
    expect(accepted).toMatchObject({ contact: 'inbox', resident: { phone: null } });
    expect((await ok(t, staff, 'GET', `/v1/staff/requests/${id}`)).resident.phone).toBe(PHONES.resident);
  });

  it("the dispatch instructions and a shop's reason for handing it back stay off the resident's timeline", async () => {
    const { id } = await raiseRequest(t, resident);
    const seen = await ok(t, staff, 'GET', `/v1/staff/requests/${id}`);
    await ok(t, staff, 'POST', `/v1/staff/requests/${id}/dispatch`, {
      handler: { kind: 'merchant', merchantId: shop.merchantId },
      note: '这户老人耳背，敲门大声些',
      version: seen.version,
    });
    await ok(t, shop.owner, 'POST', `/v1/merchant/requests/${id}/decline`, { reason: '缺少配件' });
    const noteOf = (r: { timeline: { kind: string; note: string }[] }, kind: string) =>
      r.timeline.find((e) => e.kind === kind)?.note;
    const mine = await ok(t, resident, 'GET', `/v1/requests/${id}`);
    expect(mine.timeline.map((e: { kind: string }) => e.kind)).toEqual(['submit', 'dispatch', 'decline']);
    expect(noteOf(mine, 'dispatch')).toBe('');
    expect(noteOf(mine, 'decline')).toBe('');
    const desk = await ok(t, staff, 'GET', `/v1/staff/requests/${id}`);
    expect(noteOf(desk, 'dispatch')).toBe('这户老人耳背，敲门大声些');
    expect(noteOf(desk, 'decline')).toBe('缺少配件');
  });
});

describe('hostile input', () => {
  it('caps the requests one resident has waiting for dispatch, even when sent at once', async () => {
    const capped = { ...t.deps, config: { ...t.deps.config, REQUEST_MAX_OPEN_PER_RESIDENT: 2 } };
    const actor = { userId: neighbour.userId, actorId: neighbour.userId, roles: [], onBehalfOf: null };
    const body = (i: number) => ({
      category: 'need' as const,
      text: `第${i}条`,
      photos: [],
      location: '',
      contact: 'inbox' as const,
    });
    const results = await Promise.allSettled([1, 2, 3, 4].map((i) => createRequest(capped, actor, body(i))));
    const made = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    expect(made).toHaveLength(2);
    expect(results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as AppError).code] : []))).toEqual([
      'REQUEST_TOO_MANY_OPEN',
      'REQUEST_TOO_MANY_OPEN',
    ]);
    // Withdrawing one makes room for the next.
    await ok(t, neighbour, 'POST', `/v1/requests/${made[0]!.id}/withdraw`, {});
    await expect(createRequest(capped, actor, body(5))).resolves.toMatchObject({ status: 'submitted' });
  });

  it('answers bad bodies with field-level 400s and never 5xx', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ category: 'bribe', text: 'x' }, 'body.category'],
      [{ category: 'repair', text: '' }, 'body.text'],
      [{ category: 'repair', text: 'x'.repeat(501) }, 'body.text'],
      [
        { category: 'repair', text: 'x', photos: Array.from({ length: 10 }, () => crypto.randomUUID()) },
        'body.photos',
      ],
      [{ category: 'repair', text: 'x', photos: ['../../etc/passwd'] }, 'body.photos.0'],
      [{ category: 'repair', text: 'x', householdId: 'DROP TABLE' }, 'body.householdId'],
      [{ category: 'repair', text: 'x', contact: 'fax' }, 'body.contact'],
      [{ category: 'repair', text: 'x', status: 'closed' }, 'body'],
    ];
    for (const [payload, path] of cases) {
      const res = await t.call({ method: 'POST', url: '/v1/requests', headers: bearer(resident), payload });
      expect(res.status, JSON.stringify(payload)).toBe(400);
      expect(res.body.error.details.map((d: { path: string }) => d.path).join(',')).toContain(path);
    }
    const xss = await raiseRequest(t, resident, { text: '<img src=x onerror=alert(1)>' });
    expect(xss.text).toBe('<img src=x onerror=alert(1)>');
    const notHome = await t.call({
      method: 'POST',
      url: '/v1/requests',
      headers: bearer(resident),
      payload: { category: 'repair', text: 'x', householdId: '0190a0b0-0000-7000-8000-000000000000' },
    });
    expect(notHome.status).toBe(400);
    expect(notHome.body.error.details[0].path).toBe('body.householdId');
    const stranger = await t.login(freshPhone());
    const noHome = await t.call({
      method: 'POST',
      url: '/v1/requests',
      headers: bearer(stranger),
      payload: { category: 'repair', text: '你好' },
    });
    expect(noHome.status).toBe(403);
    expect(noHome.body.error.code).toBe('REQUEST_NOT_RESIDENT');
    for (const q of ['cursor=%27%3B--', 'limit=0', 'limit=abc', 'scope=everything'])
      expect(
        (await t.call({ method: 'GET', url: `/v1/requests?${q}`, headers: bearer(resident) })).status,
      ).toBe(400);
    for (const q of ['status=bogus', 'category=x', 'communityId=1'])
      expect(
        (await t.call({ method: 'GET', url: `/v1/staff/requests?${q}`, headers: bearer(staff) })).status,
      ).toBe(400);
    const { id } = await raiseRequest(t, resident);
    for (const payload of [{ stars: 0 }, { stars: 6 }, { stars: 4.5 }, { stars: '5' }, {}])
      expect(
        (await t.call({ method: 'POST', url: `/v1/requests/${id}/rate`, headers: bearer(resident), payload }))
          .status,
      ).toBe(400);
    for (const payload of [
      { handler: { kind: 'staff' }, version: 0 },
      { handler: { kind: 'robot', userId: staff.userId }, version: 0 },
      { handler: { kind: 'staff', userId: staff.userId } },
      { handler: { kind: 'staff', userId: staff.userId }, version: -1 },
    ])
      expect(
        (
          await t.call({
            method: 'POST',
            url: `/v1/staff/requests/${id}/dispatch`,
            headers: bearer(staff),
            payload,
          })
        ).status,
      ).toBe(400);
    const [row] = (await t.deps.db.execute(
      sql`SELECT count(*)::int AS n FROM resident_requests WHERE text = 'x'`,
    )) as unknown as { n: number }[];
    expect(row!.n).toBe(0);
  });
});

async function shopIdOf(owner: Who): Promise<string> {
  const [row] = (await t.deps.db.execute(
    sql`SELECT id FROM merchants WHERE owner_id = ${owner.userId}`,
  )) as unknown as { id: string }[];
  return row!.id;
}
