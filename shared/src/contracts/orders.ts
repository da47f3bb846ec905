import { z } from 'zod';
import { orderFlow, paymentFlow, refundFlow, UNPAID_ORDER_STATES } from '../state/flows';
import { CursorQuery, Id, LocalDate } from './common';
import { OrderLocker } from './lockers';
import { MAX_LINE_QUANTITY } from './market';
import { PaymentRefundState } from './payments';
import { ImageRef } from './uploads';

export const OrderStatus = z.enum(orderFlow.states);
export type OrderStatus = z.infer<typeof OrderStatus>;
export const ORDER_STATUS_LABELS: Record<OrderStatus, string> = {
  created: '待付款',
  paid: '待接单',
  accepted: '备货中',
  packed: '待取货',
  // In a batch: 配送中 only once the courier set out (see orderStatusLabel, which knows the batch).
  in_batch: '待配送',
  in_locker: '已入柜',
  picked_up: '已取货',
  completed: '已完成',
  cancelled: '已取消',
  overdue: '超时未取',
  returned: '已退回',
  refunded: '已退款',
};
export const CANCEL_REASON_LABELS = {
  timeout: '超时未支付',
  resident: '用户取消',
  merchant: '商家拒单',
} as const;
export const CancelReason = z.enum(['timeout', 'resident', 'merchant']);

export const DELIVERY_MODE_LABELS = { shop_pickup: '到店自提', home: '送货上门', locker: '生鲜柜' } as const;
export const DeliveryMode = z.enum(['shop_pickup', 'home', 'locker']);
export type DeliveryMode = z.infer<typeof DeliveryMode>;

export const OrderDeliveryInput = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('shop_pickup') }),
  /** To a household the resident is a verified member of. */
  z.object({ mode: z.literal('home'), householdId: Id }),
  /**
   * To a locker bank of the resident's compound in a delivery window. China's courier rules need
   * the resident's consent to locker delivery; it is recorded on the order.
   */
  z.object({
    mode: z.literal('locker'),
    windowId: Id,
    lockerBankId: Id,
    consent: z.literal(true, { error: 'locker delivery needs your consent' }),
  }),
]);

export const MAX_ORDER_LINES = 50;
/**
 * ¥50,000: the most one order may come to. The server checks it against its own prices, so no
 * order total (nor a day's sum of them) comes anywhere near what an integer column holds.
 */
export const MAX_ORDER_TOTAL_FEN = 5_000_000;

export const CreateOrderBody = z.object({
  merchantId: Id,
  items: z
    .array(
      z.object({
        productId: Id,
        quantity: z
          .number()
          .int('must be a whole number')
          .min(1, 'must be at least 1')
          .max(MAX_LINE_QUANTITY, `at most ${MAX_LINE_QUANTITY}`),
      }),
    )
    .min(1, 'the order has no items')
    .max(MAX_ORDER_LINES, `at most ${MAX_ORDER_LINES} lines`)
    .refine(
      (items) => new Set(items.map((i) => i.productId)).size === items.length,
      'a product appears twice',
    ),
  delivery: OrderDeliveryInput,
  note: z.string().trim().max(200).optional(),
});
export type CreateOrderBody = z.infer<typeof CreateOrderBody>;

/** The Idempotency-Key header: the client makes one per checkout attempt. */
export const IdempotencyKey = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8-64 letters, digits, - or _');

export const OrderItem = z.object({
  productId: Id,
  name: z.string(),
  unit: z.string(),
  priceFen: z.number().int(),
  quantity: z.number().int(),
  subtotalFen: z.number().int(),
});

export const OrderEvent = z.object({
  status: OrderStatus,
  event: z.string(),
  at: z.string(),
  note: z.string().nullable(),
});

export const Refund = z.object({
  id: Id,
  status: z.enum(refundFlow.states),
  reason: z.string(),
  /** Private uploads: signed URLs that work for a short while, for the resident and the shop only. */
  photos: z.array(ImageRef),
  amountFen: z.number().int(),
  merchantNote: z.string().nullable(),
  autoApproved: z.boolean(),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
});

