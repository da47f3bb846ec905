/**
 * WeChat failures sorted into the few kinds callers act on differently: tell the user to log in
 * again, slow down, give up on this user, skip a notification, fix our request, or retry later.
 */
export type WechatErrorKind =
  | 'invalid_code'
  | 'rate_limited'
  | 'blocked_user'
  | 'no_subscription'
  | 'bad_request'
  | 'upstream';

/** errcode used when WeChat gave no usable answer (network error, timeout, 5xx, non-JSON). */
export const TRANSPORT_ERRCODE = -1;

export class WechatError extends Error {
  override readonly name = 'WechatError';
  constructor(
    readonly kind: WechatErrorKind,
    readonly errcode: number,
    readonly errmsg: string,
    options?: { cause?: unknown },
  ) {
    super(`WeChat ${kind} (errcode ${errcode}): ${errmsg}`, options);
  }
}

/**
 * Credential and whitelist errors come from our configuration, not the user's request, so they are
 * reported as the upstream being unusable rather than as a 4xx the client could fix.
 */
const CONFIG_ERRCODES = new Set([40002, 40013, 40125, 40164, 41002, 41004, 40243, 61024]);

export function kindForErrcode(errcode: number): WechatErrorKind {
  switch (errcode) {
    case 40029:
    case 40163:
      return 'invalid_code';
    case 45011:
    case 45009:
      return 'rate_limited';
    case 40226:
      return 'blocked_user';
    case 43101:
      return 'no_subscription';
  }
  if (CONFIG_ERRCODES.has(errcode)) return 'upstream';
  if (errcode >= 40000 && errcode < 50000) return 'bad_request';
  return 'upstream';
}

export interface WechatHttpError {
  status: number;
  code: string;
  message: string;
}

const HTTP_BY_KIND: Record<WechatErrorKind, WechatHttpError> = {
  invalid_code: {
    status: 400,
    code: 'WECHAT_CODE_INVALID',
    message: 'The WeChat login code is invalid, expired or already used; call wx.login again.',
  },
  rate_limited: {
    status: 429,
    code: 'WECHAT_RATE_LIMITED',
    message: 'Too many WeChat requests; please retry in a minute.',
  },
  blocked_user: {
    status: 403,
    code: 'WECHAT_USER_BLOCKED',
    message: 'WeChat flagged this account as high risk; login is not allowed.',
  },
  no_subscription: {
    status: 409,
    code: 'WECHAT_NOT_SUBSCRIBED',
    message: 'The user has not subscribed to this WeChat notification.',
  },
  // Our own request was malformed (template data, page path): a server bug the caller cannot fix.
  bad_request: { status: 502, code: 'WECHAT_REJECTED', message: 'WeChat rejected the request.' },
  upstream: {
    status: 502,
    code: 'WECHAT_UNAVAILABLE',
    message: 'WeChat is unavailable right now; please retry later.',
  },
};

/** The HTTP status, error code and English message our API answers for a WeChat failure. */
export function wechatErrorToHttp(error: WechatError): WechatHttpError {
  return { ...HTTP_BY_KIND[error.kind] };
}

/** Whether a background job should retry: only transient conditions go away by waiting. */
export function isRetryableWechatError(error: WechatError): boolean {
  return error.kind === 'upstream' || error.kind === 'rate_limited';
}
