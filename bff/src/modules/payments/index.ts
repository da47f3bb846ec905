import { handles, type LinliModule } from '../../module';
import { PAYMENTS_QUEUE, paymentRefundJob } from './jobs';
import { finishRefund } from './service';

export const paymentsModule: LinliModule = {
  name: 'payments',
  queues: [PAYMENTS_QUEUE],
  jobs: [handles(paymentRefundJob, (p, deps) => finishRefund(deps, p.paymentId))],
};
