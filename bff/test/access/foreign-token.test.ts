import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { api, PROXY_ROUTES, type RouteBody, type RouteName, type RouteResponse } from 'shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockerBanks } from '../../src/db/schema';
import { signedPickup } from '../fixtures/lockers';
import { bearer, demoHouseholds, freshPhone, inbox, makeStaff, PHONES, TEST_ENV } from '../fixtures/people';
import { setupTestApp, type TestApp } from '../helper';
import { coverageGaps, fillPath, type ParamRoute, pathParams } from './param-routes';
import { GHOST, type Kind, type Makers, makeWorld, type SubjectOf, type Who, type World } from './world';

/**
 * Foreign tokens, generated from the API table: every route whose path names a resource has a case
 * in CASES (the type and the coverage test refuse a route without one). Each case makes a fresh
 * resource with its world factory, calls the route as every foreign role (and the people close to
 * the resource), expects the standard 404, or the role check's 403, the same as for an id that
 * does not exist, finds the resource unchanged, and then proves itself live as the one entitled.
 */
let t: TestApp;
let w: World;
/** The uploads' bytes: a directory of this file's own. */
let uploadDir: string;
beforeAll(async () => {
  uploadDir = await mkdtemp(join(tmpdir(), 'linli-access-'));
  t = await setupTestApp({ ...TEST_ENV, UPLOAD_DIR: uploadDir });
  w = await makeWorld(t);
});
afterAll(async () => {
  await t?.close();
  if (uploadDir) await rm(uploadDir, { recursive: true, force: true });
});

// ---- how a case is written ------------------------------------------------------------------------

/** Someone calling a route: their own token, and for a family proxy the person they act for. */
interface Caller {
  label: string;
  who: Who;
  onBehalfOf?: string;
}
type Gate = 'staff' | 'merchant' | 'courier';
/**
 * The role a route needs, from the API's path convention. Without it the auth hook answers 403
 * before any id is looked up (the same for every id); with it, a resource that is not yours is 404.
 * The cases below prove the convention route by route.
 */
const GATES: [prefix: string, role: Gate][] = [
  ['/v1/staff/', 'staff'],
  ['/v1/merchant/', 'merchant'],
  ['/v1/courier/', 'courier'],
];
const gateOf = (path: string) => GATES.find(([prefix]) => path.startsWith(prefix))?.[1];

/** The route's response as the contract types it (a refusal's body is the error envelope instead). */
type Reply<N extends RouteName> = { status: number; body: RouteResponse<N> };
type Body<N extends RouteName> = [RouteBody<N>] extends [never] ? undefined : RouteBody<N>;
interface Helpers<N extends ParamRoute> {
  w: World;
  /** This case's route, called as `as` for the resource `id` (the path parameter). */
  hit(as: Caller | Who, id: string, body?: Body<N>): Promise<Reply<N>>;
}
type StageOf<K extends Kind> =
  Parameters<Makers[K]> extends [] ? { stage?: never } : { stage: Parameters<Makers[K]>[0] };

type RefusalCase<N extends ParamRoute, K extends Kind> = {
  /** The resource kind the path parameter names: its factory makes a fresh one for the case. */
  of: K;
  /** The path parameter, when it is not the resource's own id (a locker order is opened at its bank). */
  pathId?: (s: SubjectOf<K>) => string;
  /** Who is entitled to this route on the resource, when that is not its owner (the shop, the staff). */
  as?: (s: SubjectOf<K>) => Who;
  body?: (s: SubjectOf<K>) => Body<N>;
  /** People close to the resource yet not entitled to this route on it, on top of the foreign roles. */
  also?: (s: SubjectOf<K>) => Caller[];
  /** Further refused requests and checks of the state they left, before it is compared. */
  refusedToo?: (s: SubjectOf<K>, h: Helpers<N>) => Promise<void>;
  /** What the entitled person gets: 200 unless said (a documented 409 counts as live too). */
  status?: number;
  ok: (
    res: Reply<N>,
    s: SubjectOf<K>,
    h: Helpers<N>,
    before: Awaited<ReturnType<SubjectOf<K>['state']>>,
  ) => unknown;
} & StageOf<K>;

