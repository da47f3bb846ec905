import { connect } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app';
import { createDb } from '../../src/db/client';
import { lockerBanks, products, users } from '../../src/db/schema';
import { createQueues } from '../../src/jobs/queues';
import { makeShop, type TestShop } from '../fixtures/market';
import { bearer, demoCommunityId, freshPhone, TEST_ENV } from '../fixtures/people';
import { setupTestApp, type TestApp } from '../helper';

const SCRAPER = 'scraper-token-hostile-input';
let t: TestApp;
let shop: TestShop;

beforeAll(async () => {
  t = await setupTestApp({ ...TEST_ENV, REQUEST_TIMEOUT_MS: '1000', METRICS_TOKEN: SCRAPER });
  shop = await makeShop(t, { products: [{ stock: 5 }] });
});
afterAll(() => t?.close());

function expectEnvelope(res: { status: number; body: unknown }, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.body).toMatchObject({ error: { code, message: expect.any(String) } });
}

const raw = (method: 'POST' | 'PATCH', url: string, payload: string, headers: Record<string, string> = {}) =>
  t.call({ method, url, payload, headers: { 'content-type': 'application/json', ...headers } });

describe('deeply nested JSON', () => {
  const bodies = {
    arrays: `${'['.repeat(5_000)}${']'.repeat(5_000)}`,
    objects: `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`,
  };

  it.each(Object.entries(bodies))(
    'of %s is a 400 INPUT_TOO_DEEP on login and signed-in routes',
    async (_k, body) => {
      expectEnvelope(await raw('POST', '/v1/auth/dev-login', body), 400, 'INPUT_TOO_DEEP');
      expectEnvelope(await raw('POST', '/v1/auth/refresh', body), 400, 'INPUT_TOO_DEEP');
      const me = await t.login(freshPhone());
      expectEnvelope(await raw('PATCH', '/v1/me', body, bearer(me)), 400, 'INPUT_TOO_DEEP');
      expectEnvelope(await raw('POST', '/v1/orders', body, bearer(me)), 400, 'INPUT_TOO_DEEP');
    },
  );

  it('a nested field inside an otherwise good body names its path', async () => {
    const me = await t.login(freshPhone());
    const deep = `{"name":${'['.repeat(100)}${']'.repeat(100)}}`;
    const res = await raw('PATCH', '/v1/me', deep, bearer(me));
    expectEnvelope(res, 400, 'INPUT_TOO_DEEP');
    expect(res.body.error.details[0].path).toMatch(/^body\.name/);
  });
});

describe('lone UTF-16 surrogates', () => {
  const lone = '"abc\\ud800"';

  it('are a 400 on the field for PATCH /v1/me, and nothing is written', async () => {
    const me = await t.login(freshPhone());
    const res = await raw('PATCH', '/v1/me', `{"name":${lone}}`, bearer(me));
    expectEnvelope(res, 400, 'VALIDATION_FAILED');
    expect(res.body.error.details).toEqual([
      { path: 'body.name', message: expect.stringMatching(/surrogate/) },
    ]);
    const [row] = await t.deps.db.select().from(users).where(eq(users.id, me.userId));
    expect(row!.name).toBe('');
    // A well-formed pair (an emoji) is a name like any other.
    const ok = await raw('PATCH', '/v1/me', '{"name":"阿婆\\ud83d\\ude00"}', bearer(me));
    expect(ok.status).toBe(200);
    expect(ok.body.user.name).toBe('阿婆😀');
  });

  it('are a 400 on product and locker-bank writes, and nothing is written', async () => {
    const before = (await t.deps.db.select().from(products).where(eq(products.merchantId, shop.id))).length;
    const product = await raw(
      'POST',
      '/v1/merchant/products',
      `{"name":${lone},"category":"蔬菜","unit":"斤","priceFen":100,"stock":1}`,
      bearer(shop.owner),
    );
    expectEnvelope(product, 400, 'VALIDATION_FAILED');
    expect(product.body.error.details[0].path).toBe('body.name');
    expect((await t.deps.db.select().from(products).where(eq(products.merchantId, shop.id))).length).toBe(
      before,
    );

    const staff = await t.login('13800000001');
    const tree = await t.call({
      method: 'GET',
      url: `/v1/communities/${await demoCommunityId(t)}`,
      headers: bearer(staff),
    });
    const banksBefore = (await t.deps.db.select().from(lockerBanks)).length;
    const bank = await raw(
      'POST',
      '/v1/staff/locker-banks',
      JSON.stringify({
        compoundId: tree.body.compounds[0].id,
        name: 'PLACEHOLDER',
        location: '楼下',
        compartments: [{ zone: 'ambient', size: 'S', count: 1 }],
      }).replace('"PLACEHOLDER"', lone),
      bearer(staff),
    );
    expectEnvelope(bank, 400, 'VALIDATION_FAILED');
    expect((await t.deps.db.select().from(lockerBanks)).length).toBe(banksBefore);
  });
});

