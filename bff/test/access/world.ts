import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { Job } from 'bullmq';
import { asc, eq, inArray, sql } from 'drizzle-orm';
import { addDays, api, localClock, localMonth, zonedInstant } from 'shared';
import { expect } from 'vitest';
import {
  activitySignups,
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
  compounds,
  courierCommunities,
  deliveryBatches,
  deliveryWindows,
  elderAccessLog,
  elderProfiles,
  emergencyCalls,
  emergencyEvents,
  emergencyTeamMembers,
  emergencyTeams,
  helpTasks,
  lockerBanks,
  lockerPickups,
  memberships,
  merchants,
  notifications,
  orderEvents,
  orders,
  outbox,
  paymentRefunds,
  payments,
  products,
  proxyLinks,
  refunds,
  staffCommunities,
  taskOffers,
  teamActivations,
  timeBankAccounts,
  timeBankLedger,
  uploads,
  userRoles,
  users,
  volunteerActivities,
  volunteers,
  voucherBalances,
  voucherLedger,
} from '../../src/db/schema';
import { grantMonthly } from '../../src/modules/care/vouchers';
import { buildBatchInline } from '../../src/modules/lockers/batches';
import { startRefund } from '../../src/modules/payments';
import { lockerJobs } from '../fixtures/jobs';
import { acceptedLockerOrder, lockerOrder, produceShop, residentLocker } from '../fixtures/lockers';
import { makeShop, orderBody, payOrder, placeOrder, stockOf } from '../fixtures/market';
import { bearer, demoCommunityId, demoHouseholds, freshPhone, makeStaff, PHONES } from '../fixtures/people';
import { uploadPhotos } from '../fixtures/uploads';
import type { TestApp } from '../helper';
import { fillPath } from './param-routes';
import { communityMakers } from './world-community';
import { neighborMakers } from './world-neighbors';
import { requestMakers } from './world-requests';

export type Who = { authorization: string; userId: string };

/**
 * The world as the makers in the per-domain files (world-<domain>.ts) see it: the test app, the
 * people above, the demo community and 别处社区, the shop, and the call helpers.
 */
