import type { Job } from 'bullmq';
import { and, asc, eq } from 'drizzle-orm';
import { addDays, api, localClock, zonedInstant } from 'shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  communities,
  compartmentAssignments,
  compartments,
  courierCommunities,
  deliveryBatches,
  deliveryWindows,
  lockerBanks,
  lockerPickups,
  merchants,
  orders,
  payments,
  products,
  refunds,
  userRoles,
} from '../../src/db/schema';
import { buildBatchInline } from '../../src/modules/lockers/batches';
import { lockerJobs } from '../fixtures/jobs';
import { acceptedLockerOrder, lockerOrder, produceShop, residentLocker } from '../fixtures/lockers';
import {
  makeShop,
  orderBody,
  orderStatus,
  payOrder,
  placeOrder,
  stockOf,
  type TestShop,
} from '../fixtures/market';
import {
  bearer,
  demoCommunityId,
  demoHouseholds,
  freshPhone,
  inbox,
  makeStaff,
  PHONES,
  TEST_ENV,
} from '../fixtures/people';
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
  // the market: a pending shop is hidden like any other resource (listed shops are public)
  'merchant',
  'verifyMerchant',
  'order',
  'cancelOrder',
  'payOrder',
  'devConfirmPayment',
  'requestRefund',
  'merchantOrder',
  'acceptOrder',
  'rejectOrder',
  'packOrder',
  'updateProduct',
  'approveRefund',
  'rejectRefund',
  // lockers: the courier's batches, the resident's locker, staff's banks, compartments and windows
  'courierBatch',
  'startBatch',
  'dropOrder',
  'retrieveOrder',
  'compartmentProblem',
  'extendLocker',
  'openLocker',
  'updateLockerBank',
  'rotateDeviceSecret',
  'updateCompartment',
  'closeDeliveryWindow',
];
/** :id routes that take no user's token to a resource of theirs, and why that is right. */
const PUBLIC_BY_DESIGN: Record<string, string> = {
  community: 'the community directory: everyone signed in may read it',
  devicePickup:
    "the locker panel: no user token at all; the bank's device signature (HMAC under its secret, fresh timestamp, never replayed) is the authentication, tested in lockers-pickup.test.ts",
};

