import { randomUUID } from 'node:crypto';
import { PROXY_ROUTES, type RouteName } from 'shared';
import { describe, expect, it, vi } from 'vitest';
import { createActingStore } from '../session/acting-for';
import { createApiClient, type HttpRequest, type HttpResponse } from './client';
import { createTokenStore, memoryStorage } from './tokens';

const userId = randomUUID();
const elderId = randomUUID();

const me = {
  user: {
    id: elderId,
    name: '刘奶奶',
    phoneMasked: '138****0020',
    birthDate: '1940-03-15',
    isElder: true,
    elderMode: null,
    reachableCompartments: { choice: null, on: true },
  },
  roles: ['resident'],
  memberships: [],
  elders: [],
  staffCommunities: [],
  unreadNotifications: 1,
};

/** A fake BFF answering every route with a valid body; `status` overrides the answer for one path. */
function setup(status?: { path: string; code: number }) {
  const requests: HttpRequest[] = [];
  const transport = vi.fn(async (req: HttpRequest): Promise<HttpResponse> => {
    requests.push(req);
    const path = new URL(req.url).pathname;
    if (status && path === status.path)
      return { status: status.code, data: { error: { code: 'X', message: 'x' } } };
    if (path === '/v1/me') return { status: 200, data: me };
    if (path === '/v1/notifications')
      return { status: 200, data: { items: [], nextCursor: null, unread: 0 } };
    if (path === '/v1/notifications/read') return { status: 200, data: { ok: true } };
    if (path === '/v1/communities') return { status: 200, data: { items: [] } };
    if (path === '/v1/proxy-links' || path === '/v1/proxy-links/audit')
      return { status: 200, data: { items: [] } };
    if (path === '/v1/memberships') return { status: 200, data: { items: [] } };
    return { status: 500, data: {} };
  });
  const storage = memoryStorage();
  const acting = createActingStore(storage);
  const tokens = createTokenStore(memoryStorage());
  tokens.set({ accessToken: 'access-1', refreshToken: 'refresh-token-number-1', userId });
  const onProxyLost = vi.fn(() => acting.set(null));
  const client = createApiClient({
    baseUrl: 'http://bff.test',
    transport,
    tokens,
    onBehalfOf: () => acting.get()?.elderId ?? null,
    onProxyLost,
  });
  const header = (i: number) => requests[i]?.headers['X-On-Behalf-Of'];
  return { client, acting, storage, requests, header, onProxyLost };
}

