import type { CareBookingStatus, Visit } from 'shared';
import { dayTitle, distanceText, localDate, localTime, localToday } from '../common/care-console';

/** The BFF opens clock-in this long before the start (CLOCK_IN_EARLY_MS in bff visits.ts). */
export const CLOCK_IN_EARLY_MIN = 15;

/**
 * What a caregiver may do on a visit, from its status and record: the server decides in the end
 * (a stale page gets a 409), these only keep impossible buttons off the screen.
 */
export interface VisitActions {
  clockIn: boolean;
  clockOut: boolean;
  /** 老人不在家: only before clock-in, once the visit's start has passed (the server checks it too). */
  elderAbsent: boolean;
  /** Checklist, notes, photos, incidents: while the visit is on, and after it to finish the notes. */
  record: boolean;
  incident: boolean;
}

const OPEN: CareBookingStatus[] = ['confirmed', 'in_service'];

export function visitActions(
  v: Pick<Visit, 'status' | 'visit' | 'startsAt'>,
  now: Date = new Date(),
): VisitActions {
  const notStarted = v.status === 'confirmed' && !v.visit.clockInAt;
  // A day ahead, 老人不在家 cannot be true yet; the button would only earn a refusal.
  const due = now.getTime() >= Date.parse(v.startsAt);
  const running = v.status === 'in_service' && !v.visit.clockOutAt;
  return {
    clockIn: notStarted,
    clockOut: running,
    elderAbsent: notStarted && due,
    record: running || v.status === 'completed',
    incident: OPEN.includes(v.status) || v.status === 'completed',
  };
}

/**
 * What updateVisit takes as checklistDone from the boxes ticked now: in the checklist's order, and
 * only its own labels (a stale page may hold a label the item no longer has).
 */
export function checkedLabels(checklist: readonly { label: string }[], ticked: readonly string[]): string[] {
  const on = new Set(ticked);
  return checklist.filter((c) => on.has(c.label)).map((c) => c.label);
}

/** 「已完成 2/5 项」 */
export function checklistProgress(checklist: readonly { done: boolean }[]): string {
  if (checklist.length === 0) return '本项服务没有清单';
  return `已完成 ${checklist.filter((c) => c.done).length}/${checklist.length} 项`;
}

/**
 * Before clock-in opens: when it does, 「服务开始前 15 分钟起可以打卡（明天 09:15 起）」; null once open.
 * The button stays (a phone's clock may be wrong; the BFF decides), this says why it may refuse.
 */
export function clockInHint(startsAt: string, now: Date = new Date()): string | null {
  const opens = Date.parse(startsAt) - CLOCK_IN_EARLY_MIN * 60_000;
  if (now.getTime() >= opens) return null;
  const at = new Date(opens).toISOString();
  const day = dayTitle(localDate(at), localToday(now));
  const short = /^(今天|明天|昨天)/.exec(day)?.[0] ?? day;
  return `服务开始前 ${CLOCK_IN_EARLY_MIN} 分钟起可以打卡（${short} ${localTime(at)} 起）`;
}

/** The line under a clock-in or clock-out: where it was taken against the compound's position. */
export function clockNote(distanceM: number | null, flagged: boolean): string | null {
  if (distanceM === null) return flagged ? '位置偏离，已记录' : null;
  return flagged
    ? `位置偏离，已记录（距小区约 ${distanceText(distanceM)}）`
    : `距小区约 ${distanceText(distanceM)}`;
}

export type LocationProblem = 'denied' | 'unavailable' | 'timeout' | 'unsupported';

/**
 * Why Taro.getLocation failed, from its errMsg (weapp: 'getLocation:fail auth deny', 'system
 * permission denied'; H5: the browser's GeolocationPositionError message or Taro's own text).
 */
export function locationProblem(err: unknown): LocationProblem {
  const raw = err as { errMsg?: string; message?: string; code?: number } | undefined;
  const text = String(raw?.errMsg ?? raw?.message ?? err ?? '').toLowerCase();
  if (raw?.code === 1 || /deny|denied|permission|authorize|auth/.test(text)) return 'denied';
  if (raw?.code === 3 || /timeout|timed out/.test(text)) return 'timeout';
  if (/not support|not temporarily supported|does not support/.test(text)) return 'unsupported';
  return 'unavailable';
}

export const LOCATION_PROBLEM_TEXT: Record<LocationProblem, string> = {
  denied: '没有定位权限：请允许「邻里」使用您的位置后再打卡（打卡需要记录上门位置）',
  unavailable: '暂时无法获取位置，请到开阔处或打开手机定位后重试',
  timeout: '获取位置超时，请稍后重试',
  unsupported: '当前环境不支持定位，请在微信小程序中打卡',
};

/** Address and contact for the caregiver: the full ones once revealed, else why they are hidden. */
export function contactNote(v: Pick<Visit, 'revealed'>): string | null {
  return v.revealed ? null : '服务开始前2小时显示完整地址和联系电话';
}
