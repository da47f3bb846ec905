import { ApiError, describeError } from '../api/errors';
import { APPLY_FIELD_HINTS } from './apply-model';

/** The volunteer pages' sentences: the page's own for its action, then the registry's (error-text.ts). */
export function volunteerErrorText(err: unknown, own: Record<string, string> = {}): string {
  if (err instanceof ApiError && own[err.code]) return own[err.code]!;
  return describeError(err, {
    fields: {
      ...APPLY_FIELD_HINTS,
      reason: '请写下原因（100 字以内）',
      code: '请输入正确的签到码',
      minutes: '服务时长应为 1 到 720 分钟',
      note: '备注最多 300 字',
    },
  });
}

/** On a task: a task that is gone says so. */
export const taskErrorText = (err: unknown) =>
  volunteerErrorText(err, { NOT_FOUND: '没有找到这个任务，可能已取消或不在您的社区' });

export const isCode = (err: unknown, code: string): boolean => err instanceof ApiError && err.code === code;
