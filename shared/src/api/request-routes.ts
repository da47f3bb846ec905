import type { RouteDef } from './route-def';

/** The requests routes (filled in by its builder). */
export const requestApi = {} as const satisfies Record<string, RouteDef>;
