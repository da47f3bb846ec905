import { z } from 'zod';
import { batchFlow, compartmentFlow, deliveryWindowFlow, lockerBankFlow } from '../state/flows';
import { Id, LocalDate } from './common';
import { SizeHint, Temperature } from './market';

/** The tallest bank we know has 10 rows of compartments. */
export const MAX_LOCKER_ROWS = 10;

export const CompartmentState = z.enum(compartmentFlow.states);
export type CompartmentState = z.infer<typeof CompartmentState>;
export const COMPARTMENT_STATE_LABELS: Record<CompartmentState, string> = {
  free: '空闲',
  reserved: '已预留',
  occupied: '已存放',
  out_of_service: '停用',
};

export const Compartment = z.object({
  id: Id,
  label: z.string(),
  size: SizeHint,
  zone: Temperature,
  state: CompartmentState,
  /** Its height in the bank: 1 is the bottom row (shown as 第 1 层). */
  row: z.number().int(),
});
export type Compartment = z.infer<typeof Compartment>;

export const SizeZoneCount = z.object({ size: SizeHint, zone: Temperature, count: z.number().int() });

export const LockerBankStatus = z.enum(lockerBankFlow.states);
export const LockerBank = z.object({
  id: Id,
  compoundId: Id,
  compoundName: z.string(),
  name: z.string(),
  location: z.string(),
  status: LockerBankStatus,
  compartments: z.array(Compartment),
  /** Per size and zone: how many in service, and how many free now. */
  counts: z.array(
    z.object({ size: SizeHint, zone: Temperature, total: z.number().int(), free: z.number().int() }),
  ),
  codeLockedUntil: z.string().nullable(),
  /** How many rows of compartments the bank has. */
  rows: z.number().int(),
  /** The rows reached without bending or stretching (inclusive); asked-for compartments come from here. */
  reachableRows: z.object({ from: z.number().int(), to: z.number().int() }),
});
export type LockerBank = z.infer<typeof LockerBank>;
export const LockerBankList = z.object({ items: z.array(LockerBank) });

export const CreateLockerBankBody = z.object({
  compoundId: Id,
  name: z.string().trim().min(1).max(40),
  location: z.string().trim().min(1).max(100),
  compartments: z
    .array(
      z.object({
        size: SizeHint,
        zone: Temperature,
        count: z.number().int().min(1).max(60),
        /** The row these compartments sit in, 1 = bottom; one row when not said. */
        row: z.number().int().min(1).max(MAX_LOCKER_ROWS).default(1),
      }),
    )
    .min(1)
    .max(9),
  /** The rows reached without bending or stretching; by default all but the bottom and top rows. */
  reachableRows: z
    .object({ from: z.number().int().min(1), to: z.number().int().min(1) })
    .refine((r) => r.from <= r.to, { message: 'from must not be above to', path: ['to'] })
    .optional(),
});
/** The device secret is shown once, when the bank is made or the secret rotated. */
export const LockerBankWithSecret = z.object({ bank: LockerBank, deviceSecret: z.string() });
export const DeviceSecret = z.object({ bankId: Id, deviceSecret: z.string() });
export const UpdateLockerBankBody = z.object({ status: LockerBankStatus });
export const UpdateCompartmentBody = z.object({ inService: z.boolean() });

/** Resident side: where a locker order can go. */
export const AvailabilityQuery = z.object({ compoundId: Id, windowId: Id });
export const Availability = z.object({
  windowId: Id,
  banks: z.array(
    z.object({
      bankId: Id,
      name: z.string(),
      location: z.string(),
      /** Free for this window: in service, not taken by orders already placed for it. */
      free: z.array(SizeZoneCount),
    }),
  ),
});

export const WindowStatus = z.enum(deliveryWindowFlow.states);
export const DeliveryWindow = z.object({
  id: Id,
  communityId: Id,
  cutoffAt: z.string(),
  deliverAt: z.string(),
  status: WindowStatus,
});
export type DeliveryWindow = z.infer<typeof DeliveryWindow>;
export const DeliveryWindowQuery = z.object({ communityId: Id });
export const DeliveryWindowList = z.object({ items: z.array(DeliveryWindow) });

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM');
/** A weekly window: cut-off and delivery in local time; delivery may be the next day. */
export const DeliverySchedule = z.object({
  id: Id,
  communityId: Id,
  cutoffLocal: z.string(),
  deliveryLocal: z.string(),
  deliveryDayOffset: z.number().int(),
  weekdays: z.array(z.number().int()),
  closedDates: z.array(z.string()),
  active: z.boolean(),
});
export const CreateScheduleBody = z.object({
  communityId: Id,
  cutoffLocal: HHMM,
  deliveryLocal: HHMM,
  deliveryDayOffset: z.number().int().min(0).max(2).default(0),
  weekdays: z.array(z.number().int().min(1).max(7)).min(1).max(7).default([1, 2, 3, 4, 5, 6, 7]),
  /** Holidays: no window on these local dates. */
  closedDates: z.array(z.iso.date()).max(100).default([]),
});
export const StaffWindows = z.object({
  schedules: z.array(DeliverySchedule),
  windows: z.array(DeliveryWindow),
});

