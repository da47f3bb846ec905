import { ErrorEnvelope } from 'shared';

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

/** Turns anything thrown into text a person can read. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof Error && err.message) return err.message;
  return '出错了，请稍后重试';
}
