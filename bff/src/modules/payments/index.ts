import { handles, type LinliModule } from '../../module';
import { PAYMENTS_QUEUE, paymentRefundJob } from './jobs';
import { paymentRoutes } from './routes';
import { finishRefund } from './service';

/** Money in and out behind the PaymentProvider interface; what it pays for registers itself. */
export const paymentsModule: LinliModule = {
  name: 'payments',
  routes: paymentRoutes,
  queues: [PAYMENTS_QUEUE],
  jobs: [handles(paymentRefundJob, (p, deps) => finishRefund(deps, p.paymentId))],
};

export {
  closePendingPayment,
  confirmPayment,
  latestPayment,
  openPayment,
  type PaymentRow,
  type PaymentSubject,
  paymentById,
  paymentsOfSubjectIds,
  paymentsOfSubjects,
  registerPaymentSubject,
  type SubjectKind,
  startRefund,
} from './service';
