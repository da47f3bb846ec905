/**
 * Values for the OpenAPI fuzz test: a seeded PRNG, a generator of valid values from the JSON
 * schemas in /docs/json, and the mutations that turn a valid value into a hostile one. Nothing
 * here touches the app; the same seed gives the same sequence of values.
 */

/** sfc32: small, fast, good enough, and fully determined by the seed. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  constructor(readonly seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    for (let i = 0; i < 15; i++) this.next();
  }
  /** Uniform in [0, 1). */
  next(): number {
    this.a >>>= 0;
    this.b >>>= 0;
    this.c >>>= 0;
    this.d >>>= 0;
    let t = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    t = (t + this.d) | 0;
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  bool(p = 0.5): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    if (xs.length === 0) throw new Error('pick from an empty list');
    return xs[Math.floor(this.next() * xs.length)]!;
  }
  hex(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += '0123456789abcdef'[this.int(0, 15)];
    return s;
  }
  /** A uuid v7-shaped id that names nothing. */
  uuid(): string {
    const h = this.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-7${h.slice(13, 16)}-${'89ab'[this.int(0, 3)]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
}

// biome-ignore lint/suspicious/noExplicitAny: JSON schema objects from the OpenAPI document
export type Schema = Record<string, any>;

/** Real ids and values the generator prefers, by what a field or path param names. */
export interface Pools {
  /** e.g. merchantId -> merchant ids; `uuid` is the fallback for any uuid field. */
  ids: Record<string, string[]>;
  /** Per operation id and field name ('path' for the path id): the ids that route works on. */
  byOp: Record<string, Record<string, string[]>>;
  phones: string[];
  codes: string[];
}

const CJK = '邻里黌门街社区银杏院梧桐院玉兰院菜宅送青菜鸡蛋豆腐面包';
const LATIN = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ';

/** Which id pool a field name points at (communityIds -> communityId, ids -> notificationId). */
export function poolFor(name: string): string {
  const n = name.replace(/s$/, '');
  if (n === 'id') return 'notificationId';
  if (n === 'communityId') return 'communityId';
  return n;
}

function pickId(rng: Rng, pools: Pools, name: string): string {
  const own = pools.ids[poolFor(name)];
  if (own?.length && rng.bool(0.85)) return rng.pick(own);
  if (rng.bool(0.5)) return rng.pick(pools.ids.uuid ?? [rng.uuid()]);
  return rng.uuid();
}

function isoDate(rng: Rng): string {
  const d = new Date(Date.UTC(2026, 0, 1) + rng.int(-400, 400) * 86_400_000);
  return d.toISOString().slice(0, 10);
}

function text(rng: Rng, min: number, max: number): string {
  const len = rng.int(Math.max(min, 1), Math.max(Math.min(max, min + 12), Math.max(min, 1)));
  const chars = rng.bool(0.6) ? CJK : LATIN;
  let s = '';
  for (let i = 0; i < len; i++) s += chars[rng.int(0, chars.length - 1)];
  // Trimmed fields would lose a leading or trailing space and fall under their minimum.
  return s.trim().length >= min ? s.replace(/^ +| +$/g, 'x') : 'x'.repeat(Math.max(min, 1));
}

/** A string matching one of the patterns the contracts use (uuid and date come by format). */
function byPattern(rng: Rng, pools: Pools, pattern: string, name: string): string | undefined {
  if (pattern === '^1\\d{10}$')
    return rng.bool(0.7) ? rng.pick(pools.phones) : `139${rng.int(10_000_000, 99_999_999)}`;
  if (pattern === '^\\d{6}$')
    return pools.codes.length && rng.bool(0.8)
      ? rng.pick(pools.codes)
      : String(rng.int(0, 999_999)).padStart(6, '0');
  if (pattern === '^[A-Za-z0-9_-]{8,64}$') return `fz-${rng.hex(rng.int(6, 30))}`;
  if (pattern === '^\\d{13}$') return String(Date.now());
  if (pattern === '^[0-9a-f]{64}$') return rng.hex(64);
  if (pattern.includes('[0-5]\\d')) {
    if (pattern.includes('24:00') && rng.bool(0.2)) return '24:00';
    return `${String(rng.int(0, 23)).padStart(2, '0')}:${rng.pick(['00', '15', '30', '45'])}`;
  }
  void name;
  return undefined;
}

export interface GenCtx {
  rng: Rng;
  pools: Pools;
  /** The operation the value is for (its own id pools come first). */
  op?: string;
}

/** A value the schema accepts (as far as the schema can say: ids may still name nothing). */
export function generate(ctx: GenCtx, schema: Schema, name = '', depth = 0): unknown {
  const { rng, pools } = ctx;
  if (schema.nullable && rng.bool(0.15)) return null;
  if (schema.oneOf || schema.anyOf) return generate(ctx, rng.pick(schema.oneOf ?? schema.anyOf), name, depth);
  if (schema.enum) return rng.pick(schema.enum);
  if (schema.const !== undefined) return schema.const;
  switch (schema.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      const required: string[] = schema.required ?? [];
      for (const [k, sub] of Object.entries<Schema>(schema.properties ?? {})) {
        if (required.includes(k) || rng.bool(0.5)) out[k] = generate(ctx, sub, k, depth + 1);
      }
      if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
        const n = rng.int(1, 3);
        for (let i = 0; i < n; i++)
          out[rng.pick(['tmpl_order_status', 'tmpl_review_result', `tmpl_${rng.hex(6)}`])] = generate(
            ctx,
            schema.additionalProperties,
            name,
            depth + 1,
          );
      }
      return out;
    }
    case 'array': {
      const min = schema.minItems ?? 0;
      const max = Math.min(schema.maxItems ?? min + 3, min + 3);
      const n = rng.int(min, max);
      const items: unknown[] = [];
      const seen = new Set<string>();
      for (let i = 0; i < n; i++) {
        const v = generate(ctx, schema.items ?? {}, name, depth + 1);
        // Lists of ids reject duplicates in places (order lines): keep them distinct.
        const key = JSON.stringify(v);
        if (seen.has(key)) continue;
        seen.add(key);
        items.push(v);
      }
      while (items.length < min) items.push(generate(ctx, schema.items ?? {}, name, depth + 1));
      return items;
    }
    case 'string': {
      const mine = ctx.op ? pools.byOp[ctx.op]?.[name] : undefined;
      if (mine?.length && rng.bool(0.8)) return rng.pick(mine);
      if (schema.format === 'uuid') return pickId(rng, pools, name);
      if (schema.format === 'date') return isoDate(rng);
      if (schema.format === 'uri') return `https://img.example.com/${rng.hex(8)}.png`;
      if (schema.pattern) {
        const s = byPattern(rng, pools, schema.pattern, name);
        if (s !== undefined) return s;
      }
      return text(rng, schema.minLength ?? 0, schema.maxLength ?? 40);
    }
    case 'integer': {
      const min = schema.minimum ?? 0;
      const max = schema.maximum ?? 1000;
      // Mostly small values: huge ones are the mutations' job.
      return rng.bool(0.8) ? rng.int(min, Math.min(max, min + 20)) : rng.int(min, max);
    }
    case 'number': {
      const min = schema.minimum ?? -1000;
      const max = schema.maximum ?? 1000;
      return Math.round((min + rng.next() * (max - min)) * 1e6) / 1e6;
    }
    case 'boolean':
      return rng.bool();
    default:
      return rng.pick(['x', 1, true, null]);
  }
}

