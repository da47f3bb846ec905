/** The 新增配送时段 form, and how a weekly schedule reads. */
export interface ScheduleDraft {
  communityId: string | null;
  cutoffLocal: string;
  deliveryLocal: string;
  nextDay: boolean;
  weekdays: number[];
  closedDates: string[];
}

export interface ScheduleBody {
  communityId: string;
  cutoffLocal: string;
  deliveryLocal: string;
  deliveryDayOffset: number;
  weekdays: number[];
  closedDates: string[];
}

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

export function parseScheduleDraft(
  d: ScheduleDraft,
): { ok: true; value: ScheduleBody } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  if (!d.communityId) errors.communityId = '请选择社区';
  if (!HHMM.test(d.cutoffLocal)) errors.cutoffLocal = '请选择截单时间';
  if (!HHMM.test(d.deliveryLocal)) errors.deliveryLocal = '请选择送达时间';
  else if (!d.nextDay && d.deliveryLocal <= d.cutoffLocal)
    errors.deliveryLocal = '当天送达的时间需晚于截单时间，或选择次日送达';
  if (d.weekdays.length === 0) errors.weekdays = '请至少选择一天';
  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    value: {
      communityId: d.communityId!,
      cutoffLocal: d.cutoffLocal,
      deliveryLocal: d.deliveryLocal,
      deliveryDayOffset: d.nextDay ? 1 : 0,
      weekdays: [...new Set(d.weekdays)].sort((a, b) => a - b),
      closedDates: [...new Set(d.closedDates)].sort(),
    },
  };
}

export const WEEKDAY_NAMES = ['', '周一', '周二', '周三', '周四', '周五', '周六', '周日'];

/** 「每天」, 「周一至周五」, 「周一、周三、周五」 */
export function weekdaysText(weekdays: number[]): string {
  const days = [...new Set(weekdays)].filter((d) => d >= 1 && d <= 7).sort((a, b) => a - b);
  if (days.length === 7) return '每天';
  if (days.length === 0) return '不开放';
  const consecutive = days.every((d, i) => i === 0 || d === days[i - 1]! + 1);
  if (consecutive && days.length >= 3)
    return `${WEEKDAY_NAMES[days[0]!]}至${WEEKDAY_NAMES[days[days.length - 1]!]}`;
  return days.map((d) => WEEKDAY_NAMES[d]).join('、');
}

/** 「每天 14:00 截单 · 当天 17:30 送达」 */
export function scheduleText(s: {
  cutoffLocal: string;
  deliveryLocal: string;
  deliveryDayOffset: number;
  weekdays: number[];
}): string {
  const day =
    s.deliveryDayOffset === 0 ? '当天' : s.deliveryDayOffset === 1 ? '次日' : `${s.deliveryDayOffset} 天后`;
  return `${weekdaysText(s.weekdays)} ${s.cutoffLocal} 截单 · ${day} ${s.deliveryLocal} 送达`;
}