it('every :id route in the API table is covered here (add a case when you add a route)', () => {
  const withId = Object.entries(api)
    .filter(([, def]) => def.path.includes(':id'))
    .map(([name]) => name)
    .sort();
  expect(withId).toEqual([...COVERED, ...Object.keys(PUBLIC_BY_DESIGN)].sort());
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

describe('market', () => {
  const COURIER = '13800000003';
  const GHOST = '0190a0b0-0000-7000-8000-000000000000';
  let shop: TestShop;
  /** Owns another shop: a merchant, just not this order's. */
  let foreignMerchant: Who;
  /** Holds the merchant role but has no shop at all. */
  let shopless: Who;
  let foreignResident: Who;
  let courier: Who;

  beforeAll(async () => {
    shop = await makeShop(t, { products: [{ priceFen: 800, stock: 50 }] });
    foreignMerchant = (await makeShop(t)).owner;
    shopless = await t.login(freshPhone());
    await t.deps.db.insert(userRoles).values({ userId: shopless.userId, role: 'merchant' });
    foreignResident = await t.login(PHONES.otherResident);
    courier = await t.login(COURIER);
  });

  type Stage = 'created' | 'paid' | 'accepted' | 'packed' | 'refund_requested';
  interface Placed {
    customer: Who;
    id: string;
    paymentId?: string;
    refundId?: string;
  }

  async function orderAt(stage: Stage): Promise<Placed> {
    const customer = await t.login(freshPhone());
    const placed = await placeOrder(t, customer, orderBody(shop, [2]));
    expect(placed.status).toBe(201);
    const out: Placed = { customer, id: placed.body.id };
    if (stage === 'created') return out;
    const { paymentId, confirm } = await payOrder(t, customer, out.id);
    expect(confirm.status).toBe(200);
    out.paymentId = paymentId;
    if (stage === 'paid') return out;
    const merchant = bearer(shop.owner);
    const accepted = await t.call({
      method: 'POST',
      url: `/v1/merchant/orders/${out.id}/accept`,
      headers: merchant,
      payload: {},
    });
    expect(accepted.status).toBe(200);
    if (stage === 'packed') {
      const packed = await t.call({
        method: 'POST',
        url: `/v1/merchant/orders/${out.id}/pack`,
        headers: merchant,
        payload: {},
      });
      expect(packed.status).toBe(200);
    }
    if (stage === 'refund_requested') {
      const asked = await t.call({
        method: 'POST',
        url: `/v1/orders/${out.id}/refund-request`,
        headers: bearer(customer),
        payload: { reason: '菜叶发黄' },
      });
      expect(asked.status).toBe(200);
      out.refundId = asked.body.refund.id;
    }
    return out;
  }

  /** Everything a foreign request could have changed about an order. */
  async function stateOf(orderId: string) {
    return {
      status: await orderStatus(t, orderId),
      stock: await stockOf(t, shop.products[0]!.id),
      payments: await t.deps.db
        .select({ id: payments.id, status: payments.status })
        .from(payments)
        .where(eq(payments.orderId, orderId)),
      refunds: await t.deps.db
        .select({ id: refunds.id, status: refunds.status, merchantNote: refunds.merchantNote })
        .from(refunds)
        .where(eq(refunds.orderId, orderId)),
    };
  }

  const send = (who: Who, method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>) =>
    t.call({ method, url, headers: bearer(who), ...(method === 'POST' ? { payload: payload ?? {} } : {}) });

  describe('shops', () => {
    async function applyShop(): Promise<{ owner: Who; id: string }> {
      const owner = await t.login(freshPhone());
      const res = await t.call({
        method: 'POST',
        url: '/v1/merchants',
        headers: bearer(owner),
        payload: {
          name: '待审核小店',
          category: 'grocery',
          contactPhone: '13912340000',
          address: '黌门街 99 号',
          lat: 30.652,
          lng: 104.06,
          hours: { weekly: [{ day: 1, open: '08:00', close: '20:00' }], closedDates: [] },
          communityIds: [await demoCommunityId(t)],
          delivery: { shopPickup: true, home: null, locker: false },
        },
      });
      expect(res.status).toBe(201);
      expect(res.body.status).toBe('pending');
      return { owner, id: res.body.id };
    }

    it('merchant: a listed shop is readable by anyone; a pending one is 404 to all but its owner and its staff', async () => {
      for (const who of [foreignResident, foreignMerchant, courier]) {
        const res = await send(who, 'GET', `/v1/merchants/${shop.id}`);
        expect(res.status).toBe(200);
        expect(res.body.id).toBe(shop.id);
      }

      const pending = await applyShop();
      const strayStaff = await makeStaff(t, { runsDemo: false });
      for (const who of [foreignResident, foreignMerchant, courier, strayStaff])
        expectNotFound(await send(who, 'GET', `/v1/merchants/${pending.id}`));
      // Same answer as for a shop that does not exist: a pending shop cannot be confirmed to exist.
      expectNotFound(await send(foreignResident, 'GET', `/v1/merchants/${GHOST}`));

      const own = await send(pending.owner, 'GET', `/v1/merchants/${pending.id}`);
      expect(own.status).toBe(200);
      expect(own.body.status).toBe('pending');
      const staff = await send(await t.login(PHONES.staff), 'GET', `/v1/merchants/${pending.id}`);
      expect(staff.status).toBe(200);
    });

    it('verifyMerchant: staff of another community 404, non-staff 403; the shop stays pending', async () => {
      const pending = await applyShop();
      const url = `/v1/staff/merchants/${pending.id}/verify`;
      const strayStaff = await makeStaff(t, { runsDemo: false });
      const stray = await send(strayStaff, 'POST', url);
      expectNotFound(stray);
      expect((await send(strayStaff, 'POST', `/v1/staff/merchants/${GHOST}/verify`)).body).toEqual(
        stray.body,
      );

      for (const who of [foreignResident, foreignMerchant, courier, pending.owner]) {
        const res = await send(who, 'POST', url);
        expect(res.status).toBe(403);
        expect(res.body.error.code).toBe('FORBIDDEN');
      }
      const [row] = await t.deps.db.select().from(merchants).where(eq(merchants.id, pending.id));
      expect(row!.status).toBe('pending');
      expect(row!.verifiedBy).toBeNull();
      const roles = await t.deps.db
        .select()
        .from(userRoles)
        .where(and(eq(userRoles.userId, pending.owner.userId), eq(userRoles.role, 'merchant')));
      expect(roles).toEqual([]);

      const ok = await send(await t.login(PHONES.staff), 'POST', url);
      expect(ok.status).toBe(200);
      expect(ok.body.status).toBe('open');
    });
  });

  describe("a resident's order", () => {
    /** Nobody but the customer: not another resident, not a merchant (this shop's own owner included), not the courier. */
    const strangers = () => [foreignResident, foreignMerchant, courier, shop.owner];

    it('order: 404 to everyone but the customer', async () => {
      const o = await orderAt('paid');
      for (const who of strangers()) expectNotFound(await send(who, 'GET', `/v1/orders/${o.id}`));
      expectNotFound(await send(o.customer, 'GET', `/v1/orders/${GHOST}`));
      const mine = await send(o.customer, 'GET', `/v1/orders/${o.id}`);
      expect(mine.status).toBe(200);
      expect(mine.body.id).toBe(o.id);
    });

    it('cancelOrder: 404, the order stays and keeps its stock', async () => {
      const o = await orderAt('created');
      const before = await stateOf(o.id);
      for (const who of strangers()) expectNotFound(await send(who, 'POST', `/v1/orders/${o.id}/cancel`));
      expect(await stateOf(o.id)).toEqual(before);
      const ok = await send(o.customer, 'POST', `/v1/orders/${o.id}/cancel`);
      expect(ok.status).toBe(200);
      expect(ok.body.status).toBe('cancelled');
    });

    it('payOrder: 404, no payment is opened', async () => {
      const o = await orderAt('created');
      const before = await stateOf(o.id);
      expect(before.payments).toEqual([]);
      for (const who of strangers()) expectNotFound(await send(who, 'POST', `/v1/orders/${o.id}/pay`));
      expect(await stateOf(o.id)).toEqual(before);
      const ok = await send(o.customer, 'POST', `/v1/orders/${o.id}/pay`);
      expect(ok.status).toBe(200);
    });

    it('devConfirmPayment: 404 for a payment of someone else; the order stays unpaid', async () => {
      const o = await orderAt('created');
      const pay = await send(o.customer, 'POST', `/v1/orders/${o.id}/pay`);
      expect(pay.status).toBe(200);
      const url = `/v1/payments/${pay.body.paymentId}/dev-confirm`;
      const before = await stateOf(o.id);
      expect(before.payments).toEqual([{ id: pay.body.paymentId, status: 'pending' }]);
      for (const who of strangers()) expectNotFound(await send(who, 'POST', url));
      expectNotFound(await send(o.customer, 'POST', `/v1/payments/${GHOST}/dev-confirm`));
      expect(await stateOf(o.id)).toEqual(before);
      const ok = await send(o.customer, 'POST', url);
      expect(ok.status).toBe(200);
      expect(ok.body.status).toBe('paid');
    });

    it('requestRefund: 404, no refund is opened', async () => {
      const o = await orderAt('accepted');
      const before = await stateOf(o.id);
      for (const who of strangers())
        expectNotFound(await send(who, 'POST', `/v1/orders/${o.id}/refund-request`, { reason: '不新鲜' }));
      expect(await stateOf(o.id)).toEqual(before);
      expect(before.refunds).toEqual([]);
      const ok = await send(o.customer, 'POST', `/v1/orders/${o.id}/refund-request`, { reason: '不新鲜' });
      expect(ok.status).toBe(200);
      expect(ok.body.refund.status).toBe('requested');
    });
  });

  describe("the merchant side of a shop's order", () => {
    /**
     * Another shop's owner and a merchant with no shop reach the resource check and get 404. People
     * without the merchant role (another resident, the courier, the customer) are stopped by the
     * role check first: 403, the same for any id, so nothing about the order leaks either way.
     */
    async function refusedToAll(
      method: 'GET' | 'POST',
      url: string,
      ghostUrl: string,
      payload?: Record<string, unknown>,
    ) {
      for (const who of [foreignMerchant, shopless]) expectNotFound(await send(who, method, url, payload));
      expectNotFound(await send(foreignMerchant, method, ghostUrl, payload));
      for (const who of [foreignResident, courier]) {
        const res = await send(who, method, url, payload);
        expect(res.status).toBe(403);
        expect(res.body.error.code).toBe('FORBIDDEN');
        expect((await send(who, method, ghostUrl, payload)).body).toEqual(res.body);
      }
    }

    const cases: {
      route: string;
      stage: Stage;
      method: 'GET' | 'POST';
      path: (id: string) => string;
      payload?: Record<string, unknown>;
      after: string;
    }[] = [
      {
        route: 'merchantOrder',
        stage: 'paid',
        method: 'GET',
        path: (id) => `/v1/merchant/orders/${id}`,
        after: 'paid',
      },
      {
        route: 'acceptOrder',
        stage: 'paid',
        method: 'POST',
        path: (id) => `/v1/merchant/orders/${id}/accept`,
        after: 'accepted',
      },
      {
        route: 'rejectOrder',
        stage: 'paid',
        method: 'POST',
        path: (id) => `/v1/merchant/orders/${id}/reject`,
        payload: { reason: '今日售罄' },
        after: 'cancelled',
      },
      {
        route: 'packOrder',
        stage: 'accepted',
        method: 'POST',
        path: (id) => `/v1/merchant/orders/${id}/pack`,
        after: 'packed',
      },
    ];

    it.each(cases)(
      '$route: 404 to another shop, the order unchanged',
      async ({ stage, method, path, payload, after }) => {
        const o = await orderAt(stage);
        const before = await stateOf(o.id);
        await refusedToAll(method, path(o.id), path(GHOST), payload);
        // The customer is no merchant either.
        expect((await send(o.customer, method, path(o.id), payload)).status).toBe(403);
        expect(await stateOf(o.id)).toEqual(before);

        const ok = await send(shop.owner, method, path(o.id), payload);
        expect(ok.status).toBe(200);
        expect(ok.body.status).toBe(after);
      },
    );

    it.each([
      { verb: 'approve', payload: { note: '同意' }, refund: 'approved', order: 'refunded' },
      { verb: 'reject', payload: { reason: '商品无质量问题' }, refund: 'rejected', order: 'accepted' },
    ])(
      '$verb refund: 404 to another shop, the refund still open',
      async ({ verb, payload, refund, order }) => {
        const o = await orderAt('refund_requested');
        const before = await stateOf(o.id);
        expect(before.refunds).toEqual([{ id: o.refundId, status: 'requested', merchantNote: null }]);
        const url = `/v1/merchant/refunds/${o.refundId}/${verb}`;
        await refusedToAll('POST', url, `/v1/merchant/refunds/${GHOST}/${verb}`, payload);
        expect(await stateOf(o.id)).toEqual(before);

        const ok = await send(shop.owner, 'POST', url, payload);
        expect(ok.status).toBe(200);
        expect(ok.body.refund.status).toBe(refund);
        expect(ok.body.status).toBe(order);
      },
    );

    it('updateProduct: 404 to another shop, the product unchanged', async () => {
      const id = shop.products[0]!.id;
      const [before] = await t.deps.db.select().from(products).where(eq(products.id, id));
      const url = `/v1/merchant/products/${id}`;
      const payload = { priceFen: 1, stock: 0, onShelf: false };
      for (const who of [foreignMerchant, shopless])
        expectNotFound(await t.call({ method: 'PATCH', url, headers: bearer(who), payload }));
      for (const who of [foreignResident, courier]) {
        const res = await t.call({ method: 'PATCH', url, headers: bearer(who), payload });
        expect(res.status).toBe(403);
        expect(res.body.error.code).toBe('FORBIDDEN');
      }
      const [after] = await t.deps.db.select().from(products).where(eq(products.id, id));
      expect(after).toEqual(before);

      const ok = await t.call({
        method: 'PATCH',
        url,
        headers: bearer(shop.owner),
        payload: { priceFen: 850 },
      });
      expect(ok.status).toBe(200);
      expect(ok.body.priceFen).toBe(850);
    });

    it("verifyPickup: another shop's code is 404 and the order stays packed", async () => {
      const o = await orderAt('packed');
      const mine = await send(o.customer, 'GET', `/v1/orders/${o.id}`);
      const code: string = mine.body.pickupCode;
      expect(code).toMatch(/^\d{6}$/);
      const before = await stateOf(o.id);
      const foreign = await send(foreignMerchant, 'POST', '/v1/merchant/orders/verify-pickup', { code });
      expect(foreign.status).toBe(404);
      expect(foreign.body.error).toMatchObject({
        code: 'PICKUP_CODE_INVALID',
        details: [{ path: 'body.code' }],
      });
      // A merchant with no shop has nowhere to look the code up.
      expect((await send(shopless, 'POST', '/v1/merchant/orders/verify-pickup', { code })).status).toBe(404);
      for (const who of [foreignResident, courier, o.customer])
        expect((await send(who, 'POST', '/v1/merchant/orders/verify-pickup', { code })).status).toBe(403);
      expect(await stateOf(o.id)).toEqual(before);

      const ok = await send(shop.owner, 'POST', '/v1/merchant/orders/verify-pickup', { code });
      expect(ok.status).toBe(200);
      expect(ok.body.status).toBe('picked_up');
    });
  });
});

describe('lockers', () => {
  const COURIER = '13800000003';
  const GHOST = '0190a0b0-0000-7000-8000-000000000000';
  const TZ = 'Asia/Shanghai';
  let owner: Who;
  let merchant: Who;
  let courier: Who;
  let staff: Who;
  /** A neighbour in the same compound: a resident, just not the order's. */
  let foreignResident: Who;
  /** Drives for another community only. */
  let foreignCourier: Who;
  /** Holds the courier role but drives for no community at all. */
  let idleCourier: Who;
  /** Staff of no community. */
  let foreignStaff: Who;
  let communityId: string;
  let compoundId: string;
  let bankId: string;
  let shopId: string;
  let tomatoId: string;

  beforeAll(async () => {
    owner = await t.login(PHONES.resident);
    merchant = await t.login(PHONES.merchant);
    courier = await t.login(COURIER);
    staff = await t.login(PHONES.staff);
    foreignResident = await t.login(PHONES.otherResident);
    foreignCourier = await t.login(freshPhone());
    await t.deps.db.insert(userRoles).values({ userId: foreignCourier.userId, role: 'courier' });
    const [elsewhere] = await t.deps.db
      .insert(communities)
      .values({ name: '别处社区', city: '成都市' })
      .returning({ id: communities.id });
    await t.deps.db
      .insert(courierCommunities)
      .values({ userId: foreignCourier.userId, communityId: elsewhere!.id });
    idleCourier = await t.login(freshPhone());
    await t.deps.db.insert(userRoles).values({ userId: idleCourier.userId, role: 'courier' });
    foreignStaff = await makeStaff(t, { runsDemo: false });
    communityId = await demoCommunityId(t);
    ({ compoundId, bankId } = await residentLocker(t, owner));
    const shop = await produceShop(t);
    shopId = shop.id;
    tomatoId = shop.ambient.find((p) => p.name === '沙瓤西红柿')!.id;
  });

  let windowDay = 30;
  /** A window of the test's own, far from the seeded ones. */
  async function newWindow() {
    const day = addDays(localClock(new Date(), TZ).date, windowDay++);
    const [w] = await t.deps.db
      .insert(deliveryWindows)
      .values({
        communityId,
        cutoffAt: zonedInstant(day, '03:00', TZ),
        deliverAt: zonedInstant(day, '07:00', TZ),
      })
      .returning();
    return w!;
  }

  type Stage = 'ready' | 'in_progress' | 'in_locker' | 'overdue';
  const STAGES: Stage[] = ['ready', 'in_progress', 'in_locker', 'overdue'];

  /** One locker order of `owner`, its batch built and driven as far as `stage`. */
  async function lockerAt(stage: Stage, withOrder = true) {
    const w = await newWindow();
    const orderId = withOrder
      ? await acceptedLockerOrder(t, owner, merchant, lockerOrder(shopId, [tomatoId], w.id, bankId, 4))
      : null;
    const batchId = (await buildBatchInline(t.deps, w.id))!;
    const url = `/v1/courier/batches/${batchId}`;
    const m = await t.call({ method: 'GET', url, headers: bearer(courier) });
    const drops = (m.body.dropList[0]?.drops ?? []) as { orderId: string; compartmentId: string }[];
    const reached = STAGES.indexOf(stage);
    if (reached >= 1)
      expect(
        (await t.call({ method: 'POST', url: `${url}/start`, headers: bearer(courier), payload: {} })).status,
      ).toBe(200);
    if (reached >= 2)
      for (const d of drops)
        expect(
          (await t.call({ method: 'POST', url: `${url}/drops`, headers: bearer(courier), payload: d }))
            .status,
        ).toBe(200);
    if (reached >= 3) {
      const view = await t.call({ method: 'GET', url: `/v1/orders/${orderId}`, headers: bearer(owner) });
      t.clock.set(new Date(new Date(view.body.locker.deadline).getTime() + 60_000));
      expect(
        await lockerJobs.process({ name: 'locker.overdue', data: { orderId } } as unknown as Job, t.deps),
      ).toBe(true);
      t.clock.set(new Date());
    }
    return { windowId: w.id, batchId, orderId: orderId!, drops };
  }

  /** Everything a foreign request could have changed about a locker order and its batch. */
  async function lockerState(orderId: string, batchId: string) {
    const [o] = await t.deps.db.select({ status: orders.status }).from(orders).where(eq(orders.id, orderId));
    const [b] = await t.deps.db.select().from(deliveryBatches).where(eq(deliveryBatches.id, batchId));
    const held = await t.deps.db
      .select({
        compartmentId: compartmentAssignments.compartmentId,
        status: compartmentAssignments.status,
        state: compartments.state,
      })
      .from(compartmentAssignments)
      .innerJoin(compartments, eq(compartments.id, compartmentAssignments.compartmentId))
      .where(eq(compartmentAssignments.orderId, orderId))
      .orderBy(asc(compartmentAssignments.createdAt));
    const pickup = await t.deps.db.select().from(lockerPickups).where(eq(lockerPickups.orderId, orderId));
    return { order: o?.status, batch: b, held, pickup };
  }

  type Method = 'GET' | 'POST' | 'PATCH';
  const send = (who: Who, method: Method, url: string, payload?: Record<string, unknown>) =>
    t.call({ method, url, headers: bearer(who), ...(method === 'GET' ? {} : { payload: payload ?? {} }) });

  /**
   * Those holding the route's role but not this resource get 404, the same as for an id that does
   * not exist; those without the role are stopped by the role check first (403 for any id).
   */
  async function refused(
    role: 'courier' | 'staff' | 'resident',
    method: Method,
    url: string,
    ghostUrl: string,
    payload?: Record<string, unknown>,
  ) {
    const holders = {
      courier: [foreignCourier, idleCourier],
      staff: [foreignStaff],
      resident: [foreignResident, foreignCourier, idleCourier, foreignStaff],
    }[role];
    const roleless = {
      courier: [foreignResident, foreignStaff],
      staff: [foreignResident, foreignCourier],
      resident: [],
    }[role];
    for (const who of holders) {
      const res = await send(who, method, url, payload);
      expectNotFound(res);
      expect((await send(who, method, ghostUrl, payload)).body).toEqual(res.body);
    }
    for (const who of roleless) {
      const r = await send(who, method, url, payload);
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe('FORBIDDEN');
      expect((await send(who, method, ghostUrl, payload)).body).toEqual(r.body);
    }
  }

  describe("a courier's batch", () => {
    it('courierBatch: the manifest is 404 to a courier of another community', async () => {
      const { batchId, orderId } = await lockerAt('ready');
      await refused('courier', 'GET', `/v1/courier/batches/${batchId}`, `/v1/courier/batches/${GHOST}`);
      const list = await send(foreignCourier, 'GET', '/v1/courier/batches');
      expect(list.body.items.map((b: { id: string }) => b.id)).not.toContain(batchId);
      const ok = await send(courier, 'GET', `/v1/courier/batches/${batchId}`);
      expect(ok.status).toBe(200);
      expect(ok.body.dropList[0].drops[0].orderId).toBe(orderId);
    });

    it('startBatch: 404, the batch stays ready and unassigned to them', async () => {
      const { batchId, orderId } = await lockerAt('ready');
      const before = await lockerState(orderId, batchId);
      await refused(
        'courier',
        'POST',
        `/v1/courier/batches/${batchId}/start`,
        `/v1/courier/batches/${GHOST}/start`,
      );
      expect(await lockerState(orderId, batchId)).toEqual(before);
      expect(before.batch!.status).toBe('ready');
      const ok = await send(courier, 'POST', `/v1/courier/batches/${batchId}/start`);
      expect(ok.status).toBe(200);
      expect(ok.body.status).toBe('in_progress');
    });

    it('dropOrder: 404, the compartment stays reserved and the order in the batch', async () => {
      const { batchId, orderId, drops } = await lockerAt('in_progress');
      const before = await lockerState(orderId, batchId);
      await refused(
        'courier',
        'POST',
        `/v1/courier/batches/${batchId}/drops`,
        `/v1/courier/batches/${GHOST}/drops`,
        drops[0],
      );
      expect(await lockerState(orderId, batchId)).toEqual(before);
      expect(before.order).toBe('in_batch');
      expect(before.held.map((h) => h.state)).toEqual(['reserved']);
      const ok = await send(courier, 'POST', `/v1/courier/batches/${batchId}/drops`, drops[0]);
      expect(ok.status).toBe(200);
      expect(ok.body.orderStatus).toBe('in_locker');
    });

    it('compartmentProblem: 404, the compartment stays in service and the order keeps it', async () => {
      const { batchId, orderId, drops } = await lockerAt('in_progress');
      const payload = { compartmentId: drops[0]!.compartmentId, reason: '门坏了' };
      const before = await lockerState(orderId, batchId);
      await refused(
        'courier',
        'POST',
        `/v1/courier/batches/${batchId}/compartment-problem`,
        `/v1/courier/batches/${GHOST}/compartment-problem`,
        payload,
      );
      expect(await lockerState(orderId, batchId)).toEqual(before);
      const ok = await send(courier, 'POST', `/v1/courier/batches/${batchId}/compartment-problem`, payload);
      expect(ok.status).toBe(200);
      expect(ok.body.replacement.orderId).toBe(orderId);
    });

    it('retrieveOrder: 404, the overdue order stays in its locker', async () => {
      const overdue = await lockerAt('overdue');
      // The next run of the community, started by its courier, is where retrievals happen.
      const run = await lockerAt('in_progress', false);
      const url = `/v1/courier/batches/${run.batchId}/retrievals`;
      const before = await lockerState(overdue.orderId, overdue.batchId);
      expect(before.order).toBe('overdue');
      await refused('courier', 'POST', url, `/v1/courier/batches/${GHOST}/retrievals`, {
        orderId: overdue.orderId,
      });
      expect(await lockerState(overdue.orderId, overdue.batchId)).toEqual(before);
      const ok = await send(courier, 'POST', url, { orderId: overdue.orderId });
      expect(ok.status).toBe(200);
      expect((await lockerState(overdue.orderId, overdue.batchId)).order).toBe('returned');
    });
  });

  describe("a resident's locker", () => {
    it('extendLocker: 404 to anyone but the resident; no extension, no fee', async () => {
      const { batchId, orderId } = await lockerAt('overdue');
      const before = await lockerState(orderId, batchId);
      expect(before.pickup[0]!.extendedAt).toBeNull();
      await refused('resident', 'POST', `/v1/orders/${orderId}/extend`, `/v1/orders/${GHOST}/extend`);
      expect(await lockerState(orderId, batchId)).toEqual(before);
      const ok = await send(owner, 'POST', `/v1/orders/${orderId}/extend`);
      expect(ok.status).toBe(200);
      expect(ok.body.status).toBe('in_locker');
      expect(ok.body.locker.extended).toBe(true);
    });

    it('openLocker: 404 to anyone but the resident; nothing opens', async () => {
      const { batchId, orderId } = await lockerAt('in_locker');
      const before = await lockerState(orderId, batchId);
      expect(before.held.map((h) => h.state)).toEqual(['occupied']);
      await refused('resident', 'POST', `/v1/lockers/${bankId}/open`, `/v1/lockers/${GHOST}/open`, {
        orderId,
      });
      // Nor an order id that does not exist, at the right bank.
      expectNotFound(await send(foreignResident, 'POST', `/v1/lockers/${bankId}/open`, { orderId: GHOST }));
      expect(await lockerState(orderId, batchId)).toEqual(before);
      const ok = await send(owner, 'POST', `/v1/lockers/${bankId}/open`, { orderId });
      expect(ok.status).toBe(200);
      expect((await lockerState(orderId, batchId)).order).toBe('picked_up');
    });

    it('devicePickup: a user token is no substitute for the panel signature', async () => {
      const { batchId, orderId } = await lockerAt('in_locker');
      const code = (await lockerState(orderId, batchId)).pickup[0]!.code;
      const before = await lockerState(orderId, batchId);
      for (const who of [owner, foreignResident, staff]) {
        const res = await t.call({
          method: 'POST',
          url: `/v1/devices/lockers/${bankId}/pickup`,
          headers: {
            ...bearer(who),
            'x-device-timestamp': String(Date.now()),
            'x-device-signature': '0'.repeat(64),
          },
          payload: { code },
        });
        expect(res.status).toBe(401);
        expect(res.body.error.code).toBe('DEVICE_UNAUTHORIZED');
      }
      expect(await lockerState(orderId, batchId)).toEqual(before);
    });
  });

  describe("staff's lockers and windows", () => {
    async function newBank() {
      const res = await send(staff, 'POST', '/v1/staff/locker-banks', {
        compoundId,
        name: `权限测试柜${windowDay++}`,
        location: '东门',
        compartments: [{ zone: 'ambient', size: 'M', count: 2 }],
      });
      expect(res.status).toBe(201);
      return res.body.bank as { id: string; compartments: { id: string }[] };
    }
    const bankState = async (id: string) => {
      const [b] = await t.deps.db.select().from(lockerBanks).where(eq(lockerBanks.id, id));
      const cs = await t.deps.db
        .select()
        .from(compartments)
        .where(eq(compartments.bankId, id))
        .orderBy(asc(compartments.label));
      return { bank: b, compartments: cs };
    };

    it('updateLockerBank: 404 to staff of another community; the bank stays in service', async () => {
      const bank = await newBank();
      const before = await bankState(bank.id);
      const payload = { status: 'out_of_service' };
      await refused(
        'staff',
        'PATCH',
        `/v1/staff/locker-banks/${bank.id}`,
        `/v1/staff/locker-banks/${GHOST}`,
        payload,
      );
      expect(await bankState(bank.id)).toEqual(before);
      const list = await send(foreignStaff, 'GET', '/v1/staff/locker-banks');
      expect(list.body.items).toEqual([]);
      const ok = await send(staff, 'PATCH', `/v1/staff/locker-banks/${bank.id}`, payload);
      expect(ok.status).toBe(200);
      expect(ok.body.status).toBe('out_of_service');
    });

    it('rotateDeviceSecret: 404, the secret stays and none is shown', async () => {
      const bank = await newBank();
      const before = await bankState(bank.id);
      await refused(
        'staff',
        'POST',
        `/v1/staff/locker-banks/${bank.id}/device-secret`,
        `/v1/staff/locker-banks/${GHOST}/device-secret`,
      );
      expect(await bankState(bank.id)).toEqual(before);
      const ok = await send(staff, 'POST', `/v1/staff/locker-banks/${bank.id}/device-secret`);
      expect(ok.status).toBe(200);
      expect(ok.body.deviceSecret).not.toBe(before.bank!.deviceSecret);
    });

    it('updateCompartment: 404, the compartment stays in service', async () => {
      const bank = await newBank();
      const id = bank.compartments[0]!.id;
      const before = await bankState(bank.id);
      const payload = { inService: false };
      await refused(
        'staff',
        'PATCH',
        `/v1/staff/compartments/${id}`,
        `/v1/staff/compartments/${GHOST}`,
        payload,
      );
      expect(await bankState(bank.id)).toEqual(before);
      const ok = await send(staff, 'PATCH', `/v1/staff/compartments/${id}`, payload);
      expect(ok.status).toBe(200);
      expect(ok.body.state).toBe('out_of_service');
    });

    it('closeDeliveryWindow: 404, the window stays open and no batch is built', async () => {
      const w = await newWindow();
      const orderId = await acceptedLockerOrder(
        t,
        owner,
        merchant,
        lockerOrder(shopId, [tomatoId], w.id, bankId, 4),
      );
      const state = async () => ({
        window: (await t.deps.db.select().from(deliveryWindows).where(eq(deliveryWindows.id, w.id)))[0],
        batches: await t.deps.db.select().from(deliveryBatches).where(eq(deliveryBatches.windowId, w.id)),
        order: await orderStatus(t, orderId),
      });
      const before = await state();
      expect(before.window!.status).toBe('open');
      await refused(
        'staff',
        'POST',
        `/v1/staff/delivery-windows/${w.id}/close`,
        `/v1/staff/delivery-windows/${GHOST}/close`,
      );
      expect(await state()).toEqual(before);
      expect(before.batches).toEqual([]);
      const ok = await send(staff, 'POST', `/v1/staff/delivery-windows/${w.id}/close`);
      expect(ok.status).toBe(200);
      expect(ok.body.status).toBe('closed');
      expect((await state()).batches).toHaveLength(1);
    });
  });
});
