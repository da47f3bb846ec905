import { handles, type LinliModule } from '../../module';
import { PAYMENTS_QUEUE, paymentCloseJob, paymentRefundJob } from './jobs';
import { closeAtProvider } from './reconcile';
import { runRefund, runRefundsOfPayment } from './refunds';
import { paymentRoutes } from './routes';

/** Money in and out behind the PaymentProvider interface; what it pays for registers itself. */
export const paymentsModule: LinliModule = {
  name: 'payments',
  routes: paymentRoutes,
  queues: [PAYMENTS_QUEUE],
  jobs: [
    handles(paymentRefundJob, (p, deps) =>
      p.refundId ? runRefund(deps, p.refundId) : runRefundsOfPayment(deps, p.paymentId!),
    ),
    handles(paymentCloseJob, (p, deps) => closeAtProvider(deps, p.paymentId)),
  ],
};

export { reconcilePending } from './reconcile';
export { type PaymentRefundRow, refundsOfSubjects, startPartialRefund, startRefund } from './refunds';
export {
  closePendingPayment,
  confirmPayment,
  latestPayment,
  type OpenedPayment,
  openPayment,
  type PaymentRow,
  type PaymentSubject,
  paymentById,
  paymentsOfSubjectIds,
  paymentsOfSubjects,
  preparePayment,
  registerPaymentSubject,
  type SubjectKind,
} from './service';
export { wechatpayConfigured } from './wechatpay';
