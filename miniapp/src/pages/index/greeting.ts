import { DISPLAY_TZ } from 'shared';

/** 早上好 / 下午好 / 晚上好 by the hour in Asia/Shanghai. */
export function greeting(now: Date): string {
  const hour = Number(
    new Intl.DateTimeFormat('en-US', { timeZone: DISPLAY_TZ, hour: 'numeric', hour12: false }).format(now),
  );
  if (hour >= 5 && hour < 12) return '早上好';
  if (hour >= 12 && hour < 18) return '下午好';
  return '晚上好';
}
