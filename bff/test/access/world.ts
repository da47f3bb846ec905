import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { Job } from 'bullmq';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { addDays, api, localClock, localMonth, zonedInstant } from 'shared';
import { expect } from 'vitest';
import {
  auditLog,
  careBookings,
  careCategories,
  caregiverCompounds,
  caregiverHours,
  caregivers,
  caregiverTimeOff,
  careIncidents,
  careItems,
  careProviders,
  careReminders,
  careVisitPhotos,
  careVisits,
  communities,
  compartmentAssignments,
  compartments,
  courierCommunities,
  deliveryBatches,
  deliveryWindows,
  elderAccessLog,
  elderProfiles,
  lockerBanks,
  lockerPickups,
  memberships,
  merchants,
  notifications,
  orderEvents,
  orders,
  outbox,
  payments,
  products,
  proxyLinks,
  refunds,
  staffCommunities,
  uploads,
  userRoles,
  users,
  voucherBalances,
  voucherLedger,
} from '../../src/db/schema';
import { grantMonthly } from '../../src/modules/care/vouchers';
import { buildBatchInline } from '../../src/modules/lockers/batches';
import { lockerJobs } from '../fixtures/jobs';
import { acceptedLockerOrder, lockerOrder, produceShop, residentLocker } from '../fixtures/lockers';
import { makeShop, orderBody, payOrder, placeOrder, stockOf } from '../fixtures/market';
import { bearer, demoCommunityId, demoHouseholds, freshPhone, makeStaff, PHONES } from '../fixtures/people';
import { uploadPhotos } from '../fixtures/uploads';
import type { TestApp } from '../helper';
import { fillPath } from './param-routes';

export type Who = { authorization: string; userId: string };

/** The seeded courier: drives the demo community's runs. */
export const COURIER_PHONE = '13800000003';
/** A well-formed id nothing has: the answer for it is the answer for "not yours". */
export const GHOST = '0190a0b0-0000-7000-8000-000000000000';
const TZ = 'Asia/Shanghai';

export type World = Awaited<ReturnType<typeof makeWorld>>;
/** One factory per resource kind a path parameter can name. */
export type Makers = World['make'];
export type Kind = keyof Makers;
export type SubjectOf<K extends Kind> = Awaited<ReturnType<Makers[K]>>;

/**
 * The people of the access tests and one factory per resource kind. Every factory makes a real
 * instance (through the API where one exists, as its owner would) and returns its id, its owner
 * (the person entitled to it) and `state()`: everything a refused request could have changed.
 */
