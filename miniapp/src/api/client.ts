import {
  type Api,
  api,
  type RouteBody,
  type RouteDef,
  type RouteName,
  type RouteQuery,
  type RouteResponse,
  TokenPair,
} from 'shared';
import type { z } from 'zod';
import { ApiError, errorFromResponse, networkError } from './errors';
import { isProxyRoute, ON_BEHALF_HEADER } from './proxy';
import type { TokenStore, Tokens } from './tokens';
import { buildUrl } from './url';

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  data?: unknown;
}

export interface HttpResponse {
  status: number;
  data: unknown;
}

/** Sends one HTTP request; resolves for every HTTP status, rejects only when no answer arrived. */
export type HttpTransport = (request: HttpRequest) => Promise<HttpResponse>;

type ParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | ParamNames<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? Name
    : never;

type ParamsPart<N extends RouteName> = [ParamNames<Api[N]['path']>] extends [never]
  ? { params?: undefined }
  : { params: Record<ParamNames<Api[N]['path']>, string> };
type BodyPart<N extends RouteName> = [RouteBody<N>] extends [never]
  ? { body?: undefined }
  : { body: RouteBody<N> };
type QueryPart<N extends RouteName> = [RouteQuery<N>] extends [never]
  ? { query?: undefined }
  : { query?: RouteQuery<N> };

/** Request headers a route declares (`RouteDef.headers`, lower-case names), e.g. `idempotency-key`. */
export type RouteHeaders<N extends RouteName> = Api[N] extends { headers: infer H extends z.ZodType }
  ? z.input<H>
  : never;
type HeadersPart<N extends RouteName> = [RouteHeaders<N>] extends [never]
  ? { headers?: undefined }
  : { headers: RouteHeaders<N> };

export type CallOptions<N extends RouteName> = ParamsPart<N> & BodyPart<N> & QueryPart<N> & HeadersPart<N>;
/** The options argument may be left out when the route needs no params and no body. */
export type CallArgs<N extends RouteName> =
  object extends CallOptions<N> ? [options?: CallOptions<N>] : [options: CallOptions<N>];

export type Call = <N extends RouteName>(name: N, ...args: CallArgs<N>) => Promise<RouteResponse<N>>;

export interface ApiClientOptions {
  /** '' for same origin. */
  baseUrl: string;
  transport: HttpTransport;
  tokens: TokenStore;
  /** Called once when the session cannot be recovered (no tokens, or refresh refused). */
  onAuthLost?: () => void;
  /**
   * weapp: a fresh wx.login code. When the refresh token is refused the client signs in again with
   * it (silently, no page change) before giving up; concurrent callers share that one re-login.
   */
  loginCode?: () => Promise<string | null>;
  /** The elder being acted for (代办), if any: sent as X-On-Behalf-Of on proxy-capable routes only. */
  onBehalfOf?: () => string | null;
  /** Called when the BFF no longer lets us act for that elder (link revoked: 404 under the header). */
  onProxyLost?: () => void;
}

export interface ApiClient {
  call: Call;
  /** Refreshes the token pair; concurrent callers share one request. Null when the session is gone. */
  refresh(): Promise<Tokens | null>;
}