describe('acting for an elder (X-On-Behalf-Of)', () => {
  it('lists exactly the routes the BFF accepts the header on', () => {
    expect([...PROXY_ROUTES].sort()).toEqual(
      (
        [
          'me',
          // 首页: a family member acting for an elder sees the elder's home.
          'home',
          'myMemberships',
          'requestMembership',
          'notifications',
          'markNotificationsRead',
          'proxyAudit',
          // Orders: a family member may shop, pay and follow orders for the elder.
          'createOrder',
          'orders',
          'order',
          'cancelOrder',
          'payOrder',
          'devConfirmPayment',
          'requestRefund',
          // Uploads: the photos of a refund asked for the elder are the elder's.
          'createUploads',
          'upload',
          'deleteUpload',
          // Lockers: the family can check a bank's room at checkout, open it and extend for the elder.
          'lockerAvailability',
          'openLocker',
          'extendLocker',
          'payLockerExtension',
          // Care: the family books, pays, rates and follows the elder's care, meals and vouchers.
          'careCatalog',
          'careSlots',
          'elderProfile',
          'careCaregiverChoices',
          'updateElderProfile',
          'careBookings',
          'createCareBooking',
          'careBooking',
          'cancelCareBooking',
          'rescheduleCareBooking',
          'payCareBooking',
          'rateCareVisit',
          'careVouchers',
          'careAccessLog',
          'careDashboard',
          'mealPlan',
          'saveMealPlan',
          'stopMealPlan',
          'skipMeal',
          'unskipMeal',
          // Volunteers: the family asks for help, confirms or disputes hours, presses 一键求助,
          // keeps the check-in plan and the produce-run consent for the elder.
          'helpTasks',
          'createHelpTask',
          'helpTask',
          'cancelHelpTask',
          'confirmTaskHours',
          'disputeTaskHours',
          'bringLockerOrder',
          'errandConsent',
          'saveErrandConsent',
          'raiseEmergency',
          'elderEmergencies',
          'elderEmergency',
          'cancelEmergency',
          'checkinToday',
          'checkIn',
          'saveCheckinPlan',
          // Resident requests: the family raises, follows, rates or reopens a request for the elder.
          'myRequests',
          'createRequest',
          'myRequest',
          'withdrawRequest',
          'rateRequest',
          'reopenRequest',
          // Community life: the family reads notices and alerts, votes for the household, signs the
          // elder up for activities and groups (check-in at the place is the elder's own).
          'communityNotices',
          'communityNotice',
          'communityLiveAlerts',
          'communityAlert',
          'acknowledgeAlert',
          'communityPolls',
          'communityPoll',
          'votePoll',
          'communityGroups',
          'communityGroup',
          'joinGroup',
          'leaveGroup',
          'communityActivities',
          'communityActivity',
          'signUpCommunityActivity',
          'cancelCommunitySignup',
        ] as RouteName[]
      ).sort(),
    );
  });

  it('sends the header on proxy-capable routes only', async () => {
    const { client, acting, requests, header } = setup();
    acting.set({ elderId, name: '刘奶奶' });

    await client.call('me');
    await client.call('notifications', { query: { limit: 20 } });
    await client.call('markNotificationsRead', { body: { all: true } });
    await client.call('proxyAudit');
    await client.call('myMemberships');
    await client.call('communities');
    await client.call('proxyLinks');

    expect(requests.map((r) => new URL(r.url).pathname)).toEqual([
      '/v1/me',
      '/v1/notifications',
      '/v1/notifications/read',
      '/v1/proxy-links/audit',
      '/v1/memberships',
      '/v1/communities',
      '/v1/proxy-links',
    ]);
    expect([0, 1, 2, 3, 4].map(header)).toEqual([elderId, elderId, elderId, elderId, elderId]);
    expect(header(5)).toBeUndefined();
    expect(header(6)).toBeUndefined();
    // The signed-in person's token still authenticates the call.
    expect(requests.every((r) => r.headers.Authorization === 'Bearer access-1')).toBe(true);
  });

  it('stops sending it after 退出代办', async () => {
    const { client, acting, header } = setup();
    acting.set({ elderId, name: '刘奶奶' });
    await client.call('me');
    acting.set(null);
    await client.call('me');
    await client.call('notifications');

    expect(header(0)).toBe(elderId);
    expect(header(1)).toBeUndefined();
    expect(header(2)).toBeUndefined();
  });

  it('never sends it when not acting for anyone', async () => {
    const { client, header } = setup();
    await client.call('me');
    expect(header(0)).toBeUndefined();
  });

  it('leaves acting-for mode when the BFF answers 404 under the header (consent revoked)', async () => {
    const { client, acting, onProxyLost, header } = setup({ path: '/v1/me', code: 404 });
    acting.set({ elderId, name: '刘奶奶' });

    await expect(client.call('me')).rejects.toMatchObject({ code: 'PROXY_LINK_GONE', status: 404 });
    expect(onProxyLost).toHaveBeenCalledTimes(1);
    expect(acting.get()).toBeNull();

    // Without the header a 404 is an ordinary error and does not touch acting-for mode.
    await expect(client.call('me')).rejects.toMatchObject({ status: 404 });
    expect(header(1)).toBeUndefined();
    expect(onProxyLost).toHaveBeenCalledTimes(1);
  });
});

describe('acting-for store', () => {
  it('persists the elder across launches and forgets it on exit', () => {
    const storage = memoryStorage();
    const store = createActingStore(storage);
    const listener = vi.fn();
    store.subscribe(listener);

    store.set({ elderId, name: '刘奶奶' });
    expect(createActingStore(storage).get()).toEqual({ elderId, name: '刘奶奶' });
    store.set({ elderId, name: '刘奶奶' });
    expect(listener).toHaveBeenCalledTimes(1);

    store.set(null);
    expect(createActingStore(storage).get()).toBeNull();
    expect(listener).toHaveBeenCalledTimes(2);
  });

  it('treats a corrupt entry as not acting', () => {
    const storage = memoryStorage();
    storage.setItem('linli.actingFor', '{nope');
    expect(createActingStore(storage).get()).toBeNull();
    storage.setItem('linli.actingFor', JSON.stringify({ name: 'x' }));
    expect(createActingStore(storage).get()).toBeNull();
  });
});
