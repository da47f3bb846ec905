import { handles, type LinliModule } from '../../module';
import { refundAutoApproveJob } from './jobs';
import { refundRoutes } from './routes';
import { autoApproveRefund } from './service';

export const refundsModule: LinliModule = {
  name: 'refunds',
  routes: refundRoutes,
  jobs: [handles(refundAutoApproveJob, (p, deps) => autoApproveRefund(deps, p.refundId))],
};
