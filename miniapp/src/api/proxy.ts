import type { RouteName } from 'shared';

/** The header a family member sends to act for an elder whose consent is on record. */
export const ON_BEHALF_HEADER = 'X-On-Behalf-Of';

/**
 * Routes the BFF accepts X-On-Behalf-Of on (route config `proxy: true`); every other route answers
 * 400 PROXY_NOT_ALLOWED when it sees the header. Kept here because shared's route table has no
 * proxy marker yet; keep in step with bff/src/modules/{me,memberships,notifications,proxies}.
 */
export const PROXY_ROUTES: ReadonlySet<RouteName> = new Set<RouteName>([
  'me',
  'myMemberships',
  'requestMembership',
  'notifications',
  'markNotificationsRead',
  'proxyAudit',
]);

export const isProxyRoute = (name: RouteName): boolean => PROXY_ROUTES.has(name);
