/**
 * What the BFF needs from a payment provider. A real one (WeChat Pay) prepares an order with the
 * provider and calls us back through `confirmPayment`; devpay stands in for it locally.
 */
export interface PaymentProvider {
  readonly name: string;
  /** Registers the payment with the provider; returns what the client's SDK call needs. */
  prepare(payment: { id: string; amountFen: number; description: string }): Promise<Record<string, string>>;
  /** Gives the money back; must be safe to call again for the same payment. */
  refund(payment: {
    id: string;
    amountFen: number;
    providerRef: string | null;
  }): Promise<{ refundRef: string }>;
}

/**
 * Local only: nothing leaves the machine. The client "pays" by calling the dev-confirm endpoint,
 * which takes the same confirmation path a provider callback would.
 */
export const devpay: PaymentProvider = {
  name: 'devpay',
  async prepare(payment) {
    return { confirmPath: `/v1/payments/${payment.id}/dev-confirm`, amountFen: String(payment.amountFen) };
  },
  async refund(payment) {
    return { refundRef: `devpay-refund-${payment.id}` };
  },
};

export function paymentProvider(name: 'devpay'): PaymentProvider {
  switch (name) {
    case 'devpay':
      return devpay;
  }
}
