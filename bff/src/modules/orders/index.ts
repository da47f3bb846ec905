import { handles, type LinliModule } from '../../module';
import { afterTransition } from './after-transition';
import { ORDERS_QUEUE, orderCompleteJob, orderExpireJob, orderTransitionedJob } from './jobs';
import { orderRoutes } from './routes';
import { completeAfterWindow, expireUnpaid } from './timeouts';

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
