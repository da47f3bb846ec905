import { describe, expect, it } from 'vitest';
import { parseStock } from './stock-input';

describe('parseStock', () => {
  it('refuses a minus sign with a sentence instead of reading −3 as 3', () => {
    for (const typed of ['-3', '−3', '－3', ' -0'])
      expect(parseStock(typed)).toEqual({ ok: false, error: '库存不能是负数，卖完了请填 0' });
  });

  it('takes whole numbers from 0 to the cap, full-width digits too', () => {
    expect(parseStock('0')).toEqual({ ok: true, value: 0 });
    expect(parseStock('１２')).toEqual({ ok: true, value: 12 });
    expect(parseStock('1.5').ok).toBe(false);
    expect(parseStock('1000001').ok).toBe(false);
  });
});
