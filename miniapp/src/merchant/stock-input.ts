import { type Parsed, parseCount } from './money-input';

const MINUS = /^\s*[-−－]/;

/**
 * Stock as typed: a whole number from 0. A minus sign is refused with a sentence (never dropped,
 * which would turn −3 into 3); everything else is parseCount's rule.
 */
export function parseStock(input: string, { max = 1_000_000 }: { max?: number } = {}): Parsed<number> {
  if (MINUS.test(input)) return { ok: false, error: '库存不能是负数，卖完了请填 0' };
  return parseCount(input, { min: 0, max });
}
