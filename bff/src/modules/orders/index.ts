import { handles, type LinliModule } from '../../module';
import { registerPaymentSubject } from '../payments';
import { afterTransition } from './after-transition';
import { ORDERS_QUEUE, orderCompleteJob, orderExpireJob, orderTransitionedJob } from './jobs';
import { orderRoutes } from './routes';
import { ordersArePaidFor } from './service';
import { completeAfterWindow, expireUnpaid } from './timeouts';

// Orders are what payments pay for (payments, the older module, never imports orders).
registerPaymentSubject('order', ordersArePaidFor);

/** Checkout, the order flow and its timeouts, the merchant's side of orders. */
export const ordersModule: LinliModule = {
  name: 'orders',
  routes: orderRoutes,
  queues: [ORDERS_QUEUE],
  jobs: [
    handles(orderExpireJob, (p, deps) => expireUnpaid(deps, p.orderId)),
    handles(orderCompleteJob, (p, deps) => completeAfterWindow(deps, p.orderId)),
    handles(orderTransitionedJob, (p, deps) => afterTransition(deps, p)),
  ],
};

export {
  type DeliveryModeStep,
  registerDeliveryMode,
  registerOrderViewPart,
  registerRefundedOrders,
} from './hooks';
export { merchantOrders } from './merchant';
export { orderNumber } from './numbers';
export { orderIdsOfUser, orderManage, orderOwn, ordersOfShopOwnedBy } from './policies';
export {
  lockOrder,
  lockOrders,
  type OrderEventName,
  type OrderRow,
  recordOrderNote,
  transitionOrder,
  transitionOrFail,
} from './transition';
export {
  merchantView,
  orderIdsIn,
  orderLines,
  orderRow,
  ordersByIds,
  ordersOfUserIn,
  residentView,
} from './views';
