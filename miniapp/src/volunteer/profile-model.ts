import type { VolunteerProfile } from 'shared';
import { minutesText, whenText } from './labels';

/** Where the person stands as a volunteer: what the top of 志愿服务 shows. */
export type ProfileStage =
  | { kind: 'none' }
  | { kind: 'pending' }
  | { kind: 'rejected'; note: string }
  | { kind: 'suspended'; reason: string }
  | { kind: 'verified' };

export function profileStage(
  v: Pick<VolunteerProfile, 'status' | 'reviewNote' | 'suspendReason'> | null,
): ProfileStage {
  if (!v) return { kind: 'none' };
  switch (v.status) {
    case 'pending':
      return { kind: 'pending' };
    case 'rejected':
      return { kind: 'rejected', note: v.reviewNote?.trim() || '社区未说明原因，可联系社区工作人员了解' };
    case 'suspended':
      return { kind: 'suspended', reason: v.suspendReason?.trim() || '请联系社区工作人员了解原因' };
    case 'verified':
      return { kind: 'verified' };
  }
}

/** Whether a pause is still running now. */
export const isPaused = (pausedUntil: string | null, now: Date = new Date()): boolean =>
  pausedUntil !== null && Date.parse(pausedUntil) > now.getTime();

/** The pauses offered (暂停接单), in days. */
export const PAUSE_OPTIONS = [
  { days: 3, label: '暂停三天' },
  { days: 7, label: '暂停一周' },
  { days: 14, label: '暂停两周' },
] as const;

/** pausedUntil for a pause of `days` from now. */
export const pauseUntil = (days: number, now: Date = new Date()): string =>
  new Date(now.getTime() + days * 86_400_000).toISOString();

/**
 * One line on whether offers reach the volunteer now: the duty switch and a pause both stop them.
 */
export function dutyLine(
  v: Pick<VolunteerProfile, 'onDuty' | 'pausedUntil'>,
  now: Date = new Date(),
): string {
  if (isPaused(v.pausedUntil, now))
    return `${whenText(v.pausedUntil!, now)} 前不会收到派单，任务大厅仍可自己接单`;
  if (!v.onDuty) return '不会收到新的派单，任务大厅仍可自己接单';
  return '有合适的任务时会派给您，也可以去任务大厅自己接单';
}

/** This week's load against the cap: the words and the bar's share (0..1). */
export function weekLoad(v: Pick<VolunteerProfile, 'weekMin' | 'weeklyCapMin'>): {
  text: string;
  share: number;
  full: boolean;
} {
  const cap = Math.max(1, v.weeklyCapMin);
  const share = Math.max(0, Math.min(1, v.weekMin / cap));
  const left = v.weeklyCapMin - v.weekMin;
  const full = left <= 0;
  return {
    text: `本周已安排 ${minutesText(v.weekMin)} / 上限 ${minutesText(v.weeklyCapMin)}${full ? '，已达上限' : `，还可接 ${minutesText(left)}`}`,
    share,
    full,
  };
}
