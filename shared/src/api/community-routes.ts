import type { RouteDef } from './route-def';

/** The community routes (filled in by its builder). */
export const communityApi = {} as const satisfies Record<string, RouteDef>;
