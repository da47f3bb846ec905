import type { HelpTask } from 'shared';
import { ApiError } from '../api/errors';
import { minutesText, whenText } from './labels';

/** The four lists of the volunteer's day (volunteerTasks scope). */
export type TaskScope = 'offers' | 'mine' | 'board' | 'history';
export const TASK_SCOPES: readonly { value: TaskScope; label: string }[] = [
  { value: 'offers', label: '派给我的' },
  { value: 'mine', label: '我接的' },
  { value: 'board', label: '任务大厅' },
  { value: 'history', label: '历史' },
];

export const SCOPE_EMPTY_TEXT: Record<TaskScope, string> = {
  offers: '暂时没有派给您的任务。打开「接单中」，有合适的任务时会通知您。',
  mine: '您还没有进行中的任务，可以去「任务大厅」看看。',
  board: '任务大厅暂时没有适合您技能的任务',
  history: '还没有完成过的任务',
};

/** Quick reasons for 婉拒 (any of them, or the volunteer's own words). */
export const DECLINE_REASONS = ['时间冲突', '距离太远', '身体不适', '不擅长这项服务'] as const;
/** Quick reasons for 临时有事（释放任务）. */
export const RELEASE_REASONS = ['临时有事去不了', '身体不适', '时间冲突'] as const;

const HELD = ['accepted', 'in_progress'] as const;
const isHeldState = (s: HelpTask['status']) => (HELD as readonly string[]).includes(s);

/**
 * Whether the task is this volunteer's: the BFF gives the holder the household's contact and the
 * actions of holding it while it runs; after it, the volunteer's own name on it (HelpTask has no
 * `mine` flag, see the report).
 */
export function isMine(
  t: Pick<HelpTask, 'status' | 'can' | 'contact' | 'pickup' | 'volunteerName'>,
  myName: string | null,
): boolean {
  if (t.can.release || t.can.start || t.can.finish || t.contact !== null || t.pickup !== null) return true;
  if (isHeldState(t.status)) return false;
  return t.status === 'done' && myName !== null && t.volunteerName === myName;
}

/** Taken by someone else: held or done by another volunteer (greyed, nothing to do). */
export function takenByOther(
  t: Pick<HelpTask, 'status' | 'can' | 'contact' | 'pickup' | 'volunteerName'>,
  myName: string | null,
): boolean {
  return (isHeldState(t.status) || t.status === 'done') && !isMine(t, myName);
}

export interface CardState {
  /** 已被接单: greyed, no buttons. */
  taken: boolean;
  accept: boolean;
  decline: boolean;
  /** A line under the card: why there is nothing to do, or what comes next. */
  note: string | null;
}

/**
 * What a task card in a list shows. 接单 / 婉拒 come from `can` (the BFF's word); a card taken
 * by another volunteer is greyed with no buttons whatever `can` says.
 */
export function cardState(
  t: Pick<HelpTask, 'status' | 'can' | 'contact' | 'pickup' | 'volunteerName' | 'declined' | 'hoursStatus'>,
  myName: string | null,
  scope?: TaskScope,
): CardState {
  // 我接的 and 历史 hold only the volunteer's own tasks.
  const taken = scope === 'mine' || scope === 'history' ? false : takenByOther(t, myName);
  if (taken) return { taken, accept: false, decline: false, note: '其他志愿者已接下这个任务' };
  const note =
    t.status === 'accepted'
      ? '到达后请长者出示 6 位签到码'
      : t.status === 'in_progress'
        ? '服务结束后请点「完成服务」'
        : t.status === 'done' && t.hoursStatus === 'pending'
          ? '等待长者确认时长'
          : t.declined
            ? '您已婉拒'
            : null;
  return { taken, accept: t.can.accept, decline: t.can.decline, note };
}

export interface DetailActions {
  accept: boolean;
  decline: boolean;
  release: boolean;
  start: boolean;
  finish: boolean;
}

/** The task page's buttons: exactly the BFF's `can`, none when another volunteer has it. */
export function detailActions(
  t: Pick<HelpTask, 'status' | 'can' | 'contact' | 'pickup' | 'volunteerName'>,
  myName: string | null,
): DetailActions {
  if (takenByOther(t, myName))
    return { accept: false, decline: false, release: false, start: false, finish: false };
  const { accept, decline, release, start, finish } = t.can;
  return { accept, decline, release, start, finish };
}

/**
 * 完成服务's minutes, prefilled: the whole minutes since 到达签到 (rounded up, at least 1, at most
 * the BFF's 720), else the task's planned length.
 */
export function minutesPrefill(
  startedAt: string | null,
  durationMin: number,
  now: Date = new Date(),
): number {
  if (!startedAt) return Math.max(1, Math.min(720, durationMin));
  const elapsed = Math.ceil((now.getTime() - Date.parse(startedAt)) / 60_000);
  return Math.max(1, Math.min(720, elapsed));
}

