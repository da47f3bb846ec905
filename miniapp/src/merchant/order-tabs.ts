import type { MerchantOrder, OrderStatus } from 'shared';
import { call } from '../api';

export interface Tab {
  key: string;
  label: string;
  /** The statuses the tab lists; undefined asks for every status. */
  statuses: (OrderStatus | undefined)[];
  /** Only orders with a refund request. */
  refund?: 'any';
  /** Which entry of `counts` is its badge. */
  badge?: string;
}

/** Refund requests arrive on orders in several states; the BFF counts them under this key. */
export const REFUND_COUNT_KEY = 'refund_requested';

export const ORDER_TABS: Tab[] = [
  { key: 'paid', label: '待接单', statuses: ['paid'], badge: 'paid' },
  { key: 'accepted', label: '备货中', statuses: ['accepted'], badge: 'accepted' },
  // Packed is waiting for the resident (shop pickup), the delivery, or the cut-off (lockers).
  { key: 'packed', label: '已备货', statuses: ['packed'], badge: 'packed' },
  // After the cut-off: in the courier's batch (备货完成 may still be pressed), in the locker, overdue.
  { key: 'delivery', label: '配送中', statuses: ['in_batch', 'in_locker', 'overdue'] },
  { key: 'done', label: '已完成', statuses: ['picked_up', 'completed'] },
  { key: 'cancelled', label: '已取消', statuses: ['cancelled'] },
  {
    key: 'refund',
    label: '退款',
    statuses: [undefined],
    refund: 'any',
    badge: REFUND_COUNT_KEY,
  },
];

const PAGE_SIZE = 20;

export interface Loaded {
  items: MerchantOrder[];
  /** Per status (or '' for all): where the next page starts, null at the end. */
  cursors: Record<string, string | null>;
  counts: Record<string, number>;
}

export async function loadTab(tab: Tab, cursors?: Record<string, string | null>): Promise<Loaded> {
  const wanted = cursors ? tab.statuses.filter((s) => cursors[s ?? ''] != null) : tab.statuses;
  const pages = await Promise.all(
    wanted.map((status) =>
      call('merchantOrders', {
        query: {
          limit: PAGE_SIZE,
          ...(status && { status }),
          ...(tab.refund && { refund: tab.refund }),
          ...(cursors?.[status ?? ''] && { cursor: cursors[status ?? '']! }),
        },
      }),
    ),
  );
  const items = pages.flatMap((p) => p.items);
  // Two statuses in one tab: newest first across both.
  if (wanted.length > 1) items.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return {
    items,
    cursors: Object.fromEntries(wanted.map((s, i) => [s ?? '', pages[i]!.nextCursor])),
    counts: pages[0]?.counts ?? {},
  };
}
