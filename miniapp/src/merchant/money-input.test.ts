import { describe, expect, it } from 'vitest';
import { fenToYuanInput, parseCount, parseOptionalCount, parseOptionalYuan, parseYuan } from './money-input';

const fen = (input: string) => {
  const r = parseYuan(input);
  return r.ok ? r.value : r.error;
};

describe('parseYuan: yuan typed by a person -> integer fen, exactly', () => {
  it('reads whole yuan, one and two decimals without float error', () => {
    expect(fen('12.9')).toBe(1290);
    expect(fen('12.90')).toBe(1290);
    expect(fen('0.1')).toBe(10);
    expect(fen('0.07')).toBe(7);
    expect(fen('1.15')).toBe(115); // 1.15 * 100 = 114.99999999999999 in floats
    expect(fen('4.35')).toBe(435); // 434.99999999999994
    expect(fen('19.99')).toBe(1999);
    expect(fen('12')).toBe(1200);
    expect(fen('12.')).toBe(1200);
    expect(fen('.5')).toBe(50);
    expect(fen('0')).toBe(0);
    expect(fen('007.5')).toBe(750);
  });

  it('forgives what phones and people add: spaces, ¥, 元, full-width digits', () => {
    expect(fen(' 12.9 ')).toBe(1290);
    expect(fen('¥12.9')).toBe(1290);
    expect(fen('￥3')).toBe(300);
    expect(fen('12.9元')).toBe(1290);
    expect(fen('１２．９')).toBe(1290);
  });

  it('refuses empty, negative, three decimals, letters and too much', () => {
    expect(fen('')).toBe('请输入金额');
    expect(fen('   ')).toBe('请输入金额');
    expect(fen('-1')).toMatch(/正确的金额/);
    expect(fen('1.234')).toBe('金额最多两位小数');
    expect(fen('abc')).toMatch(/正确的金额/);
    expect(fen('1e3')).toMatch(/正确的金额/);
    expect(fen('.')).toMatch(/正确的金额/);
    expect(fen('1.2.3')).toMatch(/正确的金额/);
    expect(fen('100000')).toBe(10_000_000);
    expect(fen('100000.01')).toMatch(/不能超过/);
    expect(fen('99999999999999999999')).toMatch(/不能超过/);
    expect(parseYuan('100.01', { max: 100_00 })).toEqual({ ok: false, error: '金额不能超过 100 元' });
  });

  it('optional: empty is null', () => {
    expect(parseOptionalYuan('')).toEqual({ ok: true, value: null });
    expect(parseOptionalYuan('2.5')).toEqual({ ok: true, value: 250 });
    expect(parseOptionalYuan('x').ok).toBe(false);
  });
});

describe('fenToYuanInput: what an input is prefilled with reads back the same', () => {
  it('drops trailing zeros', () => {
    expect(fenToYuanInput(1290)).toBe('12.9');
    expect(fenToYuanInput(1205)).toBe('12.05');
    expect(fenToYuanInput(1200)).toBe('12');
    expect(fenToYuanInput(7)).toBe('0.07');
    expect(fenToYuanInput(0)).toBe('0');
  });

  it('round-trips every fen amount up to 100 yuan', () => {
    for (let f = 0; f <= 10_000; f++) expect(parseYuan(fenToYuanInput(f))).toEqual({ ok: true, value: f });
  });
});

describe('parseCount', () => {
  it('takes whole numbers in range', () => {
    expect(parseCount('0')).toEqual({ ok: true, value: 0 });
    expect(parseCount(' 25 ')).toEqual({ ok: true, value: 25 });
    expect(parseCount('１０')).toEqual({ ok: true, value: 10 });
    expect(parseCount('')).toEqual({ ok: false, error: '请输入数量' });
    expect(parseCount('2.5')).toEqual({ ok: false, error: '请输入整数' });
    expect(parseCount('-3')).toEqual({ ok: false, error: '请输入整数' });
    expect(parseCount('0', { min: 1 })).toEqual({ ok: false, error: '不能小于 1' });
    expect(parseCount('1000', { max: 999 })).toEqual({ ok: false, error: '不能大于 999' });
    expect(parseCount('99999999999999999999').ok).toBe(false);
  });

  it('optional: empty is null', () => {
    expect(parseOptionalCount('')).toEqual({ ok: true, value: null });
    expect(parseOptionalCount('3', { min: 1 })).toEqual({ ok: true, value: 3 });
  });
});