/** The minutes typed on 完成服务: whole minutes 1..720. */
export function parseMinutes(input: string): { ok: true; value: number } | { ok: false; error: string } {
  const text = input.trim().replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  if (!/^\d{1,4}$/.test(text)) return { ok: false, error: '请填写服务了多少分钟（整数）' };
  const n = Number(text);
  if (n < 1) return { ok: false, error: '服务时长至少 1 分钟' };
  if (n > 720) return { ok: false, error: '一次服务最多记 720 分钟（12 小时）' };
  return { ok: true, value: n };
}

/** The elder's door code as typed: six digits, full-width ones accepted. */
export function parseDoorCode(input: string): { ok: true; value: string } | { ok: false; error: string } {
  const text = input
    .replace(/\s+/g, '')
    .replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  if (!/^\d{6}$/.test(text)) return { ok: false, error: '请输入长者出示的 6 位数字签到码' };
  return { ok: true, value: text };
}

/**
 * How many tries a code has left, from CHECKIN_CODE_INVALID (or ACTIVITY_CODE_INVALID). The BFF
 * says it only in its English message ("Wrong code; 3 tries left"), the envelope's or its detail's.
 */
export function triesLeft(err: unknown, code = 'CHECKIN_CODE_INVALID'): number | null {
  if (!(err instanceof ApiError) || err.code !== code) return null;
  for (const text of [err.message, ...err.details.map((d) => d.message)]) {
    const m = /(\d+)\s*tr(?:y|ies)\s+left/i.exec(text);
    if (m) return Number(m[1]);
  }
  return null;
}

/** The sentence under the code field after a wrong code. */
export function doorCodeErrorText(err: unknown): string | null {
  if (!(err instanceof ApiError)) return null;
  if (err.code === 'CODE_ENTRY_LOCKED')
    return '签到码输错次数过多，已锁定。请联系长者家属或社区工作人员帮忙签到。';
  if (err.code !== 'CHECKIN_CODE_INVALID') return null;
  const left = triesLeft(err);
  if (left === null) return '签到码不正确，请核对长者出示的 6 位数字';
  if (left <= 0) return '签到码不正确，已没有重试机会，请联系长者家属或社区工作人员';
  return `签到码不正确，还可以再试 ${left} 次`;
}

/**
 * The largest minutes the BFF allows now, from its VALIDATION_FAILED on body.minutes ("must be at
 * most 95 (...)"): the page can say the number.
 */
export function minutesLimit(err: unknown): number | null {
  if (!(err instanceof ApiError) || err.code !== 'VALIDATION_FAILED') return null;
  const d = err.details.find((x) => x.path.replace(/^body\./, '') === 'minutes');
  const m = d ? /at most (\d+)/.exec(d.message) : null;
  return m ? Number(m[1]) : null;
}

/** The hours of a finished task as the volunteer reads them; null before it is finished. */
export function hoursLine(
  t: Pick<HelpTask, 'hoursStatus' | 'hoursConfirmBy' | 'minutes' | 'disputeNote'>,
  now: Date = new Date(),
): { text: string; tone: 'pending' | 'approved' | 'rejected' | 'done' } | null {
  if (!t.hoursStatus) return null;
  const min = t.minutes === null ? '' : minutesText(t.minutes);
  switch (t.hoursStatus) {
    case 'pending':
      return {
        text: `待长者确认${min ? ` ${min}` : ''}${t.hoursConfirmBy ? `（${whenText(t.hoursConfirmBy, now)} 自动确认）` : ''}`,
        tone: 'pending',
      };
    case 'confirmed':
      return { text: `已确认${min ? `，计入 ${min}` : ''}`, tone: 'approved' };
    case 'disputed':
      return {
        text: `长者有异议${t.disputeNote ? `：${t.disputeNote}` : ''}，等待社区裁定`,
        tone: 'rejected',
      };
    case 'resolved':
      return {
        text: `社区已裁定${t.minutes !== null ? `，计入 ${minutesText(t.minutes)}` : ''}`,
        tone: 'done',
      };
  }
}

/** The produce run's delegated pickup: the compartments and until when the code works. */
export function pickupLines(
  p: NonNullable<HelpTask['pickup']>,
  now: Date = new Date(),
): { compartments: string; expires: string; expired: boolean } {
  return {
    compartments: p.compartments.length ? p.compartments.join('、') : '柜机会提示格口',
    expires: `${whenText(p.expiresAt, now)} 前有效`,
    expired: Date.parse(p.expiresAt) <= now.getTime(),
  };
}

/** A 6-digit code spaced for reading aloud at the panel: 「482 913」. */
export const spacedCode = (code: string): string =>
  code.length === 6 ? `${code.slice(0, 3)} ${code.slice(3)}` : code;