export const BatchStatus = z.enum(batchFlow.states);
export const BATCH_STATUS_LABELS: Record<z.infer<typeof BatchStatus>, string> = {
  building: '分配中',
  ready: '待出发',
  in_progress: '配送中',
  done: '已完成',
};
export const Batch = z.object({
  id: Id,
  windowId: Id,
  cutoffAt: z.string(),
  deliverAt: z.string(),
  status: BatchStatus,
  courier: z.object({ id: Id, name: z.string() }).nullable(),
  orderCount: z.number().int(),
  droppedCount: z.number().int(),
  bankCount: z.number().int(),
});
export type Batch = z.infer<typeof Batch>;
export const BatchList = z.object({ items: z.array(Batch) });
export const StaffBatchQuery = z.object({ date: LocalDate.optional() });

export const Drop = z.object({
  orderId: Id,
  /** The order's short number (`1202-007`), as written on the bag. */
  orderNumber: z.string(),
  compartmentId: Id,
  label: z.string(),
  size: SizeHint,
  zone: Temperature,
  dropped: z.boolean(),
});
export const BatchManifest = z.object({
  batch: Batch,
  /** What each merchant hands the courier. */
  pickList: z.array(
    z.object({
      merchantId: Id,
      merchantName: z.string(),
      orders: z.array(
        z.object({
          orderId: Id,
          orderNumber: z.string(),
          items: z.array(z.object({ name: z.string(), unit: z.string(), quantity: z.number().int() })),
        }),
      ),
    }),
  ),
  /** Where each order goes, bank by bank. */
  dropList: z.array(
    z.object({ bankId: Id, bankName: z.string(), location: z.string(), drops: z.array(Drop) }),
  ),
  /** Orders past their window at this community's banks: take them out on this run. */
  retrievals: z.array(
    z.object({
      orderId: Id,
      orderNumber: z.string(),
      bankName: z.string(),
      compartments: z.array(z.string()),
      perishable: z.boolean(),
      merchantName: z.string(),
    }),
  ),
});
export type BatchManifest = z.infer<typeof BatchManifest>;
export const DropBody = z.object({ orderId: Id, compartmentId: Id });
export const DropResult = z.object({ orderId: Id, orderStatus: z.string(), drop: Drop });
export const RetrieveBody = z.object({ orderId: Id });
export const CompartmentProblemBody = z.object({
  compartmentId: Id,
  reason: z.string().trim().min(1).max(200),
});
export const CompartmentProblemResult = z.object({ replacement: Drop.nullable() });

export const PickupBody = z.object({ code: z.string().regex(/^\d{6}$/, 'must be 6 digits') });
export const OpenLockerBody = z.object({ orderId: Id });
export const Opened = z.object({
  orderId: Id,
  compartments: z.array(z.object({ id: Id, label: z.string() })),
});

/** The locker part of an order, for its owner. */
export const OrderLocker = z.object({
  bankId: Id,
  bankName: z.string(),
  location: z.string(),
  windowId: Id,
  /** The window's cut-off: what the merchant packs by. */
  cutoffAt: z.string(),
  deliverAt: z.string(),
  /** The window's batch (null before the cut-off built one): 配送中 only once it is in_progress. */
  batchStatus: BatchStatus.nullable(),
  compartments: z.array(z.string()),
  /** The same compartments with their row, for 第 2 层 on the resident's card. */
  places: z.array(z.object({ label: z.string(), row: z.number().int() })),
  /** Set when the order asked for compartments in reach and some went to other rows. */
  reachNote: z.string().nullable(),
  /** Only for the order's owner (and their consented family), while it waits in the locker. */
  code: z.string().nullable(),
  deadline: z.string().nullable(),
  extended: z.boolean(),
  extensionFeeFen: z.number().int(),
  /** The extension fee's own payment: pending until paid (then the order is extended), refunded when it came too late. */
  extensionPayment: z.enum(['pending', 'paid', 'refunding', 'refunded']).nullable(),
});

/** Orders left in a locker past their free window, for staff. */
export const StaffOverdueList = z.object({
  items: z.array(
    z.object({
      orderId: Id,
      orderNumber: z.string(),
      bankName: z.string(),
      compartments: z.array(z.string()),
      deadline: z.string(),
      customer: z.object({ name: z.string(), phoneMasked: z.string() }),
      merchantName: z.string(),
    }),
  ),
});
