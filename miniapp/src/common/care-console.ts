import {
  addDays,
  CARE_BOOKING_STATUS_LABELS,
  CARE_CERTIFICATIONS,
  type CareBookingStatus,
  formatDisplayTime,
  localClock,
} from 'shared';

/**
 * Words and small sums shared by the care consoles (caregiver, provider, staff). Times arrive as
 * UTC instants and are read in Asia/Shanghai, whatever the phone's own zone is.
 */

const WEEKDAY = ['', '周一', '周二', '周三', '周四', '周五', '周六', '周日'];

/** Today's local date (Asia/Shanghai), YYYY-MM-DD. */
export const localToday = (now: Date = new Date()): string => localClock(now).date;

/** The local wall time of an instant, HH:MM. */
export const localTime = (iso: string): string => formatDisplayTime(iso).slice(11);

/** The local date of an instant, YYYY-MM-DD. */
export const localDate = (iso: string): string => formatDisplayTime(iso).slice(0, 10);

/** 「11月25日 周二」, with 今天/明天/昨天 in front when it is one of those. */
export function dayTitle(date: string, today: string): string {
  const weekday = WEEKDAY[new Date(`${date}T00:00:00Z`).getUTCDay() || 7];
  const md = `${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日 ${weekday}`;
  const near =
    date === today ? '今天' : date === addDays(today, 1) ? '明天' : date === addDays(today, -1) ? '昨天' : '';
  const year = date.slice(0, 4) === today.slice(0, 4) ? '' : `${date.slice(0, 4)}年`;
  return near ? `${near} ${md}` : `${year}${md}`;
}

/** A visit's time as a caregiver says it: 「今天 14:00-15:00」, 「11月26日 周三 09:00-10:30」. */
export function visitWhen(startsAt: string, endsAt: string, now: Date = new Date()): string {
  const day = dayTitle(localDate(startsAt), localToday(now));
  const short =
    day.startsWith('今天') || day.startsWith('明天') || day.startsWith('昨天') ? day.slice(0, 2) : day;
  return `${short} ${localTime(startsAt)}-${localTime(endsAt)}`;
}

/**
 * A stretch of time (time off) as a manager reads it: one day 「明天 12月2日 周三 08:00–18:00」,
 * several 「12月2日 周三 08:00 至 12月4日 周五 18:00」.
 */
export function periodText(startsAt: string, endsAt: string, now: Date = new Date()): string {
  const today = localToday(now);
  const from = localDate(startsAt);
  const to = localDate(endsAt);
  if (from === to) return `${dayTitle(from, today)} ${localTime(startsAt)}–${localTime(endsAt)}`;
  return `${dayTitle(from, today)} ${localTime(startsAt)} 至 ${dayTitle(to, today)} ${localTime(endsAt)}`;
}

/** `count` local dates from `from` on: the days a console looks ahead over. */
export const daysFrom = (from: string, count: number): string[] =>
  Array.from({ length: count }, (_, i) => addDays(from, i));

/** The status tag's class: waiting ones amber, done ones green, the rest grey or red. */
export function bookingTagClass(status: CareBookingStatus): string {
  const tone: Record<CareBookingStatus, string> = {
    requested: 'pending',
    confirmed: 'approved',
    in_service: 'active',
    completed: 'done',
    cancelled: 'muted',
    no_show: 'rejected',
  };
  return `tag tag--${tone[status]}`;
}

export const bookingStatusText = (status: CareBookingStatus): string => CARE_BOOKING_STATUS_LABELS[status];

/** Counts per status, in the flow's order, only those present: 「待机构确认 2 · 已确认 5」. */
export function statusSummary(bookings: readonly { status: CareBookingStatus }[]): string {
  if (bookings.length === 0) return '暂无预约';
  const counts = new Map<CareBookingStatus, number>();
  for (const b of bookings) counts.set(b.status, (counts.get(b.status) ?? 0) + 1);
  return (Object.keys(CARE_BOOKING_STATUS_LABELS) as CareBookingStatus[])
    .filter((s) => counts.has(s))
    .map((s) => `${CARE_BOOKING_STATUS_LABELS[s]} ${counts.get(s)}`)
    .join(' · ');
}

/** Certification codes as people read them; an unknown code is shown as sent. */
export function certificationNames(codes: readonly string[]): string {
  if (codes.length === 0) return '无';
  return codes.map((c) => (CARE_CERTIFICATIONS as Record<string, string>)[c] ?? c).join('、');
}

/** 「120 米」, 「1.3 公里」. */
export function distanceText(metres: number): string {
  if (metres < 1000) return `${Math.round(metres)} 米`;
  return `${(Math.round(metres / 100) / 10).toFixed(1).replace(/\.0$/, '')} 公里`;
}

/** The month (YYYY-MM) of a local date or of now in Asia/Shanghai. */
export const localMonthOf = (now: Date = new Date()): string => localToday(now).slice(0, 7);

/** Calendar arithmetic on months: shiftMonth('2026-01', -1) is '2025-12'. */
export function shiftMonth(month: string, by: number): string {
  const [y, m] = month.split('-').map(Number);
  const index = y! * 12 + (m! - 1) + by;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** 「2026年1月」 */
export const monthTitle = (month: string): string => `${month.slice(0, 4)}年${Number(month.slice(5, 7))}月`;

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** What staff type as a price in yuan ('12.5', '12.50元', '１２') into fen; at most two decimals. */
export function parseYuanText(input: string, max = 1_000_000): Parsed<number> {
  const text = input
    .replace(/[０-９．]/g, (c) => (c === '．' ? '.' : String.fromCharCode(c.charCodeAt(0) - 0xfee0)))
    .replace(/\s+/g, '')
    .replace(/^[¥￥]/, '')
    .replace(/元$/, '');
  const match = /^(\d{1,7})(?:\.(\d{0,2}))?$/.exec(text);
  if (!match) return { ok: false, error: text ? '请输入正确的金额，最多两位小数，如 12.5' : '请输入金额' };
  const fen = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  if (fen > max) return { ok: false, error: `金额不能超过 ${max / 100} 元` };
  return { ok: true, value: fen };
}

/** 1250 -> '12.5', the inverse of parseYuanText for prefilling a field. */
export function fenToYuanText(fen: number): string {
  const rest = fen % 100;
  return rest === 0
    ? String(fen / 100)
    : `${Math.floor(fen / 100)}.${String(rest).padStart(2, '0').replace(/0$/, '')}`;
}

/** A whole number typed in a field, within bounds. */
export function parseWhole(input: string, min: number, max: number): Parsed<number> {
  const text = input.trim().replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  if (!/^\d{1,7}$/.test(text)) return { ok: false, error: '请输入整数' };
  const n = Number(text);
  if (n < min || n > max) return { ok: false, error: `请输入 ${min} 到 ${max} 之间的数` };
  return { ok: true, value: n };
}
