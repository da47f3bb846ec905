import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app';
import { setupTestApp, type TestApp } from '../helper';

const SCRAPER_TOKEN = 'scraper-token-for-tests';
let t: TestApp;
beforeAll(async () => {
  t = await setupTestApp({ AUTH_RATE_LIMIT_PER_MINUTE: '5', METRICS_TOKEN: SCRAPER_TOKEN });
});
afterAll(() => t?.close());

describe('health, docs and metrics', () => {
  it('/healthz answers for the process and /readyz checks Postgres and Redis', async () => {
    expect((await t.call({ method: 'GET', url: '/healthz' })).body).toEqual({ status: 'ok' });
    const ready = await t.call({ method: 'GET', url: '/readyz' });
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready', postgres: 'ok', redis: 'ok' });
  });

  it('/readyz says 503 when Redis is gone', async () => {
    const deadRedis = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    deadRedis.on('error', () => {});
    const app = await buildApp({ ...t.deps, redis: deadRedis });
    try {
      const res = await app.inject({ method: 'GET', url: '/readyz' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ status: 'not_ready', postgres: 'ok', redis: 'down' });
    } finally {
      await app.close();
      deadRedis.disconnect();
    }
  });

  it('OpenAPI is generated from the zod schemas', async () => {
    const res = await t.call({ method: 'GET', url: '/docs/json' });
    expect(res.status).toBe(200);
    const dev = res.body.paths['/v1/auth/dev-login'].post;
    expect(dev.requestBody.content['application/json'].schema.properties.phone).toBeDefined();
    expect(res.body.paths['/v1/staff/memberships/{id}/approve']).toBeDefined();
    const createOrder = res.body.paths['/v1/orders'].post;
    expect(createOrder.parameters).toContainEqual(
      expect.objectContaining({ in: 'header', name: 'idempotency-key', required: true }),
    );
    for (const path of [
      '/v1/merchants',
      '/v1/products',
      '/v1/merchant/stats',
      '/v1/staff/merchants/{id}/verify',
    ])
      expect(res.body.paths[path], path).toBeDefined();
    expect((await t.call({ method: 'GET', url: '/docs' })).status).toBeLessThan(400);
  });

  it('Prometheus metrics count requests by route', async () => {
    await t.call({ method: 'GET', url: '/healthz' });
    const res = await t.call({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${SCRAPER_TOKEN}` },
    });
    expect(res.status).toBe(200);
    expect(res.body).toContain(
      'http_request_duration_seconds_count{method="GET",route="/healthz",status="200"}',
    );
    expect(res.body).toContain('linli_outbox_pending');
    expect(res.body).toContain('process_cpu_user_seconds_total');
  });
});

describe('rate limits', () => {
  it('auth routes answer 429 in the envelope past the limit', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const res = await t.call({
        method: 'POST',
        url: '/v1/auth/dev-login',
        payload: { phone: '13900000077' },
        remoteAddress: '10.9.9.9',
      });
      statuses.push(res.status);
      if (res.status === 429) expect(res.body.error.code).toBe('RATE_LIMITED');
    }
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    // Another client is not affected.
    const other = await t.call({
      method: 'POST',
      url: '/v1/auth/dev-login',
      payload: { phone: '13900000078' },
      remoteAddress: '10.9.9.10',
    });
    expect(other.status).toBe(200);
  });
});

describe('rate limits and forwarded addresses', () => {
  it('a forged X-Forwarded-For does not buy a fresh allowance (no proxy is trusted by default)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const res = await t.call({
        method: 'POST',
        url: '/v1/auth/dev-login',
        payload: { phone: '13900000079' },
        remoteAddress: '10.9.9.11',
        headers: { 'x-forwarded-for': `203.0.113.${i}` },
      });
      statuses.push(res.status);
    }
    expect(statuses.filter((s) => s === 429)).toHaveLength(2);
  });
});

describe('Bull Board', () => {
  it('is for operators only; others, a community’s staff included, cannot tell it exists', async () => {
    const resident = await t.login('13800000010');
    const staff = await t.login('13800000001');
    const operator = await t.login('13800000030');
    // Signed out too: the board answers like a route that does not exist.
    expect((await t.call({ method: 'GET', url: '/admin/queues' })).status).toBe(404);
    for (const who of [resident, staff])
      expect(
        (
          await t.call({
            method: 'GET',
            url: '/admin/queues',
            headers: { authorization: who.authorization },
          })
        ).status,
      ).toBe(404);
    const ok = await t.call({
      method: 'GET',
      url: '/admin/queues',
      headers: { authorization: operator.authorization },
    });
    expect(ok.status).toBe(200);
    expect(String(ok.body)).toContain('<html');
  });

  it('an operator token becomes a cookie for the browser', async () => {
    const operator = await t.login('13800000030');
    const login = await t.call({
      method: 'GET',
      url: `/admin/login?token=${operator.authorization.slice(7)}`,
    });
    expect(login.status).toBe(302);
    const cookie = String(login.headers['set-cookie']).split(';')[0]!;
    expect(cookie).toMatch(/^linli_admin=/);
    const board = await t.call({ method: 'GET', url: '/admin/queues/api/queues', headers: { cookie } });
    expect(board.status).toBe(200);
    expect(JSON.stringify(board.body)).toContain('notifications');
  });
});

describe('logs', () => {
  it('carry request ids and never tokens, phone numbers or pickup codes', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, cb) {
        lines.push(chunk.toString());
        cb();
      },
    });
    const app = await buildApp(
      { ...t.deps, config: { ...t.deps.config, LOG_LEVEL: 'debug' } },
      { logStream: stream },
    );
    try {
      const login = await app.inject({
        method: 'POST',
        url: '/v1/auth/dev-login',
        payload: { phone: '13800000012' },
      });
      const { accessToken, refreshToken } = login.json();
      await app.inject({
        method: 'GET',
        url: '/v1/me',
        headers: { authorization: `Bearer ${accessToken}`, 'x-request-id': 'req-abc-123' },
      });
      app.log.info({ phone: '13800000012', order: { pickupCode: '884422' }, refreshToken }, 'domain event');
      await app.inject({ method: 'GET', url: `/admin/login?token=${accessToken}` });
      const log = lines.join('');
      expect(log).toContain('req-abc-123');
      expect(log).toContain('domain event');
      expect(log).not.toContain('13800000012');
      expect(log).not.toContain('884422');
      expect(log).not.toContain(accessToken);
      expect(log).not.toContain(refreshToken);
    } finally {
      await app.close();
    }
  });
});
