import { describe, expect, it } from 'vitest';
import { distanceMetres } from './geo';
import { formatYuan } from './money';

describe('formatYuan', () => {
  it('shows fen as yuan without trailing zeros', () => {
    expect(formatYuan(0)).toBe('¥0');
    expect(formatYuan(1290)).toBe('¥12.9');
    expect(formatYuan(1205)).toBe('¥12.05');
    expect(formatYuan(100000)).toBe('¥1000');
    expect(formatYuan(-350)).toBe('-¥3.5');
  });
});

describe('distanceMetres', () => {
  it('measures a kilometre of latitude as about 111 m per 0.001°', () => {
    const d = distanceMetres({ lat: 30.65, lng: 104.06 }, { lat: 30.651, lng: 104.06 });
    expect(d).toBeGreaterThan(110);
    expect(d).toBeLessThan(112);
  });
});
