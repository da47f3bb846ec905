/**
 * What the BFF needs from a payment provider. A real one (WeChat Pay) prepares a transaction with
 * the provider, which calls us back (notifications) and answers queries; devpay stands in for it
 * locally. Every call is safe to repeat: transactions are keyed by our payment id, refunds by our
 * refund id, so asking twice never takes or gives money twice.
 */
export interface ProviderPayment {
  id: string;
  amountFen: number;
  /** The provider's prepay id while it may be reused, and for whom it was made. */
  prepayId: string | null;
  preparedAt: Date | null;
  payerOpenid: string | null;
}

export interface Payer {
  /** The payer's openid in our mini-program (WeChat Pay JSAPI needs it); null outside WeChat. */
  openid: string | null;
}

export interface Prepared {
  /** What the client's SDK call takes (wx.requestPayment's parameters for WeChat Pay). */
  params: Record<string, string>;
  /** Kept on the payment so the next pay within its lifetime reuses it. */
  prepayId: string | null;
}

/** What the provider says happened to the money of a payment. */
export type QueryResult =
  | { paid: true; transactionId: string; amountFen: number }
  | { paid: false; state: string };

export type RefundOutcome =
  | { status: 'succeeded' | 'processing'; providerRefundId: string | null }
  /** The provider refunded but the money could not reach the payer: staff must look. */
  | { status: 'abnormal' | 'closed'; providerRefundId: string | null }
  | { status: 'failed'; code: string; retryable: boolean; message: string };

export interface ProviderRefund {
  refundId: string;
  payment: ProviderPayment;
  amountFen: number;
  reason: string;
}

export interface PaymentProvider {
  readonly name: string;
  /** Registers the payment with the provider (or reuses its registration); returns the client's params. */
  prepare(
    payment: ProviderPayment,
    payer: Payer,
    opts: { description: string; expiresAt?: Date },
  ): Promise<Prepared>;
  /** Did the money arrive? (A lost notification is found this way.) */
  query(payment: ProviderPayment): Promise<QueryResult>;
  /** No more money for this payment; 'paid' when it had already been paid (the caller confirms it). */
  close(payment: ProviderPayment): Promise<'closed' | 'paid'>;
  /** Gives money back; the provider answers the same refund for the same refundId. */
  refund(r: ProviderRefund): Promise<RefundOutcome>;
  /** Where a refund stands; null when the provider never heard of it. */
  queryRefund(r: ProviderRefund): Promise<RefundOutcome | null>;
}

/**
 * Local only: nothing leaves the machine. The client "pays" by calling the dev-confirm endpoint,
 * which takes the same confirmation path a provider callback would; refunds succeed at once.
 */
export const devpay: PaymentProvider = {
  name: 'devpay',
  async prepare(payment) {
    return {
      params: { confirmPath: `/v1/payments/${payment.id}/dev-confirm`, amountFen: String(payment.amountFen) },
      prepayId: null,
    };
  },
  // Only dev-confirm pays a devpay payment, and it confirms directly: there is nothing to find here.
  async query() {
    return { paid: false, state: 'NOTPAY' };
  },
  async close() {
    return 'closed';
  },
  async refund(r) {
    return { status: 'succeeded', providerRefundId: `devpay-refund-${r.refundId}` };
  },
  async queryRefund(r) {
    return { status: 'succeeded', providerRefundId: `devpay-refund-${r.refundId}` };
  },
};

/** Our ids to WeChat's out_trade_no / out_refund_no (6-32 chars of [0-9A-Za-z_-|*]) and back. */
export const outNo = (id: string) => id.replaceAll('-', '');
export function idOfOutNo(no: string): string | null {
  if (!/^[0-9a-f]{32}$/i.test(no)) return null;
  const h = no.toLowerCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
