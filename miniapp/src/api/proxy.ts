import { PROXY_ROUTES, type RouteName } from 'shared';

/** The header a family member sends to act for an elder whose consent is on record. */
export const ON_BEHALF_HEADER = 'X-On-Behalf-Of';

/**
 * Only routes marked `proxy` in the shared route table accept the header; every other route
 * answers 400 PROXY_NOT_ALLOWED when it sees it.
 */
export const isProxyRoute = (name: RouteName): boolean => PROXY_ROUTES.has(name);