/**
 * Raw JSON text that JSON.stringify cannot say (lone surrogates as escapes, numbers past double
 * range): a placeholder string in the value, swapped for the text after stringify.
 */
const RAW = '\u0001raw:';
export const raw = (jsonText: string) => `${RAW}${jsonText}\u0001`;
export function toJson(value: unknown): string {
  return JSON.stringify(value).replace(/"\\u0001raw:(.*?)\\u0001"/g, (_m, t: string) => JSON.parse(`"${t}"`));
}

export const nested = (depth: number, kind: 'array' | 'object' | 'mixed'): unknown => {
  let v: unknown = 'leaf';
  for (let i = 0; i < depth; i++) {
    const k = kind === 'mixed' ? (i % 2 ? 'array' : 'object') : kind;
    v = k === 'array' ? [v] : { a: v };
  }
  return v;
};

/** Deep nesting as JSON text: the test process need not build (or stringify) the value. */
export const nestedText = (depth: number, kind: 'array' | 'object'): string =>
  kind === 'array'
    ? `${'['.repeat(depth)}"leaf"${']'.repeat(depth)}`
    : `${'{"a":'.repeat(depth)}"leaf"${'}'.repeat(depth)}`;

/** Odd values of every kind, each with a label for the report. */
export function oddValues(rng: Rng): [string, unknown][] {
  return [
    ['1e308', 1e308],
    ['2^53+1', raw('9007199254740993')],
    ['-1', -1],
    ['0', 0],
    ['-0', raw('-0')],
    ['1.5', 1.5],
    ['1e400', raw('1e400')],
    ['-1e400', raw('-1e400')],
    ['2^31', 2 ** 31],
    ['-2^31-1', -(2 ** 31) - 1],
    ['2^63', raw('9223372036854775808')],
    ['"NaN"', 'NaN'],
    ['"Infinity"', 'Infinity'],
    ['"1e308"', '1e308'],
    ['"12"', '12'],
    ['true', true],
    ['false', false],
    ['null', null],
    ['{}', {}],
    ['[]', []],
    ['""', ''],
    ['"   "', '   '],
    ['10k chars', 'x'.repeat(10_000)],
    ['100k chars', '邻'.repeat(rng.int(30_000, 40_000))],
    ['emoji', '😀👨‍👩‍👧‍👦🏳️‍🌈'],
    ['RTL', '\u202eمرحبا بالعالم\u202c'],
    ['zero-width', '\u200b\u200d\ufeff'],
    ['combining', 'e\u0301\u0301\u0301\u0301'],
    ['lone high surrogate', raw('"\\ud800"')],
    ['lone low surrogate', raw('"\\udfff"')],
    ['reversed pair', raw('"a\\udc00\\ud800b"')],
    ['NUL', 'a\u0000b'],
    ['control chars', '\u0007\u001b[31m\r\n'],
    ['sql-ish', "'; DROP TABLE orders; --"],
    ['html', '<script>alert(1)</script>'],
    ['path traversal', '../../etc/passwd'],
    ['nested 50 array', nested(50, 'array')],
    ['nested 50 object', nested(50, 'object')],
    ['array 10k ints', Array.from({ length: 10_000 }, (_, i) => i)],
    ['array 10k strings', Array.from({ length: 10_000 }, () => 'a')],
    ['random uuid', rng.uuid()],
    ['nil uuid', '00000000-0000-0000-0000-000000000000'],
    ['max uuid', 'ffffffff-ffff-ffff-ffff-ffffffffffff'],
    ['uppercase uuid', rng.uuid().toUpperCase()],
    ['date 0000-01-01', '0000-01-01'],
    ['date 9999-12-31', '9999-12-31'],
    ['date 2024-02-30', '2024-02-30'],
    ['date +275760', '+275760-09-13'],
    ['proto key', { ['__proto__']: { polluted: true } }],
  ];
}