export async function makeWorld(t: TestApp) {
  const db = t.deps.db;
  const login = (phone: string) => t.login(phone);

  const communityId = await demoCommunityId(t);
  const [elsewhere] = await db
    .insert(communities)
    .values({ name: '别处社区', city: '成都市' })
    .returning({ id: communities.id });
  const withRole = async (role: 'merchant' | 'courier', communityOfCourier?: string) => {
    const who = await login(freshPhone());
    await db.insert(userRoles).values({ userId: who.userId, role });
    if (communityOfCourier)
      await db.insert(courierCommunities).values({ userId: who.userId, communityId: communityOfCourier });
    return who;
  };

  const shop = await makeShop(t, { products: [{ priceFen: 800, stock: 50 }] });
  const people = {
    /** Runs the demo community. */
    staff: await login(PHONES.staff),
    /** Holds the staff role, runs no community at all. */
    strayStaff: await makeStaff(t, { runsDemo: false }),
    /** The seeded locker resident (approved household with a locker bank in the compound). */
    resident: await login(PHONES.resident),
    /** A neighbour in the same compound: a resident, just not the owner. */
    otherResident: await login(PHONES.otherResident),
    /** Owns the seeded produce shop the locker orders come from. */
    seededMerchant: await login(PHONES.merchant),
    /** The owner of `shop`, the market shop of the order cases. */
    shopOwner: shop.owner,
    /** Owns another shop of their own. */
    otherMerchant: (await makeShop(t)).owner,
    /** Holds the merchant role but has no shop at all. */
    shopless: await withRole('merchant'),
    /** Drives the demo community's runs. */
    courier: await login(COURIER_PHONE),
    /** Drives another community's runs only. */
    otherCourier: await withRole('courier', elsewhere!.id),
    /** Holds the courier role but drives for no community. */
    idleCourier: await withRole('courier'),
    /** Signed up a moment ago: no role, no household, no link. */
    newcomer: await login(freshPhone()),
    elder: await login(PHONES.elder),
    /** Holds a granted link to `elder`, and to nobody else. */
    familyProxy: await login(PHONES.familyProxy),
  };

  const { compoundId, bankId } = await residentLocker(t, people.resident);
  const produce = await produceShop(t);
  const tomatoId = produce.ambient.find((p) => p.name === '沙瓤西红柿')!.id;

  const auditOf = (subjectId: string) => db.select().from(auditLog).where(eq(auditLog.subjectId, subjectId));

  // ---- the market --------------------------------------------------------------------------------

  type Stage = 'created' | 'paid' | 'accepted' | 'packed' | 'refund_requested';

  /** Everything a foreign request could have changed about a market order. */
  async function orderState(orderId: string) {
    return {
      order: (await db.select().from(orders).where(eq(orders.id, orderId)))[0],
      events: await db
        .select()
        .from(orderEvents)
        .where(eq(orderEvents.orderId, orderId))
        .orderBy(asc(orderEvents.createdAt)),
      stock: await stockOf(t, shop.products[0]!.id),
      payments: await db.select().from(payments).where(eq(payments.subjectId, orderId)),
      refunds: await db.select().from(refunds).where(eq(refunds.orderId, orderId)),
      audit: await auditOf(orderId),
    };
  }

  /** A new customer's order at `shop`, driven as far as `stage` by the customer and the shop. */
  async function order(stage: Stage) {
    const customer = await login(freshPhone());
    const placed = await placeOrder(t, customer, orderBody(shop, [2]));
    expect(placed.status).toBe(201);
    const id = placed.body.id as string;
    const out = {
      id,
      owner: customer,
      customer,
      merchant: shop.owner,
      paymentId: undefined as string | undefined,
      refundId: undefined as string | undefined,
      state: () => orderState(id),
    };
    if (stage === 'created') return out;
    const { paymentId, confirm } = await payOrder(t, customer, id);
    expect(confirm.status).toBe(200);
    out.paymentId = paymentId;
    if (stage === 'paid') return out;
    const asMerchant = (verb: string) =>
      t.call({
        method: 'POST',
        url: `/v1/merchant/orders/${id}/${verb}`,
        headers: bearer(shop.owner),
        payload: {},
      });
    expect((await asMerchant('accept')).status).toBe(200);
    if (stage === 'packed') expect((await asMerchant('pack')).status).toBe(200);
    if (stage === 'refund_requested') {
      const asked = await t.call({
        method: 'POST',
        url: `/v1/orders/${id}/refund-request`,
        headers: bearer(customer),
        payload: { reason: '菜叶发黄' },
      });
      expect(asked.status).toBe(200);
      out.refundId = asked.body.refund.id;
    }
    return out;
  }

  /** A pending (devpay) payment of a new customer's order. */
  async function payment() {
    const o = await order('created');
    const pay = await t.call({
      method: 'POST',
      url: `/v1/orders/${o.id}/pay`,
      headers: bearer(o.customer),
      payload: {},
    });
    expect(pay.status).toBe(200);
    const id = pay.body.paymentId as string;
    return {
      ...o,
      id,
      orderId: o.id,
      state: async () => ({ ...(await o.state()), audit: await auditOf(id) }),
    };
  }

  /** A refund the customer asked for: the shop decides it. */
  async function refund() {
    const o = await order('refund_requested');
    const id = o.refundId!;
    return {
      ...o,
      id,
      orderId: o.id,
      owner: shop.owner,
      state: async () => ({ ...(await o.state()), refundAudit: await auditOf(id) }),
    };
  }

  /** A product of a shop of its own (so nothing else shares its stock). */
  async function product() {
    const own = await makeShop(t, { products: [{ priceFen: 600, stock: 20 }] });
    const id = own.products[0]!.id;
    return {
      id,
      owner: own.owner,
      state: async () => ({
        product: (await db.select().from(products).where(eq(products.id, id)))[0],
        audit: await auditOf(id),
      }),
    };
  }

  /** A shop that applied through the API and waits for the demo community's staff to verify it. */
  async function pendingShop() {
    const owner = await login(freshPhone());
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
        communityIds: [communityId],
        delivery: { shopPickup: true, home: null, locker: false },
      },
    });
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('pending');
    const id = res.body.id as string;
    return {
      id,
      owner,
      state: async () => ({
        shop: (await db.select().from(merchants).where(eq(merchants.id, id)))[0],
        ownerRoles: await db.select().from(userRoles).where(eq(userRoles.userId, owner.userId)),
        audit: await auditOf(id),
      }),
    };
  }

  // ---- people and links ------------------------------------------------------------------------

  /** A new user's request to join a demo household: the demo community's staff review it. */
  async function membership() {
    const applicant = await login(freshPhone());
    const households = await demoHouseholds(t, applicant);
    const res = await t.call({
      method: 'POST',
      url: '/v1/memberships',
      headers: bearer(applicant),
      payload: { householdId: households[7] },
    });
    expect(res.status).toBe(201);
    const id = res.body.id as string;
    return {
      id,
      owner: people.staff,
      applicant,
      state: async () => ({
        membership: (await db.select().from(memberships).where(eq(memberships.id, id)))[0],
        inbox: await db.select().from(notifications).where(eq(notifications.userId, applicant.userId)),
        audit: await auditOf(id),
      }),
    };
  }

  /** A new family member asked to act for the seeded elder; the elder has not answered. */
  async function proxyLink() {
    const proxy = await login(freshPhone());
    const res = await t.call({
      method: 'POST',
      url: '/v1/proxy-links',
      headers: bearer(proxy),
      payload: { elderPhone: PHONES.elder, relationship: '孙女' },
    });
    expect(res.status).toBe(201);
    expect(res.body.consentStatus).toBe('pending');
    const id = res.body.id as string;
    return {
      id,
      owner: proxy,
      proxy,
      elder: people.elder,
      state: async () => ({
        link: (await db.select().from(proxyLinks).where(eq(proxyLinks.id, id)))[0],
        audit: await auditOf(id),
      }),
    };
  }

  /** A 4×3 PNG: what a phone's picker might hand over, re-encoded by the BFF on arrival. */
  const PNG = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAQAAAADCAIAAAA7ljmRAAAACXBIWXMAAAPoAAAD6AG1e1JrAAAAEElEQVQImWMwXlUORww4OQAzzg/xUTK2PQAAAABJRU5ErkJggg==',
    'base64',
  );
  const stored = (key: string) =>
    access(join(t.deps.config.UPLOAD_DIR, key)).then(
      () => true,
      () => false,
    );

  /** A new user's refund photo, uploaded through the API and not attached to anything yet. */
  async function upload() {
    const owner = await login(freshPhone());
    const boundary = 'linli-access-test';
    const res = await t.call({
      method: 'POST',
      url: '/v1/uploads?purpose=refund',
      headers: { ...bearer(owner), 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="photo.png"\r\n` +
            'Content-Type: image/png\r\n\r\n',
        ),
        PNG,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const made = res.body.items[0] as { id: string; url: string; visibility: string };
    expect(made.visibility).toBe('private');
    const id = made.id;
    return {
      id,
      owner,
      /** The signed URL handed to the owner: the only way to the bytes of a private upload. */
      url: made.url,
      state: async () => {
        const [row] = await db.select().from(uploads).where(eq(uploads.id, id));
        return {
          upload: row,
          files: row ? [await stored(row.imageKey), await stored(row.thumbKey)] : [],
          audit: await auditOf(id),
        };
      },
    };
  }

  /** The demo community's directory entry (public by design). */
  async function community() {
    return { id: communityId, owner: people.resident, state: async () => null };
  }

  // ---- lockers ---------------------------------------------------------------------------------

  let windowDay = 30;
  /** A delivery window of the test's own, far from the seeded ones. */
  async function newWindow() {
    const day = addDays(localClock(new Date(), TZ).date, windowDay++);
    const [w] = await db
      .insert(deliveryWindows)
      .values({
        communityId,
        cutoffAt: zonedInstant(day, '03:00', TZ),
        deliverAt: zonedInstant(day, '07:00', TZ),
      })
      .returning();
    return w!;
  }

  type LockerStage = 'ready' | 'in_progress' | 'in_locker' | 'overdue';
  const STAGES: LockerStage[] = ['ready', 'in_progress', 'in_locker', 'overdue'];

  /** One locker order of the resident, its batch built and driven by the courier as far as `stage`. */
  async function lockerAt(stage: LockerStage, withOrder = true) {
    const w = await newWindow();
    const orderId = withOrder
      ? await acceptedLockerOrder(
          t,
          people.resident,
          people.seededMerchant,
          lockerOrder(produce.id, [tomatoId], w.id, bankId, 4),
        )
      : null;
    const batchId = (await buildBatchInline(t.deps, w.id))!;
    const url = `/v1/courier/batches/${batchId}`;
    const courier = bearer(people.courier);
    const m = await t.call({ method: 'GET', url, headers: courier });
    const drops = (m.body.dropList[0]?.drops ?? []) as { orderId: string; compartmentId: string }[];
    const reached = STAGES.indexOf(stage);
    if (reached >= 1)
      expect(
        (await t.call({ method: 'POST', url: `${url}/start`, headers: courier, payload: {} })).status,
      ).toBe(200);
    if (reached >= 2)
      for (const d of drops)
        expect(
          (await t.call({ method: 'POST', url: `${url}/drops`, headers: courier, payload: d })).status,
        ).toBe(200);
    if (reached >= 3) {
      const view = await t.call({
        method: 'GET',
        url: `/v1/orders/${orderId}`,
        headers: bearer(people.resident),
      });
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
    const [o] = await db.select().from(orders).where(eq(orders.id, orderId));
    const [b] = await db.select().from(deliveryBatches).where(eq(deliveryBatches.id, batchId));
    const held = await db
      .select({
        compartmentId: compartmentAssignments.compartmentId,
        status: compartmentAssignments.status,
        state: compartments.state,
      })
      .from(compartmentAssignments)
      .innerJoin(compartments, eq(compartments.id, compartmentAssignments.compartmentId))
      .where(eq(compartmentAssignments.orderId, orderId))
      .orderBy(asc(compartmentAssignments.createdAt));
    const pickup = await db.select().from(lockerPickups).where(eq(lockerPickups.orderId, orderId));
    return { order: o?.status, orderRow: o, batch: b, held, pickup, audit: await auditOf(orderId) };
  }

  /**
   * A delivery batch of the demo community, driven by its courier: `ready` (built), `in_progress`
   * (started, nothing dropped yet), or `retrieval` (a started run with nothing to drop, while an
   * earlier order of the resident sits overdue in the locker for it to take back).
   */
  async function batch(stage: 'ready' | 'in_progress' | 'retrieval') {
    if (stage === 'retrieval') {
      const overdue = await lockerAt('overdue');
      const run = await lockerAt('in_progress', false);
      return {
        id: run.batchId,
        owner: people.courier,
        orderId: overdue.orderId,
        drops: run.drops,
        // The overdue order with the batch that brought it, and the run that is to take it back.
        state: async () => ({
          ...(await lockerState(overdue.orderId, overdue.batchId)),
          run: (await db.select().from(deliveryBatches).where(eq(deliveryBatches.id, run.batchId)))[0],
        }),
      };
    }
    const at = await lockerAt(stage);
    return {
      id: at.batchId,
      owner: people.courier,
      orderId: at.orderId,
      drops: at.drops,
      state: () => lockerState(at.orderId, at.batchId),
    };
  }

  /** The resident's locker order, dropped into the compound's bank (and, for `overdue`, left too long). */
  async function lockedOrder(stage: 'in_locker' | 'overdue') {
    const at = await lockerAt(stage);
    return {
      id: at.orderId,
      owner: people.resident,
      bankId,
      batchId: at.batchId,
      state: () => lockerState(at.orderId, at.batchId),
    };
  }

  const bankState = async (id: string) => ({
    bank: (await db.select().from(lockerBanks).where(eq(lockerBanks.id, id)))[0],
    compartments: await db
      .select()
      .from(compartments)
      .where(eq(compartments.bankId, id))
      .orderBy(asc(compartments.label)),
    audit: await auditOf(id),
  });

  let bankSeq = 0;
  /** A new bank in the resident's compound, made through the API by the demo community's staff. */
  async function lockerBank() {
    const res = await t.call({
      method: 'POST',
      url: '/v1/staff/locker-banks',
      headers: bearer(people.staff),
      payload: {
        compoundId,
        name: `权限测试柜${++bankSeq}`,
        location: '东门',
        compartments: [{ zone: 'ambient', size: 'M', count: 2 }],
      },
    });
    expect(res.status).toBe(201);
    const bank = res.body.bank as { id: string; compartments: { id: string }[] };
    return {
      id: bank.id,
      owner: people.staff,
      compartmentIds: bank.compartments.map((c) => c.id),
      state: () => bankState(bank.id),
    };
  }

  async function compartment() {
    const bank = await lockerBank();
    const id = bank.compartmentIds[0]!;
    return {
      id,
      owner: people.staff,
      bankId: bank.id,
      state: async () => ({ ...(await bankState(bank.id)), audit: await auditOf(id) }),
    };
  }

  /** An open window of the demo community with one accepted locker order waiting for its cut-off. */
  async function deliveryWindow() {
    const w = await newWindow();
    const orderId = await acceptedLockerOrder(
      t,
      people.resident,
      people.seededMerchant,
      lockerOrder(produce.id, [tomatoId], w.id, bankId, 4),
    );
    const state = async () => ({
      window: (await db.select().from(deliveryWindows).where(eq(deliveryWindows.id, w.id)))[0],
      batches: await db.select().from(deliveryBatches).where(eq(deliveryBatches.windowId, w.id)),
      order: (await db.select().from(orders).where(eq(orders.id, orderId)))[0],
      audit: await auditOf(w.id),
    });
    return { id: w.id, owner: people.staff, orderId, state };
  }

  /** The signed-in person's roles, read as the auth hook reads them: on every request. */
  async function rolesOf(userId: string) {
    const rows = await db
      .select({ role: userRoles.role })
      .from(userRoles)
      .where(eq(userRoles.userId, userId));
    return rows.map((r) => r.role as string);
  }

  return {
    t,
    people,
    shop,
    communityId,
    bankId,
    rolesOf,
    make: {
      membership,
      proxyLink,
      pendingShop,
      order,
      payment,
      refund,
      product,
      community,
      upload,
      batch,
      lockedOrder,
      lockerBank,
      compartment,
      deliveryWindow,
    },
  };
}
