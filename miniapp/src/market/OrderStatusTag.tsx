import { Text } from '@tarojs/components';
import { ORDER_STATUS_LABELS, type OrderStatus } from 'shared';

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

export function OrderStatusTag({ status }: { status: OrderStatus }) {
  return (
    <Text className={`tag tag--${TONE[status]}`} data-testid="order-status">
      {ORDER_STATUS_LABELS[status]}
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
  { id: 'in_batch', label: '配送中' },
  { id: 'in_locker', label: '已入柜' },
  { id: 'picked_up', label: '已取货' },
  { id: 'completed', label: '已完成' },
  { id: 'refunded', label: '已退款' },
  { id: 'cancelled', label: '已取消' },
];
