/** The 14-day revenue chart as plain numbers: each bar's height in percent of the tallest day. */

export interface DayPoint {
  date: string;
  orderCount: number;
  revenueFen: number;
}

export interface Bar extends DayPoint {
  /** 0-100; a day with any revenue is at least MIN_VISIBLE_PCT so it never looks like zero. */
  heightPct: number;
  /** Day of the month, what fits under a bar in 长辈模式: '7', '28'. */
  dayLabel: string;
  /** '6月7日' for the detail line. */
  longLabel: string;
}

export const MIN_VISIBLE_PCT = 4;

/** Heights proportional to the values, the largest at 100; all zeros stay flat. */
export function scaleHeights(values: number[]): number[] {
  const max = Math.max(0, ...values);
  if (max <= 0) return values.map(() => 0);
  return values.map((v) => {
    if (v <= 0) return 0;
    const pct = Math.round((v / max) * 1000) / 10;
    return Math.max(MIN_VISIBLE_PCT, pct);
  });
}

export function buildBars(days: DayPoint[]): Bar[] {
  const heights = scaleHeights(days.map((d) => d.revenueFen));
  return days.map((d, i) => {
    const month = Number(d.date.slice(5, 7));
    const day = Number(d.date.slice(8, 10));
    return { ...d, heightPct: heights[i]!, dayLabel: String(day), longLabel: `${month}月${day}日` };
  });
}
