import { ErrorEnvelope } from 'shared';
import { ERROR_TEXT, type ErrorCode } from './error-text';

export interface ApiErrorDetail {
  path: string;
  message: string;
}

/** Every failure of `call` is one of these: HTTP errors, network failures and bad responses. */
export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: ApiErrorDetail[];

  constructor(init: { code: string; message: string; status: number; details?: ApiErrorDetail[] }) {
    super(init.message);
    this.name = 'ApiError';
    this.code = init.code;
    this.status = init.status;
    this.details = init.details ?? [];
  }
}

/** Maps a non-2xx answer to an ApiError, using the error envelope when the body is one. */
export function errorFromResponse(status: number, data: unknown): ApiError {
  const parsed = ErrorEnvelope.safeParse(data);
  if (parsed.success) {
    return new ApiError({ ...parsed.data.error, status });
  }
  return new ApiError({
    code: `HTTP_${status}`,
    message: status >= 500 ? '服务器开小差了，请稍后重试' : `请求失败（${status}）`,
    status,
  });
}

export function networkError(cause: unknown): ApiError {
  const err = new ApiError({ code: 'NETWORK_ERROR', message: '网络连接失败，请检查网络后重试', status: 0 });
  (err as { cause?: unknown }).cause = cause;
  return err;
}

/** A page's own sentences, where the registry's (error-text.ts) would be too general for its action. */
export interface ErrorCopy {
  /** By error code. */
  codes?: Partial<Record<ErrorCode, string>>;
  /**
   * VALIDATION_FAILED, by field path without `body.` (or `querystring.`, ...): the longest listed
   * prefix of a detail's path wins, so `compartments` covers `compartments.0.size`.
   */
  fields?: Record<string, string>;
}

const REQUEST_PART = /^(body|querystring|params|headers)\./;
const hasChinese = (s: string) => /[\u4e00-\u9fff]/.test(s);

/** The sentences for the fields a VALIDATION_FAILED points at, joined; undefined when none is listed. */
export function fieldText(err: ApiError, fields: Record<string, string>): string | undefined {
  const texts = err.details.flatMap((d) => {
    const parts = d.path.replace(REQUEST_PART, '').split('.');
    for (let n = parts.length; n > 0; n--) {
      const text = fields[parts.slice(0, n).join('.')];
      if (text) return [text];
    }
    return [];
  });
  return texts.length ? [...new Set(texts)].join('；') : undefined;
}

/** The page's sentence for the code, else the registry's; undefined for a code neither knows. */
export function codeText(err: ApiError, codes: ErrorCopy['codes'] = {}): string | undefined {
  const code = err.code as ErrorCode;
  return codes[code] ?? (ERROR_TEXT as Record<string, string | undefined>)[code];
}

/**
 * For a code no one has words for (a BFF newer than the app, or a code the app made itself): the
 * message when it is already Chinese, else a Chinese sentence. Never the English message, nor the
 * code's name: a person cannot act on either (the log has both, with the request id).
 */
function unknownCodeText(err: ApiError): string {
  if (hasChinese(err.message)) return err.message;
  return err.status >= 500 || err.status === 0 ? '服务器开小差了，请稍后重试' : '操作未成功，请刷新后重试';
}

/** Turns anything thrown into text a person can read, with the page's own sentences first. */
export function describeError(err: unknown, copy: ErrorCopy = {}): string {
  // A platform error (chooseLocation:fail, a TypeError) is English: only our own Chinese ones show.
  if (!(err instanceof ApiError))
    return err instanceof Error && hasChinese(err.message) ? err.message : '出错了，请稍后重试';
  const fields = err.code === 'VALIDATION_FAILED' && copy.fields ? fieldText(err, copy.fields) : undefined;
  return fields ?? codeText(err, copy.codes) ?? unknownCodeText(err);
}

/** Turns anything thrown into text a person can read. */
export function errorMessage(err: unknown): string {
  return describeError(err);
}
