import { randomUUID } from 'node:crypto';
import { api, type RouteDef } from 'shared';
import { describe, expect, it, vi } from 'vitest';
import { createApiClient, type HttpRequest, type HttpResponse } from './client';
import { ApiError } from './errors';
import { createTokenStore, memoryStorage } from './tokens';

const userId = randomUUID();

function me() {
  return {
    user: {
      id: userId,
      name: '王小明',
      phoneMasked: '138****0010',
      birthDate: null,
      isElder: false,
      elderMode: null,
      reachableCompartments: { choice: null, on: false },
    },
    roles: ['resident'],
    memberships: [],
    elders: [],
    staffCommunities: [],
    unreadNotifications: 2,
  };
}

function pair(n: number) {
  return { accessToken: `access-${n}`, refreshToken: `refresh-token-number-${n}`, expiresIn: 900, userId };
}

/** A fake BFF: access tokens in `valid` pass; /v1/auth/refresh rotates when `refreshOk`. */
function setup(
  options: { refreshOk?: boolean; handler?: (req: HttpRequest) => HttpResponse | undefined } = {},
) {
  const valid = new Set<string>();
  const requests: HttpRequest[] = [];
  let issued = 1;
  const transport = vi.fn(async (req: HttpRequest): Promise<HttpResponse> => {
    requests.push(req);
    await new Promise((r) => setTimeout(r, 1));
    const custom = options.handler?.(req);
    if (custom) return custom;
    if (req.url.endsWith('/v1/auth/refresh')) {
      if (options.refreshOk === false) {
        return {
          status: 401,
          data: { error: { code: 'REFRESH_INVALID', message: 'refresh token revoked' } },
        };
      }
      const next = pair(++issued);
      valid.add(next.accessToken);
      return { status: 200, data: next };
    }
    const token = req.headers.Authorization?.replace('Bearer ', '');
    if (!token || !valid.has(token)) {
      return { status: 401, data: { error: { code: 'UNAUTHENTICATED', message: 'token expired' } } };
    }
    return { status: 200, data: me() };
  });
  const tokens = createTokenStore(memoryStorage());
  tokens.set({ accessToken: 'access-1', refreshToken: 'refresh-token-number-1', userId });
  const onAuthLost = vi.fn();
  const client = createApiClient({ baseUrl: 'http://bff.test', transport, tokens, onAuthLost });
  return { client, tokens, requests, valid, onAuthLost, transport };
}

const refreshCalls = (requests: HttpRequest[]) => requests.filter((r) => r.url.endsWith('/v1/auth/refresh'));

