import type { BusinessHours } from '../contracts/market';
import { DISPLAY_TZ } from '../time/display';

const minutes = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
};

// Building a formatter costs far more than using one; a catalog page asks once per product.
const formats = new Map<string, Intl.DateTimeFormat>();
function clockFormat(tz: string): Intl.DateTimeFormat {
  let f = formats.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone: tz,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hour12: false,
    });
    formats.set(tz, f);
  }
  return f;
}

/** Local calendar date, ISO weekday and minute of day of an instant in a time zone. */
export function localClock(
  at: Date,
  tz: string = DISPLAY_TZ,
): { date: string; weekday: number; minute: number } {
  // formatToParts is most of the cost of a shop-hours check, and every checkout and catalog page
  // asks about the same minute again and again. Since 1973 every zone's offset is whole minutes,
  // so one local minute is one UTC minute.
  const ms = at.getTime();
  const utcMinute = Math.floor(ms / 60_000);
  const last = lastClock.get(tz);
  if (last && last.utcMinute === utcMinute) return { ...last.clock };
  const clock = formatClock(at, tz);
  if (ms >= WHOLE_MINUTE_OFFSETS_SINCE) lastClock.set(tz, { utcMinute, clock });
  return { ...clock };
}

const WHOLE_MINUTE_OFFSETS_SINCE = Date.UTC(1973, 0, 1);
const lastClock = new Map<
  string,
  { utcMinute: number; clock: { date: string; weekday: number; minute: number } }
>();

function formatClock(at: Date, tz: string): { date: string; weekday: number; minute: number } {
  const parts = clockFormat(tz).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(get('weekday')) + 1;
  // Some ICU versions print midnight as 24:00.
  const hour = Number(get('hour')) % 24;
  return {
    date: `${get('year')}-${get('month')}-${get('day')}`,
    weekday,
    minute: hour * 60 + Number(get('minute')),
  };
}

/**
 * Whether the shop is open at an instant. A period whose close is not after its open runs past
 * midnight into the next day (a late-night kitchen); a closed date shuts the whole local day,
 * including the small hours of a period that began the evening before.
 */
export function isOpenAt(hours: BusinessHours, at: Date, tz: string = DISPLAY_TZ): boolean {
  const now = localClock(at, tz);
  if (hours.closedDates.includes(now.date)) return false;
  const yesterday = now.weekday === 1 ? 7 : now.weekday - 1;
  return hours.weekly.some((p) => {
    const open = minutes(p.open);
    const close = minutes(p.close);
    const overnight = close <= open;
    if (p.day === now.weekday) return now.minute >= open && (overnight || now.minute < close);
    return overnight && p.day === yesterday && now.minute < close;
  });
}
