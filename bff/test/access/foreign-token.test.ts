import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { api, localClock, PROXY_ROUTES, type RouteBody, type RouteName, type RouteResponse } from 'shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockerBanks, memberships } from '../../src/db/schema';
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
type Gate = 'staff' | 'merchant' | 'courier' | 'provider' | 'caregiver' | 'volunteer';
/**
 * The role a route needs, from the API's path convention. Without it the auth hook answers 403
 * before any id is looked up (the same for every id); with it, a resource that is not yours is 404.
 * The cases below prove the convention route by route.
 */
const GATES: [prefix: string, role: Gate][] = [
  ['/v1/staff/', 'staff'],
  ['/v1/merchant/', 'merchant'],
  ['/v1/courier/', 'courier'],
  ['/v1/provider/', 'provider'],
  ['/v1/caregiver/', 'caregiver'],
  ['/v1/volunteer/', 'volunteer'],
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
  /** The query string the route needs, the same for every caller. */
  query?: (s: SubjectOf<K>) => Record<string, string>;
  /** The time the case runs at, when the route's rule has one (clock-in opens shortly before the visit). */
  at?: (s: SubjectOf<K>) => Date;
  /**
   * When holding the route's role is the whole rule (a resource every holder may act on): why, the
   * foreign roles who hold it and so are entitled too (called after the one entitled, each must
   * succeed), and the 404 an id that does not exist gets.
   */
  roleIsTheRule?: { because: string; entitled: string[]; notFound: string };
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
  /** The query string the route needs, the same for every caller. */
  query?: (s: SubjectOf<K>) => Record<string, string>;
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
/** Near an elder's help task but not entitled to the elder's side of it. */
const aroundATask = (): Caller[] => [
  { label: 'the volunteer holding it', who: p().volunteer },
  { label: 'another volunteer of the community', who: p().otherVolunteer },
  { label: 'staff of the community', who: p().staff },
];
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

/** Near an elder's own booking but not entitled to it (the elder's own family member is, acting as the elder). */
const aroundABooking = (s: { family: Who }): Caller[] => [
  { label: "the booking's caregiver", who: p().caregiver },
  { label: "the booking's provider", who: p().providerOwner },
  { label: "staff of the elder's community", who: p().staff },
  { label: "the elder's family member, acting as themselves", who: s.family },
];
/**
 * A visit in service is worked on while it lasts: 5 minutes after its start the elder's details are
 * revealed to its caregiver, so a foreign read that got through would show them and be logged.
 */
const during = (s: { startsAt: string }) => new Date(Date.parse(s.startsAt) + 5 * 60_000);
/** Near a visit but not its caregiver. */
const aroundAVisit = (s: { elder: Who; family: Who }): Caller[] => [
  { label: 'a caregiver of the same provider, not assigned to it', who: p().colleague },
  { label: "the visit's provider", who: p().providerOwner },
  { label: 'the elder', who: s.elder },
  { label: "the elder's family member", who: s.family },
  { label: "staff of the elder's community", who: p().staff },
];
const NOT_FOUND_OF = (what: string) => ({ error: { code: 'NOT_FOUND', message: `${what} not found` } });
/** Whether a person is a verified member of a household (the care routes' "home"). */
async function hasHome(userId: string) {
  const rows = await t.deps.db
    .select({ id: memberships.id })
    .from(memberships)
    .where(and(eq(memberships.userId, userId), eq(memberships.status, 'approved')));
  return rows.length > 0;
}

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
  retryPaymentRefund: refused('retryPaymentRefund', {
    of: 'failedPaymentRefund',
    as: () => p().staff,
    also: (s) => [
      { label: 'the customer whose money it is', who: s.customer },
      { label: "the order's own shop", who: s.merchant },
    ],
    refusedToo: async (s) => {
      const after = await s.state();
      expect(after.refund).toMatchObject({ status: 'failed', lastError: 'NOT_ENOUGH', attempts: 1 });
      expect(after.audit).toEqual([]);
    },
    ok: async (res, s) => {
      expect(res.body).toMatchObject({
        id: s.id,
        status: 'requested',
        subject: 'order',
        subjectId: s.orderId,
      });
      expect((await s.state()).audit.map((a) => a.action)).toEqual(['payment.refund_retried']);
    },
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
    stage: 'overdue_free',
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
  payLockerExtension: refused('payLockerExtension', {
    of: 'lockedOrder',
    stage: 'overdue',
    also: () => [
      ...aroundALocker(),
      { label: 'a courier of another community', who: p().otherCourier },
      { label: 'a courier of no community', who: p().idleCourier },
    ],
    refusedToo: async (s) => expect((await s.state()).pickup[0]!.extendedAt).toBeNull(),
    // The owner gets a payment to make; only the money arriving extends the order.
    ok: async (res, s) => {
      expect(res.body.paymentId).toEqual(expect.any(String));
      expect((await s.state()).pickup[0]!.extendedAt).toBeNull();
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

  // -- care, the elder's side: their own bookings, acted on by the elder or a family member they consented to
  careSlots: open('careSlots', {
    of: 'careItem',
    query: () => ({ date: localClock(t.clock.now(), 'Asia/Shanghai').date, days: '2' }),
    publicBecause:
      "a care item is catalogue data every signed-in user reads (GET /v1/care/catalog); its slots are worked out for the caller's own home and say how many caregivers are free, never who",
    also: () => [
      { label: 'the provider whose caregiver does the item', who: p().providerOwner },
      { label: 'the caregiver who does the item', who: p().caregiver },
    ],
    everyone: async (h, caller, _s, id) => {
      const res = await h.hit(caller, id);
      // Acting for someone takes a granted link: the seeded proxy has one to the seeded elder only.
      if (caller.onBehalfOf && caller.onBehalfOf !== p().elder.userId)
        return expectNotFound(res, caller.label);
      // Slots are for a home: someone who is no verified member of a household has none to list.
      if (!(await hasHome(caller.onBehalfOf ?? caller.who.userId))) {
        expect(res.status, caller.label).toBe(409);
        expect((res.body as unknown as { error: { code: string } }).error.code, caller.label).toBe(
          'ELDER_HOUSEHOLD_MISSING',
        );
        return;
      }
      expect(res.status, caller.label).toBe(200);
      expect(res.body.itemId).toBe(id);
      expect(res.body.items.length, caller.label).toBeGreaterThan(0);
      for (const slot of res.body.items) {
        expect(Object.keys(slot).sort()).toEqual(['caregivers', 'endsAt', 'startsAt']);
        expect(slot.caregivers).toBeGreaterThanOrEqual(1);
      }
    },
    live: async (h, s, id) => {
      const elder = await w.make.elder();
      const res = await h.hit(elder.owner, id);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeGreaterThan(0);
      expect((await h.hit(elder.owner, GHOST)).status).toBe(404);
      // An item taken off the catalogue has no slots for anyone.
      const off = await t.call({
        method: 'PATCH',
        url: fillPath(api.updateCareItem.path, id),
        headers: bearer(s.owner),
        payload: { active: false },
      });
      expect(off.status).toBe(200);
      const gone = await h.hit(elder.owner, id);
      expect({ status: gone.status, body: gone.body }).toEqual({
        status: 404,
        body: NOT_FOUND_OF('Care item'),
      });
    },
  }),
  careBooking: refused('careBooking', {
    of: 'careBooking',
    stage: 'confirmed',
    also: aroundABooking,
    ok: async (res, s, h) => {
      expect(res.body).toMatchObject({ id: s.id, status: 'confirmed', elderId: s.elder.userId });
      const byFamily = await h.hit({ label: 'family', who: s.family, onBehalfOf: s.elder.userId }, s.id);
      expect(byFamily.status).toBe(200);
      expect(byFamily.body.id).toBe(s.id);
    },
  }),
  cancelCareBooking: refused('cancelCareBooking', {
    of: 'careBooking',
    stage: 'confirmed',
    body: () => ({ reason: '临时有事' }),
    also: aroundABooking,
    ok: async (res, s, _h, before) => {
      expect(res.body.status).toBe('cancelled');
      const after = await s.state();
      expect(after.booking!.cancelledBy).toBe(s.elder.userId);
      // The voucher part came back.
      expect(after.voucher.balance!.balanceFen).toBe(
        before.voucher.balance!.balanceFen + before.booking!.voucherFen,
      );
    },
  }),
  rescheduleCareBooking: refused('rescheduleCareBooking', {
    of: 'careBooking',
    stage: 'confirmed',
    body: (s) => ({ startsAt: s.nextStart }),
    also: aroundABooking,
    ok: async (res, s) => {
      expect(Date.parse(res.body.startsAt)).toBe(Date.parse(s.nextStart));
      expect((await s.state()).booking!.startsAt.getTime()).toBe(Date.parse(s.nextStart));
    },
  }),
  payCareBooking: refused('payCareBooking', {
    of: 'careBooking',
    stage: 'confirmed',
    body: () => ({}),
    also: aroundABooking,
    refusedToo: async (s) => expect((await s.state()).payments).toEqual([]),
    ok: async (res, s) => {
      expect(res.body.paymentId).toBeTruthy();
      expect((await s.state()).payments.map((x) => x.id)).toEqual([res.body.paymentId]);
    },
  }),
  rateCareVisit: refused('rateCareVisit', {
    of: 'careBooking',
    stage: 'completed',
    body: () => ({ rating: 5, comment: '很细心' }),
    also: aroundABooking,
    refusedToo: async (s) => expect((await s.state()).visit!.rating).toBeNull(),
    ok: async (res, s) => {
      expect(res.body.visit.rating).toBe(5);
      expect((await s.state()).visit!.ratedBy).toBe(s.elder.userId);
    },
  }),

  // -- care, the provider's console: its own caregivers, their time off, the bookings it is asked to confirm
  updateCaregiver: refused('updateCaregiver', {
    of: 'providerCaregiver',
    body: () => ({ name: '改过名的护理员', certifications: ['caregiver', 'bathing'] }),
    also: (s) => [
      { label: 'the caregiver themselves', who: s.caregiver },
      { label: 'a caregiver of the same provider', who: p().colleague },
    ],
    ok: async (res, s) => {
      expect(res.body).toMatchObject({ id: s.id, name: '改过名的护理员' });
      expect((await s.state()).caregiver!.certifications).toEqual(['caregiver', 'bathing']);
    },
  }),
  addTimeOff: refused('addTimeOff', {
    of: 'providerCaregiver',
    body: () => {
      const from = t.clock.now().getTime() + 50 * 24 * 3600 * 1000;
      return {
        startsAt: new Date(from).toISOString(),
        endsAt: new Date(from + 24 * 3600 * 1000).toISOString(),
        reason: '体检',
      };
    },
    also: (s) => [
      { label: 'the caregiver themselves', who: s.caregiver },
      { label: 'a caregiver of the same provider', who: p().colleague },
    ],
    refusedToo: async (s) => expect((await s.state()).timeOff).toEqual([]),
    status: 201,
    ok: async (res, s) => {
      expect(res.body.timeOff.map((o) => o.reason)).toEqual(['体检']);
      expect((await s.state()).timeOff).toHaveLength(1);
    },
  }),
  removeTimeOff: refused('removeTimeOff', {
    of: 'timeOff',
    also: (s) => [
      { label: 'the caregiver themselves', who: s.caregiver },
      { label: 'a caregiver of the same provider', who: p().colleague },
    ],
    refusedToo: async (s) => expect((await s.state()).timeOff.map((o) => o.id)).toEqual([s.id]),
    ok: async (res, s) => {
      expect(res.body).toEqual({ ok: true });
      expect((await s.state()).timeOff).toEqual([]);
    },
  }),
  confirmCareBooking: refused('confirmCareBooking', {
    of: 'careBooking',
    stage: 'requested',
    as: () => p().providerOwner,
    body: () => ({}),
    also: (s) => [
      { label: "the booking's caregiver", who: p().caregiver },
      { label: 'the elder', who: s.elder },
      { label: "the elder's family member", who: s.family },
      { label: "staff of the elder's community", who: p().staff },
    ],
    refusedToo: async (s) => expect((await s.state()).booking!.status).toBe('requested'),
    ok: async (res, s) => {
      expect(res.body).toMatchObject({ id: s.id, status: 'confirmed' });
      expect((await s.state()).booking!.confirmBy).toBeNull();
    },
  }),

  // -- care, the caregiver's side: the visits assigned to them, and nobody else's
  caregiverVisit: refused('caregiverVisit', {
    of: 'careBooking',
    stage: 'in_service',
    at: during,
    as: () => p().caregiver,
    also: aroundAVisit,
    ok: async (res, s, _h, before) => {
      expect(res.body).toMatchObject({ bookingId: s.id, revealed: true });
      expect(res.body.healthNotes).toBe('糖尿病，注意血糖');
      // The caregiver's read is in the elder's log, and only theirs.
      const seen = new Set(before.accessLog.map((r) => r.id));
      const fresh = (await s.state()).accessLog.filter((r) => !seen.has(r.id));
      expect(fresh.map((r) => r.field).sort()).toEqual(['address', 'health_notes', 'phone']);
      for (const r of fresh) expect(r).toMatchObject({ readerId: p().caregiver.userId, bookingId: s.id });
    },
  }),
  clockIn: refused('clockIn', {
    // Clock-in opens 15 minutes before the start: the case runs 10 minutes before it.
    of: 'careBooking',
    stage: 'confirmed',
    at: (s) => new Date(Date.parse(s.startsAt) - 10 * 60_000),
    as: () => p().caregiver,
    body: () => ({ lat: 30.652, lng: 104.06 }),
    also: aroundAVisit,
    refusedToo: async (s) => expect((await s.state()).visit).toBeUndefined(),
    ok: async (res, s) => {
      expect(res.body.status).toBe('in_service');
      expect((await s.state()).visit!.clockInAt).not.toBeNull();
    },
  }),
  clockOut: refused('clockOut', {
    of: 'careBooking',
    stage: 'in_service',
    at: during,
    as: () => p().caregiver,
    body: () => ({ lat: 30.652, lng: 104.06, summary: '洗浴顺利，血压正常' }),
    also: aroundAVisit,
    ok: async (res, s) => {
      expect(res.body.status).toBe('completed');
      const after = await s.state();
      expect(after.visit!.summary).toBe('洗浴顺利，血压正常');
      expect(
        after.inbox
          .filter((n) => n.kind === 'care.visit.completed')
          .map((n) => n.userId)
          .sort(),
      ).toEqual([s.elder.userId, s.family.userId].sort());
    },
  }),
  updateVisit: refused('updateVisit', {
    of: 'careBooking',
    stage: 'in_service',
    at: during,
    as: () => p().caregiver,
    body: () => ({ checklistDone: ['测量血压'], notes: '血压 130/80' }),
    also: aroundAVisit,
    ok: async (res, s) => {
      expect(res.body.visit.checklist).toEqual([
        { label: '测量血压', done: true },
        { label: '陪同出行', done: false },
      ]);
      expect((await s.state()).visit!.notes).toBe('血压 130/80');
    },
  }),
  addVisitPhoto: refused('addVisitPhoto', {
    // The caregiver's own photo, named by the foreign callers too: it is the visit that is not theirs.
    of: 'visitPhoto',
    at: during,
    as: () => p().caregiver,
    body: (s) => ({ uploadId: s.uploadId }),
    also: aroundAVisit,
    refusedToo: async (s) => expect((await s.state()).upload!.attachedId).toBeNull(),
    ok: async (res, s) => {
      expect(res.body.visit.photos).toHaveLength(1);
      const after = await s.state();
      expect(after.photos.map((x) => x.uploadId)).toEqual([s.uploadId]);
      expect(after.upload).toMatchObject({ attachedType: 'care_visit', attachedId: s.id });
    },
  }),
  reportIncident: refused('reportIncident', {
    of: 'careBooking',
    stage: 'in_service',
    at: during,
    as: () => p().caregiver,
    body: () => ({ description: '长者起身时头晕，已扶坐休息' }),
    also: aroundAVisit,
    ok: async (res, s) => {
      expect(res.body.bookingId).toBe(s.id);
      const after = await s.state();
      expect(after.incidents.map((i) => i.reportedBy)).toEqual([p().caregiver.userId]);
      expect(after.inbox.filter((n) => n.kind === 'care.incident').map((n) => n.userId)).toEqual([
        p().providerOwner.userId,
      ]);
    },
  }),
  markElderAbsent: refused('markElderAbsent', {
    // The elder counts as absent only once the visit was due: the case runs 5 minutes after the start.
    of: 'careBooking',
    stage: 'confirmed',
    at: (s) => new Date(Date.parse(s.startsAt) + 5 * 60_000),
    as: () => p().caregiver,
    body: () => ({}),
    also: aroundAVisit,
    ok: async (res, s) => {
      expect(res.body.status).toBe('no_show');
      expect((await s.state()).booking!.noShowBy).toBe('elder');
    },
  }),

  // -- care, staff: the providers and elders of the communities they run, and the one global catalogue
  verifyCareProvider: refused('verifyCareProvider', {
    of: 'pendingProvider',
    as: () => p().staff,
    body: () => ({ note: '资质齐全' }),
    also: (s) => [
      { label: 'the applicant', who: s.owner },
      { label: 'staff running another community', who: p().elsewhereStaff },
      { label: 'a verified provider of the community', who: p().providerOwner },
    ],
    refusedToo: async (s) => {
      const after = await s.state();
      expect(after.provider!.status).toBe('pending');
      expect(after.ownerRoles).not.toContain('provider');
    },
    ok: async (res, s) => {
      expect(res.body.status).toBe('verified');
      expect((await s.state()).ownerRoles).toContain('provider');
    },
  }),
  rejectCareProvider: refused('rejectCareProvider', {
    of: 'pendingProvider',
    as: () => p().staff,
    body: () => ({ note: '执业许可证已过期' }),
    also: (s) => [
      { label: 'the applicant', who: s.owner },
      { label: 'staff running another community', who: p().elsewhereStaff },
      { label: 'a verified provider of the community', who: p().providerOwner },
    ],
    refusedToo: async (s) => expect((await s.state()).provider!.status).toBe('pending'),
    ok: async (res, s) => {
      expect(res.body).toMatchObject({ status: 'rejected', reviewNote: '执业许可证已过期' });
      expect((await s.state()).ownerRoles).not.toContain('provider');
    },
  }),
  updateCareItem: refused('updateCareItem', {
    of: 'careItem',
    as: () => p().staff,
    body: () => ({ name: '陪同出行（新）', priceFen: 7000 }),
    roleIsTheRule: {
      because:
        'the catalogue is one for every community (catalog.ts checks the staff role only): staff of any community edit it',
      entitled: ['staff of another community'],
      notFound: 'Care item not found',
    },
    also: () => [
      { label: 'the provider whose caregiver does the item', who: p().providerOwner },
      { label: 'the caregiver who does the item', who: p().caregiver },
    ],
    ok: async (res, s) => {
      expect(res.body).toMatchObject({ id: s.id, name: '陪同出行（新）', priceFen: 7000 });
      // Staff running another community edit the same item.
      const theirs = await t.call({
        method: 'PATCH',
        url: fillPath(api.updateCareItem.path, s.id),
        headers: bearer(p().elsewhereStaff),
        payload: { priceFen: 7500 },
      });
      expect(theirs.status).toBe(200);
      expect((await s.state()).item!.priceFen).toBe(7500);
    },
  }),
  updateCareCategory: refused('updateCareCategory', {
    of: 'careCategory',
    as: () => p().staff,
    body: () => ({ name: '改名的类别', sort: 91 }),
    roleIsTheRule: {
      because:
        'the catalogue is one for every community (catalog.ts checks the staff role only): staff of any community edit it',
      entitled: ['staff of another community'],
      notFound: 'Care category not found',
    },
    also: () => [{ label: 'a care provider of the community', who: p().providerOwner }],
    ok: async (res, s) => {
      expect(res.body).toMatchObject({ id: s.id, name: '改名的类别', sort: 91 });
      expect((await s.state()).category).toMatchObject({ name: '改名的类别', sort: 91 });
    },
  }),
  // ---- volunteers: help tasks (the elder's side, the volunteer's, staff's) and registrations ----
  helpTask: refused('helpTask', {
    of: 'helpTask',
    stage: 'accepted',
    also: aroundATask,
    ok: async (res, s, h) => {
      expect(res.body).toMatchObject({ id: s.id, status: 'accepted', checkinCode: s.code });
      const byFamily = await h.hit({ label: 'family', who: s.family, onBehalfOf: s.elder.userId }, s.id);
      expect(byFamily.body.checkinCode).toBe(s.code);
    },
  }),
  cancelHelpTask: refused('cancelHelpTask', {
    of: 'helpTask',
    stage: 'accepted',
    body: () => ({ reason: '不需要了' }),
    also: aroundATask,
    ok: async (res, s) => {
      expect(res.body.status).toBe('cancelled');
      expect((await s.state()).task!.cancelReason).toBe('不需要了');
    },
  }),
  confirmTaskHours: refused('confirmTaskHours', {
    of: 'helpTask',
    stage: 'done',
    body: () => ({ rating: 5 }),
    also: aroundATask,
    ok: async (res, s) => {
      expect(res.body.hoursStatus).toBe('confirmed');
      expect((await s.state()).ledger.map((l) => l.deltaMin)).toEqual([20]);
    },
  }),
  disputeTaskHours: refused('disputeTaskHours', {
    of: 'helpTask',
    stage: 'done',
    body: () => ({ note: '只来了五分钟' }),
    also: aroundATask,
    ok: async (res, s) => {
      expect(res.body.hoursStatus).toBe('disputed');
      expect((await s.state()).ledger).toEqual([]);
    },
  }),
  volunteerTask: refused('volunteerTask', {
    of: 'helpTask',
    stage: 'accepted',
    as: () => p().volunteer,
    also: (s) => [
      { label: 'the elder', who: s.elder },
      { label: 'staff of the community', who: p().staff },
    ],
    refusedToo: async (s, h) => {
      // A volunteer of the same community sees the task is taken, but never the door or the phone.
      const other = await h.hit(p().otherVolunteer, s.id);
      expect(other.status).toBe(200);
      expect(other.body).toMatchObject({
        status: 'accepted',
        contact: null,
        checkinCode: null,
        pickup: null,
      });
      expect(other.body.can.accept).toBe(false);
    },
    ok: async (res, s) => {
      expect(res.body.contact?.address).toContain('栋');
      expect(res.body.checkinCode).toBeNull();
      const log = (await s.state()).accessLog.filter((l) => l.readerId === p().volunteer.userId);
      expect(log.map((l) => l.field).sort()).toEqual(['address', 'address', 'phone', 'phone']);
    },
  }),
  acceptTask: refused('acceptTask', {
    of: 'helpTask',
    stage: 'open',
    as: () => p().volunteer,
    also: (s) => [
      { label: 'the elder', who: s.elder },
      { label: 'staff of the community', who: p().staff },
    ],
    ok: async (res, s) => {
      expect(res.body.status).toBe('accepted');
      expect((await s.state()).task!.volunteerId).toBe(p().volunteer.userId);
    },
  }),
  declineTask: refused('declineTask', {
    of: 'helpTask',
    stage: 'open',
    as: () => p().volunteer,
    body: () => ({ reason: '今天不在家' }),
    also: (s) => [{ label: 'the elder', who: s.elder }],
    ok: async (res, s) => {
      expect(res.body.declined).toBe(true);
      const offer = (await s.state()).offers.find((o) => o.volunteerId === p().volunteer.userId);
      expect(offer!.declineReason).toBe('今天不在家');
    },
  }),
  releaseTask: refused('releaseTask', {
    of: 'helpTask',
    stage: 'accepted',
    as: () => p().volunteer,
    body: () => ({ reason: '临时有事' }),
    also: () => [{ label: 'another volunteer of the community', who: p().otherVolunteer }],
    ok: async (res, s) => {
      expect(res.body.status).toBe('open');
      expect((await s.state()).task!.volunteerId).toBeNull();
    },
  }),
  startTask: refused('startTask', {
    of: 'helpTask',
    stage: 'accepted',
    as: () => p().volunteer,
    body: (s) => ({ code: s.code }),
    also: () => [{ label: 'another volunteer of the community', who: p().otherVolunteer }],
    ok: async (res) => {
      expect(res.body.status).toBe('in_progress');
    },
  }),
  finishTask: refused('finishTask', {
    of: 'helpTask',
    stage: 'in_progress',
    as: () => p().volunteer,
    body: () => ({ minutes: 15, note: '' }),
    also: () => [{ label: 'another volunteer of the community', who: p().otherVolunteer }],
    ok: async (res) => {
      expect(res.body).toMatchObject({ status: 'done', hoursStatus: 'pending', minutes: 15 });
    },
  }),
  staffAssignTask: refused('staffAssignTask', {
    of: 'helpTask',
    stage: 'open',
    as: () => p().staff,
    body: () => ({ volunteerId: p().volunteer.userId }),
    also: (s) => [
      { label: 'the elder', who: s.elder },
      { label: 'staff running another community', who: p().elsewhereStaff },
    ],
    ok: async (res, s) => {
      expect(res.body.status).toBe('accepted');
      expect((await s.state()).task!.volunteerId).toBe(p().volunteer.userId);
    },
  }),
  staffCancelTask: refused('staffCancelTask', {
    of: 'helpTask',
    stage: 'open',
    as: () => p().staff,
    body: () => ({ reason: '家属已自行处理' }),
    also: () => [{ label: 'staff running another community', who: p().elsewhereStaff }],
    ok: async (res) => {
      expect(res.body.status).toBe('cancelled');
    },
  }),
  staffResolveDispute: refused('staffResolveDispute', {
    of: 'helpTask',
    stage: 'disputed',
    as: () => p().staff,
    body: () => ({ minutes: 10, note: '按实际时间' }),
    also: () => [{ label: 'staff running another community', who: p().elsewhereStaff }],
    ok: async (res, s) => {
      expect(res.body.hoursStatus).toBe('resolved');
      expect((await s.state()).ledger.map((l) => l.deltaMin)).toEqual([10]);
    },
  }),
  verifyVolunteer: refused('verifyVolunteer', {
    of: 'volunteerProfile',
    stage: 'pending',
    as: () => p().staff,
    body: () => ({ note: '资料属实' }),
    also: (s) => [
      { label: 'the applicant', who: s.owner },
      { label: 'staff running another community', who: p().elsewhereStaff },
    ],
    refusedToo: async (s) => {
      expect((await s.state()).roles).not.toContain('volunteer');
    },
    ok: async (res, s) => {
      expect(res.body.status).toBe('verified');
      expect((await s.state()).roles).toContain('volunteer');
    },
  }),
  rejectVolunteer: refused('rejectVolunteer', {
    of: 'volunteerProfile',
    stage: 'pending',
    as: () => p().staff,
    body: () => ({ note: '身份证信息不符' }),
    also: () => [{ label: 'staff running another community', who: p().elsewhereStaff }],
    ok: async (res) => {
      expect(res.body).toMatchObject({ status: 'rejected', reviewNote: '身份证信息不符' });
    },
  }),
  suspendVolunteer: refused('suspendVolunteer', {
    of: 'volunteerProfile',
    stage: 'verified',
    as: () => p().staff,
    body: () => ({ reason: '多次爽约' }),
    also: (s) => [
      { label: 'the volunteer', who: s.owner },
      { label: 'staff running another community', who: p().elsewhereStaff },
    ],
    ok: async (res) => {
      expect(res.body).toMatchObject({ status: 'suspended', suspendReason: '多次爽约' });
    },
  }),
  reinstateVolunteer: refused('reinstateVolunteer', {
    of: 'volunteerProfile',
    stage: 'suspended',
    as: () => p().staff,
    body: () => ({}),
    also: () => [{ label: 'staff running another community', who: p().elsewhereStaff }],
    ok: async (res) => {
      expect(res.body).toMatchObject({ status: 'verified', suspendReason: null });
    },
  }),
  // ---- volunteers: 一键求助, activities, emergency teams ----
  elderEmergency: refused('elderEmergency', {
    of: 'emergency',
    also: () => [
      { label: 'a volunteer who was told of it', who: p().volunteer },
      { label: 'staff of the community', who: p().staff },
    ],
    ok: async (res, s, h) => {
      expect(res.body).toMatchObject({ id: s.id, status: 'raised', testMode: true });
      const byFamily = await h.hit({ label: 'family', who: s.family, onBehalfOf: s.elder.userId }, s.id);
      expect(byFamily.body.id).toBe(s.id);
    },
  }),
  cancelEmergency: refused('cancelEmergency', {
    of: 'emergency',
    body: () => ({ note: '误触' }),
    also: () => [
      { label: 'a volunteer who was told of it', who: p().volunteer },
      { label: 'staff of the community', who: p().staff },
    ],
    ok: async (res) => {
      expect(res.body.status).toBe('cancelled');
    },
  }),
  answerEmergency: refused('answerEmergency', {
    of: 'emergency',
    as: () => p().volunteer,
    also: (s) => [
      { label: 'a volunteer of the community who was not told', who: p().otherVolunteer },
      { label: 'the elder', who: s.elder },
    ],
    ok: async (res, s) => {
      expect(res.body.status).toBe('answered');
      expect(res.body.address).toContain('栋');
      expect((await s.state()).call!.responderId).toBe(p().volunteer.userId);
    },
  }),
  acknowledgeEmergency: refused('acknowledgeEmergency', {
    of: 'emergency',
    as: () => p().staff,
    also: (s) => [
      { label: 'the elder', who: s.elder },
      { label: 'staff running another community', who: p().elsewhereStaff },
    ],
    ok: async (res) => {
      expect(res.body.status).toBe('acknowledged');
    },
  }),
  resolveEmergency: refused('resolveEmergency', {
    of: 'emergency',
    as: () => p().staff,
    body: () => ({ note: '已上门确认平安' }),
    also: () => [{ label: 'staff running another community', who: p().elsewhereStaff }],
    ok: async (res) => {
      expect(res.body.status).toBe('resolved');
    },
  }),
  signUpActivity: refused('signUpActivity', {
    of: 'activity',
    stage: 'open',
    also: () => [{ label: 'staff of the community', who: p().staff }],
    ok: async (res) => {
      expect(res.body.mine).toMatchObject({ status: 'signed_up' });
    },
  }),
  cancelActivitySignup: refused('cancelActivitySignup', {
    of: 'activity',
    stage: 'signed_up',
    also: () => [{ label: 'staff of the community', who: p().staff }],
    ok: async (res) => {
      expect(res.body.mine).toMatchObject({ status: 'cancelled' });
    },
  }),
  checkInActivity: refused('checkInActivity', {
    of: 'activity',
    stage: 'signed_up',
    at: (s) => new Date(s.startsAt.getTime() - 10 * 60_000),
    body: (s) => ({ code: s.code }),
    also: () => [{ label: 'staff of the community', who: p().staff }],
    ok: async (res) => {
      expect(res.body.mine).toMatchObject({ status: 'checked_in' });
    },
  }),
  checkOutActivity: refused('checkOutActivity', {
    of: 'activity',
    stage: 'checked_in',
    at: (s) => new Date(s.startsAt.getTime() + 30 * 60_000),
    also: () => [{ label: 'staff of the community', who: p().staff }],
    ok: async (res, s) => {
      expect(res.body.mine).toMatchObject({ status: 'checked_out' });
      expect((await s.state()).ledger.map((l) => l.deltaMin)).toEqual([60]);
    },
  }),
  activityRoster: refused('activityRoster', {
    of: 'activity',
    stage: 'signed_up',
    as: () => p().staff,
    also: (s) => [
      { label: 'a volunteer signed up for it', who: s.owner },
      { label: 'staff running another community', who: p().elsewhereStaff },
    ],
    ok: async (res) => {
      expect(res.body.items.map((i) => i.volunteerId)).toEqual([p().volunteer.userId]);
    },
  }),
  cancelActivity: refused('cancelActivity', {
    of: 'activity',
    stage: 'signed_up',
    as: () => p().staff,
    also: () => [{ label: 'staff running another community', who: p().elsewhereStaff }],
    ok: async (res) => {
      expect(res.body.cancelled).toBe(true);
    },
  }),
  updateEmergencyTeam: refused('updateEmergencyTeam', {
    of: 'team',
    body: () => ({ name: '夜间应急队' }),
    also: () => [
      { label: 'a member of the team', who: p().volunteer },
      { label: 'staff running another community', who: p().elsewhereStaff },
    ],
    ok: async (res) => {
      expect(res.body.name).toBe('夜间应急队');
    },
  }),
  activateEmergencyTeam: refused('activateEmergencyTeam', {
    of: 'team',
    body: () => ({ message: '小区积水，请到东门集合' }),
    also: () => [
      { label: 'a member of the team', who: p().volunteer },
      { label: 'staff running another community', who: p().elsewhereStaff },
    ],
    ok: async (res, s) => {
      expect(res.body.told).toBe(1);
      expect((await s.state()).activations).toHaveLength(1);
    },
  }),
  staffCaregiverNoShow: refused('staffCaregiverNoShow', {
    // A visit is missed only once it was due: the case runs 5 minutes after the start.
    of: 'careBooking',
    stage: 'confirmed',
    at: (s) => new Date(Date.parse(s.startsAt) + 5 * 60_000),
    as: () => p().staff,
    body: () => ({ note: '护理员未按时上门' }),
    also: (s) => [
      { label: 'staff running another community', who: p().elsewhereStaff },
      { label: "the booking's caregiver", who: p().caregiver },
      { label: "the booking's provider", who: p().providerOwner },
      { label: 'the elder', who: s.elder },
    ],
    ok: async (res, s, _h, before) => {
      expect(res.body).toMatchObject({ id: s.id, status: 'no_show', noShowBy: 'caregiver' });
      // Recorded against the caregiver: the elder's voucher part came back.
      expect((await s.state()).voucher.balance!.balanceFen).toBe(
        before.voucher.balance!.balanceFen + before.booking!.voucherFen,
      );
    },
  }),
  staffElderProfile: refused('staffElderProfile', {
    of: 'elder',
    as: () => p().staff,
    query: () => ({ reason: '核实服务对象信息' }),
    also: (s) => [
      { label: 'staff running another community', who: p().elsewhereStaff },
      { label: "the elder's family member", who: s.family },
      { label: 'a care provider of the community', who: p().providerOwner },
      { label: 'a caregiver of the community', who: p().caregiver },
    ],
    ok: async (res, s, _h, before) => {
      expect(res.body).toMatchObject({ elderId: s.id, healthNotes: '糖尿病，注意血糖' });
      const seen = new Set(before.accessLog.map((r) => r.id));
      const fresh = (await s.state()).accessLog.filter((r) => !seen.has(r.id));
      expect(fresh.map((r) => r.field).sort()).toEqual([
        'address',
        'emergency_contacts',
        'health_notes',
        'phone',
      ]);
      for (const r of fresh)
        expect(r).toMatchObject({ readerId: p().staff.userId, reason: '工作人员：核实服务对象信息' });
    },
  }),
  // ---- neighbors: posts, comments, reports, groups (cases above this line are older domains) ----
  neighborPost: refused('neighborPost', {
    of: 'neighborPost',
    roleIsTheRule: {
      because: 'every verified member of the community reads its posts',
      entitled: ['another resident'],
      notFound: 'Resource not found',
    },
    ok: async (res, s) => {
      expect(res.body).toMatchObject({ id: s.id, mine: true, text: '谁家有梯子借用一下' });
    },
  }),
  updatePost: refused('updatePost', {
    of: 'neighborPost',
    body: () => ({ text: '梯子已借到，谢谢' }),
    also: (s) => [
      { label: 'a member who may report it', who: s.reporter },
      { label: 'staff of the community', who: p().staff },
    ],
    ok: async (res, s) => {
      expect(res.body.text).toBe('梯子已借到，谢谢');
      expect((await s.state()).post?.body).toBe('梯子已借到，谢谢');
    },
  }),
  deletePost: refused('deletePost', {
    of: 'neighborPost',
    also: (s) => [
      { label: 'a member who may report it', who: s.reporter },
      { label: 'staff of the community', who: p().staff },
    ],
    ok: async (_res, s) => {
      expect((await s.state()).post?.status).toBe('deleted');
    },
  }),
  likePost: refused('likePost', {
    of: 'neighborPost',
    body: () => ({}),
    roleIsTheRule: {
      because: 'every verified member of the community may like its posts',
      entitled: ['another resident'],
      notFound: 'Resource not found',
    },
    ok: async (res, s) => {
      expect(res.body).toEqual({ liked: true, likeCount: 1 });
      expect((await s.state()).likes.map((l) => l.userId)).toEqual([s.owner.userId]);
    },
  }),
  unlikePost: refused('unlikePost', {
    of: 'neighborPost',
    roleIsTheRule: {
      because: 'every verified member of the community may take back their own like',
      entitled: ['another resident'],
      notFound: 'Resource not found',
    },
    ok: async (res) => {
      expect(res.body).toEqual({ liked: false, likeCount: 0 });
    },
  }),
  reportPost: refused('reportPost', {
    of: 'neighborPost',
    // The author cannot report their own post (409): a neighbour can.
    as: (s) => s.reporter,
    body: () => ({ reason: 'spam' }),
    roleIsTheRule: {
      because: 'every verified member of the community may report its posts',
      entitled: ['another resident'],
      notFound: 'Resource not found',
    },
    ok: async (_res, s) => {
      expect((await s.state()).reports.map((r) => r.reporterId)).toEqual([s.reporter.userId]);
    },
  }),
  postComments: refused('postComments', {
    of: 'neighborComment',
    pathId: (s) => s.postId,
    roleIsTheRule: {
      because: 'every verified member of the community reads the comments on its posts',
      entitled: ['another resident'],
      notFound: 'Resource not found',
    },
    ok: async (res, s) => {
      expect(res.body.items.map((c) => c.id)).toEqual([s.id]);
    },
  }),
  createComment: refused('createComment', {
    of: 'neighborPost',
    body: () => ({ text: '我有一把' }),
    status: 201,
    roleIsTheRule: {
      because: 'every verified member of the community may comment on its posts',
      entitled: ['another resident'],
      notFound: 'Resource not found',
    },
    ok: async (res, s) => {
      expect(res.body).toMatchObject({ postId: s.id, text: '我有一把', mine: true });
    },
  }),
  updateComment: refused('updateComment', {
    of: 'neighborComment',
    body: () => ({ text: '改成明天借' }),
    also: (s) => [
      { label: "the post's author", who: s.postAuthor },
      { label: 'staff of the community', who: p().staff },
    ],
    ok: async (res) => {
      expect(res.body.text).toBe('改成明天借');
    },
  }),
  deleteComment: refused('deleteComment', {
    of: 'neighborComment',
    also: (s) => [
      { label: "the post's author", who: s.postAuthor },
      { label: 'staff of the community', who: p().staff },
    ],
    ok: async (_res, s) => {
      expect((await s.state()).comments.map((c) => c.status)).toEqual(['deleted']);
    },
  }),
  reportComment: refused('reportComment', {
    of: 'neighborComment',
    as: (s) => s.reporter,
    body: () => ({ reason: 'abuse' }),
    roleIsTheRule: {
      because: 'every verified member of the community may report comments on its posts',
      entitled: ['another resident'],
      notFound: 'Resource not found',
    },
    ok: async (_res, s) => {
      expect((await s.state()).commentReports.map((r) => r.reporterId)).toEqual([s.reporter.userId]);
    },
  }),
  merchantRecommendations: open('merchantRecommendations', {
    of: 'recommendedShop',
    publicBecause: 'a shop page is for every signed-in person, and so are the 推荐 posts it shows',
    everyone: async (h, caller, s, id) => {
      const res = await h.hit(caller, id);
      expect(res.status, caller.label).toBe(200);
      expect(
        res.body.items.map((i) => i.id),
        caller.label,
      ).toContain(s.postId);
      const ghost = await h.hit(caller, GHOST);
      expect(ghost.body, caller.label).toEqual(NOT_FOUND_OF('Merchant'));
    },
    live: async (h, s, id) => {
      const res = await h.hit(s.owner, id);
      expect(res.body.items[0]).toMatchObject({ id: s.postId, merchant: { id } });
    },
  }),
  moderationCase: refused('moderationCase', {
    of: 'moderationCase',
    as: () => p().staff,
    also: (s) => [
      { label: 'the author of the hidden post', who: s.author },
      { label: 'staff running another community', who: p().elsewhereStaff },
    ],
    ok: async (res, s) => {
      expect(res.body).toMatchObject({ id: s.id, postId: s.postId, status: 'open', reportCount: 3 });
    },
  }),
  restoreCase: refused('restoreCase', {
    of: 'moderationCase',
    as: () => p().staff,
    body: () => ({}),
    also: (s) => [
      { label: 'the author of the hidden post', who: s.author },
      { label: 'staff running another community', who: p().elsewhereStaff },
    ],
    ok: async (res, s) => {
      expect(res.body.status).toBe('restored');
      expect((await s.state()).post?.status).toBe('published');
    },
  }),
  removeCase: refused('removeCase', {
    of: 'moderationCase',
    as: () => p().staff,
    body: () => ({ reason: '广告' }),
    also: (s) => [
      { label: 'the author of the hidden post', who: s.author },
      { label: 'staff running another community', who: p().elsewhereStaff },
    ],
    ok: async (res, s) => {
      expect(res.body).toMatchObject({ status: 'removed', decisionReason: '广告' });
      expect((await s.state()).post).toMatchObject({ status: 'removed', moderationReason: '广告' });
    },
  }),
  deleteSensitiveWord: refused('deleteSensitiveWord', {
    of: 'sensitiveWord',
    as: () => p().staff,
    also: () => [{ label: 'staff running another community', who: p().elsewhereStaff }],
    ok: async (_res, s) => {
      expect((await s.state()).words.some((x) => x.id === s.id)).toBe(false);
    },
  }),

  // ---- community office: notices, alerts, polls, activities ----
  communityNotice: refused('communityNotice', {
    of: 'communityNotice',
    also: (s) => [{ label: 'staff of the community (not a member)', who: s.staff }],
    ok: async (res, s) => {
      expect(res.body.readAt).not.toBeNull();
      expect((await s.state()).reads.map((r) => r.userId)).toEqual([s.owner.userId]);
    },
  }),
  communityAlert: refused('communityAlert', {
    of: 'communityAlert',
    also: (s) => [{ label: 'staff of the community (not a member)', who: s.staff }],
    ok: (res, s) => {
      expect(res.body).toMatchObject({ id: s.id, acknowledgedAt: null });
    },
  }),
  acknowledgeAlert: refused('acknowledgeAlert', {
    of: 'communityAlert',
    also: (s) => [{ label: 'staff of the community (not a member)', who: s.staff }],
    ok: async (res, s) => {
      expect(res.body.acknowledgedAt).not.toBeNull();
      expect((await s.state()).acks.map((a) => a.userId)).toEqual([s.owner.userId]);
    },
  }),
  communityPoll: refused('communityPoll', {
    of: 'communityPoll',
    also: (s) => [{ label: 'staff of the community (not a member)', who: s.staff }],
    ok: (res) => {
      expect(res.body).toMatchObject({ status: 'open', canVote: true });
    },
  }),
  votePoll: refused('votePoll', {
    of: 'communityPoll',
    body: () => ({ choices: [0] }),
    also: (s) => [{ label: 'staff of the community (not a member)', who: s.staff }],
    ok: async (res, s) => {
      expect(res.body.myHousehold).toMatchObject({ voted: true, byMe: true, choices: [0] });
      expect((await s.state()).votes.map((v) => v.userId)).toEqual([s.owner.userId]);
    },
  }),
  communityGroup: refused('communityGroup', {
    of: 'communityGroup',
    stage: 'open',
    also: (s) => [{ label: 'staff of the community (not a member)', who: s.staff }],
    ok: (res) => {
      expect(res.body).toMatchObject({ joined: false, memberCount: 0 });
    },
  }),
  joinGroup: refused('joinGroup', {
    of: 'communityGroup',
    stage: 'open',
    also: (s) => [{ label: 'staff of the community (not a member)', who: s.staff }],
    ok: async (res, s) => {
      expect(res.body).toMatchObject({ joined: true, memberCount: 1 });
      expect((await s.state()).members.map((m) => m.userId)).toEqual([s.owner.userId]);
    },
  }),
  leaveGroup: refused('leaveGroup', {
    of: 'communityGroup',
    stage: 'joined',
    also: (s) => [{ label: 'staff of the community (not a member)', who: s.staff }],
    ok: async (res, s) => {
      expect(res.body).toMatchObject({ joined: false, memberCount: 0 });
      expect((await s.state()).members).toEqual([]);
    },
  }),
  communityActivity: refused('communityActivity', {
    of: 'communityActivity',
    stage: 'open',
    also: (s) => [{ label: 'staff of the community (not a member)', who: s.staff }],
    ok: (res) => {
      expect(res.body).toMatchObject({ mine: null, checkinCode: null });
    },
  }),
  signUpCommunityActivity: refused('signUpCommunityActivity', {
    of: 'communityActivity',
    stage: 'open',
    also: (s) => [{ label: 'staff of the community (not a member)', who: s.staff }],
    ok: (res) => {
      expect(res.body.mine).toMatchObject({ status: 'signed_up' });
    },
  }),
  cancelCommunitySignup: refused('cancelCommunitySignup', {
    of: 'communityActivity',
    stage: 'signed_up',
    also: (s) => [{ label: 'staff of the community (not a member)', who: s.staff }],
    ok: (res) => {
      expect(res.body.mine).toMatchObject({ status: 'cancelled' });
    },
  }),
  checkInCommunityActivity: refused('checkInCommunityActivity', {
    of: 'communityActivity',
    stage: 'signed_up',
    at: (s) => new Date(s.startsAt.getTime() - 10 * 60_000),
    body: (s) => ({ code: s.code }),
    also: (s) => [{ label: 'staff of the community (not a member)', who: s.staff }],
    ok: (res) => {
      expect(res.body.mine).toMatchObject({ status: 'checked_in' });
    },
  }),
  staffNotice: refused('staffNotice', {
    of: 'communityNotice',
    as: (s) => s.staff,
    also: (s) => [
      { label: 'a member of the community', who: s.owner },
      { label: 'staff running another community', who: p().staff },
    ],
    ok: (res, s) => {
      expect(res.body).toMatchObject({ id: s.id, stats: { read: 0 } });
    },
  }),
  updateNotice: refused('updateNotice', {
    of: 'communityNotice',
    as: (s) => s.staff,
    body: () => ({ title: '改过的通知' }),
    also: (s) => [
      { label: 'a member of the community', who: s.owner },
      { label: 'staff running another community', who: p().staff },
    ],
    ok: async (res, s) => {
      expect(res.body.title).toBe('改过的通知');
      expect((await s.state()).notice!.title).toBe('改过的通知');
    },
  }),
  pinNotice: refused('pinNotice', {
    of: 'communityNotice',
    as: (s) => s.staff,
    body: () => ({ pinned: true }),
    also: (s) => [
      { label: 'a member of the community', who: s.owner },
      { label: 'staff running another community', who: p().staff },
    ],
    ok: async (_res, s) => {
      expect((await s.state()).notice!.pinned).toBe(true);
    },
  }),
  withdrawNotice: refused('withdrawNotice', {
    of: 'communityNotice',
    as: (s) => s.staff,
    also: (s) => [
      { label: 'a member of the community', who: s.owner },
      { label: 'staff running another community', who: p().staff },
    ],
    ok: async (_res, s) => {
      expect((await s.state()).notice!.withdrawnAt).not.toBeNull();
    },
  }),
  noticeUnread: refused('noticeUnread', {
    of: 'communityNotice',
    as: (s) => s.staff,
    also: (s) => [
      { label: 'a member of the community', who: s.owner },
      { label: 'staff running another community', who: p().staff },
    ],
    ok: (res) => {
      expect(res.body.items.length).toBeGreaterThan(0);
    },
  }),
  staffAlert: refused('staffAlert', {
    of: 'communityAlert',
    as: (s) => s.staff,
    also: (s) => [
      { label: 'a member of the community', who: s.owner },
      { label: 'staff running another community', who: p().staff },
    ],
    ok: (res, s) => {
      expect(res.body).toMatchObject({ id: s.id, acknowledged: 0 });
    },
  }),
  withdrawAlert: refused('withdrawAlert', {
    of: 'communityAlert',
    as: (s) => s.staff,
    also: (s) => [
      { label: 'a member of the community', who: s.owner },
      { label: 'staff running another community', who: p().staff },
    ],
    ok: async (_res, s) => {
      expect((await s.state()).alert!.withdrawnAt).not.toBeNull();
    },
  }),
  staffPoll: refused('staffPoll', {
    of: 'communityPoll',
    as: (s) => s.staff,
    also: (s) => [
      { label: 'a member of the community', who: s.owner },
      { label: 'staff running another community', who: p().staff },
    ],
    ok: (res) => {
      expect(res.body.resultsVisible).toBe(true);
    },
  }),
  closePoll: refused('closePoll', {
    of: 'communityPoll',
    as: (s) => s.staff,
    also: (s) => [
      { label: 'a member of the community', who: s.owner },
      { label: 'staff running another community', who: p().staff },
    ],
    ok: async (res, s) => {
      expect(res.body.status).toBe('closed');
      expect((await s.state()).poll!.closedAt).not.toBeNull();
    },
  }),
  updateGroup: refused('updateGroup', {
    of: 'communityGroup',
    stage: 'open',
    as: (s) => s.staff,
    body: () => ({ description: '改过的简介' }),
    also: (s) => [
      { label: 'a member of the community', who: s.owner },
      { label: 'staff running another community', who: p().staff },
    ],
    ok: async (_res, s) => {
      expect((await s.state()).group!.description).toBe('改过的简介');
    },
  }),
  communityActivityRoster: refused('communityActivityRoster', {
    of: 'communityActivity',
    stage: 'signed_up',
    as: (s) => s.staff,
    also: (s) => [
      { label: 'a member signed up for it', who: s.owner },
      { label: 'staff running another community', who: p().staff },
    ],
    ok: (res, s) => {
      expect(res.body.items.map((i) => i.userId)).toEqual([s.owner.userId]);
    },
  }),
  cancelCommunityActivity: refused('cancelCommunityActivity', {
    of: 'communityActivity',
    stage: 'signed_up',
    as: (s) => s.staff,
    also: (s) => [
      { label: 'a member signed up for it', who: s.owner },
      { label: 'staff running another community', who: p().staff },
    ],
    ok: async (res, s) => {
      expect(res.body.cancelled).toBe(true);
      expect((await s.state()).activity!.cancelledAt).not.toBeNull();
    },
  }),

  // ---- resident requests ----
  myRequest: refused('myRequest', {
    of: 'residentRequest',
    stage: 'dispatched_shop',
    also: (s) => [
      { label: 'staff of the community', who: s.staff },
      { label: 'the shop handling it', who: s.shopOwner },
    ],
    ok: (res, s) => {
      expect(res.body).toMatchObject({
        id: s.id,
        status: 'dispatched',
        resident: null,
        actions: ['withdraw'],
      });
    },
  }),
  withdrawRequest: refused('withdrawRequest', {
    of: 'residentRequest',
    stage: 'dispatched_shop',
    body: () => ({ reason: '不用了' }),
    also: (s) => [
      { label: 'staff of the community', who: s.staff },
      { label: 'the shop handling it', who: s.shopOwner },
    ],
    ok: async (res, s) => {
      expect(res.body.status).toBe('withdrawn');
      expect((await s.state()).request!.status).toBe('withdrawn');
    },
  }),
  rateRequest: refused('rateRequest', {
    of: 'residentRequest',
    stage: 'resolved_shop',
    body: () => ({ stars: 5, text: '好' }),
    also: (s) => [
      { label: 'staff of the community', who: s.staff },
      { label: 'the shop that resolved it', who: s.shopOwner },
    ],
    ok: async (res, s) => {
      expect(res.body).toMatchObject({ status: 'closed', rating: { stars: 5 } });
      expect((await s.state()).request!.rating).toBe(5);
    },
  }),
  reopenRequest: refused('reopenRequest', {
    of: 'residentRequest',
    stage: 'resolved_shop',
    body: () => ({ reason: '还在漏' }),
    also: (s) => [
      { label: 'staff of the community', who: s.staff },
      { label: 'the shop that resolved it', who: s.shopOwner },
    ],
    ok: async (res, s) => {
      expect(res.body).toMatchObject({ status: 'reopened', reopenCount: 1 });
      expect((await s.state()).request!.reopenCount).toBe(1);
    },
  }),
  requestStats: open('requestStats', {
    of: 'requestCommunity',
    publicBecause: "a community's monthly request figures are public (政务公开) to everyone signed in",
    query: () => ({ month: '2026-12' }),
    everyone: async (h, caller, s, id) => {
      const res = await h.hit(caller, id);
      expect(res.status, caller.label).toBe(200);
      expect(res.body.communityId, caller.label).toBe(s.id);
      // Figures only: nobody's text, name or phone.
      expect(Object.keys(res.body).sort(), caller.label).not.toContain('items');
    },
    live: async (h, s, id) => {
      const res = await h.hit(s.owner, id);
      expect(res.body.byCategory.length).toBeGreaterThan(0);
      const ghost = await h.hit(s.owner, GHOST);
      expect(ghost.status).toBe(404);
    },
  }),
  staffRequest: refused('staffRequest', {
    of: 'residentRequest',
    stage: 'submitted',
    as: (s) => s.staff,
    also: (s) => [
      { label: 'the resident who raised it', who: s.owner },
      { label: 'the repair shop', who: s.shopOwner },
    ],
    ok: (res, s) => {
      expect(res.body).toMatchObject({ id: s.id, actions: ['dispatch', 'reject'] });
      expect(res.body.resident?.phone).toMatch(/^1\d{10}$/);
    },
  }),
  requestHandlers: refused('requestHandlers', {
    of: 'residentRequest',
    stage: 'submitted',
    as: (s) => s.staff,
    also: (s) => [{ label: 'the resident who raised it', who: s.owner }],
    ok: (res, s) => {
      expect(res.body.staff.map((x) => x.userId)).toContain(s.staff.userId);
      expect(res.body.merchants.map((m) => m.name)).toContain('邻里快修');
    },
  }),
  dispatchRequest: refused('dispatchRequest', {
    of: 'residentRequest',
    stage: 'submitted',
    as: (s) => s.staff,
    body: (s) => ({ handler: { kind: 'staff', userId: s.staff.userId }, version: s.version }),
    also: (s) => [
      { label: 'the resident who raised it', who: s.owner },
      { label: 'the repair shop', who: s.shopOwner },
    ],
    ok: async (res, s) => {
      expect(res.body).toMatchObject({
        status: 'dispatched',
        handler: { kind: 'staff', id: s.staff.userId },
      });
      expect((await s.state()).request!.handlerUserId).toBe(s.staff.userId);
    },
  }),
  rejectRequest: refused('rejectRequest', {
    of: 'residentRequest',
    stage: 'submitted',
    as: (s) => s.staff,
    body: () => ({ reason: '不属于受理范围' }),
    also: (s) => [{ label: 'the resident who raised it', who: s.owner }],
    ok: async (res, s) => {
      expect(res.body.status).toBe('rejected');
      expect((await s.state()).request!.rejectReason).toBe('不属于受理范围');
    },
  }),
  staffAcceptRequest: refused('staffAcceptRequest', {
    of: 'residentRequest',
    stage: 'dispatched_staff',
    as: (s) => s.staff,
    body: () => ({ note: '马上去看' }),
    also: (s) => [
      { label: 'the resident who raised it', who: s.owner },
      { label: 'the repair shop', who: s.shopOwner },
    ],
    ok: async (res, s) => {
      expect(res.body.status).toBe('accepted');
      expect((await s.state()).request!.respondedAt).not.toBeNull();
    },
  }),
  staffDeclineRequest: refused('staffDeclineRequest', {
    of: 'residentRequest',
    stage: 'dispatched_staff',
    as: (s) => s.staff,
    body: () => ({ reason: '需要专业师傅' }),
    also: (s) => [{ label: 'the resident who raised it', who: s.owner }],
    ok: async (res, s) => {
      expect(res.body).toMatchObject({ status: 'submitted', handler: null });
      expect((await s.state()).request!.handlerUserId).toBeNull();
    },
  }),
  staffResolveRequest: refused('staffResolveRequest', {
    of: 'residentRequest',
    stage: 'accepted_staff',
    as: (s) => s.staff,
    body: () => ({ note: '已处理' }),
    also: (s) => [{ label: 'the resident who raised it', who: s.owner }],
    ok: async (res, s) => {
      expect(res.body).toMatchObject({ status: 'resolved', resolution: { note: '已处理' } });
      expect((await s.state()).request!.resolvedAt).not.toBeNull();
    },
  }),
  requestSettings: refused('requestSettings', {
    of: 'requestCommunity',
    also: () => [{ label: 'a resident of the community', who: p().resident }],
    ok: (res, s) => {
      expect(res.body).toMatchObject({ communityId: s.id });
      expect(res.body.limits).toHaveLength(6);
    },
  }),
  saveRequestSettings: refused('saveRequestSettings', {
    of: 'requestCommunity',
    body: () => ({ leadStaffId: null, limits: [{ category: 'repair', respondHours: 12, resolveHours: 48 }] }),
    also: () => [{ label: 'a resident of the community', who: p().resident }],
    ok: async (res, s) => {
      expect(res.body.limits.find((l) => l.category === 'repair')).toMatchObject({
        respondHours: 12,
        custom: true,
      });
      expect((await s.state()).limits.map((l) => l.respondHours)).toEqual([12]);
      // Put back: other cases raise repairs under the default limits.
      await t.call({
        method: 'PUT',
        url: `/v1/staff/communities/${s.id}/request-settings`,
        headers: bearer(p().staff),
        payload: { leadStaffId: null, limits: [] },
      });
    },
  }),
  merchantRequest: refused('merchantRequest', {
    of: 'residentRequest',
    stage: 'dispatched_shop',
    as: (s) => s.shopOwner,
    also: (s) => [
      { label: 'the resident who raised it', who: s.owner },
      { label: 'staff of the community', who: s.staff },
      { label: 'the seeded produce merchant', who: p().seededMerchant },
    ],
    ok: (res, s) => {
      expect(res.body).toMatchObject({ id: s.id, actions: ['accept', 'decline'] });
      // Offered, not yet taken: the shop sees the resident's number masked until it accepts.
      expect(res.body.resident?.phone).toMatch(/^1\d{2}\*{4}\d{4}$/);
    },
  }),
  merchantAcceptRequest: refused('merchantAcceptRequest', {
    of: 'residentRequest',
    stage: 'dispatched_shop',
    as: (s) => s.shopOwner,
    body: () => ({ note: '' }),
    also: (s) => [
      { label: 'staff of the community', who: s.staff },
      { label: 'the seeded produce merchant', who: p().seededMerchant },
    ],
    ok: async (res, s) => {
      expect(res.body.status).toBe('accepted');
      expect((await s.state()).request!.status).toBe('accepted');
    },
  }),
  merchantDeclineRequest: refused('merchantDeclineRequest', {
    of: 'residentRequest',
    stage: 'dispatched_shop',
    as: (s) => s.shopOwner,
    body: () => ({ reason: '不在服务范围' }),
    also: () => [{ label: 'the seeded produce merchant', who: p().seededMerchant }],
    ok: async (res, s) => {
      expect(res.body.status).toBe('submitted');
      expect((await s.state()).request!.handlerMerchantId).toBeNull();
    },
  }),
  merchantResolveRequest: refused('merchantResolveRequest', {
    of: 'residentRequest',
    stage: 'accepted_shop',
    as: (s) => s.shopOwner,
    body: () => ({ note: '已更换水管' }),
    also: () => [{ label: 'the seeded produce merchant', who: p().seededMerchant }],
    ok: async (res, s) => {
      expect(res.body).toMatchObject({ status: 'resolved', resolution: { note: '已更换水管' } });
      expect((await s.state()).request!.resolvedBy).toBe(s.shopOwner.userId);
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
    { label: "another care provider's owner", who: people.otherProvider },
    { label: "another care provider's caregiver", who: people.otherCaregiver },
    { label: 'a volunteer of another community', who: people.elsewhereVolunteer },
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

function helpers<N extends ParamRoute>(route: N, query?: Record<string, string>): Helpers<N> {
  const def = api[route];
  const search = query ? `?${new URLSearchParams(query)}` : '';
  return {
    w,
    hit: (as, id, body) => {
      const caller: Caller = 'label' in as ? as : { label: 'someone', who: as };
      return t.call({
        method: def.method,
        url: `${fillPath(def.path, id)}${search}`,
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
    expect(gateOf(api.confirmCareBooking.path)).toBe('provider');
    expect(gateOf(api.clockIn.path)).toBe('caregiver');
    expect(gateOf(api.acceptTask.path)).toBe('volunteer');
    expect(gateOf(api.careBooking.path)).toBeUndefined();
    expect(gateOf(api.order.path)).toBeUndefined();
  });
});

describe.each(entries.filter((c) => !('publicBecause' in c)))('$route', (c) => {
  const def = api[c.route];
  it(`${def.method} ${def.path}: refused to every foreign role, the ${c.kind} unchanged; live for the one entitled`, async () => {
    const s = await (w.make[c.kind] as (stage?: unknown) => Promise<Loose>)(c.stage);
    const h = helpers(c.route, c.query?.(s));
    const id: string = c.pathId?.(s) ?? s.id;
    const owner: Who = c.as?.(s) ?? s.owner;
    const body = c.body?.(s);
    const rule: { because: string; entitled: string[]; notFound: string } | undefined = c.roleIsTheRule;
    const foreign = foreignRoles(c.route, owner);
    const entitledToo = (rule?.entitled ?? []).map((label) => {
      const found = foreign.find((f) => f.label === label);
      expect(found, `${label} is one of the foreign roles`).toBeDefined();
      return found!;
    });
    const callers: Caller[] = [...foreign.filter((f) => !entitledToo.includes(f)), ...(c.also?.(s) ?? [])];
    // No foreign caller holds the owner's own token (acting for the owner without a link is the point).
    for (const caller of callers)
      expect(caller.who.userId, `${caller.label} is the one entitled`).not.toBe(owner.userId);
    if (c.at) t.clock.set(c.at(s));
    try {
      await runRefusal(c, s, h, { id, owner, body, callers, entitledToo, rule });
    } finally {
      if (c.at) t.clock.set(new Date());
    }
  });
});

async function runRefusal(
  c: Loose & { route: ParamRoute; kind: Kind },
  s: Loose,
  h: Helpers<ParamRoute>,
  o: {
    id: string;
    owner: Who;
    body: unknown;
    callers: Caller[];
    entitledToo: Caller[];
    rule: { because: string; notFound: string } | undefined;
  },
) {
  const { id, owner, callers } = o;
  const body = o.body as Body<ParamRoute>;

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
  // Somebody holding the route's role reached the resource check: the case tests more than the role
  // (unless holding the role is the whole rule, and every holder is entitled).
  if (!o.rule) expect(answers, `${c.route}: no foreign caller got past the role check`).toContain(404);
  await c.refusedToo?.(s, h);
  expect(await s.state(), `${c.route}: the ${c.kind} changed under foreign calls`).toEqual(before);

  // The one entitled gets the same 404 for an id that does not exist, and the real thing for theirs.
  const ghost = await h.hit(owner, GHOST, body);
  const what = `${c.route} as the one entitled, for an id that does not exist`;
  if (o.rule)
    expect({ status: ghost.status, body: ghost.body }, what).toEqual({
      status: 404,
      body: { error: { code: 'NOT_FOUND', message: o.rule.notFound } },
    });
  else expectNotFound(ghost, what);
  const res = await h.hit(owner, id, body);
  expect(res.status, `${c.route} as the one entitled: ${JSON.stringify(res.body)}`).toBe(c.status ?? 200);
  await c.ok(res, s, h, before);
  for (const caller of o.entitledToo) {
    // Entitled as well, by the rule the case names.
    const theirs = await h.hit(caller, id, body);
    expect(
      theirs.status,
      `${c.route} as ${caller.label} (${o.rule!.because}): ${JSON.stringify(theirs.body)}`,
    ).toBe(c.status ?? 200);
  }
}

describe.each(entries.filter((c) => 'publicBecause' in c))('$route (public by design)', (c) => {
  const def = api[c.route];
  it(`${def.method} ${def.path}: ${c.publicBecause}`, async () => {
    const s = await (w.make[c.kind] as (stage?: unknown) => Promise<Loose>)(c.stage);
    const h = helpers(c.route, c.query?.(s));
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
