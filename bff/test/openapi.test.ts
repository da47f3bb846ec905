/**
 * The API document: what the linter in `pnpm lint` reads is what /docs/json serves, every operation
 * says what it is, who may call it and what it answers, and the statuses it lists are the ones the
 * app really gives. Generic probes (no token, a foreign charset, an over-long id, an oversized body,
 * X-On-Behalf-Of where it does not belong) walk every operation; the fuzzer covers the rest.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { InjectOptions } from 'fastify';
import { api, type RouteDef } from 'shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PHONES, TEST_ENV } from './fixtures/people';
import { setupTestApp, type TestApp } from './helper';

interface Operation {
  operationId?: string;
  summary?: string;
  description?: string;
  security?: unknown[];
  parameters?: { in: string; name: string; required?: boolean }[];
  requestBody?: unknown;
  responses: Record<string, unknown>;
}
interface Doc {
  openapi: string;
  servers?: { url: string }[];
  paths: Record<string, Record<string, Operation>>;
}
interface Op extends Operation {
  method: string;
  template: string;
}

let t: TestApp;
let doc: Doc;
let ops: Op[];
let resident: string;
beforeAll(async () => {
  t = await setupTestApp(TEST_ENV);
  const res = await t.call({ method: 'GET', url: '/docs/json' });
  expect(res.status).toBe(200);
  doc = res.body;
  ops = Object.entries(doc.paths).flatMap(([template, item]) =>
    Object.entries(item).map(([method, op]) => ({ ...op, method: method.toUpperCase(), template })),
  );
  resident = (await t.login(PHONES.resident)).authorization;
}, 120_000);
afterAll(() => t?.close());

const tableOps = () => ops.filter((o) => o.operationId && o.operationId in api);
const def = (o: Op) => api[o.operationId as keyof typeof api] as RouteDef;
const listed = (o: Op) =>
  Object.keys(o.responses)
    .map(Number)
    .filter((s) => s >= 400);

describe('the OpenAPI document', () => {
  it('is what the lint script writes: the same operations, without a database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openapi-'));
    let written: Doc;
    try {
      // Pointed at nothing: the script must not need PostgreSQL or Redis to write the document.
      await promisify(execFile)('pnpm', ['exec', 'tsx', 'bff/scripts/openapi.ts', join(dir, 'doc.json')], {
        env: { ...process.env, DATABASE_URL: '', REDIS_URL: '' },
        timeout: 90_000,
      });
      written = JSON.parse(readFileSync(join(dir, 'doc.json'), 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const shape = (d: Doc) =>
      Object.entries(d.paths).flatMap(([p, item]) =>
        Object.entries(item).map(([m, op]) => `${m} ${p} ${op.operationId} ${Object.keys(op.responses)}`),
      );
    expect(shape(written).sort()).toEqual(shape(doc).sort());
  }, 120_000);

  it('is OpenAPI 3 with servers, and every table route is an operation', () => {
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.servers?.length).toBeGreaterThan(0);
    for (const s of doc.servers ?? []) expect(() => new URL(s.url, 'http://x')).not.toThrow();
    const ids = tableOps().map((o) => o.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(Object.keys(api).sort());
  });

  it('every operation has an English summary, a description saying who may call it, and its security', () => {
    for (const o of tableOps()) {
      const at = `${o.method} ${o.template}`;
      expect(o.summary, at).toMatch(/^[A-Z][\x20-\x7e]{2,60}$/);
      expect(o.description, at).toMatch(
        /Public: no sign-in\.|Any signed-in user\.|Signed-in users with the /,
      );
      expect(o.security, at).toEqual(def(o).auth === false ? [] : [{ bearer: [] }]);
      if (def(o).proxy) expect(o.description, at).toContain('X-On-Behalf-Of');
    }
    // The public routes say so rather than leave security to the reader.
    for (const path of ['/v1/auth/wechat', '/v1/auth/refresh', '/v1/auth/dev-login'])
      expect(doc.paths[path]!.post!.security, path).toEqual([]);
    for (const o of ops) expect(o.security, `${o.method} ${o.template}`).toBeDefined();
  });

  it('lists the statuses that follow from what a route is, and not the ones that do not', () => {
    const me = doc.paths['/v1/me']!.get!;
    expect(listed({ ...me, method: 'GET', template: '/v1/me' })).toEqual([400, 401, 404, 415, 503]);
    const login = doc.paths['/v1/auth/wechat']!.post!;
    expect(Object.keys(login.responses)).not.toContain('401');
    expect(Object.keys(login.responses)).toContain('429');
    // A rate limit only where there is one; a code lock only where codes are entered.
    expect(Object.keys(doc.paths['/v1/orders']!.get!.responses)).not.toContain('429');
    expect(Object.keys(doc.paths['/v1/merchant/orders/verify-pickup']!.post!.responses)).toContain('423');
    expect(Object.keys(doc.paths['/v1/orders']!.post!.responses)).toContain('409');
    // A revalidated read documents its 304.
    expect(doc.paths['/v1/products']!.get!.responses['304']).toBeDefined();
    for (const o of tableOps()) {
      const at = `${o.method} ${o.template}`;
      const s = listed(o);
      if (o.template.includes('{id}')) expect(s, at).toEqual(expect.arrayContaining([404, 414]));
      if (o.method === 'GET') expect(s, at).not.toContain(413);
      expect(s.includes(401), at).toBe(def(o).auth !== false || (def(o).errors ?? []).includes(401));
    }
  });
});

describe('no operation answers a status its document does not list', () => {
  const path = (o: Op, id = '0190a0a0-0000-7000-8000-000000000000') => o.template.replace('{id}', id);
  const probes = (o: Op): [string, InjectOptions, number?][] => {
    const out: [string, InjectOptions, number?][] = [];
    const authed = def(o).auth !== false;
    const method = o.method as InjectOptions['method'];
    if (authed) out.push(['no token', { method, url: path(o) }, 401]);
    out.push([
      'JSON in UTF-16',
      {
        method,
        url: path(o),
        headers: { authorization: resident, 'content-type': 'application/json; charset=utf-16' },
        ...(o.method === 'GET' ? {} : { payload: '{}' }),
      },
      415,
    ]);
    if (o.template.includes('{id}'))
      out.push(['an id past the router limit', { method, url: path(o, 'a'.repeat(150)) }, 414]);
    if (o.method !== 'GET')
      out.push([
        'a body over the limit',
        {
          method,
          url: path(o),
          headers: { authorization: resident, 'content-type': 'application/json' },
          payload: JSON.stringify({ pad: 'x'.repeat(300 * 1024) }),
        },
      ]);
    if (authed)
      out.push([
        'acting for someone else',
        {
          method,
          url: path(o),
          headers: { authorization: resident, 'x-on-behalf-of': '0190a0a0-0000-7000-8000-0000000000ff' },
        },
      ]);
    return out;
  };

  it('under the generic probes, on every operation of the route table', async () => {
    const wrong: string[] = [];
    const missed: string[] = [];
    for (const o of tableOps())
      for (const [label, inject, expected] of probes(o)) {
        const res = await t.app.inject(inject);
        const at = `${o.method} ${o.template} [${label}] -> ${res.statusCode}`;
        if (res.statusCode >= 400 && !listed(o).includes(res.statusCode)) wrong.push(at);
        if (expected && res.statusCode !== expected) missed.push(`${at}, expected ${expected}`);
      }
    expect(wrong, wrong.join('\n')).toEqual([]);
    expect(missed, missed.join('\n')).toEqual([]);
  }, 180_000);
});
