import { ApiError, describeError } from '../api/errors';

/** The community pages' sentences: the page's own for its action, then the registry's (error-text.ts). */
export function communityErrorText(err: unknown, own: Record<string, string> = {}): string {
  if (err instanceof ApiError && own[err.code]) return own[err.code]!;
  return describeError(err, {
    fields: {
      choices: '请按要求选择选项',
      householdId: '请选择以哪一户的名义投票',
      code: '请输入现场公布的 6 位签到码',
    },
  });
}

/** A page opened on something gone (withdrawn notice, another community's poll) says so. */
export const goneText = (what: string) => (err: unknown) =>
  communityErrorText(err, { NOT_FOUND: `没有找到这条${what}，可能已撤回或不在您的社区` });

export const isCode = (err: unknown, code: string): boolean => err instanceof ApiError && err.code === code;