function sessionExpired(): ApiError {
  return new ApiError({ code: 'UNAUTHENTICATED', message: '登录已过期，请重新登录', status: 401 });
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  const { baseUrl, transport, tokens } = options;
  let inFlightRefresh: Promise<Tokens | null> | null = null;

  async function send(
    method: HttpRequest['method'],
    url: string,
    data: unknown,
    accessToken: string | undefined,
    extraHeaders: Record<string, string> = {},
  ): Promise<HttpResponse> {
    const headers: Record<string, string> = { ...extraHeaders };
    if (data !== undefined) headers['Content-Type'] = 'application/json';
    if (accessToken) headers.Authorization = `Bearer ${accessToken}`;
    try {
      return await transport({ method, url, headers, data });
    } catch (err) {
      throw networkError(err);
    }
  }

  function loseSession(): void {
    tokens.clear();
    options.onAuthLost?.();
  }

  /** POSTs to a token route; the new pair is kept, or null when the BFF refused. */
  async function obtain(
    route: (typeof api)['refresh' | 'wechatLogin'],
    body: unknown,
  ): Promise<Tokens | null> {
    // A network failure is thrown to the callers; it says nothing about the credentials.
    const res = await send(route.method, buildUrl(baseUrl, route.path), body, undefined);
    const parsed = res.status >= 200 && res.status < 300 ? TokenPair.safeParse(res.data) : null;
    if (!parsed?.success) return null;
    const next: Tokens = {
      accessToken: parsed.data.accessToken,
      refreshToken: parsed.data.refreshToken,
      userId: parsed.data.userId,
    };
    tokens.set(next);
    return next;
  }

  async function refreshNow(): Promise<Tokens | null> {
    const current = tokens.get();
    const refreshed = current ? await obtain(api.refresh, { refreshToken: current.refreshToken }) : null;
    if (refreshed) return refreshed;
    const code = options.loginCode ? await options.loginCode().catch(() => null) : null;
    const relogged = code ? await obtain(api.wechatLogin, { code }) : null;
    if (relogged) return relogged;
    loseSession();
    return null;
  }

  function refresh(): Promise<Tokens | null> {
    if (!inFlightRefresh) {
      inFlightRefresh = refreshNow().finally(() => {
        inFlightRefresh = null;
      });
    }
    return inFlightRefresh;
  }

  async function callImpl(
    name: RouteName,
    opts: {
      params?: Record<string, string>;
      query?: Record<string, unknown>;
      body?: unknown;
      headers?: Record<string, string>;
    } = {},
  ): Promise<unknown> {
    const route = api[name];
    const url = buildUrl(baseUrl, route.path, opts.params, opts.query);
    const data = route.method === 'GET' ? undefined : (opts.body ?? {});
    const needsAuth = !('auth' in route && route.auth === false);
    const usedToken = needsAuth ? tokens.get()?.accessToken : undefined;
    // Other routes answer 400 PROXY_NOT_ALLOWED to the header, so it goes only where it is accepted.
    const elderId = needsAuth && isProxyRoute(name) ? (options.onBehalfOf?.() ?? null) : null;
    const extra: Record<string, string> = {};
    // Only the headers the route declares go out; the client's own (auth, proxy) cannot be overridden.
    const declared = (route as RouteDef).headers?.shape ?? {};
    for (const [key, value] of Object.entries(opts.headers ?? {})) {
      if (key in declared && typeof value === 'string') extra[key] = value;
    }
    if (elderId) extra[ON_BEHALF_HEADER] = elderId;

    let res = await send(route.method, url, data, usedToken, extra);
    if (res.status === 401 && needsAuth) {
      const latest = tokens.get();
      // Another caller may already have refreshed while this request was on the wire.
      const retryTokens = latest && usedToken && latest.accessToken !== usedToken ? latest : await refresh();
      if (!retryTokens) throw sessionExpired();
      res = await send(route.method, url, data, retryTokens.accessToken, extra);
      if (res.status === 401) {
        loseSession();
        throw errorFromResponse(res.status, res.data);
      }
    }
    if (res.status === 404 && elderId) {
      // 404 under the header means the elder's consent is gone; stop acting for them.
      options.onProxyLost?.();
      throw new ApiError({ code: 'PROXY_LINK_GONE', message: '代办关系已解除，已退出代办', status: 404 });
    }
    if (res.status < 200 || res.status >= 300) throw errorFromResponse(res.status, res.data);

    const parsed = route.response.safeParse(res.data);
    if (!parsed.success) {
      throw new ApiError({
        code: 'INVALID_RESPONSE',
        message: '服务器返回的数据格式不正确',
        status: res.status,
        details: parsed.error.issues.map((issue) => ({
          path: issue.path.map(String).join('.'),
          message: issue.message,
        })),
      });
    }
    return parsed.data;
  }

  return { call: callImpl as Call, refresh };
}
