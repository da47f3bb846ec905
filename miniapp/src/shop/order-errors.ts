import { ApiError, codeText, describeError, type ErrorCopy, fieldText } from '../api/errors';

/** Where the order routes need a sentence of their own (the rest is the registry's). */
const ORDER_CODES = {
  NOT_FOUND: '订单不存在或已无法查看',
  VALIDATION_FAILED: '填写的信息有误',
} satisfies ErrorCopy['codes'];

/** Names of the request fields the BFF may point at, for VALIDATION_FAILED. */
const FIELD_TEXT: Record<string, string> = {
  'delivery.householdId': '收货地址不是您已认证的住址',
  'delivery.mode': '配送方式不可用',
  'delivery.windowId': '配送时段不可用，请重新选择',
  'delivery.lockerBankId': '所选生鲜柜不可用，请重新选择',
  'delivery.consent': '请先勾选同意将商品投递至智能生鲜柜',
  orderId: '订单不在这个生鲜柜',
  note: '备注过长',
  reason: '请填写退款原因',
  photos: '照片无效或重复，请删除后重新上传',
};

/** `body.items.2.quantity` -> 2 */
function itemIndex(path: string): number | null {
  const m = /(?:^|\.)items\.(\d+)(?:\.|$)/.exec(path);
  return m ? Number(m[1]) : null;
}

/**
 * A refusal of an order route in Chinese: the code's copy, naming the products the error points at
 * (`details[].path` = `body.items.N...`) when `lineName` can tell; unknown codes fall back to the
 * server's message when it is readable, else to a generic sentence with the code.
 */
export function describeOrderError(err: unknown, lineName?: (index: number) => string | undefined): string {
  if (!(err instanceof ApiError)) return describeError(err);
  const names = [
    ...new Set(
      err.details
        .map((d) => itemIndex(d.path))
        .filter((i): i is number => i !== null)
        .map((i) => lineName?.(i))
        .filter((n): n is string => !!n),
    ),
  ];
  const subject = names.length ? `「${names.join('、')}」` : '';
  if (err.code === 'VALIDATION_FAILED')
    return fieldText(err, FIELD_TEXT) ?? `${ORDER_CODES.VALIDATION_FAILED}${subject ? `：${subject}` : ''}`;
  const known = codeText(err, ORDER_CODES);
  if (known) return `${subject}${known}`;
  return describeError(err);
}

/**
 * Whether the request may have reached the server without us hearing the answer: then a retry
 * must reuse the Idempotency-Key. Any envelope from the BFF is an answer, so a new attempt is new.
 */
export function answerUnknown(err: unknown): boolean {
  return (
    err instanceof ApiError && (err.status === 0 || err.status >= 500 || err.code === 'INVALID_RESPONSE')
  );
}
