import { z } from 'zod';
import { DevLoginBody, RefreshBody, TokenPair, WechatLoginBody } from '../contracts/auth';
import { Ok } from '../contracts/common';
import { Me, Membership, UpdateMeBody } from '../contracts/me';
import {
  CreateMembershipBody,
  MembershipList,
  RejectMembershipBody,
  ReviewMembershipBody,
  StaffMembershipList,
  StaffMembershipQuery,
} from '../contracts/memberships';
import {
  MarkReadBody,
  NotificationPage,
  NotificationQuery,
  SubscribeTemplates,
  SubscriptionGrantBody,
  SubscriptionQuota,
} from '../contracts/notifications';
import { CommunityList, CommunityTree } from '../contracts/places';
import {
  AuditList,
  CreateProxyLinkBody,
  ProxyLink,
  ProxyLinkList,
  RecordConsentBody,
  StaffProxyLinkQuery,
} from '../contracts/proxies';

/**
 * The API as data: one entry per route, shared by the BFF (schemas) and the mini-program's typed
 * client. `:id` in a path is filled from `params`.
 */
export interface RouteDef {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  body?: z.ZodType;
  query?: z.ZodType;
  response: z.ZodType;
  /** false for the login routes themselves */
  auth?: boolean;
  /** A family proxy may call it for an elder with X-On-Behalf-Of (audited); other routes refuse the header. */
  proxy?: boolean;
}

const Empty = z.object({}).strict();

export const api = {
  wechatLogin: {
    method: 'POST',
    path: '/v1/auth/wechat',
    body: WechatLoginBody,
    response: TokenPair,
    auth: false,
  },
  devLogin: {
    method: 'POST',
    path: '/v1/auth/dev-login',
    body: DevLoginBody,
    response: TokenPair,
    auth: false,
  },
  refresh: { method: 'POST', path: '/v1/auth/refresh', body: RefreshBody, response: TokenPair, auth: false },
  logout: { method: 'POST', path: '/v1/auth/logout', body: RefreshBody, response: Ok },
  me: { method: 'GET', path: '/v1/me', response: Me, proxy: true },
  updateMe: { method: 'PATCH', path: '/v1/me', body: UpdateMeBody, response: Me },

  communities: { method: 'GET', path: '/v1/communities', response: CommunityList },
  community: { method: 'GET', path: '/v1/communities/:id', response: CommunityTree },

  myMemberships: { method: 'GET', path: '/v1/memberships', response: MembershipList, proxy: true },
  requestMembership: {
    method: 'POST',
    path: '/v1/memberships',
    body: CreateMembershipBody,
    response: Membership,
    proxy: true,
  },
  staffMemberships: {
    method: 'GET',
    path: '/v1/staff/memberships',
    query: StaffMembershipQuery,
    response: StaffMembershipList,
  },
  approveMembership: {
    method: 'POST',
    path: '/v1/staff/memberships/:id/approve',
    body: ReviewMembershipBody,
    response: Membership,
  },
  rejectMembership: {
    method: 'POST',
    path: '/v1/staff/memberships/:id/reject',
    body: RejectMembershipBody,
    response: Membership,
  },

  proxyLinks: { method: 'GET', path: '/v1/proxy-links', response: ProxyLinkList },
  requestProxyLink: {
    method: 'POST',
    path: '/v1/proxy-links',
    body: CreateProxyLinkBody,
    response: ProxyLink,
  },
  consentProxyLink: { method: 'POST', path: '/v1/proxy-links/:id/consent', body: Empty, response: ProxyLink },
  revokeProxyLink: { method: 'POST', path: '/v1/proxy-links/:id/revoke', body: Empty, response: ProxyLink },
  staffProxyLinks: {
    method: 'GET',
    path: '/v1/staff/proxy-links',
    query: StaffProxyLinkQuery,
    response: ProxyLinkList,
  },
  /** What family members did on my behalf (or, with X-On-Behalf-Of, on the elder's). */
  proxyAudit: { method: 'GET', path: '/v1/proxy-links/audit', response: AuditList, proxy: true },
  staffRecordConsent: {
    method: 'POST',
    path: '/v1/staff/proxy-links/:id/consent',
    body: RecordConsentBody,
    response: ProxyLink,
  },

  notifications: {
    method: 'GET',
    path: '/v1/notifications',
    query: NotificationQuery,
    response: NotificationPage,
    proxy: true,
  },
  markNotificationsRead: {
    method: 'POST',
    path: '/v1/notifications/read',
    body: MarkReadBody,
    response: Ok,
    proxy: true,
  },
  grantSubscriptions: {
    method: 'POST',
    path: '/v1/notifications/subscriptions',
    body: SubscriptionGrantBody,
    response: SubscriptionQuota,
  },
  /** Which template ids the mini-program should ask the user to subscribe to. */
  subscribeTemplates: { method: 'GET', path: '/v1/notifications/templates', response: SubscribeTemplates },
  subscriptionQuota: { method: 'GET', path: '/v1/notifications/subscriptions', response: SubscriptionQuota },
} as const satisfies Record<string, RouteDef>;

export type Api = typeof api;

/** Routes that accept X-On-Behalf-Of. */
export const PROXY_ROUTES: ReadonlySet<RouteName> = new Set(
  (Object.keys(api) as RouteName[]).filter((n) => (api[n] as RouteDef).proxy === true),
);
export type RouteName = keyof Api;
export type RouteBody<N extends RouteName> = Api[N] extends { body: infer B extends z.ZodType }
  ? z.input<B>
  : never;
export type RouteQuery<N extends RouteName> = Api[N] extends { query: infer Q extends z.ZodType }
  ? z.input<Q>
  : never;
export type RouteResponse<N extends RouteName> = z.infer<Api[N]['response']>;
