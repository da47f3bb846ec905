import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { type MerchantOrder, maskPhone, type Order, type OrderSummary } from 'shared';
import type { DbOrTx } from '../../db/client';
import { peopleByIds } from '../identity';
import { shopsByIds } from '../merchants';
import { paymentsOfSubjectIds, refundsOfSubjects } from '../payments';
import { householdPlaces } from '../places';
import { viewPart } from './hooks';
import { orderNumber } from './numbers';
import { orderEvents, orderItems, orders } from './tables';
import type { OrderRow } from './transition';

/** The code is the resident's to show once the shop has the order in hand; never the merchant's to read. */
const CODE_VISIBLE: readonly OrderRow['status'][] = ['accepted', 'packed'];

function latestBy<T extends { orderId: string; createdAt: Date }>(rows: T[]): Map<string, T> {
  const out = new Map<string, T>();
  for (const r of rows) {
    const seen = out.get(r.orderId);
    if (!seen || seen.createdAt < r.createdAt) out.set(r.orderId, r);
  }
  return out;
}

type Resolved<F extends (...args: never[]) => unknown> = Awaited<ReturnType<F>>;

/** Everything an order view shows besides the order rows themselves. */
export interface ViewParts {
  items: (typeof orderItems.$inferSelect)[];
  events: (typeof orderEvents.$inferSelect)[];
  pays: (Pick<Resolved<typeof paymentsOfSubjectIds>[number], 'id' | 'status' | 'createdAt'> & {
    orderId: string;
  })[];
  refundBy: Map<string, MerchantOrder['refund']>;
  shops: Resolved<typeof shopsByIds>;
  people: Resolved<typeof peopleByIds>;
  places: Resolved<typeof householdPlaces>;
  lockers: Map<string, MerchantOrder['locker']>;
  moneyBack: Resolved<typeof refundsOfSubjects>;
}

/** Full views of several orders in a fixed number of queries. */
export async function orderViews(
  db: DbOrTx,
  rows: OrderRow[],
  viewer: 'resident' | 'merchant',
): Promise<MerchantOrder[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [items, events, pays, refundBy, shops, people, places, lockers, moneyBack] = await Promise.all([
    db.select().from(orderItems).where(inArray(orderItems.orderId, ids)).orderBy(asc(orderItems.name)),
    db
      .select()
      .from(orderEvents)
      .where(inArray(orderEvents.orderId, ids))
      .orderBy(asc(orderEvents.createdAt), asc(orderEvents.id)),
    paymentsOfSubjectIds(db, 'order', ids).then((ps) => ps.map((p) => ({ ...p, orderId: p.subjectId }))),
    viewPart('refund', db, rows, viewer),
    shopsByIds(
      db,
      rows.map((r) => r.merchantId),
    ),
    peopleByIds(
      db,
      rows.map((r) => r.userId),
    ),
    householdPlaces(db, [...new Set(rows.flatMap((r) => (r.householdId ? [r.householdId] : [])))]),
    viewPart('locker', db, rows, viewer),
    refundsOfSubjects(db, 'order', ids),
  ]);
  return buildViews(rows, viewer, {
    items,
    events,
    pays,
    refundBy,
    shops,
    people,
    places,
    lockers,
    moneyBack,
  });
}

/**
 * The views from rows and parts already in hand: checkout answers with what it has just written
 * (the same shape a later GET returns) instead of reading it all back after commit.
 */
export function buildViews(
  rows: OrderRow[],
  viewer: 'resident' | 'merchant',
  parts: ViewParts,
): MerchantOrder[] {
  const { items, events, refundBy, shops, people, places, lockers, moneyBack } = parts;
  const payBy = latestBy(parts.pays);
  const shopOf = (id: string) => {
    const m = shops.get(id)!;
    return { id: m.id, name: m.name, contactPhone: m.contactPhone };
  };
  return rows.map((o) => {
    const lines = items.filter((i) => i.orderId === o.id);
    const pay = payBy.get(o.id);
    const customer = people.get(o.userId);
    return {
      id: o.id,
      number: orderNumber(o),
      status: o.status,
      merchant: shopOf(o.merchantId),
      items: lines.map((i) => ({
        productId: i.productId,
        name: i.name,
        unit: i.unit,
        priceFen: i.priceFen,
        quantity: i.quantity,
        subtotalFen: i.priceFen * i.quantity,
      })),
      itemsFen: o.itemsFen,
      deliveryFeeFen: o.deliveryFeeFen,
      totalFen: o.totalFen,
      delivery: {
        mode: o.deliveryMode,
        address: o.householdId ? (places.get(o.householdId)?.address ?? null) : null,
      },
      note: o.note,
      // A locker order is collected with the locker's code (in `locker`), not at the shop.
      pickupCode:
        viewer === 'resident' && o.deliveryMode !== 'locker' && CODE_VISIBLE.includes(o.status)
          ? o.pickupCode
          : null,
      cancelReason: o.cancelReason,
      payBy: o.status === 'created' ? o.payBy.toISOString() : null,
      payment: pay ? { id: pay.id, status: pay.status } : null,
      paymentRefunds: moneyBack.get(o.id) ?? [],
      locker: lockers.get(o.id) ?? null,
      refund: refundBy.get(o.id) ?? null,
      timeline: events
        .filter((e) => e.orderId === o.id)
        .map((e) => ({ status: e.toStatus, event: e.event, at: e.createdAt.toISOString(), note: e.note })),
      createdAt: o.createdAt.toISOString(),
      customer: { name: customer?.name ?? '', phoneMasked: maskPhone(customer?.phone) ?? '' },
    };
  });
}

