import { type BusinessHours, type DeliveryModes, formatYuan } from 'shared';

const DAY_NAMES = ['', '周一', '周二', '周三', '周四', '周五', '周六', '周日'];

/**
 * Weekly hours as lines a person reads: days with the same periods run together
 * (「周一至周五 09:00-18:00」, 「周六、周日 08:00-12:00 14:00-18:00」); days without are 休息.
 */
export function formatWeeklyHours(hours: BusinessHours): string[] {
  const periodsOf = (day: number) =>
    hours.weekly
      .filter((p) => p.day === day)
      .sort((a, b) => a.open.localeCompare(b.open))
      .map((p) => (p.open === '00:00' && p.close === '24:00' ? '全天' : `${p.open}-${p.close}`))
      .join(' ');
  const runs: { from: number; to: number; text: string }[] = [];
  for (let day = 1; day <= 7; day++) {
    const text = periodsOf(day) || '休息';
    const last = runs[runs.length - 1];
    if (last && last.text === text && last.to === day - 1) last.to = day;
    else runs.push({ from: day, to: day, text });
  }
  if (runs.length === 1 && runs[0]!.text !== '休息') return [`每天 ${runs[0]!.text}`];
  return runs.map(({ from, to, text }) => {
    const days =
      from === to
        ? DAY_NAMES[from]
        : to === from + 1
          ? `${DAY_NAMES[from]}、${DAY_NAMES[to]}`
          : `${DAY_NAMES[from]}至${DAY_NAMES[to]}`;
    return `${days} ${text}`;
  });
}

/** Closed dates from today on, as 「11月25日」. */
export function upcomingClosedDates(hours: BusinessHours, today: string): string[] {
  return hours.closedDates
    .filter((d) => d >= today)
    .sort()
    .slice(0, 5)
    .map((d) => `${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`);
}

export const minOrderText = (minOrderFen: number) =>
  minOrderFen > 0 ? `${formatYuan(minOrderFen)} 起送` : '无起送金额';

const distance = (m: number) => (m >= 1000 ? `${Number((m / 1000).toFixed(1))}公里` : `${m}米`);

/** The delivery modes a resident can choose. */
export function deliveryTexts(delivery: DeliveryModes): string[] {
  const out: string[] = [];
  if (delivery.shopPickup) out.push('到店自提');
  if (delivery.home) {
    const fee = delivery.home.feeFen > 0 ? `配送费${formatYuan(delivery.home.feeFen)}` : '免配送费';
    out.push(`送货上门（${distance(delivery.home.radiusM)}内，${fee}）`);
  }
  if (delivery.locker) out.push('小区生鲜柜自取');
  return out;
}
