import { ApiError, errorMessage } from '../api/errors';

/** BFF error codes a merchant can run into, in words; anything else falls back to the server's message. */
const CODE_TEXT: Record<string, string> = {
  ORDER_STATE_CHANGED: '订单状态已变化，请刷新',
  REFUND_STATE_CHANGED: '退款申请状态已变化，请刷新',
  ILLEGAL_TRANSITION: '订单状态已变化，请刷新',
  PICKUP_CODE_INVALID: '取货码不正确',
  PICKUP_NOT_READY: '该订单还不能核销取货',
  MERCHANT_NOT_FOUND: '您还没有店铺，请先申请开店',
  MERCHANT_NOT_OPEN: '店铺尚未通过审核',
  MERCHANT_EXISTS: '您已经申请过店铺了',
  MERCHANT_STATE_CHANGED: '店铺状态已变化，请刷新',
  NOT_FOUND: '没有找到，可能已被删除，请刷新',
  FORBIDDEN: '没有权限进行此操作',
  VALIDATION_FAILED: '填写的内容有误，请检查标红的项目',
  RATE_LIMITED: '操作太频繁，请稍后再试',
  ALREADY_EXISTS: '已经存在，请勿重复提交',
};

export function merchantErrorText(err: unknown): string {
  if (err instanceof ApiError && CODE_TEXT[err.code]) return CODE_TEXT[err.code]!;
  return errorMessage(err);
}

/** Whether an error means the order changed under us, so the list should be reloaded. */
export function isStale(err: unknown): boolean {
  return (
    err instanceof ApiError &&
    ['ORDER_STATE_CHANGED', 'REFUND_STATE_CHANGED', 'ILLEGAL_TRANSITION', 'NOT_FOUND'].includes(err.code)
  );
}

/**
 * The envelope's details by field: `body.priceFen` -> `priceFen`. `hints` gives the Chinese text per
 * field (the server's messages are English); a field without a hint shows the server's message.
 */
export function fieldErrors(err: unknown, hints: Record<string, string> = {}): Record<string, string> {
  if (!(err instanceof ApiError)) return {};
  const out: Record<string, string> = {};
  for (const d of err.details) {
    const path = d.path.replace(/^body\./, '');
    const field = path.split('.')[0] ?? path;
    if (!field || out[field]) continue;
    out[field] = hints[field] ?? d.message;
  }
  return out;
}

/** Zod issues from a client-side check, in the same shape. */
export function issuesToFieldErrors(
  issues: { path: PropertyKey[]; message: string }[],
  hints: Record<string, string> = {},
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of issues) {
    const field = String(issue.path[0] ?? '');
    if (!field || out[field]) continue;
    out[field] = hints[field] ?? issue.message;
  }
  return out;
}
