import {
  AcceptRequestBody,
  CreateRequestBody,
  DeclineRequestBody,
  DispatchRequestBody,
  MerchantRequestQuery,
  MyRequestQuery,
  RateRequestBody,
  RejectRequestBody,
  ReopenRequestBody,
  RequestDetail,
  RequestHandlerOptions,
  RequestPage,
  RequestSettings,
  RequestStats,
  RequestStatsQuery,
  ResolveRequestBody,
  SaveRequestSettingsBody,
  StaffRequestQuery,
  WithdrawRequestBody,
} from '../contracts/requests';
import type { RouteDef } from './route-def';

/**
 * Resident requests (the one-number service): the resident's side under /v1/requests (a family
 * proxy may raise and follow one for an elder), staff's dispatch desk under /v1/staff, the shop
 * that handles home repairs under /v1/merchant, and the community's public monthly figures.
 */
export const requestApi = {
  // ---- the resident ----
  myRequests: {
    method: 'GET',
    path: '/v1/requests',
    query: MyRequestQuery,
    response: RequestPage,
    proxy: true,
  },
  createRequest: {
    method: 'POST',
    path: '/v1/requests',
    body: CreateRequestBody,
    response: RequestDetail,
    proxy: true,
  },
  myRequest: { method: 'GET', path: '/v1/requests/:id', response: RequestDetail, proxy: true },
  withdrawRequest: {
    method: 'POST',
    path: '/v1/requests/:id/withdraw',
    body: WithdrawRequestBody,
    response: RequestDetail,
    proxy: true,
  },
  rateRequest: {
    method: 'POST',
    path: '/v1/requests/:id/rate',
    body: RateRequestBody,
    response: RequestDetail,
    proxy: true,
  },
  reopenRequest: {
    method: 'POST',
    path: '/v1/requests/:id/reopen',
    body: ReopenRequestBody,
    response: RequestDetail,
    proxy: true,
  },
  /** Public to every signed-in user: the community's monthly figures (政务公开). */
  requestStats: {
    method: 'GET',
    path: '/v1/communities/:id/request-stats',
    query: RequestStatsQuery,
    response: RequestStats,
  },

  // ---- staff: the dispatch desk (and a staff member handling a request themselves) ----
  staffRequests: {
    method: 'GET',
    path: '/v1/staff/requests',
    query: StaffRequestQuery,
    response: RequestPage,
  },
  staffRequest: { method: 'GET', path: '/v1/staff/requests/:id', response: RequestDetail },
  requestHandlers: {
    method: 'GET',
    path: '/v1/staff/requests/:id/handlers',
    response: RequestHandlerOptions,
  },
  dispatchRequest: {
    method: 'POST',
    path: '/v1/staff/requests/:id/dispatch',
    body: DispatchRequestBody,
    response: RequestDetail,
  },
  rejectRequest: {
    method: 'POST',
    path: '/v1/staff/requests/:id/reject',
    body: RejectRequestBody,
    response: RequestDetail,
  },
  staffAcceptRequest: {
    method: 'POST',
    path: '/v1/staff/requests/:id/accept',
    body: AcceptRequestBody,
    response: RequestDetail,
  },
  staffDeclineRequest: {
    method: 'POST',
    path: '/v1/staff/requests/:id/decline',
    body: DeclineRequestBody,
    response: RequestDetail,
  },
  staffResolveRequest: {
    method: 'POST',
    path: '/v1/staff/requests/:id/resolve',
    body: ResolveRequestBody,
    response: RequestDetail,
  },
  requestSettings: {
    method: 'GET',
    path: '/v1/staff/communities/:id/request-settings',
    response: RequestSettings,
  },
  saveRequestSettings: {
    method: 'PUT',
    path: '/v1/staff/communities/:id/request-settings',
    body: SaveRequestSettingsBody,
    response: RequestSettings,
  },

  // ---- the shop dispatched to (home services) ----
  merchantRequests: {
    method: 'GET',
    path: '/v1/merchant/requests',
    query: MerchantRequestQuery,
    response: RequestPage,
  },
  merchantRequest: { method: 'GET', path: '/v1/merchant/requests/:id', response: RequestDetail },
  merchantAcceptRequest: {
    method: 'POST',
    path: '/v1/merchant/requests/:id/accept',
    body: AcceptRequestBody,
    response: RequestDetail,
  },
  merchantDeclineRequest: {
    method: 'POST',
    path: '/v1/merchant/requests/:id/decline',
    body: DeclineRequestBody,
    response: RequestDetail,
  },
  merchantResolveRequest: {
    method: 'POST',
    path: '/v1/merchant/requests/:id/resolve',
    body: ResolveRequestBody,
    response: RequestDetail,
  },
} as const satisfies Record<string, RouteDef>;
