import { randomBytes } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import { type BusinessHours, localClock } from 'shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { communities, merchantCommunities, merchants, products, userRoles } from '../../src/db/schema';
import { DEMO_MERCHANTS } from '../../src/demo';
import { ALWAYS_OPEN, makeShop, orderBody, placeOrder, stockOf, type TestShop } from '../fixtures/market';
import {
  auditRows,
  bearer,
  demoCommunityId,
  freshPhone,
  inbox,
  makeStaff,
  PHONES,
  TEST_ENV,
} from '../fixtures/people';
import { setupTestApp, type TestApp } from '../helper';

type Who = { authorization: string; userId: string };
type Summary = { id: string; name: string; category: string; status: string; openNow: boolean };
type Item = {
  id: string;
  merchantId: string;
  name: string;
  category: string;
  priceFen: number;
  soldOut: boolean;
  shopOpen: boolean;
};

let t: TestApp;
let demo: string;
let resident: Who;

beforeAll(async () => {
  t = await setupTestApp(TEST_ENV);
  demo = await demoCommunityId(t);
  resident = await t.login(PHONES.resident);
});
afterAll(() => t?.close());

/** A word no seeded name contains, so name searches find only this test's shops. */
const tag = () => randomBytes(3).toString('hex');

/** Closed now: yesterday, today and tomorrow (Shanghai) are not opening days. */
function closedNowHours(): BusinessHours {
  const around = new Set([-1, 0, 1].map((d) => localClock(new Date(Date.now() + d * 86_400_000)).weekday));
  return {
    weekly: [1, 2, 3, 4, 5, 6, 7]
      .filter((d) => !around.has(d))
      .map((day) => ({ day, open: '08:00', close: '20:00' })),
    closedDates: [],
  };
}

async function shopNamed(
  name: string,
  opts: Parameters<typeof makeShop>[1] = {},
  category?: 'bakery' | 'meals',
) {
  const s = await makeShop(t, opts);
  await t.deps.db
    .update(merchants)
    .set({ name, ...(category && { category }) })
    .where(eq(merchants.id, s.id));
  return s;
}

async function directory(query: string, who: Who = resident): Promise<Summary[]> {
  const res = await t.call({ method: 'GET', url: `/v1/merchants${query}`, headers: bearer(who) });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items;
}

