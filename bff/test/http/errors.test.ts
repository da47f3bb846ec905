import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { ErrorEnvelope } from 'shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app';
import { AppError } from '../../src/http/errors';
import { toEnvelope } from '../../src/plugins/errors';
import { bearer, demoCommunityId, demoHouseholds, freshPhone, TEST_ENV } from '../fixtures/people';
import { setupTestApp, type TestApp } from '../helper';

const BODY_LIMIT = 2048;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let t: TestApp;
beforeAll(async () => {
  t = await setupTestApp({ ...TEST_ENV, BODY_LIMIT_BYTES: String(BODY_LIMIT) });
});
afterAll(() => t?.close());

/** The envelope, exactly: nothing but code, message and (only when there are some) details. */
function expectEnvelope(res: { status: number; body: ErrorEnvelope }, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(ErrorEnvelope.strict().safeParse(res.body).success).toBe(true);
  expect(Object.keys(res.body)).toEqual(['error']);
  for (const key of Object.keys(res.body.error)) expect(['code', 'message', 'details']).toContain(key);
  expect(res.body.error.code).toBe(code);
  expect(res.body.error.message).toEqual(expect.any(String));
  expect(res.body.error.message.length).toBeGreaterThan(0);
  if ('details' in res.body.error) expect(res.body.error.details?.length).toBeGreaterThan(0);
}

const paths = (body: ErrorEnvelope) => (body.error.details ?? []).map((d: { path: string }) => d.path).sort();

