import type { RouteDef } from './route-def';

/** The neighbors routes (filled in by its builder). */
export const neighborApi = {} as const satisfies Record<string, RouteDef>;