export type PathSeg = (string | number)[];

/** Every position in a value (objects and arrays walked), the root being []. */
export function positions(value: unknown, at: PathSeg = [], out: PathSeg[] = []): PathSeg[] {
  out.push(at);
  if (Array.isArray(value)) for (const [i, v] of value.slice(0, 5).entries()) positions(v, [...at, i], out);
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) positions(v, [...at, k], out);
  return out;
}

export function setAt(root: unknown, at: PathSeg, v: unknown): unknown {
  if (at.length === 0) return v;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let cur = copy;
  for (const seg of at.slice(0, -1)) cur = cur[seg] as Record<string | number, unknown>;
  cur[at[at.length - 1]!] = v;
  return copy;
}

export function deleteAt(root: unknown, at: PathSeg): unknown {
  if (at.length === 0) return undefined;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let cur = copy;
  for (const seg of at.slice(0, -1)) cur = cur[seg] as Record<string | number, unknown>;
  const last = at[at.length - 1]!;
  if (Array.isArray(cur)) cur.splice(Number(last), 1);
  else delete cur[last];
  return copy;
}

/** The other JSON type of a value: a string for a number, an array for an object, ... */
export function wrongType(rng: Rng, v: unknown): unknown {
  if (typeof v === 'string') return rng.pick([Number(v) || 42, true, [v], { v }]);
  if (typeof v === 'number') return rng.pick([String(v), [v], false]);
  if (typeof v === 'boolean') return rng.pick([String(v), v ? 1 : 0, null]);
  if (Array.isArray(v)) return rng.pick([{ ...v }, v.join(','), v.length]);
  if (v && typeof v === 'object') return rng.pick([[v], JSON.stringify(v), 1]);
  return rng.pick(['null', 0, {}]);
}