export interface WorldBase<P extends Record<string, Who> = Record<string, Who>> {
  t: TestApp;
  db: TestApp['deps']['db'];
  people: P;
  communityId: string;
  elsewhereCommunityId: string;
  shop: Awaited<ReturnType<typeof makeShop>>;
  send: (
    who: Who,
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    payload?: object,
    elderId?: string,
  ) => ReturnType<TestApp['call']>;
  // biome-ignore lint/suspicious/noExplicitAny: a factory step's answer, read structurally like any response
  done: (res: { status: number; body: any }, status?: number) => any;
  login: (phone: string) => Promise<Who>;
}

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

  type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** A call as `who` (for `elderId` when acting as their family proxy). */
  const send = (who: Who, method: Method, url: string, payload?: object, elderId?: string) =>
    t.call({
      method,
      url,
      headers: { ...bearer(who), ...(elderId ? { 'x-on-behalf-of': elderId } : {}) },
      ...(payload ? { payload: payload as Record<string, unknown> } : {}),
    });
  // biome-ignore lint/suspicious/noExplicitAny: a factory step's answer, read structurally like any response
  const done = (res: { status: number; body: any }, status = 200) => {
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    return res.body;
  };
  let careSeq = 0;
  const careCode = () => `access_${process.pid % 10_000}_${++careSeq}`;
  /** Where the visits are clocked in and out (the position matters not here, only who may). */
  const HERE = { lat: 30.652, lng: 104.06 };
  const DAY_MS = 24 * 3600 * 1000;
  /** Round the clock, all week: the test caregiver has a free slot whenever a case needs one. */
  const ALL_WEEK = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '24:00' }));

  const shop = await makeShop(t, { products: [{ priceFen: 800, stock: 50 }] });
  const staff = await login(PHONES.staff);
  const [elsewhereCompound] = await db
    .insert(compounds)
    .values({ communityId: elsewhere!.id, name: '别处小区', lat: 30.7, lng: 104.1 })
    .returning({ id: compounds.id });
  const [demoCompound] = await db
    .select({ id: compounds.id })
    .from(compounds)
    .where(eq(compounds.communityId, communityId));
  /** A verified volunteer with every skill, at home in a compound of `community` (a fresh person each). */
  const makeVolunteer = async (where: 'demo' | 'elsewhere') => {
    const who = await login(freshPhone());
    await db.insert(volunteers).values({
      userId: who.userId,
      communityId: where === 'demo' ? communityId : elsewhere!.id,
      compoundId: where === 'demo' ? demoCompound!.id : elsewhereCompound!.id,
      realName: '权限志愿者',
      idTail: '0000',
      skills: ['errands', 'company', 'phone_teaching', 'cleaning', 'escort', 'locker_run', 'visit'],
      availability: [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, startMin: 0, endMin: 1440 })),
      weeklyCapMin: 4200,
      status: 'verified',
    });
    await db.insert(userRoles).values({ userId: who.userId, role: 'volunteer' });
    return who;
  };
  const cast = await careCast(staff);
  const people = {
    /** Runs the demo community. */
    staff,
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
    /** Runs a community of its own (别处社区), not the demo one. */
    elsewhereStaff: await (async () => {
      const who = await makeStaff(t, { runsDemo: false });
      await db.insert(staffCommunities).values({ userId: who.userId, communityId: elsewhere!.id });
      return who;
    })(),
    /** Owns the verified care provider of the care cases, whose caregivers are `caregiver` and `colleague`. */
    providerOwner: cast.providerOwner,
    /** The provider's caregiver every care booking here is assigned to. */
    caregiver: cast.caregiver,
    /** A caregiver of the same provider, assigned none of the bookings here. */
    colleague: cast.colleague,
    /** Owns another verified care provider of the demo community. */
    otherProvider: cast.otherProvider,
    /** A caregiver of that other provider. */
    otherCaregiver: cast.otherCaregiver,
    /** The verified volunteer of the demo community who takes the help tasks here. */
    volunteer: await makeVolunteer('demo'),
    /** Another verified volunteer of the demo community (may see the board, holds none of these tasks). */
    otherVolunteer: await makeVolunteer('demo'),
    /** A verified volunteer of 别处社区. */
    elsewhereVolunteer: await makeVolunteer('elsewhere'),
  };
  const care = cast.care;

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

  /**
   * A refund the provider refused (NOT_ENOUGH, for good): the customer cancelled a paid order, the
   * refund was recorded, and the provider's failure is written as the refund job would. Staff of
   * the community the shop serves retry it.
   */
  async function failedPaymentRefund() {
    const o = await order('paid');
    const cancelled = await t.call({
      method: 'POST',
      url: `/v1/orders/${o.id}/cancel`,
      headers: bearer(o.customer),
      payload: {},
    });
    expect(cancelled.status).toBe(200);
    // What the cancel's after-commit hook does (it is not run here), then the provider's refusal.
    await db.transaction((tx) => startRefund(tx, 'order', o.id));
    const [r] = await db
      .update(paymentRefunds)
      .set({ status: 'failed', lastError: 'NOT_ENOUGH', attempts: 1 })
      .where(eq(paymentRefunds.paymentId, o.paymentId!))
      .returning();
    const id = r!.id;
    return {
      ...o,
      id,
      orderId: o.id,
      owner: people.staff,
      state: async () => ({
        refund: (await db.select().from(paymentRefunds).where(eq(paymentRefunds.id, id)))[0],
        audit: await auditOf(id),
      }),
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

  /**
   * The resident's locker order, dropped into the compound's bank (and, for `overdue`, left too
   * long; `overdue_free` is one whose extension costs nothing, so extending needs no payment).
   */
  async function lockedOrder(stage: 'in_locker' | 'overdue' | 'overdue_free') {
    const at = await lockerAt(stage === 'overdue_free' ? 'overdue' : stage);
    if (stage === 'overdue_free')
      await db.update(lockerPickups).set({ extensionFeeFen: 0 }).where(eq(lockerPickups.orderId, at.orderId));
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

  // ---- elder care --------------------------------------------------------------------------------

  async function applyProvider(owner: Who, name: string): Promise<string> {
    const applied = await send(owner, 'POST', api.applyCareProvider.path, {
      communityId,
      name,
      licenseNo: `川民养证字${careCode()}`,
      contactPhone: '13912345678',
      description: '',
      servesMeals: false,
    });
    expect(done(applied, 201).status).toBe('pending');
    return applied.body.id;
  }

  /** A new person added by a provider's owner as its caregiver, then signed in. */
  async function hireCaregiver(
    owner: Who,
    body: { name: string; certifications: string[]; compoundIds: string[] },
  ) {
    const phone = freshPhone();
    const made = done(
      await send(owner, 'POST', api.addCaregiver.path, { ...body, phone, hours: ALL_WEEK }),
      201,
    );
    const who = await login(phone);
    expect(who.userId).toBe(made.userId);
    return { id: made.id as string, who };
  }

  async function createItem(staffMember: Who, categoryId: string, needsConfirmation: boolean) {
    const made = done(
      await send(staffMember, 'POST', api.createCareItem.path, {
        categoryId,
        code: careCode(),
        name: needsConfirmation ? '陪同就医（需确认）' : '陪同出行',
        durationMin: 30,
        priceFen: 6000,
        performer: 'caregiver',
        // No seeded caregiver holds this certification: only the test caregiver qualifies, so
        // every booking of these items lands on them, whatever the round robin would pick.
        certification: 'driving',
        subsidised: true,
        voucherPercent: 50,
        needsConfirmation,
        bufferBeforeMin: 0,
        bufferAfterMin: 0,
        minNoticeMin: 0,
        dailyCap: 50,
        checklist: ['测量血压', '陪同出行'],
      }),
      201,
    );
    return made.id as string;
  }

  /**
   * The care cast, made through the API as each of them would: two providers applied and verified
   * by the demo community's staff, their caregivers added by their owners (serving every compound
   * of the community, round the clock), and the two items the bookings here are of.
   */
  async function careCast(staffMember: Who) {
    const tree = done(await send(staffMember, 'GET', fillPath(api.community.path, communityId)));
    const compoundIds: string[] = tree.compounds.map((c: { id: string }) => c.id);
    const provider = async (name: string) => {
      const owner = await login(freshPhone());
      const id = await applyProvider(owner, name);
      done(await send(staffMember, 'POST', fillPath(api.verifyCareProvider.path, id), {}));
      return { id, owner };
    };
    const mine = await provider('权限测试护理站');
    const theirs = await provider('别家护理站');
    const caregiver = await hireCaregiver(mine.owner, {
      name: '权限护理员',
      certifications: ['driving', 'caregiver'],
      compoundIds,
    });
    const colleague = await hireCaregiver(mine.owner, {
      name: '同事护理员',
      certifications: ['caregiver'],
      compoundIds,
    });
    const otherCaregiver = await hireCaregiver(theirs.owner, {
      name: '别家护理员',
      certifications: ['caregiver', 'bathing'],
      compoundIds,
    });
    const catalog = done(await send(staffMember, 'GET', api.staffCareCatalog.path));
    const categoryId: string = catalog.categories[0].id;
    // The care elders all live in one household of their own: one compound, so no travel time
    // between their visits, and no seeded resident shares it.
    const householdId = (await demoHouseholds(t, staffMember))[13]!;
    return {
      providerOwner: mine.owner,
      caregiver: caregiver.who,
      colleague: colleague.who,
      otherProvider: theirs.owner,
      otherCaregiver: otherCaregiver.who,
      care: {
        caregiverId: caregiver.id,
        compoundIds,
        categoryId,
        householdId,
        itemId: await createItem(staffMember, categoryId, false),
        confirmItemId: await createItem(staffMember, categoryId, true),
      },
    };
  }

  let elderSeq = 0;
  /**
   * A new elder as the programme knows them: born 1940 (no route records a birth date, it comes
   * with the resident register, so it is written here), a verified member of the care household
   * (applied for and approved through the API), a family member the elder consented to, this
   * month's vouchers (granted as the monthly job grants them) and a profile the family filled in.
   */
  async function careElder() {
    const phone = freshPhone();
    const elder = await login(phone);
    await db
      .update(users)
      .set({ name: `权限长者${++elderSeq}`, birthDate: '1940-06-01' })
      .where(eq(users.id, elder.userId));
    const applied = done(
      await send(elder, 'POST', '/v1/memberships', { householdId: care.householdId }),
      201,
    );
    done(await send(people.staff, 'POST', fillPath(api.approveMembership.path, applied.id), {}));
    const family = await login(freshPhone());
    const link = done(
      await send(family, 'POST', '/v1/proxy-links', { elderPhone: phone, relationship: '女儿' }),
      201,
    );
    done(await send(elder, 'POST', fillPath(api.consentProxyLink.path, link.id), {}));
    await grantMonthly(db, elder.userId, localMonth(t.clock.now(), TZ), 20_000);
    done(await send(family, 'PATCH', '/v1/care/profile', { healthNotes: '糖尿病，注意血糖' }, elder.userId));
    return { ...elder, phone, family };
  }
  type CareElder = Awaited<ReturnType<typeof careElder>>;

  const accessLogOf = (elderId: string) =>
    db
      .select()
      .from(elderAccessLog)
      .where(eq(elderAccessLog.elderId, elderId))
      .orderBy(asc(elderAccessLog.id));

  /** Everything a foreign call could have changed about a care booking: its visit and all around it. */
  async function bookingState(id: string, elder: CareElder) {
    const [booking] = await db.select().from(careBookings).where(eq(careBookings.id, id));
    const watchers = [
      elder.userId,
      elder.family.userId,
      people.providerOwner.userId,
      people.caregiver.userId,
    ];
    return {
      booking,
      visit: (await db.select().from(careVisits).where(eq(careVisits.bookingId, id)))[0],
      photos: await db
        .select()
        .from(careVisitPhotos)
        .where(eq(careVisitPhotos.bookingId, id))
        .orderBy(asc(careVisitPhotos.uploadId)),
      incidents: await db
        .select()
        .from(careIncidents)
        .where(eq(careIncidents.bookingId, id))
        .orderBy(asc(careIncidents.id)),
      reminders: await db
        .select()
        .from(careReminders)
        .where(eq(careReminders.bookingId, id))
        .orderBy(asc(careReminders.kind)),
      jobs: await db
        .select({ id: outbox.id, job: outbox.jobName, payload: outbox.payload })
        .from(outbox)
        .where(sql`${outbox.payload}->>'bookingId' = ${id}`)
        .orderBy(asc(outbox.id)),
      payments: await db.select().from(payments).where(eq(payments.subjectId, id)).orderBy(asc(payments.id)),
      voucher: {
        balance: (
          await db.select().from(voucherBalances).where(eq(voucherBalances.elderId, elder.userId))
        )[0],
        ledger: await db
          .select()
          .from(voucherLedger)
          .where(eq(voucherLedger.elderId, elder.userId))
          .orderBy(asc(voucherLedger.id)),
      },
      accessLog: await accessLogOf(elder.userId),
      caregiver: booking
        ? (await db.select().from(caregivers).where(eq(caregivers.id, booking.caregiverId)))[0]
        : undefined,
      inbox: await db
        .select()
        .from(notifications)
        .where(inArray(notifications.userId, watchers))
        .orderBy(asc(notifications.id)),
      audit: await auditOf(id),
    };
  }

  /** The open starts of an item for the elder, a little ahead of now (so booking one is never too late). */
  async function openStarts(elder: CareElder, itemId: string): Promise<string[]> {
    const today = localClock(t.clock.now(), TZ).date;
    const list = done(
      await send(
        elder.family,
        'GET',
        `${fillPath(api.careSlots.path, itemId)}?date=${today}&days=2`,
        undefined,
        elder.userId,
      ),
    );
    const soon = t.clock.now().getTime() + 2 * 60_000;
    return (list.items as { startsAt: string }[]).map((s) => s.startsAt).filter((s) => Date.parse(s) > soon);
  }

  type CareStage = 'requested' | 'confirmed' | 'in_service' | 'completed';

  /**
   * A new elder's booking, made through the API by their family member as the elder, assigned to
   * `caregiver`: `requested` (an item that needs the provider's confirmation), `confirmed`, or
   * clocked in (`in_service`) and out (`completed`) by the caregiver through the API. Clock-in
   * opens 15 minutes before the start, so the test clock stands 5 minutes before it while the
   * caregiver clocks in and out, and goes back to the wall clock after.
   */
  async function careBooking(stage: CareStage) {
    const elder = await careElder();
    const itemId = stage === 'requested' ? care.confirmItemId : care.itemId;
    const [startsAt] = await openStarts(elder, itemId);
    expect(startsAt, 'an open slot of the test caregiver').toBeDefined();
    const booked = done(
      await send(elder.family, 'POST', '/v1/care/bookings', { itemId, startsAt, note: '' }, elder.userId),
      201,
    );
    const id = booked.id as string;
    expect(booked.status).toBe(stage === 'requested' ? 'requested' : 'confirmed');
    const [row] = await db.select().from(careBookings).where(eq(careBookings.id, id));
    expect(row!.caregiverId).toBe(care.caregiverId);
    expect(row!.selfPayFen).toBeGreaterThan(0);
    expect(row!.voucherFen).toBeGreaterThan(0);
    if (stage === 'in_service' || stage === 'completed') {
      t.clock.set(new Date(Date.parse(startsAt!) - 5 * 60_000));
      try {
        done(await send(people.caregiver, 'POST', fillPath(api.clockIn.path, id), HERE));
        if (stage === 'completed')
          done(
            await send(people.caregiver, 'POST', fillPath(api.clockOut.path, id), {
              ...HERE,
              summary: '服务顺利',
            }),
          );
      } finally {
        t.clock.set(new Date());
      }
    }
    // Another open start, for a move (the booking's own excluded).
    const nextStart = (await openStarts(elder, itemId)).find((s) => Date.parse(s) !== Date.parse(startsAt!));
    return {
      id,
      owner: elder as Who,
      elder,
      family: elder.family,
      startsAt: startsAt!,
      nextStart: nextStart!,
      state: () => bookingState(id, elder),
    };
  }

  /** A visit in service and a photo its caregiver uploaded for it, not attached yet. */
  async function visitPhoto() {
    const b = await careBooking('in_service');
    const [uploadId] = await uploadPhotos(t, people.caregiver, 1, 'care_visit');
    return {
      ...b,
      uploadId: uploadId!,
      state: async () => ({
        ...(await b.state()),
        upload: (await db.select().from(uploads).where(eq(uploads.id, uploadId!)))[0],
      }),
    };
  }

  /** A new elder of the care household (their profile is what staff may read with a reason). */
  async function elder() {
    const e = await careElder();
    return {
      id: e.userId,
      owner: e as Who,
      family: e.family,
      state: async () => ({
        profile: (await db.select().from(elderProfiles).where(eq(elderProfiles.userId, e.userId)))[0],
        accessLog: await accessLogOf(e.userId),
        audit: await auditOf(e.userId),
      }),
    };
  }

  const caregiverState = async (id: string, userId: string) => ({
    caregiver: (await db.select().from(caregivers).where(eq(caregivers.id, id)))[0],
    hours: await db
      .select()
      .from(caregiverHours)
      .where(eq(caregiverHours.caregiverId, id))
      .orderBy(asc(caregiverHours.weekday), asc(caregiverHours.startMin)),
    compounds: await db
      .select()
      .from(caregiverCompounds)
      .where(eq(caregiverCompounds.caregiverId, id))
      .orderBy(asc(caregiverCompounds.compoundId)),
    timeOff: await db
      .select()
      .from(caregiverTimeOff)
      .where(eq(caregiverTimeOff.caregiverId, id))
      .orderBy(asc(caregiverTimeOff.id)),
    roles: await rolesOf(userId),
    audit: await auditOf(id),
  });

  /** A new caregiver the test provider's owner added (one compound, round the clock). */
  async function providerCaregiver() {
    const c = await hireCaregiver(people.providerOwner, {
      name: '新护理员',
      certifications: ['caregiver'],
      compoundIds: [care.compoundIds[0]!],
    });
    return {
      id: c.id,
      owner: people.providerOwner,
      caregiver: c.who,
      state: () => caregiverState(c.id, c.who.userId),
    };
  }

  /** A stretch of time off the provider's owner set for a new caregiver of theirs. */
  async function timeOff() {
    const c = await providerCaregiver();
    const from = t.clock.now().getTime() + 40 * DAY_MS;
    const made = done(
      await send(people.providerOwner, 'POST', fillPath(api.addTimeOff.path, c.id), {
        startsAt: new Date(from).toISOString(),
        endsAt: new Date(from + 2 * DAY_MS).toISOString(),
        reason: '探亲',
      }),
      201,
    );
    return { ...c, id: made.timeOff[0].id as string, caregiverId: c.id };
  }

  /** A new care provider that applied through the API and waits for the demo community's staff. */
  async function pendingProvider() {
    const owner = await login(freshPhone());
    const id = await applyProvider(owner, '待审核护理站');
    return {
      id,
      owner,
      state: async () => ({
        provider: (await db.select().from(careProviders).where(eq(careProviders.id, id)))[0],
        ownerRoles: await rolesOf(owner.userId),
        inbox: await db
          .select()
          .from(notifications)
          .where(eq(notifications.userId, owner.userId))
          .orderBy(asc(notifications.id)),
        audit: await auditOf(id),
      }),
    };
  }

  /** A new item of the global catalogue, made through the API by the demo community's staff. */
  async function careItem() {
    const id = await createItem(people.staff, care.categoryId, false);
    return {
      id,
      owner: people.staff,
      state: async () => ({
        item: (await db.select().from(careItems).where(eq(careItems.id, id)))[0],
        audit: await auditOf(id),
      }),
    };
  }

  /** A new category of the catalogue (no route makes one: the categories come with the seed). */
  async function careCategory() {
    const [c] = await db
      .insert(careCategories)
      .values({ code: careCode(), name: '权限测试类别', sort: 90 })
      .returning({ id: careCategories.id });
    const id = c!.id;
    return {
      id,
      owner: people.staff,
      state: async () => ({
        category: (await db.select().from(careCategories).where(eq(careCategories.id, id)))[0],
        audit: await auditOf(id),
      }),
    };
  }

  // ---- volunteers -------------------------------------------------------------------------------

  type TaskStage = 'open' | 'accepted' | 'in_progress' | 'done' | 'disputed';

  /** Everything a foreign request could have changed about a help task. */
  async function taskState(id: string, elderId: string) {
    const [task] = await db.select().from(helpTasks).where(eq(helpTasks.id, id));
    return {
      task,
      offers: await db
        .select()
        .from(taskOffers)
        .where(eq(taskOffers.taskId, id))
        .orderBy(asc(taskOffers.volunteerId)),
      ledger: await db
        .select()
        .from(timeBankLedger)
        .where(eq(timeBankLedger.taskId, id))
        .orderBy(asc(timeBankLedger.id)),
      bank: await db
        .select()
        .from(timeBankAccounts)
        .where(eq(timeBankAccounts.userId, people.volunteer.userId)),
      accessLog: await accessLogOf(elderId),
      audit: await auditOf(id),
    };
  }

  /**
   * A new elder's help task, raised through the API by their family member as the elder and driven
   * by `volunteer` (accept, the door code, finish) and the family (dispute) as far as `stage`.
   */
  async function helpTask(stage: TaskStage) {
    const elder = await careElder();
    const now = Date.now();
    const raised = done(
      await send(
        elder.family,
        'POST',
        '/v1/help/tasks',
        {
          skill: 'errands',
          title: '帮忙买菜',
          windowStart: new Date(now + 3600_000).toISOString(),
          windowEnd: new Date(now + 5 * 3600_000).toISOString(),
          durationMin: 60,
        },
        elder.userId,
      ),
      201,
    );
    const id = raised.id as string;
    const code = raised.checkinCode as string;
    const v = people.volunteer;
    if (stage !== 'open') done(await send(v, 'POST', fillPath(api.acceptTask.path, id), {}));
    if (stage === 'in_progress' || stage === 'done' || stage === 'disputed')
      done(await send(v, 'POST', fillPath(api.startTask.path, id), { code }));
    if (stage === 'done' || stage === 'disputed')
      done(await send(v, 'POST', fillPath(api.finishTask.path, id), { minutes: 20, note: '' }));
    if (stage === 'disputed')
      done(
        await send(
          elder.family,
          'POST',
          fillPath(api.disputeTaskHours.path, id),
          { note: '时间不对' },
          elder.userId,
        ),
      );
    return {
      id,
      owner: elder as Who,
      elder,
      family: elder.family,
      code,
      state: () => taskState(id, elder.userId),
    };
  }

  /** A volunteer registration of a new person in the demo community, as far as `stage`. */
  async function volunteerProfile(stage: 'pending' | 'verified' | 'suspended') {
    const who = await login(freshPhone());
    await db.insert(volunteers).values({
      userId: who.userId,
      communityId,
      compoundId: demoCompound!.id,
      realName: '待审志愿者',
      idTail: '1111',
      skills: ['company'],
      status: stage,
      ...(stage === 'suspended' ? { suspendReason: '多次爽约' } : {}),
    });
    if (stage !== 'pending') await db.insert(userRoles).values({ userId: who.userId, role: 'volunteer' });
    return {
      id: who.userId,
      owner: who,
      state: async () => ({
        volunteer: (await db.select().from(volunteers).where(eq(volunteers.userId, who.userId)))[0],
        roles: await rolesOf(who.userId),
        audit: await auditOf(who.userId),
      }),
    };
  }

  /**
   * A live 一键求助 call of a new elder, raised by their family member, and told (as round 0 tells
   * the nearest on duty) to `volunteer`, who may answer it.
   */
  async function emergency() {
    const elder = await careElder();
    const raised = done(
      await send(elder.family, 'POST', '/v1/help/emergency', { testMode: true }, elder.userId),
    );
    const id = raised.id as string;
    const told = await db.select().from(emergencyEvents).where(eq(emergencyEvents.callId, id));
    if (!told.some((e) => e.kind === 'told' && e.userId === people.volunteer.userId))
      await db
        .insert(emergencyEvents)
        .values({ callId: id, kind: 'told', userId: people.volunteer.userId, channel: 'inbox' });
    return {
      id,
      owner: elder as Who,
      elder,
      family: elder.family,
      state: async () => ({
        call: (await db.select().from(emergencyCalls).where(eq(emergencyCalls.id, id)))[0],
        events: await db
          .select()
          .from(emergencyEvents)
          .where(eq(emergencyEvents.callId, id))
          .orderBy(asc(emergencyEvents.id)),
        accessLog: await accessLogOf(elder.userId),
      }),
    };
  }

  type ActivityStage = 'open' | 'signed_up' | 'checked_in';

  /** A staff-posted activity starting in two hours, `volunteer` signed up (and checked in) as far as `stage`. */
  async function activity(stage: ActivityStage) {
    const startsAt = new Date(Date.now() + 2 * 3600_000);
    const made = done(
      await send(people.staff, 'POST', '/v1/staff/activities', {
        title: '权限测试清洁日',
        place: '社区广场',
        startsAt: startsAt.toISOString(),
        endsAt: new Date(startsAt.getTime() + 2 * 3600_000).toISOString(),
        capacity: 5,
        creditMin: 60,
      }),
      201,
    );
    const id = made.id as string;
    const code = made.checkinCode as string;
    if (stage !== 'open')
      done(await send(people.volunteer, 'POST', fillPath(api.signUpActivity.path, id), {}));
    if (stage === 'checked_in') {
      t.clock.set(new Date(startsAt.getTime() - 10 * 60_000));
      try {
        done(await send(people.volunteer, 'POST', fillPath(api.checkInActivity.path, id), { code }));
      } finally {
        t.clock.set(new Date());
      }
    }
    return {
      id,
      owner: people.volunteer,
      code,
      startsAt,
      state: async () => ({
        activity: (await db.select().from(volunteerActivities).where(eq(volunteerActivities.id, id)))[0],
        signups: await db
          .select()
          .from(activitySignups)
          .where(eq(activitySignups.activityId, id))
          .orderBy(asc(activitySignups.seq)),
        ledger: await db.select().from(timeBankLedger).where(eq(timeBankLedger.activityId, id)),
      }),
    };
  }

  /** An emergency team of the demo community with `volunteer` in it. */
  async function team() {
    const made = done(
      await send(people.staff, 'POST', '/v1/staff/emergency-teams', {
        name: '权限应急队',
        volunteerIds: [people.volunteer.userId],
      }),
      201,
    );
    const id = made.id as string;
    return {
      id,
      owner: people.staff,
      state: async () => ({
        team: (await db.select().from(emergencyTeams).where(eq(emergencyTeams.id, id)))[0],
        members: await db.select().from(emergencyTeamMembers).where(eq(emergencyTeamMembers.teamId, id)),
        activations: await db.select().from(teamActivations).where(eq(teamActivations.teamId, id)),
      }),
    };
  }

  /** The signed-in person's roles, read as the auth hook reads them: on every request. */
  async function rolesOf(userId: string) {
    const rows = await db
      .select({ role: userRoles.role })
      .from(userRoles)
      .where(eq(userRoles.userId, userId));
    return rows.map((r) => r.role as string);
  }

  /** What the makers of the later domains (their own files) build on. */
  const base: WorldBase<typeof people> = {
    t,
    db,
    people,
    communityId,
    elsewhereCommunityId: elsewhere!.id,
    shop,
    send,
    done,
    login,
  };

  return {
    t,
    people,
    shop,
    communityId,
    bankId,
    care,
    rolesOf,
    make: {
      membership,
      proxyLink,
      pendingShop,
      order,
      payment,
      refund,
      failedPaymentRefund,
      product,
      community,
      upload,
      batch,
      lockedOrder,
      lockerBank,
      compartment,
      deliveryWindow,
      careItem,
      careCategory,
      careBooking,
      visitPhoto,
      elder,
      providerCaregiver,
      timeOff,
      pendingProvider,
      helpTask,
      volunteerProfile,
      emergency,
      activity,
      team,
      ...(await neighborMakers(base)),
      ...(await communityMakers(base)),
      ...(await requestMakers(base)),
    },
  };
}