export const Order = z.object({
  id: Id,
  /** The short number people read (`1202-007`: the shop's local day and sequence). */
  number: z.string(),
  status: OrderStatus,
  merchant: z.object({ id: Id, name: z.string(), contactPhone: z.string() }),
  items: z.array(OrderItem),
  itemsFen: z.number().int(),
  deliveryFeeFen: z.number().int(),
  totalFen: z.number().int(),
  delivery: z.object({ mode: DeliveryMode, address: z.string().nullable() }),
  note: z.string().nullable(),
  /** Shown to the resident once the merchant accepted; checked by the merchant at hand-over. */
  pickupCode: z.string().nullable(),
  cancelReason: CancelReason.nullable(),
  payBy: z.string().nullable(),
  payment: z.object({ id: Id, status: z.enum(paymentFlow.states) }).nullable(),
  /** The money of this order going back through the provider, oldest first (empty when none). */
  paymentRefunds: z.array(PaymentRefundState),
  locker: OrderLocker.nullable(),
  refund: Refund.nullable(),
  timeline: z.array(OrderEvent),
  createdAt: z.string(),
});
export type Order = z.infer<typeof Order>;

export const OrderSummary = Order.pick({
  id: true,
  number: true,
  status: true,
  /** For the status label: a locker order's batch says whether it is really on the way. */
  locker: true,
  merchant: true,
  totalFen: true,
  delivery: true,
  createdAt: true,
  payBy: true,
}).extend({ itemCount: z.number().int(), title: z.string() });
export type OrderSummary = z.infer<typeof OrderSummary>;

export const OrderQuery = CursorQuery.extend({ status: OrderStatus.optional() });
export const OrderPage = z.object({ items: z.array(OrderSummary), nextCursor: z.string().nullable() });

export const PayResponse = z.object({
  paymentId: Id,
  provider: z.string(),
  /** What the client hands to the provider's SDK (wx.requestPayment for WeChat Pay). */
  params: z.record(z.string(), z.string()),
});

export const RefundRequestBody = z.object({
  reason: z.string().trim().min(1, 'must not be empty').max(200),
  /** Ids of the requester's own uploads (purpose 'refund'), in the order they are shown. */
  photos: z
    .array(Id)
    .max(6)
    .refine((ids) => new Set(ids).size === ids.length, 'must not repeat a photo')
    .default([]),
});

/** Merchant side. */
export const MerchantOrder = Order.extend({
  customer: z.object({ name: z.string(), phoneMasked: z.string() }),
});
export type MerchantOrder = z.infer<typeof MerchantOrder>;
export const MerchantOrderQuery = CursorQuery.extend({
  /** Asking for an unpaid status is a 400, not an empty page: the shop never has those. */
  status: OrderStatus.refine(
    (s) => !UNPAID_ORDER_STATES.includes(s),
    'unpaid orders are not shown to the shop',
  ).optional(),
  /** Orders with a refund request: still open ('requested') or ever ('any'). */
  refund: z.enum(['requested', 'any']).optional(),
});
export const MerchantOrderPage = z.object({
  items: z.array(MerchantOrder),
  nextCursor: z.string().nullable(),
  /** Open orders per status, for the badges. */
  counts: z.record(z.string(), z.number().int()),
});
export const ReasonBody = z.object({ reason: z.string().trim().min(1, 'must not be empty').max(200) });
export const NoteBody = z.object({ note: z.string().trim().max(200).optional() });
export const VerifyPickupBody = z.object({ code: z.string().regex(/^\d{6}$/, 'must be 6 digits') });

export const MerchantStatsQuery = z.object({ date: LocalDate.optional() });
export const DayStats = z.object({
  date: z.string(),
  orderCount: z.number().int(),
  revenueFen: z.number().int(),
});
export const MerchantStats = DayStats.extend({
  topProducts: z.array(
    z.object({ productId: Id, name: z.string(), quantity: z.number().int(), revenueFen: z.number().int() }),
  ),
  /** The 14 days ending on `date`, oldest first. */
  daily: z.array(DayStats),
});
