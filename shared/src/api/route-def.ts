import type { z } from 'zod';

/**
 * Error statuses a route's own work can answer beyond what the BFF derives from the route's shape
 * (401 when signed in, 403 with roles, 404 with an id or for a proxy, 400/413/414/415 from
 * transport, 429 with a rate limit, 503): a resource it looks up (404), a rule it enforces (403,
 * 422, 423), a state that moved on or a constraint a write can meet (409), an upstream (502).
 */
export type DomainErrorStatus = 401 | 403 | 404 | 409 | 422 | 423 | 429 | 502;

/**
 * The API as data: one entry per route, shared by the BFF (schemas) and the mini-program's typed
 * client. `:id` in a path is filled from `params`.
 */
export interface RouteDef {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  /** A few English words for the API document (OpenAPI `summary`). */
  summary: string;
  /** What it does, when the summary does not say it all; who may call it is added from its config. */
  description?: string;
  /** See DomainErrorStatus. */
  errors?: readonly DomainErrorStatus[];
  body?: z.ZodType;
  query?: z.ZodType;
  /** Request headers the route reads (lower-case names). */
  headers?: z.ZodObject;
  response: z.ZodType;
  /** false for the login routes themselves */
  auth?: boolean;
  /** A family proxy may call it for an elder with X-On-Behalf-Of (audited); other routes refuse the header. */
  proxy?: boolean;
  /**
   * A read anyone signed in may cache and revalidate: it carries an ETag and Cache-Control, and a
   * matching If-None-Match is answered 304 with no body.
   */
  cacheable?: boolean;
}
