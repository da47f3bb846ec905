import { z } from 'zod';
import { paymentRefundFlow } from '../state/flows';
import { Id } from './common';

export const PaymentRefundStatus = z.enum(paymentRefundFlow.states);
export type PaymentRefundStatus = z.infer<typeof PaymentRefundStatus>;

/** What the shop and staff read about money going back (the resident sees 已退款 on the order). */
export const PAYMENT_REFUND_STATUS_LABELS: Record<PaymentRefundStatus, string> = {
  requested: '退款处理中',
  processing: '退款处理中',
  succeeded: '已退回',
  failed: '退款失败',
  abnormal: '退款异常',
};

/** The provider's failure codes people may meet, in words (anything else: the generic line). */
export const PAYMENT_REFUND_ERROR_TEXT: Record<string, string> = {
  NOT_ENOUGH: '商户账户余额不足，充值后将自动重试',
  SYSTEM_ERROR: '微信支付系统繁忙，将自动重试',
  FREQUENCY_LIMITED: '请求过于频繁，将自动重试',
  BANKERROR: '银行系统异常，将自动重试',
  TRANSPORT: '暂时联系不上微信支付，将自动重试',
  ABNORMAL: '退款到账异常（如用户银行卡已注销），请联系用户处理',
  CLOSED: '退款已被关闭',
  USER_ACCOUNT_ABNORMAL: '用户账户异常，请联系用户处理',
};

export const paymentRefundErrorText = (code: string | null): string | null =>
  code ? (PAYMENT_REFUND_ERROR_TEXT[code] ?? '退款未成功，请稍后重试或联系客服') : null;

/** One refund of a payment, as the shop's order view and staff see it. */
export const PaymentRefundState = z.object({
  id: Id,
  status: PaymentRefundStatus,
  amountFen: z.number().int(),
  /** The provider's code of the last failure (NOT_ENOUGH, ABNORMAL, ...); null while all goes well. */
  lastError: z.string().nullable(),
  attempts: z.number().int(),
  updatedAt: z.string(),
});
export type PaymentRefundState = z.infer<typeof PaymentRefundState>;

export const StaffPaymentRefund = PaymentRefundState.extend({
  paymentId: Id,
  /** What was paid for ('order', 'care_booking') and its id. */
  subject: z.string(),
  subjectId: Id,
  provider: z.string(),
  reason: z.string(),
  createdAt: z.string(),
});
export type StaffPaymentRefund = z.infer<typeof StaffPaymentRefund>;

export const StaffPaymentRefundQuery = z.object({
  /** Refunds that need someone: failed (retried automatically, then by staff) or abnormal. */
  status: z.enum(['failed', 'abnormal']).optional(),
});
export const StaffPaymentRefundList = z.object({ items: z.array(StaffPaymentRefund) });