/** Every page of a catalog query, following the cursor. */
async function catalog(query: string, limit = 100): Promise<{ items: Item[]; pages: number }> {
  const items: Item[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const sep = query ? '&' : '';
    const url: string = `/v1/products?${query}${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
    const res = await t.call({ method: 'GET', url, headers: bearer(resident) });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.items.length).toBeLessThanOrEqual(limit);
    items.push(...res.body.items);
    cursor = res.body.nextCursor;
    pages += 1;
    expect(pages).toBeLessThan(200);
  } while (cursor);
  return { items, pages };
}

const ids = (xs: { id: string }[]) => xs.map((x) => x.id);

describe('GET /v1/merchants', () => {
  it('lists the shops serving a community, by category and name; pending and closed shops are not listed', async () => {
    const k = tag();
    const orchard = await shopNamed(`果园${k}`);
    const bakery = await shopNamed(`面包${k}`, {}, 'bakery');
    const pending = await shopNamed(`待审${k}`, { status: 'pending' });
    const closed = await shopNamed(`歇业${k}`, { status: 'closed' });
    const elsewhere = await shopNamed(`别处${k}`);
    const [other] = await t.deps.db
      .insert(communities)
      .values({ name: `别的社区${k}`, city: '成都市' })
      .returning();
    await t.deps.db
      .update(merchantCommunities)
      .set({ communityId: other!.id })
      .where(eq(merchantCommunities.merchantId, elsewhere.id));

    const inDemo = ids(await directory(`?communityId=${demo}`));
    expect(inDemo).toEqual(expect.arrayContaining([orchard.id, bakery.id]));
    for (const hidden of [pending.id, closed.id, elsewhere.id]) expect(inDemo).not.toContain(hidden);
    expect(ids(await directory(`?communityId=${other!.id}`))).toEqual([elsewhere.id]);

    const all = ids(await directory(''));
    expect(all).toEqual(expect.arrayContaining([orchard.id, bakery.id, elsewhere.id]));
    expect(all).not.toContain(pending.id);
    expect(all).not.toContain(closed.id);

    const bakeries = await directory(`?communityId=${demo}&category=bakery`);
    expect(ids(bakeries)).toContain(bakery.id);
    expect(ids(bakeries)).not.toContain(orchard.id);
    expect(bakeries.every((m) => m.category === 'bakery')).toBe(true);

    expect(ids(await directory(`?q=${encodeURIComponent(`果园${k}`)}`))).toEqual([orchard.id]);
    // The search is by part of the name, and case and LIKE wildcards are not special.
    expect(ids(await directory(`?q=${encodeURIComponent(k)}&communityId=${demo}`)).sort()).toEqual(
      [orchard.id, bakery.id].sort(),
    );
    expect(
      ids(await directory(`?q=${encodeURIComponent(k.toUpperCase())}&communityId=${demo}`)).sort(),
    ).toEqual([orchard.id, bakery.id].sort());
    for (const wild of ['%', '_', '\\'])
      expect(await directory(`?q=${encodeURIComponent(wild)}`)).toEqual([]);
    expect(await directory(`?q=${encodeURIComponent(`待审${k}`)}`)).toEqual([]);

    // Signed-in only.
    expect((await t.call({ method: 'GET', url: '/v1/merchants' })).status).toBe(401);
  });

  it('openNow follows the hours; a paused shop is listed but not open; open shops come first', async () => {
    const k = tag();
    const open = await shopNamed(`营业${k}`);
    const offHours = await shopNamed(`打烊${k}`, { hours: closedNowHours() });
    const closedToday = await shopNamed(`店休${k}`, {
      hours: {
        ...ALWAYS_OPEN,
        closedDates: [-1, 0, 1].map((d) => localClock(new Date(Date.now() + d * 86_400_000)).date),
      },
    });
    const paused = await shopNamed(`暂停${k}`, { status: 'paused' });
    const listed = await directory(`?q=${k}`);
    const byId = new Map(listed.map((m) => [m.id, m]));
    expect(byId.get(open.id)).toMatchObject({ status: 'open', openNow: true });
    expect(byId.get(offHours.id)).toMatchObject({ status: 'open', openNow: false });
    expect(byId.get(closedToday.id)).toMatchObject({ status: 'open', openNow: false });
    expect(byId.get(paused.id)).toMatchObject({ status: 'paused', openNow: false });
    expect(listed).toHaveLength(4);
    expect(listed[0]!.id).toBe(open.id);

    const everyone = await directory(`?communityId=${demo}`);
    const firstClosed = everyone.findIndex((m) => !m.openNow);
    expect(firstClosed).toBeGreaterThan(0);
    expect(everyone.slice(firstClosed).every((m) => !m.openNow)).toBe(true);

    // The detail page agrees.
    const detail = await t.call({
      method: 'GET',
      url: `/v1/merchants/${paused.id}`,
      headers: bearer(resident),
    });
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ status: 'paused', openNow: false, communityIds: [demo] });
  });
});

describe('GET /v1/products', () => {
  let shop: TestShop;
  let k: string;

  beforeAll(async () => {
    k = tag();
    shop = await makeShop(t, {
      products: Array.from({ length: 23 }, (_, i) => ({
        name: `分页${k}${String(i).padStart(2, '0')}`,
        priceFen: 100 + i,
        stock: i === 3 ? 0 : 10,
      })),
    });
    // Ties in the merchant's order: pages must break them by id and neither repeat nor skip.
    await t.deps.db
      .update(products)
      .set({ sortOrder: 5 })
      .where(
        inArray(
          products.id,
          shop.products.slice(4, 16).map((p) => p.id),
        ),
      );
    await t.deps.db
      .update(products)
      .set({ category: '水果' })
      .where(inArray(products.id, [shop.products[0]!.id, shop.products[7]!.id]));
  });

  it('pages through a shop with a cursor: every product once, in the shop’s order', async () => {
    const rows = await t.deps.db.select().from(products).where(eq(products.merchantId, shop.id));
    const expected = [...rows]
      .sort((a, b) => a.sortOrder - b.sortOrder || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((p) => p.id);
    for (const limit of [1, 4, 7, 23, 100]) {
      const { items, pages } = await catalog(`merchantId=${shop.id}`, limit);
      expect(ids(items)).toEqual(expected);
      expect(pages).toBe(Math.ceil(23 / limit));
    }
  });

  it('pages through a whole community without duplicates or gaps', async () => {
    const { items } = await catalog(`communityId=${demo}`, 13);
    const seen = ids(items);
    expect(new Set(seen).size).toBe(seen.length);
    const listed = await t.deps.db
      .select({ id: products.id })
      .from(products)
      .innerJoin(merchants, eq(merchants.id, products.merchantId))
      .innerJoin(merchantCommunities, eq(merchantCommunities.merchantId, merchants.id))
      .where(
        and(
          eq(products.onShelf, true),
          inArray(merchants.status, ['open', 'paused']),
          eq(merchantCommunities.communityId, demo),
        ),
      );
    expect([...seen].sort()).toEqual(ids(listed).sort());
  });

  it('filters by shop, category and keyword; hides off-shelf products; flags sold out', async () => {
    const { items } = await catalog(`merchantId=${shop.id}`);
    expect(items.every((p) => p.merchantId === shop.id)).toBe(true);
    const soldOut = items.filter((p) => p.soldOut).map((p) => p.id);
    expect(soldOut).toEqual([shop.products[3]!.id]);
    expect(items.every((p) => p.shopOpen)).toBe(true);

    const fruit = await catalog(`merchantId=${shop.id}&category=${encodeURIComponent('水果')}`);
    expect(ids(fruit.items).sort()).toEqual([shop.products[0]!.id, shop.products[7]!.id].sort());
    const named = await catalog(`q=${encodeURIComponent(`分页${k}1`)}`);
    expect(ids(named.items).sort()).toEqual(
      shop.products
        .slice(10, 20)
        .map((p) => p.id)
        .sort(),
    );
    expect((await catalog(`q=${encodeURIComponent('%')}&merchantId=${shop.id}`)).items).toEqual([]);

    const off = await t.call({
      method: 'PATCH',
      url: `/v1/merchant/products/${shop.products[1]!.id}`,
      headers: bearer(shop.owner),
      payload: { onShelf: false },
    });
    expect(off.status).toBe(200);
    const after = await catalog(`merchantId=${shop.id}`);
    expect(ids(after.items)).not.toContain(shop.products[1]!.id);
    expect(after.items).toHaveLength(22);
    // The merchant still sees it in their own list.
    const own = await t.call({ method: 'GET', url: '/v1/merchant/products', headers: bearer(shop.owner) });
    expect(own.body.items.find((p: { id: string }) => p.id === shop.products[1]!.id)).toMatchObject({
      onShelf: false,
    });

    // A seeded off-shelf product is not in the catalog either.
    const hiddenSeed = await t.deps.db.select().from(products).where(eq(products.onShelf, false));
    const community = ids((await catalog(`communityId=${demo}`)).items);
    for (const p of hiddenSeed) expect(community).not.toContain(p.id);
  });

  it('lists every on-sale category of a shop or community with its count, not just the first page', async () => {
    const res = await t.call({
      method: 'GET',
      url: `/v1/product-categories?merchantId=${shop.id}`,
      headers: bearer(resident),
    });
    expect(res.status).toBe(200);
    const onShelf = await t.deps.db
      .select({ category: products.category })
      .from(products)
      .where(and(eq(products.merchantId, shop.id), eq(products.onShelf, true)));
    const expected = new Map<string, number>();
    for (const p of onShelf) expected.set(p.category, (expected.get(p.category) ?? 0) + 1);
    expect(new Map(res.body.items.map((c: { name: string; count: number }) => [c.name, c.count]))).toEqual(
      expected,
    );
    const counts = res.body.items.map((c: { count: number }) => c.count);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));

    const community = await t.call({
      method: 'GET',
      url: `/v1/product-categories?communityId=${demo}`,
      headers: bearer(resident),
    });
    const names = community.body.items.map((c: { name: string }) => c.name);
    for (const c of expected.keys()) expect(names).toContain(c);
    for (const seeded of ['蔬菜', '面包']) expect(names).toContain(seeded);
  });

  it('shopOpen is false for a shop outside its hours or paused; a pending shop’s products are not listed', async () => {
    const offHours = await makeShop(t, { hours: closedNowHours() });
    const paused = await makeShop(t, { status: 'paused' });
    const pending = await makeShop(t, { status: 'pending' });
    for (const s of [offHours, paused]) {
      const { items } = await catalog(`merchantId=${s.id}`);
      expect(ids(items)).toEqual(ids(s.products));
      expect(items.every((p) => p.shopOpen === false && p.soldOut === false)).toBe(true);
    }
    expect((await catalog(`merchantId=${pending.id}`)).items).toEqual([]);
    // And elsewhere only with its own community.
    const [other] = await t.deps.db
      .insert(communities)
      .values({ name: `远方${tag()}`, city: '成都市' })
      .returning();
    expect((await catalog(`communityId=${other!.id}`)).items).toEqual([]);
  });
});

describe('opening a shop', () => {
  function application(name: string, communityIds: string[]) {
    return {
      name,
      category: 'bakery',
      description: '现烤欧包',
      contactPhone: '13912340001',
      address: '黌门街 20 号',
      lat: 30.6531,
      lng: 104.0611,
      hours: ALWAYS_OPEN,
      communityIds,
      delivery: { shopPickup: true, home: { radiusM: 2000, feeFen: 500 }, locker: false },
      minOrderFen: 1000,
    };
  }

  it('apply -> pending -> the community’s staff verify -> the owner is a merchant, told, and listed', async () => {
    const k = tag();
    const phone = freshPhone();
    const owner = await t.login(phone);
    const staff = await t.login(PHONES.staff);
    const staffInboxBefore = (await inbox(t, staff.userId)).filter(
      (n) => n.kind === 'merchant.pending',
    ).length;

    const applied = await t.call({
      method: 'POST',
      url: '/v1/merchants',
      headers: bearer(owner),
      payload: application(`新店${k}`, [demo]),
    });
    expect(applied.status, JSON.stringify(applied.body)).toBe(201);
    expect(applied.body).toMatchObject({
      status: 'pending',
      openNow: false,
      communityIds: [demo],
      minOrderFen: 1000,
      delivery: { shopPickup: true, home: { radiusM: 2000, feeFen: 500 }, locker: false },
    });
    const id: string = applied.body.id;
    expect((await inbox(t, staff.userId)).filter((n) => n.kind === 'merchant.pending')).toHaveLength(
      staffInboxBefore + 1,
    );
    expect(await directory(`?q=${k}`)).toEqual([]);

    // Waiting: the owner sees the shop but cannot open it, sell, or run it yet.
    const mine = await t.call({ method: 'GET', url: '/v1/merchant/profile', headers: bearer(owner) });
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({ id, status: 'pending' });
    const selfOpen = await t.call({
      method: 'PATCH',
      url: '/v1/merchant/profile',
      headers: bearer(owner),
      payload: { status: 'open' },
    });
    expect(selfOpen.status).toBe(409);
    expect(selfOpen.body.error.code).toBe('MERCHANT_STATE');
    const early = await t.call({
      method: 'POST',
      url: '/v1/merchant/products',
      headers: bearer(owner),
      payload: { name: '法棍', category: '面包', unit: '根', priceFen: 1200, stock: 10 },
    });
    expect(early.status).toBe(403);
    expect((await t.deps.db.select().from(merchants).where(eq(merchants.id, id)))[0]!.status).toBe('pending');

    // One shop per person.
    const again = await t.call({
      method: 'POST',
      url: '/v1/merchants',
      headers: bearer(owner),
      payload: application(`又一家${k}`, [demo]),
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('MERCHANT_EXISTS');

    const queue = await t.call({ method: 'GET', url: '/v1/staff/merchants', headers: bearer(staff) });
    expect(queue.status).toBe(200);
    const waiting = queue.body.items.find((m: { id: string }) => m.id === id);
    expect(waiting).toMatchObject({
      status: 'pending',
      ownerPhoneMasked: `${phone.slice(0, 3)}****${phone.slice(7)}`,
    });
    expect(JSON.stringify(queue.body)).not.toContain(phone);
    const stray = await makeStaff(t, { runsDemo: false });
    const strayQueue = await t.call({ method: 'GET', url: '/v1/staff/merchants', headers: bearer(stray) });
    expect(strayQueue.body.items).toEqual([]);

    const verified = await t.call({
      method: 'POST',
      url: `/v1/staff/merchants/${id}/verify`,
      headers: bearer(staff),
      payload: {},
    });
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ id, status: 'open', openNow: true });

    const me = await t.call({ method: 'GET', url: '/v1/me', headers: bearer(owner) });
    expect(me.body.roles).toContain('merchant');
    expect((await inbox(t, owner.userId)).filter((n) => n.kind === 'merchant.verified')).toHaveLength(1);
    expect(await auditRows(t, 'merchant.verified', id)).toHaveLength(1);
    expect(ids(await directory(`?q=${k}&communityId=${demo}`))).toEqual([id]);
    const afterQueue = await t.call({ method: 'GET', url: '/v1/staff/merchants', headers: bearer(staff) });
    expect(ids(afterQueue.body.items)).not.toContain(id);
    const openQueue = await t.call({
      method: 'GET',
      url: '/v1/staff/merchants?status=open',
      headers: bearer(staff),
    });
    expect(ids(openQueue.body.items)).toContain(id);

    // Verifying twice is a conflict and tells no one again.
    const twice = await t.call({
      method: 'POST',
      url: `/v1/staff/merchants/${id}/verify`,
      headers: bearer(staff),
      payload: {},
    });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('MERCHANT_ALREADY_VERIFIED');
    expect((await inbox(t, owner.userId)).filter((n) => n.kind === 'merchant.verified')).toHaveLength(1);

    // Now a merchant: the shop takes products.
    const product = await t.call({
      method: 'POST',
      url: '/v1/merchant/products',
      headers: bearer(owner),
      payload: { name: '法棍', category: '面包', unit: '根', priceFen: 1200, stock: 10 },
    });
    expect(product.status).toBe(201);
  });

  it('an application naming an unknown community is refused on that field', async () => {
    const owner = await t.login(freshPhone());
    const res = await t.call({
      method: 'POST',
      url: '/v1/merchants',
      headers: bearer(owner),
      payload: application(`无处${tag()}`, [demo, '0190a0b0-0000-7000-8000-000000000000']),
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ path: 'body.communityIds.1', message: 'no such community' }]);
    expect(await t.deps.db.select().from(merchants).where(eq(merchants.ownerId, owner.userId))).toEqual([]);
  });
});

describe('roles', () => {
  it('non-staff get 403 on the staff routes', async () => {
    const pending = await makeShop(t, { status: 'pending' });
    for (const phone of [PHONES.resident, PHONES.merchant, '13800000003']) {
      const who = await t.login(phone);
      const list = await t.call({ method: 'GET', url: '/v1/staff/merchants', headers: bearer(who) });
      expect(list.status).toBe(403);
      expect(list.body.error.code).toBe('FORBIDDEN');
      const verify = await t.call({
        method: 'POST',
        url: `/v1/staff/merchants/${pending.id}/verify`,
        headers: bearer(who),
        payload: {},
      });
      expect(verify.status).toBe(403);
    }
    expect((await t.deps.db.select().from(merchants).where(eq(merchants.id, pending.id)))[0]!.status).toBe(
      'pending',
    );
  });

  it('a resident gets 403 on the merchant workspace; a merchant without a shop gets 404', async () => {
    const someOrder = '0190a0b0-0000-7000-8000-000000000000';
    const workspace: { method: 'GET' | 'POST' | 'PATCH'; url: string; payload?: Record<string, unknown> }[] =
      [
        { method: 'GET', url: '/v1/merchant/orders' },
        { method: 'GET', url: `/v1/merchant/orders/${someOrder}` },
        { method: 'GET', url: '/v1/merchant/products' },
        { method: 'GET', url: '/v1/merchant/stats' },
        {
          method: 'POST',
          url: '/v1/merchant/products',
          payload: { name: '青菜', category: '蔬菜', unit: '斤', priceFen: 100, stock: 1 },
        },
        { method: 'POST', url: '/v1/merchant/orders/verify-pickup', payload: { code: '123456' } },
        { method: 'POST', url: `/v1/merchant/orders/${someOrder}/accept`, payload: {} },
      ];
    for (const r of workspace) {
      const res = await t.call({ ...r, headers: bearer(resident) });
      expect(res.status, r.url).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    }
    // The profile is open to every signed-in person (an applicant follows their pending shop
    // there); without a shop there is nothing to show.
    const profile = await t.call({ method: 'GET', url: '/v1/merchant/profile', headers: bearer(resident) });
    expect(profile.status).toBe(404);
    expect(profile.body.error.code).toBe('NOT_FOUND');
    const patch = await t.call({
      method: 'PATCH',
      url: '/v1/merchant/profile',
      headers: bearer(resident),
      payload: { status: 'paused' },
    });
    expect(patch.status).toBe(404);

    const shopless = await t.login(freshPhone());
    await t.deps.db.insert(userRoles).values({ userId: shopless.userId, role: 'merchant' });
    for (const url of [
      '/v1/merchant/profile',
      '/v1/merchant/products',
      '/v1/merchant/orders',
      '/v1/merchant/stats',
    ]) {
      const res = await t.call({ method: 'GET', url, headers: bearer(shopless) });
      expect(res.status, url).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    }
    const create = await t.call({ ...workspace[4]!, headers: bearer(shopless) });
    expect(create.status).toBe(404);
  });
});

describe('the merchant runs the shop', () => {
  it('pauses and resumes through the profile; a paused shop refuses orders with SHOP_CLOSED', async () => {
    const shop = await makeShop(t, { products: [{ priceFen: 500, stock: 10 }] });
    const owner = bearer(shop.owner);
    const me = await t.login(freshPhone());
    const patch = (payload: Record<string, unknown>) =>
      t.call({ method: 'PATCH', url: '/v1/merchant/profile', headers: owner, payload });

    const paused = await patch({ status: 'paused' });
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({ id: shop.id, status: 'paused', openNow: false });
    const refused = await placeOrder(t, me, orderBody(shop));
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('SHOP_CLOSED');
    expect(await stockOf(t, shop.products[0]!.id)).toBe(10);
    expect((await directory(`?communityId=${demo}`)).find((m) => m.id === shop.id)).toMatchObject({
      status: 'paused',
      openNow: false,
    });
    expect((await catalog(`merchantId=${shop.id}`)).items[0]).toMatchObject({ shopOpen: false });
    // Pausing a paused shop changes nothing.
    const twice = await patch({ status: 'paused' });
    expect(twice.status).toBe(200);
    expect(twice.body.status).toBe('paused');

    const resumed = await patch({ status: 'open' });
    expect(resumed.status).toBe(200);
    expect(resumed.body).toMatchObject({ status: 'open', openNow: true });
    expect((await placeOrder(t, me, orderBody(shop))).status).toBe(201);

    // Other fields; a shop cannot close itself for good or change nothing.
    const edited = await patch({ minOrderFen: 800, description: '自家菜园', hours: closedNowHours() });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ minOrderFen: 800, description: '自家菜园', openNow: false });
    for (const bad of [{}, { status: 'closed' }, { status: 'pending' }, { minOrderFen: -1 }, { lat: 91 }]) {
      const res = await patch(bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
    expect((await t.deps.db.select().from(merchants).where(eq(merchants.id, shop.id)))[0]!.status).toBe(
      'open',
    );
    expect(await auditRows(t, 'merchant.updated', shop.id)).not.toHaveLength(0);
  });

  it('creates and updates products, seen in the catalog and in the merchant’s own list', async () => {
    const shop = await makeShop(t);
    const owner = bearer(shop.owner);
    const created = await t.call({
      method: 'POST',
      url: '/v1/merchant/products',
      headers: owner,
      payload: {
        name: '阳光玫瑰葡萄',
        category: '水果',
        unit: '盒',
        priceFen: 3990,
        originalPriceFen: 4990,
        stock: 30,
        perOrderLimit: 3,
        temperature: 'chilled',
        sizeHint: 'M',
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({
      merchantId: shop.id,
      name: '阳光玫瑰葡萄',
      priceFen: 3990,
      originalPriceFen: 4990,
      stock: 30,
      perOrderLimit: 3,
      lowStockThreshold: 5,
      temperature: 'chilled',
      sizeHint: 'M',
      onShelf: true,
      soldOut: false,
      shopOpen: true,
    });
    const id: string = created.body.id;
    expect(await auditRows(t, 'product.created', id)).toHaveLength(1);
    const listed = (await catalog(`merchantId=${shop.id}`)).items.find((p) => p.id === id);
    expect(listed).toMatchObject({ name: '阳光玫瑰葡萄', category: '水果' });
    expect(listed).not.toHaveProperty('lowStockThreshold');

    const updated = await t.call({
      method: 'PATCH',
      url: `/v1/merchant/products/${id}`,
      headers: owner,
      payload: { priceFen: 3590, stock: 0, lowStockThreshold: 2 },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      priceFen: 3590,
      originalPriceFen: 4990,
      stock: 0,
      soldOut: true,
      lowStockThreshold: 2,
    });
    expect(await auditRows(t, 'product.updated', id)).toHaveLength(1);
    expect((await catalog(`merchantId=${shop.id}`)).items.find((p) => p.id === id)).toMatchObject({
      priceFen: 3590,
      soldOut: true,
    });
    const own = await t.call({ method: 'GET', url: '/v1/merchant/products', headers: owner });
    expect(own.body.items.find((p: { id: string }) => p.id === id)).toMatchObject({
      priceFen: 3590,
      stock: 0,
    });

    // The new price is what an order pays.
    await t.call({
      method: 'PATCH',
      url: `/v1/merchant/products/${id}`,
      headers: owner,
      payload: { stock: 5 },
    });
    const me = await t.login(freshPhone());
    const placed = await placeOrder(t, me, {
      merchantId: shop.id,
      items: [{ productId: id, quantity: 2 }],
      delivery: { mode: 'shop_pickup' },
    });
    expect(placed.status).toBe(201);
    expect(placed.body.totalFen).toBe(7180);
  });
});

describe('the merchant edits the profile', () => {
  it('a PATCH changes only the fields it names', async () => {
    const shop = await makeShop(t);
    const patch = (payload: Record<string, unknown>) =>
      t.call({ method: 'PATCH', url: '/v1/merchant/profile', headers: bearer(shop.owner), payload });
    const set = await patch({
      description: '每天清晨到货',
      logoUrl: 'https://img.example.com/logo.png',
      minOrderFen: 1500,
    });
    expect(set.status).toBe(200);
    const before = (await t.deps.db.select().from(merchants).where(eq(merchants.id, shop.id)))[0]!;
    expect(before).toMatchObject({
      description: '每天清晨到货',
      logoUrl: 'https://img.example.com/logo.png',
      minOrderFen: 1500,
    });

    for (const payload of [{ status: 'paused' }, { status: 'open' }, { name: '改名小店' }]) {
      const res = await patch(payload);
      expect(res.status).toBe(200);
      expect(res.body, JSON.stringify(payload)).toMatchObject({
        description: '每天清晨到货',
        logoUrl: 'https://img.example.com/logo.png',
        minOrderFen: 1500,
      });
    }
    const after = (await t.deps.db.select().from(merchants).where(eq(merchants.id, shop.id)))[0]!;
    expect(after).toEqual({ ...before, name: '改名小店' });
  });
});

describe('low stock', () => {
  it('the order that crosses the threshold puts exactly one notice in the owner’s inbox', async () => {
    const shop = await makeShop(t, {
      products: [
        { name: '土鸡蛋', priceFen: 100, stock: 10, lowStockThreshold: 5 },
        { name: '豆腐', priceFen: 100, stock: 8, lowStockThreshold: 3 },
      ],
    });
    const [eggs, tofu] = shop.products;
    const lowStock = async () =>
      (await inbox(t, shop.owner.userId)).filter((n) => n.kind === 'product.low_stock');
    const buy = async (items: [string, number][]) => {
      const me = await t.login(freshPhone());
      const res = await placeOrder(t, me, {
        merchantId: shop.id,
        items: items.map(([productId, quantity]) => ({ productId, quantity })),
        delivery: { mode: 'shop_pickup' },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    };

    await buy([[eggs!.id, 3]]); // 10 -> 7: above
    expect(await lowStock()).toHaveLength(0);
    await buy([[eggs!.id, 2]]); // 7 -> 5: crosses (at the threshold counts as low)
    expect(await lowStock()).toHaveLength(1);
    expect((await lowStock())[0]!.body).toContain('土鸡蛋');
    await buy([[eggs!.id, 1]]); // 5 -> 4: already below
    await buy([[eggs!.id, 4]]); // 4 -> 0: already below, even sold out
    expect(await lowStock()).toHaveLength(1);
    expect(await stockOf(t, eggs!.id)).toBe(0);

    // Another product in one order straight from above to below: its own single notice.
    await buy([[tofu!.id, 7]]); // 8 -> 1
    const notices = await lowStock();
    expect(notices).toHaveLength(2);
    expect(notices.filter((n) => n.body.includes('豆腐'))).toHaveLength(1);
    // Nobody else heard about it.
    const staff = await t.login(PHONES.staff);
    expect((await inbox(t, staff.userId)).filter((n) => n.kind === 'product.low_stock')).toEqual([]);
  });
});

describe('the seeded demo market', () => {
  const OWNERS = ['13800000002', '13800000006', '13800000007', '13800000008', '13800000009'];

  it('has five verified shops with their own owners and about sixty products', async () => {
    expect(DEMO_MERCHANTS.map((m) => m.ownerPhone).sort()).toEqual(OWNERS);
    const listed = await directory(`?communityId=${demo}`);
    let total = 0;
    for (const phone of OWNERS) {
      const owner = await t.login(phone);
      const profile = await t.call({ method: 'GET', url: '/v1/merchant/profile', headers: bearer(owner) });
      expect(profile.status, phone).toBe(200);
      expect(profile.body).toMatchObject({ status: 'open', communityIds: [demo] });
      expect(ids(listed)).toContain(profile.body.id);

      const seed = DEMO_MERCHANTS.find((m) => m.ownerPhone === phone)!;
      expect(profile.body.name).toBe(seed.name);
      const { items } = await catalog(`merchantId=${profile.body.id}`, 25);
      const onShelf = seed.products.filter((p) => p.onShelf !== false).map((p) => p.name);
      expect(items.map((p) => p.name).sort()).toEqual([...onShelf].sort());
      // Real-looking goods: Chinese names, prices in whole fen, stock on hand.
      for (const p of items) {
        expect(p.name).toMatch(/[\u4e00-\u9fff]/);
        expect(p.priceFen).toBeGreaterThan(0);
      }
      const own = await t.call({ method: 'GET', url: '/v1/merchant/products', headers: bearer(owner) });
      expect(own.body.items).toHaveLength(seed.products.length);
      total += seed.products.length;
    }
    expect(total).toBeGreaterThanOrEqual(50);
    expect(total).toBeLessThanOrEqual(70);

    // The produce shop takes orders around the clock (the end-to-end tests rely on it).
    const produce = listed.find((m) => m.name === '菜宅送');
    expect(produce).toMatchObject({ category: 'produce', status: 'open', openNow: true });
    // The courier is no merchant.
    const courier = await t.login('13800000003');
    expect(
      (await t.call({ method: 'GET', url: '/v1/merchant/orders', headers: bearer(courier) })).status,
    ).toBe(403);
  });
});