export async function residentView(db: DbOrTx, row: OrderRow): Promise<Order> {
  const [view] = await orderViews(db, [row], 'resident');
  const { customer: _customer, ...order } = view!;
  return order;
}

export async function merchantView(db: DbOrTx, row: OrderRow): Promise<MerchantOrder> {
  return (await orderViews(db, [row], 'merchant'))[0]!;
}

export async function orderRow(db: DbOrTx, id: string): Promise<OrderRow | undefined> {
  const [row] = await db.select().from(orders).where(eq(orders.id, id));
  return row;
}

/** Cards for the resident's list: the first item names the order. */
export async function summaries(db: DbOrTx, rows: OrderRow[]): Promise<OrderSummary[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [items, shops, lockers] = await Promise.all([
    db
      .select({ orderId: orderItems.orderId, name: orderItems.name, quantity: orderItems.quantity })
      .from(orderItems)
      .where(inArray(orderItems.orderId, ids))
      .orderBy(asc(orderItems.name)),
    shopsByIds(
      db,
      rows.map((r) => r.merchantId),
    ),
    viewPart('locker', db, rows, 'resident'),
  ]);
  return rows.map((o) => {
    const lines = items.filter((i) => i.orderId === o.id);
    const count = lines.reduce((n, l) => n + l.quantity, 0);
    return {
      id: o.id,
      number: orderNumber(o),
      status: o.status,
      locker: lockers.get(o.id) ?? null,
      merchant: (({ id, name, contactPhone }) => ({ id, name, contactPhone }))(shops.get(o.merchantId)!),
      totalFen: o.totalFen,
      delivery: { mode: o.deliveryMode, address: null },
      createdAt: o.createdAt.toISOString(),
      payBy: o.status === 'created' ? o.payBy.toISOString() : null,
      itemCount: count,
      title: lines.length > 1 ? `${lines[0]!.name} 等${lines.length}种商品` : (lines[0]?.name ?? ''),
    };
  });
}

/** Orders by id, for other modules (lockers reads the orders of its windows and banks). */
export async function ordersByIds(db: DbOrTx, ids: string[]): Promise<OrderRow[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  return db.select().from(orders).where(inArray(orders.id, unique));
}

/** A person's orders in these states, newest first (the family dashboard's orders in lockers). */
export async function ordersOfUserIn(
  db: DbOrTx,
  userId: string,
  states: readonly OrderRow['status'][],
): Promise<Order[]> {
  const rows = await db
    .select()
    .from(orders)
    .where(and(eq(orders.userId, userId), inArray(orders.status, [...states])))
    .orderBy(desc(orders.createdAt))
    .limit(20);
  if (rows.length === 0) return [];
  return (await orderViews(db, rows, 'resident')).map(({ customer: _c, ...o }) => o);
}

/** Ids of the orders in these states, as a subquery other modules filter their rows by. */
export function orderIdsIn(db: DbOrTx, states: readonly OrderRow['status'][]) {
  return db
    .select({ id: orders.id })
    .from(orders)
    .where(inArray(orders.status, [...states]));
}

/** What was bought in these orders, line by line (product ids, names, quantities). */
export async function orderLines(db: DbOrTx, orderIds: string[], order: 'product' | 'name' = 'product') {
  if (orderIds.length === 0) return [];
  return db
    .select()
    .from(orderItems)
    .where(inArray(orderItems.orderId, orderIds))
    .orderBy(
      ...(order === 'name' ? [asc(orderItems.name)] : [asc(orderItems.orderId), asc(orderItems.productId)]),
    );
}