type PublicCase<N extends ParamRoute, K extends Kind> = {
  of: K;
  pathId?: (s: SubjectOf<K>) => string;
  /** Why no user's token is refused here: the route is public by design. */
  publicBecause: string;
  /** People close to the resource, called on top of the foreign roles and the owner. */
  also?: (s: SubjectOf<K>) => Caller[];
  /** Called for every foreign role and the owner: what each of them gets. */
  everyone: (h: Helpers<N>, caller: Caller, s: SubjectOf<K>, id: string) => Promise<void>;
  /** Proves the case live: the route does its work for whoever it is meant for. */
  live: (h: Helpers<N>, s: SubjectOf<K>, id: string) => Promise<void>;
} & StageOf<K>;

type Case<N extends ParamRoute> = { route: N; kind: Kind } & (RefusalCase<N, Kind> | PublicCase<N, Kind>);

function refused<N extends ParamRoute, K extends Kind>(route: N, c: RefusalCase<N, K>): Case<N> {
  return { route, kind: c.of, ...c } as unknown as Case<N>;
}
function open<N extends ParamRoute, K extends Kind>(route: N, c: PublicCase<N, K>): Case<N> {
  return { route, kind: c.of, ...c } as unknown as Case<N>;
}

const NOT_FOUND = { error: { code: 'NOT_FOUND', message: 'Resource not found' } };
const FORBIDDEN = { error: { code: 'FORBIDDEN', message: expect.any(String) } };

function expectNotFound(res: { status: number; body: unknown }, what?: string) {
  expect(res.status, what).toBe(404);
  expect(res.body, what).toEqual(NOT_FOUND);
}

// ---- the cases: one per route of the API table that takes a path parameter ---------------------

const p = () => w.people;
/** Near a resident's own order but not entitled to it. */
const aroundAnOrder = (s: { merchant: Who }): Caller[] => [
  { label: "the order's own shop", who: s.merchant },
  { label: 'staff of the community the shop serves', who: p().staff },
];
/** Near a locker order but not entitled to it. */
const aroundALocker = (): Caller[] => [
  { label: 'the shop that sold the order', who: p().seededMerchant },
  { label: "staff of the compound's community", who: p().staff },
];
const merchantSide = (s: { customer: Who }): Caller[] => [
  { label: 'a merchant with no shop', who: p().shopless },
  { label: 'the customer', who: s.customer },
];

/**
 * Every route whose path names a resource, and the case that proves it answers 404 (or the role
 * check's 403) to the wrong person. Keyed by route name, so a new route with a path parameter is a
 * type error here until it has a case; the coverage test below says the same at run time.
 */

/** A foreign call on a refund left it exactly as it was: requested, no merchant note. */
const refundStillUndecided = async (s: {
  id: string;
  state: () => Promise<{ refunds: { id: string; status: string; merchantNote: string | null }[] }>;
}) =>
  expect(
    (await s.state()).refunds.map(({ id, status, merchantNote }) => ({ id, status, merchantNote })),
  ).toEqual([{ id: s.id, status: 'requested', merchantNote: null }]);

