/**
 * The fuzz test's cast and props: a token per role and real ids of every kind, read from the
 * seeded data through the API (and a few orders walked into various states), so generated
 * requests reach past the 404s into the code that does the work.
 */
import { buildBatchInline } from '../../src/modules/lockers/batches';
import { markOverdue } from '../../src/modules/lockers/pickup';
import { lockerOrder, produceShop, residentLocker, type Who } from '../fixtures/lockers';
import { newKey } from '../fixtures/market';
import { bearer, demoCommunityId, freshPhone, PHONES } from '../fixtures/people';
import type { TestApp } from '../helper';
import type { Pools } from './gen';

export interface Role {
  name: string;
  headers: Record<string, string>;
  userId?: string;
}

export interface World {
  roles: Role[];
  pools: Pools;
  /** What a coherent order looks like: the produce shop, its products, the resident's places. */
  shop: { id: string; productIds: string[]; householdId?: string; windowId?: string; bankId?: string };
  /** A fresh session per use for the routes that end one (logout, refresh). */
  freshSession(): Promise<{ authorization: string; refreshToken: string }>;
  /** The bank secret for signed locker-panel requests. */
  device?: { bankId: string; secret: string };
  notes: string[];
}

export async function buildWorld(t: TestApp): Promise<World> {
  const notes: string[] = [];
  const login = (phone: string) => t.login(phone);
  const who = {
    staff: await login(PHONES.staff),
    merchant: await login(PHONES.merchant),
    courier: await login('13800000003'),
    volunteer: await login('13800000004'),
    resident: await login(PHONES.resident),
    otherResident: await login(PHONES.otherResident),
    elder: await login(PHONES.elder),
    familyProxy: await login(PHONES.familyProxy),
    operator: await login('13800000030'),
    newcomer: await login(freshPhone()),
  };
  const roles: Role[] = [
    ...Object.entries(who).map(([name, w]) => ({ name, headers: bearer(w), userId: w.userId })),
    {
      name: 'proxyForElder',
      headers: { ...bearer(who.familyProxy), 'x-on-behalf-of': who.elder.userId },
      userId: who.elder.userId,
    },
    { name: 'anonymous', headers: {} },
    { name: 'forgedToken', headers: { authorization: 'Bearer eyJhbGciOiJub25lIn0.e30.' } },
  ];

  const ids: Record<string, string[]> = {};
  const add = (kind: string, ...values: (string | null | undefined)[]) => {
    ids[kind] ??= [];
    const list = ids[kind];
    for (const v of values) if (v && !list.includes(v)) list.push(v);
  };
  const get = async (as: Who, url: string) => {
    const res = await t.call({ method: 'GET', url, headers: bearer(as) });
    if (res.status !== 200) throw new Error(`world: GET ${url} -> ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const post = async (as: Who | Role, url: string, payload: unknown, extra: Record<string, string> = {}) => {
    const headers = 'headers' in as ? as.headers : bearer(as);
    return t.call({ method: 'POST', url, headers: { ...headers, ...extra }, payload: payload as object });
  };

  for (const w of Object.values(who)) add('userId', w.userId);
  /** What one operation works on, ahead of the pools at large (`path` is its path id). */
  const byOp: Record<string, Record<string, string[]>> = {};
  const forOp = (op: string, field: string, ...values: (string | undefined)[]) => {
    byOp[op] ??= {};
    const o = byOp[op];
    o[field] = [...(o[field] ?? []), ...values.filter((v): v is string => !!v)];
  };

  // Places: communities, compounds, buildings, households.
  const communityId = await demoCommunityId(t);
  for (const c of (await get(who.resident, '/v1/communities')).items) add('communityId', c.id);
  const tree = await get(who.resident, `/v1/communities/${communityId}`);
  for (const c of tree.compounds) {
    add('compoundId', c.id);
    for (const b of c.buildings) {
      add('buildingId', b.id);
      for (const h of b.households) add('householdId', h.id);
    }
  }

  // The market: shops and products (the merchant's own, off the shelf too).
  for (const m of (await get(who.resident, '/v1/merchants')).items) add('merchantId', m.id);
  for (const p of (await get(who.resident, '/v1/products?limit=100')).items) add('productId', p.id);
  for (const p of (await get(who.merchant, '/v1/merchant/products')).items) add('productId', p.id);

  // Lockers: banks, compartments, windows, schedules.
  for (const b of (await get(who.staff, '/v1/staff/locker-banks')).items) {
    add('lockerBankId', b.id);
    for (const c of b.compartments) add('compartmentId', c.id);
  }
  const staffWindows = await get(who.staff, '/v1/staff/delivery-windows');
  for (const s of staffWindows.schedules) add('scheduleId', s.id);
  for (const w of (await get(who.resident, `/v1/delivery-windows?communityId=${communityId}`)).items)
    add('windowId', w.id);

  // Memberships and proxy links waiting for someone: a newcomer asks for each.
  for (let i = 0; i < 6; i++) {
    const asker = await login(freshPhone());
    const m = await post(asker, '/v1/memberships', { householdId: ids.householdId![30 + i] });
    add('membershipId', m.body?.id);
    const l = await post(asker, '/v1/proxy-links', { elderPhone: PHONES.elder, relationship: '邻居' });
    add('proxyLinkId', l.body?.id);
  }
  // A shop waiting for staff to verify it.
  const applicant = await login(freshPhone());
  const applied = await post(applicant, '/v1/merchants', {
    name: '模糊测试小店',
    category: 'grocery',
    contactPhone: '13912345678',
    address: '黌门街 99 号',
    lat: 30.65,
    lng: 104.06,
    hours: { weekly: [{ day: 1, open: '08:00', close: '20:00' }], closedDates: [] },
    communityIds: [communityId],
    delivery: { shopPickup: true, home: null, locker: false },
  });
  if (applied.status === 201) add('merchantId', applied.body.id);
  else
    notes.push(`world: merchant application ${applied.status} ${JSON.stringify(applied.body).slice(0, 200)}`);
  // The seeded elder <-> family link is kept out of every pool: revoking it would turn each later
  // proxyForElder request into a 404. The family proxy revokes a link of its own instead.
  const own = await post(who.familyProxy, '/v1/proxy-links', {
    elderPhone: PHONES.otherResident,
    relationship: '朋友',
  });
  forOp('revokeProxyLink', 'path', own.body?.id);
  for (const m of (await get(who.resident, '/v1/memberships')).items) add('membershipId', m.id);

  // Orders in several states, from the seeded produce shop (minimum order 15 yuan).
  const shop = await produceShop(t);
  const lines = (n: number, q = 3) => shop.ambient.slice(0, n).map((p) => ({ productId: p.id, quantity: q }));
  const codes: string[] = [];
  const order = async (as: Who, delivery: unknown) => {
    const res = await post(
      as,
      '/v1/orders',
      { merchantId: shop.id, items: lines(2), delivery },
      {
        'idempotency-key': newKey(),
      },
    );
    if (res.status !== 201) {
      notes.push(`world: order not placed: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
      return undefined;
    }
    add('orderId', res.body.id);
    return res.body.id as string;
  };
  const pay = async (as: Who, id: string) => {
    const p = await post(as, `/v1/orders/${id}/pay`, {});
    add('paymentId', p.body?.paymentId);
    await post(as, `/v1/payments/${p.body?.paymentId}/dev-confirm`, {});
  };
  const merchantDoes = async (id: string, verb: 'accept' | 'pack' | 'reject', payload: unknown = {}) => {
    const res = await post(who.merchant, `/v1/merchant/orders/${id}/${verb}`, payload);
    if (res.body?.pickupCode) codes.push(res.body.pickupCode);
    return res.body?.pickupCode as string | undefined;
  };
  const pickup = { mode: 'shop_pickup' };
  await order(who.resident, pickup); // created
  for (let i = 0; i < 5; i++) {
    const paid = await order(i % 2 ? who.otherResident : who.resident, pickup);
    if (paid) await pay(i % 2 ? who.otherResident : who.resident, paid);
    for (const op of ['acceptOrder', 'rejectOrder']) forOp(op, 'path', paid);
  }
  for (let i = 0; i < 3; i++) {
    const accepted = await order(who.resident, pickup);
    if (!accepted) continue;
    await pay(who.resident, accepted);
    await merchantDoes(accepted, 'accept');
    forOp('packOrder', 'path', accepted);
    const packed = await order(who.otherResident, pickup);
    if (!packed) continue;
    await pay(who.otherResident, packed);
    forOp('verifyPickup', 'code', await merchantDoes(packed, 'accept'));
    await merchantDoes(packed, 'pack');
  }
  const cancelled = await order(who.resident, pickup);
  if (cancelled) await post(who.resident, `/v1/orders/${cancelled}/cancel`, {});
  const rejected = await order(who.resident, pickup);
  if (rejected) {
    await pay(who.resident, rejected);
    await merchantDoes(rejected, 'reject', { reason: '缺货' });
  }
  for (const refunding of [await order(who.resident, pickup), await order(who.resident, pickup)]) {
    if (!refunding) continue;
    await pay(who.resident, refunding);
    await merchantDoes(refunding, 'accept');
    const r = await post(who.resident, `/v1/orders/${refunding}/refund-request`, { reason: '菜不新鲜' });
    add('refundId', r.body?.refund?.id);
    if (r.status !== 200)
      notes.push(`world: refund request ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
  }
  const me = await get(who.resident, '/v1/me');
  const home = me.memberships.find((m: { status: string }) => m.status === 'approved');
  if (home) await order(who.resident, { mode: 'home', householdId: home.householdId });
  // The elder's family orders for her.
  const elderRole = roles.find((r) => r.name === 'proxyForElder')!;
  const forElder = await post(
    elderRole,
    '/v1/orders',
    { merchantId: shop.id, items: lines(2), delivery: pickup },
    {
      'idempotency-key': newKey(),
    },
  );
  add('orderId', forElder.body?.id);

  // Locker orders: one accepted, batched at cut-off, started and dropped (a code waits in the
  // locker); one in the next window's batch, built but not started (the courier's work ahead).
  let device: World['device'];
  const shopInfo: World['shop'] = { id: shop.id, productIds: shop.ambient.map((p) => p.id) };
  if (home) shopInfo.householdId = home.householdId;
  try {
    const { compoundId, bankId } = await residentLocker(t, who.resident);
    add('compoundId', compoundId);
    shopInfo.bankId = bankId;
    const windows = (await get(who.resident, `/v1/delivery-windows?communityId=${communityId}`)).items as {
      id: string;
      cutoffAt: string;
    }[];
    shopInfo.windowId = windows[2]?.id ?? windows[0]!.id;
    const placeLocker = async (windowId: string) => {
      const res = await post(
        who.resident,
        '/v1/orders',
        lockerOrder(shop.id, [shop.ambient[0]!.id, shop.chilled[0]!.id], windowId, bankId, 5),
        { 'idempotency-key': newKey() },
      );
      const id = res.body.id as string;
      add('orderId', id);
      await pay(who.resident, id);
      await merchantDoes(id, 'accept');
      return id;
    };
    const [w1, w2] = windows;
    const first = await placeLocker(w1!.id);
    const toExtend = await placeLocker(w1!.id);
    const toRetrieve = await placeLocker(w1!.id);
    const second = await placeLocker(w2!.id);
    const now = t.clock.now();
    t.clock.set(new Date(new Date(w1!.cutoffAt).getTime() + 60_000));
    const started = (await buildBatchInline(t.deps, w1!.id))!;
    await post(who.courier, `/v1/courier/batches/${started}/start`, {});
    const m = await get(who.courier, `/v1/courier/batches/${started}`);
    for (const bank of m.dropList)
      for (const d of bank.drops)
        await post(who.courier, `/v1/courier/batches/${started}/drops`, {
          orderId: d.orderId,
          compartmentId: d.compartmentId,
        });
    // Two of them left past their free hours: overdue, as the job would find them.
    t.clock.set(
      new Date(new Date(w1!.cutoffAt).getTime() + (t.deps.config.LOCKER_FREE_HOURS + 1) * 3600_000),
    );
    for (const id of [toExtend, toRetrieve])
      if (!(await markOverdue(t.deps, id))) notes.push(`world: order ${id} did not go overdue`);
    t.clock.set(new Date(new Date(w2!.cutoffAt).getTime() + 60_000));
    const ready = (await buildBatchInline(t.deps, w2!.id))!;
    const m2 = await get(who.courier, `/v1/courier/batches/${ready}`);
    t.clock.set(now);
    add('batchId', ready, started);
    for (const bank of m2.dropList)
      for (const d of bank.drops) {
        add('compartmentId', d.compartmentId);
        for (const op of ['dropOrder', 'compartmentProblem']) forOp(op, 'compartmentId', d.compartmentId);
        forOp('dropOrder', 'orderId', d.orderId);
      }
    forOp('startBatch', 'path', ready);
    for (const op of ['dropOrder', 'compartmentProblem', 'retrieveOrder']) forOp(op, 'path', ready);
    forOp('openLocker', 'orderId', first);
    forOp('retrieveOrder', 'orderId', toRetrieve);
    forOp('retrieveOrder', 'path', started);
    forOp('extendLocker', 'path', toExtend);
    forOp('openLocker', 'path', bankId);
    forOp('devicePickup', 'path', bankId);
    const o = await get(who.resident, `/v1/orders/${first}`);
    if (o.locker?.code) codes.push(o.locker.code);
    forOp('devicePickup', 'code', o.locker?.code);
    if (o.status !== 'in_locker') notes.push(`world: locker order is ${o.status}, not in_locker`);
    if (!m2.dropList.length) notes.push(`world: the second batch has no drops (order ${second})`);
    for (const w3 of (await get(who.resident, `/v1/delivery-windows?communityId=${communityId}`)).items)
      add('windowId', w3.id);
    const secret = await post(who.staff, `/v1/staff/locker-banks/${bankId}/device-secret`, {});
    device = secret.status === 200 ? { bankId, secret: secret.body.deviceSecret as string } : undefined;
  } catch (err) {
    notes.push(`world: locker setup failed: ${(err as Error).message}`);
  }
  for (const b of (await get(who.courier, '/v1/courier/batches')).items) add('batchId', b.id);

  // Notifications the residents got along the way.
  for (const as of [who.resident, who.elder, who.merchant])
    for (const n of (await get(as, '/v1/notifications?limit=100')).items) add('notificationId', n.id);
  for (const o of (await get(who.merchant, '/v1/merchant/orders?limit=100')).items) {
    add('orderId', o.id);
    add('refundId', o.refund?.id);
    add('paymentId', o.payment?.id);
    if (o.pickupCode) codes.push(o.pickupCode);
  }

  // Pending ones first, for the routes that decide them.
  for (const op of ['approveMembership', 'rejectMembership'])
    forOp(op, 'path', ...(ids.membershipId ?? []).slice(0, 6));
  for (const op of ['consentProxyLink', 'revokeProxyLink', 'staffRecordConsent'])
    forOp(op, 'path', ...(ids.proxyLinkId ?? []).slice(0, 6));
  if (applied.status === 201) forOp('verifyMerchant', 'path', applied.body.id);

  // One of the resident's notifications read, so `unread=false` has something to tell apart.
  const inbox = (await get(who.resident, '/v1/notifications?limit=100')).items as { id: string }[];
  const marked =
    inbox.length > 1
      ? await post(who.resident, '/v1/notifications/read', { ids: [inbox[0]!.id] })
      : undefined;
  if (marked?.status !== 200)
    notes.push('world: no notification of the resident could be marked read (unread=false check is moot)');

  add('uuid', ...Object.values(ids).flat());
  return {
    roles,
    shop: shopInfo,
    pools: {
      byOp,
      ids,
      phones: [...Object.values(PHONES), '13800000003', '13800000030', '13800000099'],
      codes: [...new Set(codes)],
    },
    device,
    notes,
    async freshSession() {
      const res = await t.call({
        method: 'POST',
        url: '/v1/auth/dev-login',
        payload: { phone: freshPhone() },
      });
      return { authorization: `Bearer ${res.body.accessToken}`, refreshToken: res.body.refreshToken };
    },
  };
}
