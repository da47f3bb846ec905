import { handles, type LinliModule } from '../../module';
import { registerOrderViewPart, registerRefundedOrders } from '../orders';
import { refundAutoApproveJob } from './jobs';
import { refundRoutes } from './routes';
import { autoApproveRefund } from './service';
import { ordersWithRefunds, refundsOfOrders } from './views';

// The refund part of order views and the merchant's 退款 tab: orders never import refunds.
registerOrderViewPart('refund', (db, rows) => refundsOfOrders(db, rows));
registerRefundedOrders(ordersWithRefunds);

/** Refund requests after acceptance, the merchant's decision, approval when they do not answer. */
export const refundsModule: LinliModule = {
  name: 'refunds',
  routes: refundRoutes,
  jobs: [handles(refundAutoApproveJob, (p, deps) => autoApproveRefund(deps, p.refundId))],
};

export { refundByPolicy } from './service';
