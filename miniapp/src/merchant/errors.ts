import { ApiError, errorMessage } from '../api/errors';

/** BFF error codes a merchant can run into, in words; anything else falls back to the server's message. */
const CODE_TEXT: Record<string, string> = {
  ORDER_STATE_CHANGED: '订单状态已变化，请刷新',
  PICKUP_CODE_INVALID: '取货码不正确',
  PICKUP_CODE_LOCKED: '取货码连续输错次数过多，核销已暂停 10 分钟，请稍后再试',
  ORDER_NOT_PACKED: '这个订单还没有备货完成，请先点「备货完成」再核销',
  PICKUP_AT_LOCKER: '这个订单需到生鲜柜取货，不能在店核销',
  REFUND_ALREADY_DECIDED: '这个退款申请已经处理过了，请刷新',
  MERCHANT_EXISTS: '您已经申请过店铺了',
  MERCHANT_STATE: '店铺当前的状态不能这样操作，请刷新',
  MERCHANT_ALREADY_VERIFIED: '这家店铺已经审核过了，请刷新',
  STOCK_INSUFFICIENT: '库存不能小于 0',
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
    ['ORDER_STATE_CHANGED', 'REFUND_ALREADY_DECIDED', 'NOT_FOUND'].includes(err.code)
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
