import { Text } from '@tarojs/components';
import { ORDER_STATUS_LABELS, type OrderStatus, type OrderStatusFacts, orderStatusLabel } from 'shared';

/** Colour groups: waiting on someone, under way, done, ended without goods. */
const TONE: Record<OrderStatus, string> = {
  created: 'pending',
  paid: 'pending',
  accepted: 'active',
  packed: 'active',
  in_batch: 'active',
  in_locker: 'active',
  picked_up: 'approved',
  completed: 'approved',
  overdue: 'rejected',
  cancelled: 'closed',
  returned: 'closed',
  refunded: 'closed',
};

/**
 * The order's status in words that are true now (a batch waiting for its courier is 待配送). Pass
 * the order where you have it: a bare status cannot tell 待配送 from 配送中.
 */
export function OrderStatusTag(props: { order: OrderStatusFacts } | { status: OrderStatus }) {
  const status = 'order' in props ? props.order.status : props.status;
  return (
    <Text className={`tag tag--${TONE[status]}`} data-testid="order-status">
      {'order' in props ? orderStatusLabel(props.order) : ORDER_STATUS_LABELS[status]}
    </Text>
  );
}

/** 订单 tabs: the API filters by one status, so each tab is one status. */
export const ORDER_TABS: { id: '' | OrderStatus; label: string }[] = [
  { id: '', label: '全部' },
  { id: 'created', label: '待付款' },
  { id: 'paid', label: '待接单' },
  { id: 'accepted', label: '备货中' },
  { id: 'packed', label: '待取货' },
  // Waiting for the courier or on the way: both are still to arrive.
  { id: 'in_batch', label: '待送达' },
  { id: 'in_locker', label: '已入柜' },
  { id: 'picked_up', label: '已取货' },
  { id: 'completed', label: '已完成' },
  { id: 'refunded', label: '已退款' },
  { id: 'cancelled', label: '已取消' },
];
