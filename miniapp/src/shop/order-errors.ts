import { formatYuan, MAX_ORDER_TOTAL_FEN } from 'shared';
import { ApiError } from '../api/errors';

/** What each refusal of the order routes means, for a person (the BFF's messages are English). */
export const ORDER_ERROR_TEXT: Record<string, string> = {
  STOCK_INSUFFICIENT: '库存不足，请减少数量或稍后再试',
  SHOP_CLOSED: '商家休息中，暂不接单',
  MERCHANT_UNAVAILABLE: '该商家暂不在本社区营业',
  BELOW_MINIMUM: '未达到商家的起送金额',
  PER_ORDER_LIMIT: '超出每单限购数量',
  ORDER_TOTAL_TOO_HIGH: `单笔订单金额不能超过 ${formatYuan(MAX_ORDER_TOTAL_FEN)}，请减少数量或分开下单`,
  PRODUCT_UNAVAILABLE: '商品已下架或不在售',
  DELIVERY_UNAVAILABLE: '商家不支持所选的配送方式',
  OUT_OF_RANGE: '收货地址超出商家的配送范围',
  IDEMPOTENCY_KEY_REUSED: '订单内容有变化，请重新提交',
  ORDER_STATE_CHANGED: '订单状态已变化，请刷新后查看',
  PAYMENT_EXPIRED: '已超过付款时间，订单将自动取消',
  REFUND_NOT_ALLOWED: '当前订单状态不能申请退款',
  REFUND_EXISTS: '已提交过退款申请，请等待商家处理',
  NOT_FOUND: '订单不存在或已无法查看',
  LOCKER_FULL: '所选生鲜柜在这个时段已没有合适的空格口，请换一个生鲜柜、时段或配送方式',
  WINDOW_CLOSED: '这个配送时段已截单，请选择其他时段',
  LOCKER_CONSENT: '请先勾选同意将商品投递至智能生鲜柜',
  LOCKER_UNAVAILABLE: '所选生鲜柜暂停使用，请换一个生鲜柜或配送方式',
  NOT_IN_LOCKER: '这个订单不在生鲜柜里',
  ALREADY_EXTENDED: '已经延长过一次保管，不能再延长',
  CODE_ENTRY_LOCKED: '该生鲜柜取件暂时锁定，请稍后再试',
  NETWORK_ERROR: '网络连接失败，请检查网络后重试',
  RATE_LIMITED: '操作太频繁，请稍后再试',
};

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
  photos: '图片链接格式不正确（需以 http:// 或 https:// 开头）',
};

const hasChinese = (s: string) => /[\u4e00-\u9fff]/.test(s);

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
  if (!(err instanceof ApiError))
    return err instanceof Error && err.message ? err.message : '出错了，请稍后重试';
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
  const known = ORDER_ERROR_TEXT[err.code];
  if (known) return subject ? `${subject}${known}` : known;
  if (err.code === 'VALIDATION_FAILED' || err.code === 'VALIDATION_ERROR') {
    const fields = err.details
      .map((d) => FIELD_TEXT[d.path.replace(/^(body|querystring|headers)\./, '')])
      .filter((t): t is string => !!t);
    return fields.length ? [...new Set(fields)].join('；') : `填写的信息有误${subject ? `：${subject}` : ''}`;
  }
  if (hasChinese(err.message)) return err.message;
  return err.status >= 500 || err.status === 0 ? '服务器开小差了，请稍后重试' : `操作未成功（${err.code}）`;
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