describe('api client: 401 handling', () => {
  it('shares one refresh between three concurrent 401s and retries each call once', async () => {
    const { client, tokens, requests, onAuthLost } = setup();

    const results = await Promise.all([client.call('me'), client.call('me'), client.call('me')]);

    expect(results.map((r) => r.unreadNotifications)).toEqual([2, 2, 2]);
    expect(refreshCalls(requests)).toHaveLength(1);
    expect(refreshCalls(requests)[0]?.data).toEqual({ refreshToken: 'refresh-token-number-1' });
    const meCalls = requests.filter((r) => r.url.endsWith('/v1/me'));
    expect(meCalls).toHaveLength(6);
    expect(meCalls.slice(3).every((r) => r.headers.Authorization === 'Bearer access-2')).toBe(true);
    expect(tokens.get()).toEqual({ accessToken: 'access-2', refreshToken: 'refresh-token-number-2', userId });
    expect(onAuthLost).not.toHaveBeenCalled();
  });

  it('reuses a token another caller refreshed while its own request was in flight', async () => {
    const { client, requests } = setup();
    await client.call('me');
    expect(refreshCalls(requests)).toHaveLength(1);

    // A call that went out with access-1 but answers after the refresh must not refresh again.
    const { client: c2, tokens: t2, requests: r2, valid } = setup();
    valid.add('access-9');
    const pending = c2.call('me');
    t2.set({ accessToken: 'access-9', refreshToken: 'refresh-token-number-9', userId });
    await pending;
    expect(refreshCalls(r2)).toHaveLength(0);
    expect(r2.at(-1)?.headers.Authorization).toBe('Bearer access-9');
  });

  it('clears the session once and rejects every caller when the refresh is refused', async () => {
    const { client, tokens, requests, onAuthLost } = setup({ refreshOk: false });

    const results = await Promise.allSettled([client.call('me'), client.call('me'), client.call('me')]);

    expect(refreshCalls(requests)).toHaveLength(1);
    expect(onAuthLost).toHaveBeenCalledTimes(1);
    expect(tokens.get()).toBeNull();
    for (const r of results) {
      expect(r.status).toBe('rejected');
      const err = (r as PromiseRejectedResult).reason;
      expect(err).toBeInstanceOf(ApiError);
      expect(err).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
    }
  });

  it('gives up after one retry when the new token is refused too', async () => {
    const { client, tokens, requests, onAuthLost } = setup({
      handler: (req) =>
        req.url.endsWith('/v1/me')
          ? { status: 401, data: { error: { code: 'UNAUTHENTICATED', message: 'nope' } } }
          : undefined,
    });
    await expect(client.call('me')).rejects.toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
    expect(requests.filter((r) => r.url.endsWith('/v1/me'))).toHaveLength(2);
    expect(onAuthLost).toHaveBeenCalledTimes(1);
    expect(tokens.get()).toBeNull();
  });

  it('does not refresh on a 401 from a login route', async () => {
    const { client, requests } = setup({
      handler: (req) =>
        req.url.endsWith('/v1/auth/wechat')
          ? { status: 401, data: { error: { code: 'WECHAT_CODE_INVALID', message: '微信登录失败' } } }
          : undefined,
    });
    await expect(client.call('wechatLogin', { body: { code: 'abc' } })).rejects.toMatchObject({
      code: 'WECHAT_CODE_INVALID',
    });
    expect(requests).toHaveLength(1);
    expect(requests[0]?.headers.Authorization).toBeUndefined();
  });

  it('sends the user to login without a request loop when there are no tokens', async () => {
    const { client, tokens, requests, onAuthLost } = setup();
    tokens.clear();
    await expect(client.call('me')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(onAuthLost).toHaveBeenCalledTimes(1);
    expect(refreshCalls(requests)).toHaveLength(0);
  });
});

describe('api client: errors and validation', () => {
  it('maps the error envelope to ApiError with code, message, details and status', async () => {
    const { client, valid } = setup({
      handler: (req) =>
        req.url.endsWith('/v1/memberships')
          ? {
              status: 409,
              data: {
                error: {
                  code: 'MEMBERSHIP_EXISTS',
                  message: '已提交过该住户的认证申请',
                  details: [{ path: 'householdId', message: 'duplicate' }],
                },
              },
            }
          : undefined,
    });
    valid.add('access-1');
    const err = await client
      .call('requestMembership', { body: { householdId: randomUUID() } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({
      code: 'MEMBERSHIP_EXISTS',
      message: '已提交过该住户的认证申请',
      status: 409,
      details: [{ path: 'householdId', message: 'duplicate' }],
    });
  });

  it('maps a body that is not an envelope to HTTP_<status>', async () => {
    const { client } = setup({ handler: () => ({ status: 502, data: '<html>Bad Gateway</html>' }) });
    await expect(client.call('communities')).rejects.toMatchObject({ code: 'HTTP_502', status: 502 });
  });

  it('maps a transport failure to NETWORK_ERROR', async () => {
    const { client } = setup({
      handler: () => {
        throw new Error('request:fail');
      },
    });
    await expect(client.call('communities')).rejects.toMatchObject({ code: 'NETWORK_ERROR', status: 0 });
  });

  it('rejects a 2xx response that does not match the contract', async () => {
    const { client, valid } = setup({
      handler: (req) =>
        req.url.endsWith('/v1/me')
          ? { status: 200, data: { ...me(), unreadNotifications: 'two' } }
          : undefined,
    });
    valid.add('access-1');
    const err = await client.call('me').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'INVALID_RESPONSE', status: 200 });
    expect((err as ApiError).details.map((d) => d.path)).toContain('unreadNotifications');
  });

  it('fills path params and query, sends the bearer token and a JSON body', async () => {
    const id = randomUUID();
    const { client, requests, valid } = setup({
      handler: (req) => {
        if (req.url.includes('/v1/staff/memberships')) return { status: 200, data: { items: [] } };
        return undefined;
      },
    });
    valid.add('access-1');
    await client.call('staffMemberships', { query: { status: 'approved' } });
    await client
      .call('rejectMembership', { params: { id }, body: { note: '地址不符' } })
      .catch(() => undefined);

    expect(requests[0]).toMatchObject({
      method: 'GET',
      url: 'http://bff.test/v1/staff/memberships?status=approved',
      headers: { Authorization: 'Bearer access-1' },
    });
    expect(requests[0]?.data).toBeUndefined();
    expect(requests[1]).toMatchObject({
      method: 'POST',
      url: `http://bff.test/v1/staff/memberships/${id}/reject`,
      data: { note: '地址不符' },
      headers: { 'Content-Type': 'application/json' },
    });
  });
});

describe('silent WeChat re-login (weapp)', () => {
  it('signs in again with one wx.login code when the refresh is refused, and retries every caller', async () => {
    const loginCode = vi.fn(async () => 'wx-code-1');
    const { transport, tokens } = setup({
      refreshOk: false,
      handler: (req) =>
        req.url.endsWith('/v1/auth/wechat')
          ? { status: 200, data: { ...pair(7), accessToken: 'access-1' } }
          : undefined,
    });
    const requests: HttpRequest[] = [];
    const onAuthLost = vi.fn();
    const client = createApiClient({
      baseUrl: 'http://bff.test',
      transport: async (req) => {
        requests.push(req);
        // The fake accepts access-1 only after the re-login handed it out again.
        if (req.url.endsWith('/v1/me') && requests.some((r) => r.url.endsWith('/v1/auth/wechat')))
          return { status: 200, data: me() };
        return transport(req);
      },
      tokens,
      onAuthLost,
      loginCode,
    });
    tokens.set({ accessToken: 'expired', refreshToken: 'refresh-token-number-1', userId });

    const results = await Promise.all([client.call('me'), client.call('me'), client.call('me')]);
    expect(results).toHaveLength(3);
    expect(loginCode).toHaveBeenCalledTimes(1);
    expect(requests.filter((r) => r.url.endsWith('/v1/auth/wechat'))).toHaveLength(1);
    expect(requests.find((r) => r.url.endsWith('/v1/auth/wechat'))?.data).toEqual({ code: 'wx-code-1' });
    expect(onAuthLost).not.toHaveBeenCalled();
    expect(tokens.get()?.refreshToken).toBe('refresh-token-number-7');
  });

  it('gives up (and sends to login) when WeChat login fails too', async () => {
    const { transport, tokens } = setup({
      refreshOk: false,
      handler: (req) =>
        req.url.endsWith('/v1/auth/wechat')
          ? { status: 400, data: { error: { code: 'WECHAT_CODE_INVALID', message: 'bad code' } } }
          : undefined,
    });
    const onAuthLost = vi.fn();
    const client = createApiClient({
      baseUrl: 'http://bff.test',
      transport,
      tokens,
      onAuthLost,
      loginCode: async () => 'wx-code-2',
    });
    await expect(client.call('me')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(onAuthLost).toHaveBeenCalledTimes(1);
    expect(tokens.get()).toBeNull();
  });
});

describe('route-declared request headers', () => {
  function orderBody() {
    return {
      merchantId: randomUUID(),
      items: [{ productId: randomUUID(), quantity: 2 }],
      delivery: { mode: 'shop_pickup' as const },
    };
  }

  it('sends the Idempotency-Key a route declares, the same on a retry after a network error', async () => {
    let attempt = 0;
    const { client, requests, valid } = setup({
      handler: (req) => {
        if (!req.url.endsWith('/v1/orders')) return undefined;
        attempt += 1;
        if (attempt === 1) throw new Error('request:fail timeout');
        return { status: 409, data: { error: { code: 'SHOP_CLOSED', message: 'closed' } } };
      },
    });
    valid.add('access-1');
    const body = orderBody();
    const key = 'checkout-key-0001';

    await expect(
      client.call('createOrder', { body, headers: { 'idempotency-key': key } }),
    ).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
    await expect(
      client.call('createOrder', { body, headers: { 'idempotency-key': key } }),
    ).rejects.toMatchObject({ code: 'SHOP_CLOSED', status: 409 });

    expect(requests).toHaveLength(2);
    for (const req of requests) {
      expect(req).toMatchObject({ method: 'POST', url: 'http://bff.test/v1/orders', data: body });
      expect(req.headers['idempotency-key']).toBe(key);
      expect(req.headers.Authorization).toBe('Bearer access-1');
    }
  });

  it('keeps the header on the retry after a token refresh', async () => {
    const { client, requests } = setup({
      handler: (req) =>
        req.url.endsWith('/v1/orders') && req.headers.Authorization === 'Bearer access-2'
          ? { status: 409, data: { error: { code: 'BELOW_MINIMUM', message: 'below minimum' } } }
          : undefined,
    });
    await client
      .call('createOrder', { body: orderBody(), headers: { 'idempotency-key': 'retry-key-0002' } })
      .catch(() => undefined);
    const orderCalls = requests.filter((r) => r.url.endsWith('/v1/orders'));
    expect(orderCalls).toHaveLength(2);
    expect(orderCalls.map((r) => r.headers['idempotency-key'])).toEqual(['retry-key-0002', 'retry-key-0002']);
  });

  it('sends no header a route does not declare', async () => {
    const { client, requests, valid } = setup();
    valid.add('access-1');
    await client.call('me', { headers: { 'idempotency-key': 'nope' } } as never);
    expect(requests[0]?.headers['idempotency-key']).toBeUndefined();
  });

  it('types the header as required where the route declares it', async () => {
    const { client, requests, valid } = setup();
    valid.add('access-1');
    const body = orderBody();
    // @ts-expect-error: createOrder needs its idempotency-key header
    await client.call('createOrder', { body }).catch(() => undefined);
    const misspelt = { body, headers: { idempotency_key: 'abcdefgh' } };
    // @ts-expect-error: the header name is checked too
    await client.call('createOrder', misspelt).catch(() => undefined);
    // @ts-expect-error: routes without declared headers take none
    await client.call('communities', { headers: { 'idempotency-key': 'abcdefgh' } }).catch(() => undefined);

    // The types above are read off the route table: createOrder's header schema requires the key
    // by its exact name, and communities declares no headers at all.
    const declared = (api.createOrder as RouteDef).headers!;
    expect(declared.safeParse({}).success).toBe(false);
    expect(declared.safeParse({ idempotency_key: 'abcdefgh' }).success).toBe(false);
    expect(declared.safeParse({ 'idempotency-key': 'abcdefgh' }).success).toBe(true);
    expect((api.communities as RouteDef).headers).toBeUndefined();
    // What the types refuse does not go out either.
    expect(requests).toHaveLength(3);
    expect(requests.map((r) => Object.keys(r.headers).filter((h) => /idempotency/i.test(h)))).toEqual([
      [],
      [],
      [],
    ]);
  });
});
