import type { SQLWrapper } from 'drizzle-orm';
import type { CreateOrderBody, MerchantOrder } from 'shared';
import type { Actor } from '../../access/actor';
import type { DbOrTx } from '../../db/client';
import type { AppDeps } from '../../deps';
import type { MerchantRow } from '../merchants';
import type { ProductRow } from '../products';
import type { OrderRow } from './transition';

/**
 * How newer modules take part in orders without orders knowing them: a delivery mode with its
 * own checkout step (lockers: the window, the bank, its capacity), and parts of the order view
 * (the locker's code and compartments, the refund). Each registers itself from its index.ts; the
 * dependency runs one way, from them to orders.
 */
export interface DeliveryModeStep<Checked = unknown> {
  /** Before the order exists: refuse with a field-level error, or return what `record` keeps. */
  check(
    tx: DbOrTx,
    ctx: {
      deps: Pick<AppDeps, 'config' | 'clock'>;
      actor: Actor;
      shop: MerchantRow;
      delivery: CreateOrderBody['delivery'];
      products: ProductRow[];
    },
  ): Promise<Checked>;
  /**
   * What to keep beside the order, as a statement not yet run: checkout embeds it in the order's
   * one write statement (as a data-modifying CTE), so it is written exactly when the order is.
   * Foreign keys to the order hold: they are checked at the end of that statement.
   */
  /** An insert (the order's write reads what it returns, to run it in its turn). */
  record(db: DbOrTx, order: NewOrder, checked: Checked, at: Date): { returning(): SQLWrapper };
}

/** An order as checkout writes it, before the database adds its timestamps and its number. */
export type NewOrder = Omit<OrderRow, 'createdAt' | 'updatedAt' | 'numberDay' | 'numberSeq'>;

const deliveryModes = new Map<string, DeliveryModeStep>();

export function registerDeliveryMode<C>(
  mode: CreateOrderBody['delivery']['mode'],
  step: DeliveryModeStep<C>,
) {
  deliveryModes.set(mode, step as DeliveryModeStep);
}

export const deliveryModeStep = (mode: string) => deliveryModes.get(mode);

type Part<K extends keyof MerchantOrder> = (
  db: DbOrTx,
  rows: OrderRow[],
  viewer: 'resident' | 'merchant',
) => Promise<Map<string, MerchantOrder[K]>>;

const viewParts: { locker?: Part<'locker'>; refund?: Part<'refund'> } = {};

/** A part of every order view that another module owns (null where it has nothing to say). */
export function registerOrderViewPart<K extends 'locker' | 'refund'>(key: K, part: Part<K>) {
  (viewParts as Record<string, unknown>)[key] = part;
}

export async function viewPart<K extends 'locker' | 'refund'>(
  key: K,
  db: DbOrTx,
  rows: OrderRow[],
  viewer: 'resident' | 'merchant',
): Promise<Map<string, MerchantOrder[K]>> {
  const part = viewParts[key] as Part<K> | undefined;
  return part ? part(db, rows, viewer) : new Map();
}

/** Ids of orders with a refund (only the undecided ones, when asked), as a subquery. */
export type RefundedOrders = (db: DbOrTx, opts: { requestedOnly: boolean }) => SQLWrapper;

let refundedOrders: RefundedOrders | undefined;

/** Lets the merchant's order list filter and count by refund (the 退款 tab). */
export function registerRefundedOrders(q: RefundedOrders) {
  refundedOrders = q;
}

export const ordersWithRefund = (db: DbOrTx, opts: { requestedOnly: boolean }) => refundedOrders?.(db, opts);
