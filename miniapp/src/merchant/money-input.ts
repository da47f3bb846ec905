/**
 * What merchants type (yuan, whole counts) into what the API takes (integer fen, integers). Parsed
 * from the string digit by digit: `Number('12.9') * 100` is 1290.0000000000002, this is 1290.
 */

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** The most any amount parses to; each field passes its API cap from shared (MAX_PRICE_FEN, ...). */
export const MAX_FEN = 10_000_000;

const FULL_WIDTH = /[０-９．]/g;

/** Full-width digits and point (中文输入法) to ASCII; spaces, ¥ and a trailing 元 dropped. */
function normalize(input: string): string {
  return input
    .replace(FULL_WIDTH, (c) => (c === '．' ? '.' : String.fromCharCode(c.charCodeAt(0) - 0xfee0)))
    .replace(/\s+/g, '')
    .replace(/^[¥￥]/, '')
    .replace(/元$/, '');
}

/** '12.9' -> 1290 fen; at most two decimals, never negative, at most MAX_FEN. */
export function parseYuan(input: string, { max = MAX_FEN }: { max?: number } = {}): Parsed<number> {
  const text = normalize(input);
  if (!text) return { ok: false, error: '请输入金额' };
  const match = /^(\d*)(?:\.(\d*))?$/.exec(text);
  if (!match || (!match[1] && !match[2])) return { ok: false, error: '请输入正确的金额，如 12.9' };
  const whole = match[1] ?? '';
  const decimals = match[2] ?? '';
  if (decimals.length > 2) return { ok: false, error: '金额最多两位小数' };
  // Strip leading zeros so a long run of them cannot overflow the length check below.
  const wholeDigits = whole.replace(/^0+(?=\d)/, '');
  if (wholeDigits.length > 9) return { ok: false, error: `金额不能超过 ${max / 100} 元` };
  const fen = Number(wholeDigits || '0') * 100 + Number(decimals.padEnd(2, '0'));
  if (fen > max) return { ok: false, error: `金额不能超过 ${max / 100} 元` };
  return { ok: true, value: fen };
}

/** parseYuan for an optional field: empty means null. */
export function parseOptionalYuan(input: string, options: { max?: number } = {}): Parsed<number | null> {
  return normalize(input) === '' ? { ok: true, value: null } : parseYuan(input, options);
}

/** 1290 -> '12.9', 1205 -> '12.05', 1200 -> '12': prefills an input with what parseYuan reads back. */
export function fenToYuanInput(fen: number): string {
  const yuan = Math.floor(fen / 100);
  const rest = fen % 100;
  if (rest === 0) return String(yuan);
  return `${yuan}.${String(rest).padStart(2, '0').replace(/0$/, '')}`;
}

/** A whole number in [min, max], e.g. stock or a per-order limit. */
export function parseCount(
  input: string,
  { min = 0, max = 1_000_000 }: { min?: number; max?: number } = {},
): Parsed<number> {
  const text = normalize(input);
  if (!text) return { ok: false, error: '请输入数量' };
  if (!/^\d+$/.test(text)) return { ok: false, error: '请输入整数' };
  const digits = text.replace(/^0+(?=\d)/, '');
  const n = digits.length > 9 ? Number.POSITIVE_INFINITY : Number(digits);
  if (n < min) return { ok: false, error: `不能小于 ${min}` };
  if (n > max) return { ok: false, error: `不能大于 ${max}` };
  return { ok: true, value: n };
}

/** parseCount for an optional field: empty means null. */
export function parseOptionalCount(
  input: string,
  options: { min?: number; max?: number } = {},
): Parsed<number | null> {
  return normalize(input) === '' ? { ok: true, value: null } : parseCount(input, options);
}