describe('bodies that are not JSON we can read', () => {
  it('malformed JSON is 400 INVALID_JSON', async () => {
    const res = await t.call({
      method: 'POST',
      url: '/v1/auth/dev-login',
      headers: { 'content-type': 'application/json' },
      payload: '{"phone": "13800000001",',
    });
    expectEnvelope(res, 400, 'INVALID_JSON');
    expect(res.body.error.details).toBeUndefined();
    // The parser's own words (positions, tokens) are not passed through.
    expect(res.body.error.message).toBe('The body is not valid JSON');
  });

  it('an empty body declared as JSON is 400 INVALID_JSON', async () => {
    const res = await t.call({
      method: 'POST',
      url: '/v1/auth/dev-login',
      headers: { 'content-type': 'application/json' },
      payload: '',
    });
    expectEnvelope(res, 400, 'INVALID_JSON');
    expect(res.body.error.message).toBe('The JSON body is empty');
  });

  it('no body at all on a route that needs one is a validation failure, not a crash', async () => {
    const res = await t.call({ method: 'POST', url: '/v1/auth/dev-login' });
    expectEnvelope(res, 400, 'VALIDATION_FAILED');
  });

  it('JSON null or an array where an object belongs is a validation failure', async () => {
    for (const payload of ['null', '[]', '"13800000001"']) {
      const res = await t.call({
        method: 'POST',
        url: '/v1/auth/dev-login',
        headers: { 'content-type': 'application/json' },
        payload,
      });
      expectEnvelope(res, 400, 'VALIDATION_FAILED');
    }
  });

  it.each(['text/plain', 'application/x-www-form-urlencoded', 'application/xml'])(
    '%s on a JSON route is 415 UNSUPPORTED_MEDIA_TYPE',
    async (type) => {
      const res = await t.call({
        method: 'POST',
        url: '/v1/auth/dev-login',
        headers: { 'content-type': type },
        payload: 'phone=13800000001',
      });
      expectEnvelope(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
    },
  );

  it(`a body over BODY_LIMIT_BYTES (${BODY_LIMIT}) is 413 PAYLOAD_TOO_LARGE`, async () => {
    const res = await t.call({
      method: 'POST',
      url: '/v1/auth/dev-login',
      payload: { phone: '13800000001', pad: 'x'.repeat(BODY_LIMIT + 1) },
    });
    expectEnvelope(res, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('a body just under the limit is read normally', async () => {
    const payload = JSON.stringify({ phone: '13800000001', pad: '' });
    const res = await t.call({
      method: 'POST',
      url: '/v1/auth/dev-login',
      headers: { 'content-type': 'application/json' },
      payload: payload.replace('"pad":""', `"pad":"${'x'.repeat(BODY_LIMIT - payload.length)}"`),
    });
    expect(res.status).toBe(200);
  });
});

describe('validation failures list each bad field with its path', () => {
  it('body: a bad phone is body.phone', async () => {
    const res = await t.call({ method: 'POST', url: '/v1/auth/dev-login', payload: { phone: '12345' } });
    expectEnvelope(res, 400, 'VALIDATION_FAILED');
    expect(res.body.error.details).toEqual([
      { path: 'body.phone', message: 'must be an 11-digit mainland mobile number' },
    ]);
  });

  it('body: a missing field and a wrong type are named', async () => {
    const missing = await t.call({ method: 'POST', url: '/v1/auth/dev-login', payload: {} });
    expectEnvelope(missing, 400, 'VALIDATION_FAILED');
    expect(paths(missing.body)).toEqual(['body.phone']);

    const number = await t.call({
      method: 'POST',
      url: '/v1/auth/dev-login',
      payload: { phone: 13800000001 },
    });
    expectEnvelope(number, 400, 'VALIDATION_FAILED');
    expect(paths(number.body)).toEqual(['body.phone']);
  });

  it('body: every bad field is listed, nested ones with their full path', async () => {
    const me = await t.login(freshPhone());
    const res = await t.call({
      method: 'POST',
      url: '/v1/notifications/read',
      headers: bearer(me),
      payload: { ids: ['not-a-uuid', '0190a0b0-0000-7000-8000-000000000000', 42], all: 'yes' },
    });
    expectEnvelope(res, 400, 'VALIDATION_FAILED');
    expect(paths(res.body)).toEqual(['body.all', 'body.ids.0', 'body.ids.2']);
  });

  it('querystring: a bad limit is querystring.limit', async () => {
    const me = await t.login(freshPhone());
    for (const limit of ['0', '101', 'abc', '1.5']) {
      const res = await t.call({
        method: 'GET',
        url: `/v1/notifications?limit=${limit}`,
        headers: bearer(me),
      });
      expectEnvelope(res, 400, 'VALIDATION_FAILED');
      expect(paths(res.body)).toEqual(['querystring.limit']);
    }
    const ok = await t.call({ method: 'GET', url: '/v1/notifications?limit=100', headers: bearer(me) });
    expect(ok.status).toBe(200);
  });

  it('querystring: an enum outside its values is named', async () => {
    const staff = await t.login('13800000001');
    const res = await t.call({
      method: 'GET',
      url: '/v1/staff/memberships?status=lost',
      headers: bearer(staff),
    });
    expectEnvelope(res, 400, 'VALIDATION_FAILED');
    expect(paths(res.body)).toEqual(['querystring.status']);
  });

  it('params: an id that is not a uuid is params.id', async () => {
    const me = await t.login(freshPhone());
    for (const id of ['1', 'abc', '00000000-0000-0000-0000-00000000000g']) {
      const res = await t.call({ method: 'GET', url: `/v1/communities/${id}`, headers: bearer(me) });
      expectEnvelope(res, 400, 'VALIDATION_FAILED');
      expect(paths(res.body)).toEqual(['params.id']);
    }
  });

  it('a well-formed id that names nothing is 404, not 400 or 500', async () => {
    const me = await t.login(freshPhone());
    const res = await t.call({
      method: 'GET',
      url: '/v1/communities/0190a0b0-0000-7000-8000-000000000000',
      headers: bearer(me),
    });
    expectEnvelope(res, 404, 'NOT_FOUND');
    const real = await t.call({
      method: 'GET',
      url: `/v1/communities/${await demoCommunityId(t)}`,
      headers: bearer(me),
    });
    expect(real.status).toBe(200);
  });
});

describe('routes and conflicts', () => {
  it('an unknown route is 404 NOT_FOUND in the envelope, signed in or not', async () => {
    const anon = await t.call({ method: 'GET', url: '/v1/no-such-thing?x=1' });
    expectEnvelope(anon, 404, 'NOT_FOUND');
    // Nothing the client sent comes back in our text.
    expect(anon.body.error.message).toBe('There is no such route');
    expect(JSON.stringify(anon.body)).not.toContain('no-such-thing');

    const me = await t.login(freshPhone());
    const signed = await t.call({ method: 'DELETE', url: '/v1/me', headers: bearer(me) });
    expectEnvelope(signed, 404, 'NOT_FOUND');
    expect(signed.body.error.message).toBe('There is no such route');
  });

  it('a unique-constraint violation is 409 with its own code', async () => {
    const me = await t.login(freshPhone());
    const [household] = await demoHouseholds(t, me);
    const first = await t.call({
      method: 'POST',
      url: '/v1/memberships',
      headers: bearer(me),
      payload: { householdId: household },
    });
    expect(first.status).toBe(201);
    const again = await t.call({
      method: 'POST',
      url: '/v1/memberships',
      headers: bearer(me),
      payload: { householdId: household },
    });
    expectEnvelope(again, 409, 'MEMBERSHIP_EXISTS');
    expect(again.body.error.message).toBe(
      'You already have a pending or approved request for this household',
    );
    // The constraint's name and SQL never reach the client.
    expect(JSON.stringify(again.body)).not.toMatch(/memberships_live_unique|duplicate key|INSERT/i);
  });
});

describe('5xx hide internals', () => {
  it('toEnvelope turns a plain Error into 500 INTERNAL with a generic message', () => {
    const { status, body } = toEnvelope(new Error('connect ECONNREFUSED 10.0.0.5:5432 password=hunter2'));
    expect(status).toBe(500);
    expect(body).toEqual({ error: { code: 'INTERNAL', message: 'Something went wrong on our side' } });
  });

  it('toEnvelope keeps an AppError as it is, and maps a wrapped pg unique violation to 409', () => {
    expect(toEnvelope(new AppError(409, 'X_TAKEN', 'taken', [{ path: 'body.x', message: 'm' }]))).toEqual({
      status: 409,
      body: { error: { code: 'X_TAKEN', message: 'taken', details: [{ path: 'body.x', message: 'm' }] } },
    });
    const wrapped = Object.assign(new Error('Failed query: insert ...'), {
      cause: Object.assign(new Error('duplicate key'), { code: '23505', constraint_name: 'whatever_unique' }),
    });
    expect(toEnvelope(wrapped)).toEqual({
      status: 409,
      body: { error: { code: 'ALREADY_EXISTS', message: 'This already exists' } },
    });
    // A pg error that is not a constraint is still a 500 with nothing from the database in it.
    const syntax = Object.assign(new Error('syntax error at or near "FROM"'), { code: '42601' });
    expect(toEnvelope(syntax).status).toBe(500);
    expect(toEnvelope(syntax).body.error.code).toBe('INTERNAL');
  });

  it('a route that crashes answers 500 INTERNAL with no internals, over HTTP', async () => {
    // A second app over the same deps, with crash routes that exist only in this test.
    const app: FastifyInstance = await buildApp(t.deps);
    app.get('/test/crash', { config: { public: true } }, async () => {
      throw new Error('secret internals: password=hunter2 at /srv/bff/src/thing.ts:42');
    });
    app.get('/test/bad-sql', { config: { public: true } }, async () => {
      await t.deps.db.execute(sql`SELECT * FROM no_such_table_for_tests`);
      return { ok: true };
    });
    await app.ready();
    try {
      for (const url of ['/test/crash', '/test/bad-sql']) {
        const res = await app.inject({ method: 'GET', url, headers: { 'x-request-id': 'crash-1' } });
        expect(res.statusCode).toBe(500);
        expect(res.json()).toEqual({
          error: { code: 'INTERNAL', message: 'Something went wrong on our side' },
        });
        expect(res.body).not.toMatch(/hunter2|no_such_table|stack|\.ts/);
        expect(res.headers['x-request-id']).toBe('crash-1');
      }
    } finally {
      await app.close();
    }
  });
});

describe('x-request-id', () => {
  it('echoes the id the client sent, on success and on error', async () => {
    const ok = await t.call({
      method: 'POST',
      url: '/v1/auth/dev-login',
      headers: { 'x-request-id': 'req-ok-123' },
      payload: { phone: freshPhone() },
    });
    expect(ok.status).toBe(200);
    expect(ok.headers['x-request-id']).toBe('req-ok-123');

    const bad = await t.call({
      method: 'POST',
      url: '/v1/auth/dev-login',
      headers: { 'x-request-id': 'req-bad-456' },
      payload: { phone: 'x' },
    });
    expect(bad.status).toBe(400);
    expect(bad.headers['x-request-id']).toBe('req-bad-456');

    const missing = await t.call({ method: 'GET', url: '/nowhere', headers: { 'x-request-id': 'req-404' } });
    expect(missing.status).toBe(404);
    expect(missing.headers['x-request-id']).toBe('req-404');
  });

  it('makes one up (a uuid) when the client sent none, different each time', async () => {
    const a = await t.call({ method: 'GET', url: '/v1/me' });
    const b = await t.call({ method: 'GET', url: '/v1/me' });
    expect(a.status).toBe(401);
    expect(a.headers['x-request-id']).toMatch(UUID);
    expect(b.headers['x-request-id']).toMatch(UUID);
    expect(a.headers['x-request-id']).not.toBe(b.headers['x-request-id']);
  });
});
