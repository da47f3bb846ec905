import { Id, OrderStatus, orderFlow } from 'shared';
import { z } from 'zod';
import { defineJob, type QueueSpec } from '../../module';

/**
 * The orders queue: the unpaid-order timeout, completion after the after-sales window, and the
 * after-commit hooks of every transition (refunds put their auto-approval here too). None takes a
 * job's word for anything: the timeouts re-check their deadline and fire only from the state they
 * expect, and the after-commit hooks run only for a transition the timeline recorded, so a
 * replayed or forged job changes nothing.
 */
export const ORDERS_QUEUE: QueueSpec = { name: 'orders', concurrency: 8 };

const OrderRef = z.object({ orderId: Id });
const OrderEvent = z.enum(Object.keys(orderFlow.transitions) as [keyof typeof orderFlow.transitions]);

export const orderExpireJob = defineJob({ queue: 'orders', name: 'order.expire', payload: OrderRef });
export const orderCompleteJob = defineJob({ queue: 'orders', name: 'order.complete', payload: OrderRef });
export const orderTransitionedJob = defineJob({
  queue: 'orders',
  name: 'order.transitioned',
  payload: z.object({ eventId: Id, orderId: Id, event: OrderEvent, from: OrderStatus, to: OrderStatus }),
});
