import { AppError } from '../../http/errors';

/** What a person should be told when WeChat refuses a login, by the client's error kind. */
const BY_KIND: Record<string, { status: number; code: string; message: string }> = {
  invalid_code: {
    status: 400,
    code: 'WECHAT_CODE_INVALID',
    message: 'The WeChat login code is invalid or used, try again',
  },
  rate_limited: {
    status: 429,
    code: 'WECHAT_RATE_LIMITED',
    message: 'Too many WeChat logins, try again in a minute',
  },
  blocked_user: {
    status: 403,
    code: 'WECHAT_USER_BLOCKED',
    message: 'WeChat flagged this account as high-risk',
  },
};

export function wechatLoginError(err: unknown): AppError {
  const kind = (err as { kind?: string }).kind;
  const known = kind ? BY_KIND[kind] : undefined;
  if (known) return new AppError(known.status, known.code, known.message);
  return new AppError(502, 'WECHAT_UNAVAILABLE', 'WeChat login is unavailable right now, try again later');
}
