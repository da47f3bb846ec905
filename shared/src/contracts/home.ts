import { z } from 'zod';
import { Id } from './common';
import { Batch, BatchStatus, DeliveryWindow } from './lockers';
import { Me } from './me';
import { DeliveryMode, OrderStatus } from './orders';

/** An order waiting in a locker: what the resident needs at the panel, at the top of 首页. */
export const HomeLockerOrder = z.object({
  orderId: Id,
  merchantName: z.string(),
  bankName: z.string(),
  location: z.string(),
  compartments: z.array(z.string()),
  /** The pickup code (the owner and their consented family only; null once spent). */
  code: z.string().nullable(),
  deadline: z.string().nullable(),
  /** Past the free window: a fee or a retrieval by staff may follow. */
  overdue: z.boolean(),
});
export type HomeLockerOrder = z.infer<typeof HomeLockerOrder>;

/** An order paid for and not yet in the resident's hands. */
export const HomeActiveOrder = z.object({
  id: Id,
  status: OrderStatus,
  merchantName: z.string(),
  title: z.string(),
  mode: DeliveryMode,
  /** For locker orders: when the window delivers. */
  deliverAt: z.string().nullable(),
  /** For locker orders: the state of the window's batch, so 待配送 and 配送中 say what is true now. */
  batchStatus: BatchStatus.nullable(),
});
export type HomeActiveOrder = z.infer<typeof HomeActiveOrder>;

export const HomeResident = z.object({
  lockerOrders: z.array(HomeLockerOrder),
  /** The next delivery window of the resident's community that still takes orders. */
  nextWindow: DeliveryWindow.nullable(),
  activeOrders: z.array(HomeActiveOrder),
  /** 社区公告 not yet opened, counted over the newest 20; null when not a verified member. */
  notices: z
    .object({ unread: z.number().int(), more: z.boolean(), pinnedTitle: z.string().nullable() })
    .nullable(),
});
export type HomeResident = z.infer<typeof HomeResident>;

export const HomeMerchant = z.object({
  shop: z.object({ id: Id, name: z.string(), status: z.enum(['pending', 'open', 'paused', 'closed']) }),
  /** Paid, waiting for the shop to accept (待接单). */
  toAccept: z.number().int(),
  /** Accepted, not packed yet (备货中). */
  toPack: z.number().int(),
  /** Refund requests waiting for the shop's answer. */
  refundRequests: z.number().int(),
  /** The earliest delivery cut-off the shop's open locker orders are for, and how many are due by it. */
  nextCutoff: z
    .object({
      cutoffAt: z.string(),
      deliverAt: z.string(),
      toAccept: z.number().int(),
      toPack: z.number().int(),
    })
    .nullable(),
  /** Products at or under their low-stock threshold (most urgent first, at most 5), and how many in all. */
  lowStock: z.array(z.object({ id: Id, name: z.string(), stock: z.number().int(), unit: z.string() })),
  lowStockCount: z.number().int(),
});
export type HomeMerchant = z.infer<typeof HomeMerchant>;

export const HomeCourier = z.object({
  /** Batches not done yet, and those delivered today (Asia/Shanghai), soonest delivery first. */
  batches: z.array(Batch),
});
export type HomeCourier = z.infer<typeof HomeCourier>;

export const HOME_STAFF_QUEUES = [
  'memberships',
  'merchants',
  'overdueLockers',
  'proxyConsents',
  'careProviders',
  'volunteers',
  'moderation',
  'requests',
] as const;
export const HomeStaffQueue = z.enum(HOME_STAFF_QUEUES);
export type HomeStaffQueue = z.infer<typeof HomeStaffQueue>;

export const HomeStaff = z.object({
  /** Each queue waiting on the staff member, in the communities they run; `more` when capped. */
  queues: z.array(z.object({ key: HomeStaffQueue, count: z.number().int(), more: z.boolean() })),
});
export type HomeStaff = z.infer<typeof HomeStaff>;

/**
 * 首页 in one read: the person (as GET /v1/me) and only the sections of their roles. A family
 * member acting for an elder sees the elder's home: the resident section only.
 */
export const Home = z.object({
  me: Me,
  resident: HomeResident.nullable(),
  merchant: HomeMerchant.nullable(),
  courier: HomeCourier.nullable(),
  staff: HomeStaff.nullable(),
});
export type Home = z.infer<typeof Home>;
