import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_TEXT } from './error-text';

/**
 * The registry against the BFF's source: every code it can answer with has Chinese copy here, and
 * nothing here is a code it no longer sends. Reading the source as text keeps this a unit test (no
 * BFF to start), at the price of the short list below of capitals that are not codes.
 */
const BFF_SRC = join(import.meta.dirname, '../../../bff/src');

/**
 * Quoted capitals in the BFF that it never answers with: what it reads (Node's error codes, HTTP
 * methods; Fastify's codes and the environment's names are recognised below) and other data (label
 * letters, a Redis reply, image file signatures, an S3 client option, a Web Crypto algorithm).
 */
const NOT_ERROR_CODES = new Set([
  'ECONNRESET',
  'ENOENT',
  'HEAD',
  'POST',
  'PATCH',
  'ABCDEFGH',
  'ABCDEFGHIJ',
  'PONG',
  'RIFF',
  'WEBP',
  'WHEN_REQUIRED',
  // Web Crypto's algorithm name for the session token's signing key.
  'HMAC',
  // Redis commands in the rate limiter's Lua script.
  'INCR',
  'PEXPIRE',
  'PTTL',
  // WeChat Pay's trade and refund states, which payments keeps and compares (never answers with).
  'ABNORMAL',
  'CLOSED',
  'NOTPAY',
]);

/** Fastify's and its plugins' own codes: the BFF renames them before answering. */
const FASTIFY_CODE = /^FST_/;

/** The environment variables bff/src/config.ts reads (its schema's keys), named in Pick<Config> and issues. */
const ENV_NAMES = new Set(
  [...readFileSync(join(BFF_SRC, 'config.ts'), 'utf8').matchAll(/^\s+([A-Z][A-Z0-9_]+):/gm)].map(
    (m) => m[1]!,
  ),
);

const isErrorCode = (literal: string) =>
  !NOT_ERROR_CODES.has(literal) && !FASTIFY_CODE.test(literal) && !ENV_NAMES.has(literal);

/**
 * Every single-quoted run of capitals and underscores: how the BFF writes its codes. Comments and
 * members of a type union (`| 'SUCCESS'`: a partner's vocabulary, such as WeChat Pay's trade states,
 * which the BFF maps before answering) are not codes it sends; a code it does send is also written
 * as a value somewhere (`conflict('X', ...)`, `code: 'X'`), so the union rule loses none.
 */
export function quotedCapitals(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  return [...code.matchAll(/(\|\s*)?'([A-Z][A-Z_]{3,})'(?!\s*\|)/g)].filter((m) => !m[1]).map((m) => m[2]!);
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.ts$/.test(entry.name) && !/\.test\.ts$/.test(entry.name) ? [path] : [];
  });
}

/**
 * Adapters that speak a partner's protocol: WeChat Pay's client and its simulator are full of WeChat
 * Pay's own codes and states (PARAM_ERROR, NOTPAY, ...), which modules/payments maps before anything
 * reaches the app; payments' WeChat Pay adapter and its notify endpoint answer WeChat Pay, not the
 * app. The database client reads Node's and postgres.js's connection error codes (ECONNREFUSED,
 * CONNECTION_CLOSED, ...) to tell an outage, which the app only ever sees as SERVICE_UNAVAILABLE.
 * There only the codes the BFF itself raises count.
 */
const PARTNER_PROTOCOL =
  /[\\/](integrations[\\/]wechatpay[\\/]|modules[\\/]payments[\\/](notify|wechatpay)\.ts$|db[\\/]client\.ts$)/;

/** The codes an adapter raises as ours: `new AppError(402, 'X'`, `conflict('X'`, `badRequest('X'`, ... */
export function raisedCodes(source: string): string[] {
  const raised = /(?:AppError\(\s*\d+\s*,|[cC]onflict\(|badRequest\(|envelope\()\s*'([A-Z][A-Z_]{3,})'/g;
  return [...source.matchAll(raised)].map((m) => m[1]!);
}

const bffCodes = new Set(
  sources(BFF_SRC)
    .flatMap((file) => {
      const source = readFileSync(file, 'utf8');
      return PARTNER_PROTOCOL.test(file) ? raisedCodes(source) : quotedCapitals(source);
    })
    .filter(isErrorCode),
);
const registry = Object.keys(ERROR_TEXT);

describe('error copy registry', () => {
  it('finds codes however a BFF call spells them', () => {
    const sample = [
      "throw conflict('SHOP_FULL', 'No room');",
      "throw fieldConflict(\n  'LINE_GONE',\n  'Gone',\n  'body.items.0',\n);",
      "return reply.status(414).send(envelope('URI_TOO_LONG', 'Too long'));",
      "const x = { code: 'RATE_LIMITED', message: 'Too many attempts' };",
      'log.info(\'done\'); const y = "NOT_SINGLE_QUOTED";',
      "type TradeState = 'SUCCESS' | 'NOTPAY'\n  | 'CLOSED';",
      "/** failure (code 'TRANSPORT') */ // or 'IN_COMMENT'",
    ].join('\n');
    expect(quotedCapitals(sample)).toEqual(['SHOP_FULL', 'LINE_GONE', 'URI_TOO_LONG', 'RATE_LIMITED']);
    expect(
      raisedCodes(`${sample}\nreturn { code: 'PARAM_ERROR' }; throw new AppError(502, 'PAY_DOWN', 'x');`),
    ).toEqual(['SHOP_FULL', 'LINE_GONE', 'URI_TOO_LONG', 'PAY_DOWN']);
    // The scan read the real BFF: its commonest codes are there.
    expect([...bffCodes]).toEqual(expect.arrayContaining(['VALIDATION_FAILED', 'NOT_FOUND', 'INTERNAL']));
  });

  it('has Chinese copy for every code the BFF sends', () => {
    // A code listed here needs its sentence in ERROR_TEXT (or, when it is no error code, NOT_ERROR_CODES).
    const missing = [...bffCodes].filter((code) => !registry.includes(code)).sort();
    expect(missing).toEqual([]);
  });

  it('lists no code the BFF never sends', () => {
    const stale = registry.filter((code) => !bffCodes.has(code)).sort();
    expect(stale).toEqual([]);
  });

  it('says each one in Chinese', () => {
    const notChinese = Object.entries(ERROR_TEXT)
      .filter(([, text]) => !/[\u4e00-\u9fff]/.test(text))
      .map(([code]) => code);
    expect(notChinese).toEqual([]);
  });
});
