import { describe, expect, it } from 'vitest';
import { buildBars, MIN_VISIBLE_PCT, scaleHeights } from './chart';

describe('scaleHeights', () => {
  it('puts the largest day at 100 and the rest in proportion', () => {
    expect(scaleHeights([100, 50, 25, 0])).toEqual([100, 50, 25, 0]);
    expect(scaleHeights([3, 1])).toEqual([100, 33.3]);
  });

  it('keeps a small but non-zero day visible', () => {
    expect(scaleHeights([100_000, 1])).toEqual([100, MIN_VISIBLE_PCT]);
  });

  it('stays flat with no revenue at all (no division by zero)', () => {
    expect(scaleHeights([0, 0, 0])).toEqual([0, 0, 0]);
    expect(scaleHeights([])).toEqual([]);
  });
});

describe('buildBars', () => {
  it('labels each bar with its day of the month and a long label', () => {
    const bars = buildBars([
      { date: '2025-05-31', orderCount: 2, revenueFen: 1000 },
      { date: '2025-06-01', orderCount: 4, revenueFen: 2000 },
    ]);
    expect(bars.map((b) => [b.dayLabel, b.longLabel, b.heightPct])).toEqual([
      ['31', '5月31日', 50],
      ['1', '6月1日', 100],
    ]);
  });
});
