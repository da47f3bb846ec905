import {
  type DeliveryWindow,
  formatDisplayTime,
  localClock,
  type SizeHint,
  TEMPERATURE_LABELS,
  type Temperature,
} from 'shared';

/** Words for locker things shared by the shop, courier and staff pages. */
export const SIZE_LABELS: Record<SizeHint, string> = { S: '小格', M: '中格', L: '大格' };
export const ZONE_LABELS: Record<Temperature, string> = TEMPERATURE_LABELS;
export const SIZES: SizeHint[] = ['S', 'M', 'L'];
export const ZONES: Temperature[] = ['ambient', 'chilled', 'frozen'];
export const BANK_STATUS_LABELS = { active: '使用中', out_of_service: '已停用' } as const;
export const WINDOW_STATUS_LABELS = { open: '接单中', closed: '已截单' } as const;

/** 「尾号 3f2a」: how couriers and staff tell orders apart on bags and in the locker. */
export const orderTail = (orderId: string) => `尾号 ${orderId.replace(/-/g, '').slice(-4)}`;

/** 「冷藏 中格」 */
export const kindText = (zone: Temperature, size: SizeHint) => `${ZONE_LABELS[zone]} ${SIZE_LABELS[size]}`;

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * An instant as a resident says it, in Asia/Shanghai: 「今天 14:00」, 「明天 10:00」, else
 * 「11月25日 17:30」 (with the year when it is not this year's).
 */
export function dayTime(iso: string, now: Date = new Date()): string {
  const [date = '', time = ''] = formatDisplayTime(iso).split(' ');
  const today = localClock(now).date;
  if (date === today) return `今天 ${time}`;
  if (date === localClock(new Date(now.getTime() + DAY_MS)).date) return `明天 ${time}`;
  if (date === localClock(new Date(now.getTime() - DAY_MS)).date) return `昨天 ${time}`;
  const md = `${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`;
  return date.slice(0, 4) === today.slice(0, 4) ? `${md} ${time}` : `${date.slice(0, 4)}年${md} ${time}`;
}

/** 「今天 14:00 截单 · 今天 17:30 送达」 */
export function windowText(
  w: Pick<DeliveryWindow, 'cutoffAt' | 'deliverAt'>,
  now: Date = new Date(),
): string {
  return `${dayTime(w.cutoffAt, now)} 截单 · ${dayTime(w.deliverAt, now)} 送达`;
}

/**
 * The windows a resident can still order for, earliest cut-off first. The server's clock decides
 * which cut-offs have passed (it lists only those ahead); the phone's clock may be off.
 */
export function openWindows(windows: DeliveryWindow[]): DeliveryWindow[] {
  return windows.filter((w) => w.status === 'open').sort((a, b) => a.cutoffAt.localeCompare(b.cutoffAt));
}