describe('what the router and the transport answer', () => {
  it('a path id over 100 characters is 414 in the envelope, echoing nothing', async () => {
    const me = await t.login(freshPhone());
    const long = 'x'.repeat(150);
    for (const url of [`/v1/orders/${long}`, `/v1/orders/${long}/pay`]) {
      const res = await t.call({ method: 'GET', url, headers: bearer(me) });
      expectEnvelope(res, 414, 'URI_TOO_LONG');
      expect(JSON.stringify(res.body)).not.toContain('xxxxxxxx');
    }
  });

  it('query booleans are exactly "true" or "false"', async () => {
    const me = await t.login(freshPhone());
    const all = await t.call({ method: 'GET', url: '/v1/notifications', headers: bearer(me) });
    const unread = await t.call({ method: 'GET', url: '/v1/notifications?unread=true', headers: bearer(me) });
    const read = await t.call({ method: 'GET', url: '/v1/notifications?unread=false', headers: bearer(me) });
    expect([all.status, unread.status, read.status]).toEqual([200, 200, 200]);
    // A new user's welcome notices, if any, are unread: "false" must not mean "unread only".
    for (const n of read.body.items) expect(n.readAt).not.toBeNull();
    for (const n of unread.body.items) expect(n.readAt).toBeNull();
    for (const bad of ['yes', '0', 'False', ''])
      expectEnvelope(
        await t.call({ method: 'GET', url: `/v1/notifications?unread=${bad}`, headers: bearer(me) }),
        400,
        'VALIDATION_FAILED',
      );
  });

  it('JSON in a charset other than UTF-8 is 415', async () => {
    const res = await t.call({
      method: 'POST',
      url: '/v1/auth/dev-login',
      payload: JSON.stringify({ phone: freshPhone() }),
      headers: { 'content-type': 'application/json; charset=iso-8859-1' },
    });
    expectEnvelope(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
    const utf8 = await t.call({
      method: 'POST',
      url: '/v1/auth/dev-login',
      payload: JSON.stringify({ phone: freshPhone() }),
      headers: { 'content-type': 'application/json; charset=UTF-8' },
    });
    expect(utf8.status).toBe(200);
  });

  it('keeps an X-Request-Id only when it looks like an id', async () => {
    const kept = await t.call({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': 'trace-01.ab:cd' },
    });
    expect(kept.headers['x-request-id']).toBe('trace-01.ab:cd');
    for (const junk of ['<script>alert(1)</script>', 'a b', 'x'.repeat(200), '../../etc']) {
      const res = await t.call({ method: 'GET', url: '/healthz', headers: { 'x-request-id': junk } });
      expect(res.headers['x-request-id']).not.toBe(junk);
      expect(String(res.headers['x-request-id'])).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('sends security headers: nosniff, a CSP that forbids framing, on the API and the docs', async () => {
    for (const url of ['/healthz', '/docs', '/v1/no-such-route']) {
      const res = await t.call({ method: 'GET', url });
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("script-src 'self'");
    }
  });

  it('a body trickled in byte by byte is cut off with 408 in the envelope', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as { port: number };
    const started = Date.now();
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      let got = '';
      let timer: NodeJS.Timeout | undefined;
      socket.on('connect', () => {
        socket.write(
          'POST /v1/auth/dev-login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{',
        );
        timer = setInterval(() => socket.writable && socket.write(' '), 150);
      });
      socket.on('data', (d) => {
        got += d.toString();
      });
      socket.on('close', () => {
        clearInterval(timer);
        resolve(got);
      });
      socket.on('error', reject);
      setTimeout(() => {
        socket.destroy();
        reject(new Error('the trickling connection was never closed'));
      }, 8_000);
    });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toEqual({
      error: { code: 'REQUEST_TIMEOUT', message: expect.any(String) },
    });
  });
});

describe('/metrics', () => {
  it('is only for the scraper with the token', async () => {
    expect((await t.call({ method: 'GET', url: '/metrics' })).status).toBe(404);
    const wrong = await t.call({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(404);
    const ok = await t.call({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${SCRAPER}` },
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('linli_outbox_pending');
  });

  it('a scrape runs no query: it answers with Postgres and Redis both unreachable', async () => {
    const deadDb = createDb('postgres://postgres@127.0.0.1:1/none', { max: 1 });
    const deadQueues = createQueues('redis://127.0.0.1:1', 'dead', 500, ['orders']);
    const app = await buildApp({ ...t.deps, db: deadDb.db, sql: deadDb.sql, queues: deadQueues });
    try {
      await app.ready();
      const started = Date.now();
      for (let i = 0; i < 5; i++) {
        const res = await app.inject({
          method: 'GET',
          url: '/metrics',
          headers: { authorization: `Bearer ${SCRAPER}` },
        });
        expect(res.statusCode).toBe(200);
      }
      expect(Date.now() - started).toBeLessThan(1_000);
    } finally {
      await app.close();
      await deadQueues.close().catch(() => {});
      await deadDb.close().catch(() => {});
    }
  });
});

describe('an action sent with no body at all', () => {
  it('is taken as {}, while a route whose body has required fields still names them', async () => {
    const me = await t.login(freshPhone());
    const { body: order } = await t.call({
      method: 'POST',
      url: '/v1/orders',
      headers: { ...bearer(me), 'idempotency-key': `nobody-${Date.now()}` },
      payload: {
        merchantId: shop.id,
        items: [{ productId: shop.products[0]!.id, quantity: 1 }],
        delivery: { mode: 'shop_pickup' },
      },
    });
    // curl -X POST with no body and no content type.
    const bare = await t.app.inject({
      method: 'POST',
      url: `/v1/orders/${order.id}/pay`,
      headers: bearer(me),
    });
    expect(bare.statusCode).toBe(200);
    expect(bare.json().paymentId).toEqual(expect.any(String));
    // A route whose body has required fields still names them.
    const missing = await t.app.inject({ method: 'POST', url: '/v1/auth/dev-login' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.details[0].path).toBe('body.phone');
  });
});
