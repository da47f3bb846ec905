import type { z } from 'zod';

/**
 * The API as data: one entry per route, shared by the BFF (schemas) and the mini-program's typed
 * client. `:id` in a path is filled from `params`.
 */
export interface RouteDef {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  body?: z.ZodType;
  query?: z.ZodType;
  /** Request headers the route reads (lower-case names). */
  headers?: z.ZodObject;
  response: z.ZodType;
  /** false for the login routes themselves */
  auth?: boolean;
  /** A family proxy may call it for an elder with X-On-Behalf-Of (audited); other routes refuse the header. */
  proxy?: boolean;
}