const CASES: { [N in ParamRoute]: Case<N> } = {
  // -- people: memberships and family links
  approveMembership: refused('approveMembership', {
    of: 'membership',
    body: () => ({}),
    also: (s) => [
      { label: 'a resident of the community', who: p().resident },
      { label: 'a merchant of the community', who: p().seededMerchant },
      { label: 'the applicant', who: s.applicant },
    ],
    ok: async (res, s) => {
      expect(res.body.status).toBe('approved');
      expect(await membershipStatus(s.applicant, s.id)).toBe('approved');
    },
  }),
  rejectMembership: refused('rejectMembership', {
    of: 'membership',
    body: () => ({ note: '地址不符' }),
    also: (s) => [
      { label: 'a resident of the community', who: p().resident },
      { label: 'a merchant of the community', who: p().seededMerchant },
      { label: 'the applicant', who: s.applicant },
    ],
    ok: async (res, s) => {
      expect(res.body.status).toBe('rejected');
      expect(await membershipStatus(s.applicant, s.id)).toBe('rejected');
    },
  }),
  consentProxyLink: refused('consentProxyLink', {
    of: 'proxyLink',
    // Only the elder consents in the app: not the one who asked, not staff.
    as: (s) => s.elder,
    also: (s) => [
      { label: 'the family member who asked', who: s.proxy },
      { label: 'a resident of the community', who: p().resident },
      { label: "staff of the elder's community", who: p().staff },
    ],
    ok: async (res, s) => {
      expect(res.body.consentStatus).toBe('granted');
      expect(res.body.consentMethod).toBe('in_app');
      expect(await linkStatus(s.proxy, s.id)).toBe('granted');
    },
  }),
  revokeProxyLink: refused('revokeProxyLink', {
    of: 'proxyLink',
    // Either side of the link may end it: the asker here, the elder on a second link below.
    also: () => [
      { label: 'a resident of the community', who: p().resident },
      { label: "another elder's family member", who: p().familyProxy },
      { label: "staff of the elder's community", who: p().staff },
    ],
    ok: async (res, _s, h) => {
      expect(res.body.consentStatus).toBe('revoked');
      const second = await h.w.make.proxyLink();
      const byElder = await h.hit(second.elder, second.id);
      expect(byElder.status).toBe(200);
      expect(byElder.body.consentStatus).toBe('revoked');
    },
  }),
  staffRecordConsent: refused('staffRecordConsent', {
    of: 'proxyLink',
    as: () => p().staff,
    body: () => ({ method: 'paper', note: '签字确认书' }),
    also: (s) => [{ label: 'the family member who asked', who: s.proxy }],
    ok: (res) => {
      expect(res.body.consentStatus).toBe('granted');
      expect(res.body.consentMethod).toBe('paper');
    },
  }),
  community: open('community', {
    of: 'community',
    publicBecause: 'the community directory: everyone signed in may read it',
    everyone: async (h, caller, s, id) => {
      const res = await h.hit(caller, id);
      expect(res.status, caller.label).toBe(200);
      expect(res.body.id, caller.label).toBe(s.id);
    },
    live: async (h, s, id) => {
      const res = await h.hit(s.owner, id);
      expect(res.status).toBe(200);
      expect(res.body.compounds.length).toBeGreaterThan(0);
      expect((await h.hit(s.owner, GHOST)).status).toBe(404);
    },
  }),

  // -- uploads: a photo is its owner's until it is attached (a refund's views then sign its URLs)
  upload: refused('upload', {
    of: 'upload',
    ok: (res, s) => {
      expect(res.body).toMatchObject({ id: s.id, purpose: 'refund', visibility: 'private', attached: false });
      expect(res.body.url).toContain('sig=');
    },
  }),
  deleteUpload: refused('deleteUpload', {
    of: 'upload',
    refusedToo: async (s) => expect((await s.state()).files).toEqual([true, true]),
    ok: async (res, s) => {
      expect(res.body).toEqual({ ok: true });
      expect(await s.state()).toMatchObject({ upload: undefined, files: [] });
    },
  }),
  uploadFile: open('uploadFile', {
    of: 'upload',
    publicBecause:
      'the image bytes behind a URL the BFF handed out: no user token is read, the URL signature is the permission (only a public upload attached to something public is served unsigned)',
    everyone: async (_h, caller, s, id) => {
      const headers = {
        ...bearer(caller.who),
        ...(caller.onBehalfOf ? { 'x-on-behalf-of': caller.onBehalfOf } : {}),
      };
      const file = (uploadId: string, query: string) =>
        t.call({ method: 'GET', url: `${fillPath(api.uploadFile.path, uploadId)}?${query}`, headers });
      // A token is no substitute for the signature: unsigned, a private photo is as absent as a ghost.
      const unsigned = await file(id, 'variant=image');
      expectNotFound(unsigned, caller.label);
      expect((await file(GHOST, 'variant=image')).body, caller.label).toEqual(unsigned.body);
      // Nor does a signature of one's own making open it (refused before the database is asked).
      const exp = Math.floor(Date.now() / 1000) + 600;
      const forged = await file(id, `variant=image&exp=${exp}&sig=${'A'.repeat(43)}`);
      expect(forged.status, caller.label).toBe(403);
      expect(forged.body.error.code, caller.label).toBe('UPLOAD_LINK_INVALID');
      // The owner's signed URL is for that photo only: it opens no other id.
      const signed = new URL(s.url, 'http://x').search.slice(1);
      expect((await file(GHOST, signed)).status, caller.label).toBe(403);
    },
    live: async (_h, s) => {
      const res = await t.app.inject({ method: 'GET', url: s.url });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('image/jpeg');
      expect(res.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    },
  }),

  // -- the market: a pending shop is hidden like any other resource (listed shops are public)
  merchant: refused('merchant', {
    of: 'pendingShop',
    ok: async (res, s, h) => {
      expect(res.body.status).toBe('pending');
      // The staff of a community it applied to serve see it too.
      const staff = await h.hit(p().staff, s.id);
      expect(staff.status).toBe(200);
      expect(staff.body.id).toBe(s.id);
    },
  }),
  verifyMerchant: refused('verifyMerchant', {
    of: 'pendingShop',
    as: () => p().staff,
    also: (s) => [{ label: "the shop's own applicant", who: s.owner }],
    refusedToo: async (s) => {
      const after = await s.state();
      expect(after.shop!.status).toBe('pending');
      expect(after.shop!.verifiedBy).toBeNull();
      expect(after.ownerRoles.filter((r) => r.role === 'merchant')).toEqual([]);
    },
    ok: async (res, s) => {
      expect(res.body.status).toBe('open');
      expect((await s.state()).ownerRoles.map((r) => r.role)).toContain('merchant');
    },
  }),
  order: refused('order', {
    of: 'order',
    stage: 'paid',
    also: aroundAnOrder,
    ok: (res, s) => expect(res.body.id).toBe(s.id),
  }),
  cancelOrder: refused('cancelOrder', {
    of: 'order',
    stage: 'created',
    also: aroundAnOrder,
    ok: (res) => expect(res.body.status).toBe('cancelled'),
  }),
  payOrder: refused('payOrder', {
    of: 'order',
    stage: 'created',
    also: aroundAnOrder,
    refusedToo: async (s) => expect((await s.state()).payments).toEqual([]),
    ok: async (res, s) => {
      expect(res.body.paymentId).toBeTruthy();
      expect((await s.state()).payments.map((x) => x.id)).toEqual([res.body.paymentId]);
    },
  }),
  devConfirmPayment: refused('devConfirmPayment', {
    of: 'payment',
    also: aroundAnOrder,
    refusedToo: async (s) =>
      expect((await s.state()).payments.map(({ id, status }) => ({ id, status }))).toEqual([
        { id: s.id, status: 'pending' },
      ]),
    ok: (res) => expect(res.body.status).toBe('paid'),
  }),
  requestRefund: refused('requestRefund', {
    of: 'order',
    stage: 'accepted',
    body: () => ({ reason: '不新鲜' }),
    also: aroundAnOrder,
    refusedToo: async (s) => expect((await s.state()).refunds).toEqual([]),
    ok: (res) => expect(res.body.refund!.status).toBe('requested'),
  }),
  merchantOrder: refused('merchantOrder', {
    of: 'order',
    stage: 'paid',
    as: (s) => s.merchant,
    also: merchantSide,
    ok: (res) => expect(res.body.status).toBe('paid'),
  }),
  acceptOrder: refused('acceptOrder', {
    of: 'order',
    stage: 'paid',
    as: (s) => s.merchant,
    also: merchantSide,
    ok: (res) => expect(res.body.status).toBe('accepted'),
  }),
  rejectOrder: refused('rejectOrder', {
    of: 'order',
    stage: 'paid',
    as: (s) => s.merchant,
    body: () => ({ reason: '今日售罄' }),
    also: merchantSide,
    ok: (res) => expect(res.body.status).toBe('cancelled'),
  }),
  packOrder: refused('packOrder', {
    of: 'order',
    stage: 'accepted',
    as: (s) => s.merchant,
    also: merchantSide,
    ok: (res) => expect(res.body.status).toBe('packed'),
  }),
  updateProduct: refused('updateProduct', {
    of: 'product',
    body: () => ({ priceFen: 1, stock: 0, onShelf: false }),
    also: () => [{ label: 'a merchant with no shop', who: p().shopless }],
    ok: (res) => expect(res.body).toMatchObject({ priceFen: 1, stock: 0, onShelf: false }),
  }),
  approveRefund: refused('approveRefund', {
    of: 'refund',
    body: () => ({ note: '同意' }),
    also: merchantSide,
    refusedToo: refundStillUndecided,
    ok: (res) => {
      expect(res.body.refund!.status).toBe('approved');
      expect(res.body.status).toBe('refunded');
    },
  }),
  rejectRefund: refused('rejectRefund', {
    of: 'refund',
    body: () => ({ reason: '商品无质量问题' }),
    also: merchantSide,
    refusedToo: refundStillUndecided,
    ok: (res) => {
      expect(res.body.refund!.status).toBe('rejected');
      expect(res.body.status).toBe('accepted');
    },
  }),

  // -- lockers: the courier's batches, the resident's locker, staff's banks, compartments and windows
  courierBatch: refused('courierBatch', {
    of: 'batch',
    stage: 'ready',
    also: () => [{ label: 'a courier of no community', who: p().idleCourier }],
    refusedToo: async (s) => {
      const list = await t.call({
        method: 'GET',
        url: '/v1/courier/batches',
        headers: bearer(p().otherCourier),
      });
      expect(list.body.items.map((b: { id: string }) => b.id)).not.toContain(s.id);
    },
    ok: (res, s) => expect(res.body.dropList[0]!.drops[0]!.orderId).toBe(s.orderId),
  }),
  startBatch: refused('startBatch', {
    of: 'batch',
    stage: 'ready',
    also: () => [{ label: 'a courier of no community', who: p().idleCourier }],
    refusedToo: async (s) => expect((await s.state()).batch!.status).toBe('ready'),
    ok: (res) => expect(res.body.status).toBe('in_progress'),
  }),
  dropOrder: refused('dropOrder', {
    of: 'batch',
    stage: 'in_progress',
    body: (s) => s.drops[0]!,
    also: () => [{ label: 'a courier of no community', who: p().idleCourier }],
    refusedToo: async (s) => {
      const after = await s.state();
      expect(after.order).toBe('in_batch');
      expect(after.held.map((h) => h.state)).toEqual(['reserved']);
    },
    ok: (res) => expect(res.body.orderStatus).toBe('in_locker'),
  }),
  compartmentProblem: refused('compartmentProblem', {
    of: 'batch',
    stage: 'in_progress',
    body: (s) => ({ compartmentId: s.drops[0]!.compartmentId, reason: '门坏了' }),
    also: () => [{ label: 'a courier of no community', who: p().idleCourier }],
    ok: (res, s) => expect(res.body.replacement!.orderId).toBe(s.orderId),
  }),
  retrieveOrder: refused('retrieveOrder', {
    // The next run of the community, started by its courier, is where retrievals happen.
    of: 'batch',
    stage: 'retrieval',
    body: (s) => ({ orderId: s.orderId }),
    also: () => [{ label: 'a courier of no community', who: p().idleCourier }],
    refusedToo: async (s) => expect((await s.state()).order).toBe('overdue'),
    ok: async (_res, s) => expect((await s.state()).order).toBe('returned'),
  }),
  extendLocker: refused('extendLocker', {
    of: 'lockedOrder',
    stage: 'overdue',
    also: () => [
      ...aroundALocker(),
      { label: 'a courier of another community', who: p().otherCourier },
      { label: 'a courier of no community', who: p().idleCourier },
    ],
    refusedToo: async (s) => expect((await s.state()).pickup[0]!.extendedAt).toBeNull(),
    ok: (res) => {
      expect(res.body.status).toBe('in_locker');
      expect(res.body.locker!.extended).toBe(true);
    },
  }),
  openLocker: refused('openLocker', {
    // The path names the bank; the body names the order to open there.
    of: 'lockedOrder',
    stage: 'in_locker',
    pathId: (s) => s.bankId,
    body: (s) => ({ orderId: s.id }),
    also: () => [
      ...aroundALocker(),
      { label: 'a courier of another community', who: p().otherCourier },
      { label: 'a courier of no community', who: p().idleCourier },
    ],
    refusedToo: async (s, h) => {
      // Nor an order id that does not exist, at the right bank.
      expectNotFound(await h.hit(p().otherResident, s.bankId, { orderId: GHOST }));
      expect((await s.state()).held.map((x) => x.state)).toEqual(['occupied']);
    },
    ok: async (_res, s) => expect((await s.state()).order).toBe('picked_up'),
  }),
  devicePickup: open('devicePickup', {
    of: 'lockedOrder',
    stage: 'in_locker',
    pathId: (s) => s.bankId,
    also: aroundALocker,
    publicBecause:
      "the locker panel: no user token at all; the bank's device signature (HMAC under its secret, fresh timestamp, never replayed) is the authentication, tested in lockers-pickup.test.ts",
    everyone: async (_h, caller, s, id) => {
      // A user token is no substitute for the panel signature.
      const code = (await s.state()).pickup[0]!.code;
      const before = await s.state();
      const res = await t.call({
        method: 'POST',
        url: fillPath(api.devicePickup.path, id),
        headers: {
          ...bearer(caller.who),
          ...(caller.onBehalfOf ? { 'x-on-behalf-of': caller.onBehalfOf } : {}),
          'x-device-timestamp': String(Date.now()),
          'x-device-signature': '0'.repeat(64),
        },
        payload: { code },
      });
      expect(res.status, caller.label).toBe(401);
      expect(res.body.error.code, caller.label).toBe('DEVICE_UNAUTHORIZED');
      expect(await s.state(), caller.label).toEqual(before);
    },
    live: async (_h, s, id) => {
      const code = (await s.state()).pickup[0]!.code;
      const [bank] = await t.deps.db.select().from(lockerBanks).where(eq(lockerBanks.id, id));
      const res = await t.call({
        method: 'POST',
        url: fillPath(api.devicePickup.path, id),
        ...signedPickup(bank!.deviceSecret, code),
      });
      expect(res.status).toBe(200);
      expect(res.body.orderId).toBe(s.id);
      expect((await s.state()).order).toBe('picked_up');
    },
  }),
  updateLockerBank: refused('updateLockerBank', {
    of: 'lockerBank',
    body: () => ({ status: 'out_of_service' }),
    also: () => [{ label: 'a courier of another community', who: p().otherCourier }],
    refusedToo: async () => {
      const list = await t.call({
        method: 'GET',
        url: '/v1/staff/locker-banks',
        headers: bearer(p().strayStaff),
      });
      expect(list.body.items).toEqual([]);
    },
    ok: (res) => expect(res.body.status).toBe('out_of_service'),
  }),
  rotateDeviceSecret: refused('rotateDeviceSecret', {
    of: 'lockerBank',
    also: () => [{ label: 'a courier of another community', who: p().otherCourier }],
    ok: async (res, s, _h, before) => {
      expect(res.body.deviceSecret).not.toBe(before.bank!.deviceSecret);
      expect((await s.state()).bank!.deviceSecret).toBe(res.body.deviceSecret);
    },
  }),
  updateCompartment: refused('updateCompartment', {
    of: 'compartment',
    body: () => ({ inService: false }),
    also: () => [{ label: 'a courier of another community', who: p().otherCourier }],
    ok: (res) => expect(res.body.state).toBe('out_of_service'),
  }),
  closeDeliveryWindow: refused('closeDeliveryWindow', {
    of: 'deliveryWindow',
    also: () => [{ label: 'a courier of another community', who: p().otherCourier }],
    refusedToo: async (s) => {
      const after = await s.state();
      expect(after.window!.status).toBe('open');
      expect(after.batches).toEqual([]);
    },
    ok: async (res, s) => {
      expect(res.body.status).toBe('closed');
      expect((await s.state()).batches).toHaveLength(1);
    },
  }),
};

// ---- the generator -------------------------------------------------------------------------------

/** The foreign roles every case is called as (the family ones where the route takes X-On-Behalf-Of). */
function foreignRoles(route: ParamRoute, owner: Who): Caller[] {
  const people = p();
  const roles: Caller[] = [
    { label: 'another resident', who: people.otherResident },
    { label: 'another merchant (with a shop of their own)', who: people.otherMerchant },
    // When the resource is the courier's own run, "the courier" is one who drives elsewhere.
    owner.userId === people.courier.userId
      ? { label: 'a courier of another community', who: people.otherCourier }
      : { label: 'the courier', who: people.courier },
    { label: 'staff of another community', who: people.strayStaff },
    { label: 'a brand-new user', who: people.newcomer },
  ];
  if (PROXY_ROUTES.has(route))
    roles.push(
      { label: 'a family member with no consented link', who: people.familyProxy, onBehalfOf: owner.userId },
      {
        label: 'a family member acting for their own elder',
        who: people.familyProxy,
        onBehalfOf: people.elder.userId,
      },
    );
  return roles;
}

function helpers<N extends ParamRoute>(route: N): Helpers<N> {
  const def = api[route];
  return {
    w,
    hit: (as, id, body) => {
      const caller: Caller = 'label' in as ? as : { label: 'someone', who: as };
      return t.call({
        method: def.method,
        url: fillPath(def.path, id),
        headers: {
          ...bearer(caller.who),
          ...(caller.onBehalfOf ? { 'x-on-behalf-of': caller.onBehalfOf } : {}),
        },
        ...('body' in def ? { payload: (body ?? {}) as Record<string, unknown> } : {}),
      });
    },
  };
}

/** 403 for a caller without the route's role (before any lookup), 404 for everyone else. */
async function expectedFor(route: ParamRoute, caller: Caller): Promise<403 | 404> {
  const gate = gateOf(api[route].path);
  return gate && !(await w.rolesOf(caller.who.userId)).includes(gate) ? 403 : 404;
}

// biome-ignore lint/suspicious/noExplicitAny: one generator runs every case; each was type-checked where it was written
type Loose = Record<string, any>;
const entries = Object.values(CASES) as unknown as (Loose & { route: ParamRoute; kind: Kind })[];

describe('the API table', () => {
  it('every route with a path parameter has a case here (add one when you add a route)', () => {
    const gaps = coverageGaps(api, CASES);
    expect(gaps, gaps.join('\n')).toEqual([]);
  });

  it('the coverage check names a route with a parameter but no case, whatever the parameter is called', () => {
    const table = {
      ...api,
      archiveOrder: { method: 'POST', path: '/v1/orders/:id/archive' },
      householdNotes: { method: 'GET', path: '/v1/households/:householdId/notes' },
      listNotes: { method: 'GET', path: '/v1/notes' },
    };
    // Measured against what the real table lacks, so this proves the check whatever that is.
    const real = coverageGaps(api, CASES);
    expect(coverageGaps(table, CASES).filter((g) => !real.includes(g))).toEqual([
      'archiveOrder (POST /v1/orders/:id/archive) takes :id but has no case: add one to CASES in bff/test/access/foreign-token.test.ts',
      'householdNotes (GET /v1/households/:householdId/notes) takes :householdId but has no case: add one to CASES in bff/test/access/foreign-token.test.ts',
    ]);
    // A case whose route is gone is reported too: it would test nothing.
    expect(coverageGaps(api, { ...CASES, archivedOrder: {} }).filter((g) => !real.includes(g))).toEqual([
      'case archivedOrder names no route with a path parameter: remove or rename it',
    ]);
  });

  it('the role a route needs is read from its path, and the cases agree with the table', () => {
    for (const c of entries) {
      expect(pathParams(api[c.route].path).length, c.route).toBeGreaterThan(0);
      expect(w.make[c.kind], `${c.route}: no factory for ${c.kind}`).toBeTypeOf('function');
    }
    expect(gateOf(api.approveMembership.path)).toBe('staff');
    expect(gateOf(api.acceptOrder.path)).toBe('merchant');
    expect(gateOf(api.startBatch.path)).toBe('courier');
    expect(gateOf(api.order.path)).toBeUndefined();
  });
});

describe.each(entries.filter((c) => !('publicBecause' in c)))('$route', (c) => {
  const def = api[c.route];
  it(`${def.method} ${def.path}: refused to every foreign role, the ${c.kind} unchanged; live for the one entitled`, async () => {
    const h = helpers(c.route);
    const s = await (w.make[c.kind] as (stage?: unknown) => Promise<Loose>)(c.stage);
    const id: string = c.pathId?.(s) ?? s.id;
    const owner: Who = c.as?.(s) ?? s.owner;
    const body = c.body?.(s);
    const callers: Caller[] = [...foreignRoles(c.route, owner), ...(c.also?.(s) ?? [])];
    // No foreign caller holds the owner's own token (acting for the owner without a link is the point).
    for (const caller of callers)
      expect(caller.who.userId, `${caller.label} is the one entitled`).not.toBe(owner.userId);

    const before = await s.state();
    const answers: number[] = [];
    for (const caller of callers) {
      const what = `${c.route} as ${caller.label}`;
      const status = await expectedFor(c.route, caller);
      answers.push(status);
      const res = await h.hit(caller, id, body);
      expect.soft({ status: res.status, body: res.body }, what).toEqual({
        status,
        body: status === 404 ? NOT_FOUND : FORBIDDEN,
      });
      // The same answer as for an id that does not exist: nothing about the resource leaks.
      const ghost = await h.hit(caller, GHOST, body);
      expect
        .soft({ status: ghost.status, body: ghost.body }, `${what}, for an id that does not exist`)
        .toEqual({
          status: res.status,
          body: res.body,
        });
    }
    // Somebody holding the route's role reached the resource check: the case tests more than the role.
    expect(answers, `${c.route}: no foreign caller got past the role check`).toContain(404);
    await c.refusedToo?.(s, h);
    expect(await s.state(), `${c.route}: the ${c.kind} changed under foreign calls`).toEqual(before);

    // The one entitled gets the same 404 for an id that does not exist, and the real thing for theirs.
    expectNotFound(
      await h.hit(owner, GHOST, body),
      `${c.route} as the one entitled, for an id that does not exist`,
    );
    const res = await h.hit(owner, id, body);
    expect(res.status, `${c.route} as the one entitled: ${JSON.stringify(res.body)}`).toBe(c.status ?? 200);
    await c.ok(res, s, h, before);
  });
});

describe.each(entries.filter((c) => 'publicBecause' in c))('$route (public by design)', (c) => {
  const def = api[c.route];
  it(`${def.method} ${def.path}: ${c.publicBecause}`, async () => {
    const h = helpers(c.route);
    const s = await (w.make[c.kind] as (stage?: unknown) => Promise<Loose>)(c.stage);
    const id: string = c.pathId?.(s) ?? s.id;
    const callers = [
      ...foreignRoles(c.route, s.owner),
      ...(c.also?.(s) ?? []),
      { label: 'its owner', who: s.owner },
    ];
    for (const caller of callers) await c.everyone(h, caller, s, id);
    await c.live(h, s, id);
  });
});

// ---- what no path parameter names: lists, headers, bodies ------------------------------------------

async function membershipStatus(applicant: Who, id: string) {
  const mine = await t.call({ method: 'GET', url: '/v1/memberships', headers: bearer(applicant) });
  return mine.body.items.find((m: { id: string }) => m.id === id)?.status;
}

async function linkStatus(who: Who, id: string) {
  const res = await t.call({ method: 'GET', url: '/v1/proxy-links', headers: bearer(who) });
  return res.body.items.find((l: { id: string }) => l.id === id)?.consentStatus;
}

describe('membership review', () => {
  it("a staff of no community sees none of the community's requests", async () => {
    const { id } = await w.make.membership();
    const strayStaff = await makeStaff(t, { runsDemo: false });
    const res = await t.call({ method: 'GET', url: '/v1/staff/memberships', headers: bearer(strayStaff) });
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([]);
    const staff = await t.login(PHONES.staff);
    const real = await t.call({ method: 'GET', url: '/v1/staff/memberships', headers: bearer(staff) });
    expect(real.body.items.map((m: { id: string }) => m.id)).toContain(id);
  });
});

const pendingLink = () => w.make.proxyLink();
const pendingMembership = () => w.make.membership();

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
  const send = (who: Who, method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>) =>
    t.call({ method, url, headers: bearer(who), ...(method === 'POST' ? { payload: payload ?? {} } : {}) });

  it('merchant: a listed shop is readable by anyone', async () => {
    const { otherResident, otherMerchant, courier, strayStaff, newcomer } = w.people;
    for (const who of [otherResident, otherMerchant, courier, strayStaff, newcomer]) {
      const res = await send(who, 'GET', `/v1/merchants/${w.shop.id}`);
      expect(res.status).toBe(200);
      expect(res.body.id).toBe(w.shop.id);
    }
  });

  it("verifyPickup: another shop's code is 404 and the order stays packed", async () => {
    const { otherMerchant, shopless, otherResident, courier } = w.people;
    const o = await w.make.order('packed');
    const mine = await send(o.customer, 'GET', `/v1/orders/${o.id}`);
    const code: string = mine.body.pickupCode;
    expect(code).toMatch(/^\d{6}$/);
    const before = await o.state();
    const foreign = await send(otherMerchant, 'POST', '/v1/merchant/orders/verify-pickup', { code });
    expect(foreign.status).toBe(404);
    expect(foreign.body.error).toMatchObject({
      code: 'PICKUP_CODE_INVALID',
      details: [{ path: 'body.code' }],
    });
    // A merchant with no shop has nowhere to look the code up.
    expect((await send(shopless, 'POST', '/v1/merchant/orders/verify-pickup', { code })).status).toBe(404);
    for (const who of [otherResident, courier, o.customer])
      expect((await send(who, 'POST', '/v1/merchant/orders/verify-pickup', { code })).status).toBe(403);
    expect(await o.state()).toEqual(before);

    const ok = await send(o.merchant, 'POST', '/v1/merchant/orders/verify-pickup', { code });
    expect(ok.status).toBe(200);
    expect(ok.body.status).toBe('picked_up');
  });
});