export interface Mutation {
  label: string;
  value: unknown;
}

/** One hostile variant of a valid body. */
export function mutate(rng: Rng, body: unknown): Mutation {
  const spots = positions(body);
  const at = rng.pick(spots);
  const where = at.length ? at.join('.') : '<root>';
  const leafish = spots.filter((p) => p.length > 0);
  const kind = rng.int(0, 9);
  if (kind === 0 && at.length)
    return { label: `wrong type at ${where}`, value: setAt(body, at, wrongType(rng, getAt(body, at))) };
  if (kind === 1 && leafish.length) {
    const gone = rng.pick(leafish);
    return { label: `missing ${gone.join('.')}`, value: deleteAt(body, gone) };
  }
  if (kind === 2) {
    const objects = spots.filter((p) => isPlainObject(getAt(body, p)));
    if (objects.length) {
      const o = rng.pick(objects);
      const [label, v] = rng.pick(oddValues(rng));
      const key = rng.pick(['extra', 'isAdmin', 'userId', 'status', 'priceFen', 'constructor', '😀', '']);
      return {
        label: `extra field ${[...o, key].join('.')}=${label}`,
        value: setAt(body, [...o, key], v),
      };
    }
  }
  if (kind === 3) return { label: 'empty object', value: {} };
  if (kind === 4 && leafish.length) {
    const p = rng.pick(leafish);
    return { label: `null at ${p.join('.')}`, value: setAt(body, p, null) };
  }
  const [label, v] = rng.pick(oddValues(rng));
  const p = leafish.length && rng.bool(0.9) ? rng.pick(leafish) : [];
  return { label: `${label} at ${p.length ? p.join('.') : '<root>'}`, value: setAt(body, p, v) };
}

export function getAt(root: unknown, at: PathSeg): unknown {
  let cur = root as Record<string | number, unknown> | undefined;
  for (const seg of at) cur = cur?.[seg] as Record<string | number, unknown> | undefined;
  return cur;
}

const isPlainObject = (v: unknown) => !!v && typeof v === 'object' && !Array.isArray(v);

/** Odd query-string values (already strings: this is what goes in the URL). */
export function oddQueryValues(rng: Rng): string[] {
  return [
    '',
    '-1',
    '0',
    '1e9',
    '1e308',
    '9007199254740993',
    'NaN',
    'Infinity',
    '1.5',
    '0x10',
    ' 5',
    'false',
    'true',
    '0',
    'null',
    'undefined',
    'garbage',
    'x'.repeat(201),
    'x'.repeat(5000),
    '%00',
    '%F0%9F%98%80',
    '%ED%A0%80',
    '%FF',
    '..%2F..%2F',
    "'%20OR%201=1--",
    rng.uuid(),
    Buffer.from(`2026-01-01T00:00:00.000Z|${rng.uuid()}`).toString('base64url'),
    Buffer.from('+275760-09-13T00:00:00.000Z|0190a0b0-0000-7000-8000-000000000000').toString('base64url'),
    Buffer.from('garbage|not-a-uuid').toString('base64url'),
    '2024-02-30',
    '0000-01-01',
    '0001-01-01',
    '0099-12-31',
    '9999-12-31',
    '1969-12-31',
  ];
}

/** Path ids: real ones of the wrong kind, random uuids, and things that are not ids at all. */
export function oddPathIds(rng: Rng): string[] {
  return [
    rng.uuid(),
    '00000000-0000-0000-0000-000000000000',
    'not-a-uuid',
    '1',
    '-1',
    '9007199254740993',
    'x'.repeat(99),
    'x'.repeat(200),
    rng.uuid().toUpperCase(),
    `${rng.uuid()}x`,
    '..',
    '..%2F..%2Fadmin',
    '%2e%2e%2f',
    '%00',
    'a%00b',
    '%F0%9F%98%80',
    '%ED%A0%80',
    '%FF%FE',
    'null',
    '%20',
    `${rng.uuid()}%0A`,
  ];
}
