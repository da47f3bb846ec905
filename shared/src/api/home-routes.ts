import { Home } from '../contracts/home';
import type { RouteDef } from './route-def';

/** 首页: one read answering the sections of the caller's roles (the elder's, for a family proxy). */
export const homeApi = {
  home: {
    method: 'GET',
    path: '/v1/home',
    summary: 'Get the home page',
    errors: [403],
    response: Home,
    proxy: true,
  },
} as const satisfies Record<string, RouteDef>;
