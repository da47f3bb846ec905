import { randomBytes } from 'node:crypto';
import { and, asc, eq, inArray } from 'drizzle-orm';
import {
  type CompartmentSlot,
  compartmentFlow,
  countBySizeAndZone,
  DISPLAY_TZ,
  defaultReachableRows,
  type LockerBank,
  localClock,
  lockerBankFlow,
  NOT_YET_ACCEPTED_STATES,
  type PackLine,
  packBank,
  prefersReachable,
  READY_FOR_TRUCK_STATES,
  type SizeHint,
  type Temperature,
} from 'shared';
import type { Actor } from '../../access/actor';
import type { OrderRow } from '../orders';

type OrderStatus = OrderRow['status'];

import { requireAccess } from '../../access/require-access';
import type { Db, DbOrTx } from '../../db/client';
import { advance } from '../../db/flow-update';
import { conflict, invalidField } from '../../http/errors';
import { audit } from '../audit';
import { peopleByIds } from '../identity';
import { orderIdsIn, orderLines, ordersByIds } from '../orders';
import { compoundsByIds, compoundsRunBy } from '../places';
import { productsByIds } from '../products';
import { compartmentManage, lockerBankManage } from './policies';
import { compartments, lockerBanks, lockerOrders } from './tables';

type BankRow = typeof lockerBanks.$inferSelect;
type CompartmentRow = typeof compartments.$inferSelect;

export const newDeviceSecret = () => randomBytes(32).toString('hex');

export function compartmentView(c: CompartmentRow) {
  return { id: c.id, label: c.label, size: c.size, zone: c.zone, state: c.state, row: c.row };
}

/** The bank's rows in reach (no bending, no stretching), from its own range. */
export const reachRange = (b: Pick<BankRow, 'reachableFromRow' | 'reachableToRow'>) => ({
  from: b.reachableFromRow,
  to: b.reachableToRow,
});

/** Whether a compartment's row is one a person reaches without bending or stretching. */
export const inReach = (
  b: Pick<BankRow, 'reachableFromRow' | 'reachableToRow'>,
  c: Pick<CompartmentRow, 'row'>,
) => c.row >= b.reachableFromRow && c.row <= b.reachableToRow;

/**
 * Whether these orders ask for compartments in reach: each person's own choice, else 80 and over
 * (on the local date of `now`), else yes when a family member placed the order for them.
 */
export async function reachWanted(
  db: DbOrTx,
  orders: Pick<OrderRow, 'id' | 'userId' | 'placedBy'>[],
  now: Date,
  tz: string = DISPLAY_TZ,
): Promise<Map<string, boolean>> {
  const people = await peopleByIds(db, [...new Set(orders.map((o) => o.userId))]);
  const today = localClock(now, tz).date;
  return new Map(
    orders.map((o) => {
      const p = people.get(o.userId);
      return [
        o.id,
        prefersReachable({
          choice: p?.reachableCompartments ?? null,
          birthDate: p?.birthDate ?? null,
          today,
          placedByProxy: o.placedBy !== o.userId,
        }),
      ];
    }),
  );
}

async function bankViews(db: DbOrTx, banks: BankRow[]): Promise<LockerBank[]> {
  if (banks.length === 0) return [];
  const [cs, compoundRows] = await Promise.all([
    db
      .select()
      .from(compartments)
      .where(
        inArray(
          compartments.bankId,
          banks.map((b) => b.id),
        ),
      )
      .orderBy(asc(compartments.label)),
    compoundsByIds(
      db,
      banks.map((b) => b.compoundId),
    ),
  ]);
  return banks.map((b) => {
    const mine = cs.filter((c) => c.bankId === b.id);
    const counts = new Map<string, { size: SizeHint; zone: Temperature; total: number; free: number }>();
    for (const c of mine) {
      if (c.state === 'out_of_service') continue;
      const key = `${c.zone}|${c.size}`;
      const e = counts.get(key) ?? { size: c.size, zone: c.zone, total: 0, free: 0 };
      e.total += 1;
      if (c.state === 'free') e.free += 1;
      counts.set(key, e);
    }
    return {
      id: b.id,
      compoundId: b.compoundId,
      compoundName: compoundRows.get(b.compoundId)?.name ?? '',
      name: b.name,
      location: b.location,
      status: b.status,
      compartments: mine.map(compartmentView),
      counts: [...counts.values()],
      codeLockedUntil: b.codeLockedUntil?.toISOString() ?? null,
      rows: Math.max(1, b.reachableToRow, ...mine.map((c) => c.row)),
      reachableRows: reachRange(b),
    };
  });
}

/** Banks in the compounds of the communities this staff member runs. */
export async function staffBanks(db: Db, actor: Actor) {
  const banks = await db
    .select()
    .from(lockerBanks)
    .where(inArray(lockerBanks.compoundId, compoundsRunBy(db, actor.actorId)));
  const names = await compoundsByIds(
    db,
    banks.map((b) => b.compoundId),
  );
  const name = (b: BankRow) => names.get(b.compoundId)?.name ?? '';
  banks.sort((a, b) => name(a).localeCompare(name(b)) || a.name.localeCompare(b.name));
  return { items: await bankViews(db, banks) };
}

const LABEL_ROWS = 'ABCDEFGHIJ';

/**
 * A new bank with its compartments labelled A01, A02 … by group, each group in its row; the rows in
 * reach default from the row count (all but the bottom and top); the device secret is shown once.
 */
export async function createBank(
  db: Db,
  actor: Actor,
  body: {
    compoundId: string;
    name: string;
    location: string;
    compartments: { size: SizeHint; zone: Temperature; count: number; row?: number }[];
    reachableRows?: { from: number; to: number };
  },
) {
  const runs = await compoundsRunBy(db, actor.actorId);
  if (!runs.some((c) => c.id === body.compoundId))
    throw invalidField('body.compoundId', 'is not a compound of a community you run');
  const rows = Math.max(...body.compartments.map((g) => g.row ?? 1));
  const reach = body.reachableRows ?? defaultReachableRows(rows);
  if (reach.to > rows) throw invalidField('body.reachableRows.to', `is above the top row (${rows})`);
  const deviceSecret = newDeviceSecret();
  return db.transaction(async (tx) => {
    const [bank] = await tx
      .insert(lockerBanks)
      .values({
        compoundId: body.compoundId,
        name: body.name,
        location: body.location,
        deviceSecret,
        reachableFromRow: reach.from,
        reachableToRow: reach.to,
      })
      .returning();
    await tx.insert(compartments).values(
      body.compartments.flatMap((group, g) =>
        Array.from({ length: group.count }, (_, i) => ({
          bankId: bank!.id,
          label: `${LABEL_ROWS[g]}${String(i + 1).padStart(2, '0')}`,
          size: group.size,
          zone: group.zone,
          row: group.row ?? 1,
        })),
      ),
    );
    await audit(tx, actor, 'lockerBank.created', { type: 'locker_bank', id: bank!.id }, { name: body.name });
    const [view] = await bankViews(tx, [bank!]);
    return { bank: view!, deviceSecret };
  });
}

export async function setBankStatus(db: Db, actor: Actor, id: string, status: BankRow['status']) {
  await requireAccess(db, actor, lockerBankManage, id);
  const event = status === 'out_of_service' ? 'breakDown' : 'repair';
  // Asking for the state it is already in changes nothing (and is no error).
  const [moved] = await advance(
    db,
    lockerBanks,
    lockerBanks.status,
    lockerBankFlow,
    event,
    eq(lockerBanks.id, id),
  );
  const bank = moved ?? (await db.select().from(lockerBanks).where(eq(lockerBanks.id, id)))[0];
  await audit(db, actor, 'lockerBank.status', { type: 'locker_bank', id }, { status });
  return (await bankViews(db, [bank!]))[0]!;
}

/** A new secret for the panel; the old one stops working at once. Returned only here. */
export async function rotateSecret(db: Db, actor: Actor, id: string) {
  await requireAccess(db, actor, lockerBankManage, id);
  const deviceSecret = newDeviceSecret();
  await db.update(lockerBanks).set({ deviceSecret }).where(eq(lockerBanks.id, id));
  await audit(db, actor, 'lockerBank.secretRotated', { type: 'locker_bank', id });
  return { bankId: id, deviceSecret };
}

/** Out of service and back; a compartment holding or promised to an order cannot be taken out here. */
export async function setCompartmentService(db: Db, actor: Actor, id: string, inService: boolean) {
  await requireAccess(db, actor, compartmentManage, id);
  const event = inService ? 'repair' : 'breakDown';
  // Staff take out only a free compartment (the courier's fault report handles occupied ones).
  const where = inService
    ? eq(compartments.id, id)
    : and(eq(compartments.id, id), eq(compartments.state, 'free'));
  const [c] = await advance(db, compartments, compartments.state, compartmentFlow, event, where);
  if (!c) {
    const [now] = await db.select().from(compartments).where(eq(compartments.id, id));
    if (now!.state === (inService ? 'free' : 'out_of_service')) return compartmentView(now!);
    throw conflict('COMPARTMENT_IN_USE', 'This compartment holds or is promised to an order');
  }
  await audit(db, actor, `compartment.${event}`, { type: 'compartment', id });
  return compartmentView(c);
}

/** Every line of these orders, as the packing sees it (zone and size of each product). */
export async function packLines(db: DbOrTx, orderIds: string[]): Promise<Map<string, PackLine[]>> {
  const out = new Map<string, PackLine[]>(orderIds.map((id) => [id, []]));
  if (orderIds.length === 0) return out;
  const lines = await orderLines(db, orderIds);
  const sizes = new Map(
    (
      await productsByIds(
        db,
        lines.map((l) => l.productId),
      )
    ).map((p) => [p.id, p]),
  );
  for (const l of lines) {
    const p = sizes.get(l.productId)!;
    out.get(l.orderId)!.push({ zone: p.temperature, size: p.sizeHint });
  }
  return out;
}

/** States in which an order placed for a window still waits for its compartments. */
export const WAITING_FOR_BATCH = [...NOT_YET_ACCEPTED_STATES, ...READY_FOR_TRUCK_STATES] as const;

/**
 * What a window still has at a bank: compartments free now, minus what the orders already placed
 * for that window will take when the batch is built (packed the same way the build packs).
 * Packed without the orders' wish for rows in reach: the build honours it only where it costs no
 * order its place, so the room left for one more order is the same.
 */
export async function freeForWindow(
  db: DbOrTx,
  bank: Pick<BankRow, 'id' | 'status'>,
  windowId: string,
): Promise<CompartmentSlot[]> {
  if (bank.status !== 'active') return [];
  const bankId = bank.id;
  const free = await db
    .select({ id: compartments.id, zone: compartments.zone, size: compartments.size })
    .from(compartments)
    .where(and(eq(compartments.bankId, bankId), eq(compartments.state, 'free')));
  const waiting = await lockerOrdersIn(db, { windowId, bankId, states: WAITING_FOR_BATCH });
  const lines = await packLines(
    db,
    waiting.map((o) => o.id),
  );
  const { placed } = packBank(
    waiting.map((o) => ({ orderId: o.id, lines: lines.get(o.id)! })),
    free,
  );
  const used = new Set(placed.flatMap((p) => p.parcels.map((x) => x.compartmentId)));
  return free.filter((c) => !used.has(c.id));
}

/** Free compartments per bank of a compound for a window, by size and zone. */
export async function availability(db: Db, compoundId: string, windowId: string) {
  const banks = await db
    .select()
    .from(lockerBanks)
    .where(and(eq(lockerBanks.compoundId, compoundId), eq(lockerBanks.status, 'active')))
    .orderBy(asc(lockerBanks.name));
  const out = [];
  for (const b of banks)
    out.push({
      bankId: b.id,
      name: b.name,
      location: b.location,
      free: countBySizeAndZone(await freeForWindow(db, b, windowId)),
    });
  return { windowId, banks: out };
}

/** Locks the bank row: orders for one bank take their capacity one at a time. */
export async function lockBank(tx: DbOrTx, bankId: string): Promise<BankRow | undefined> {
  const [b] = await tx.select().from(lockerBanks).where(eq(lockerBanks.id, bankId)).for('update');
  return b;
}

/**
 * The locker orders of a window (and a bank), in these order states, oldest first: the orders a
 * build or a capacity check works on.
 */
export async function lockerOrdersIn(
  db: DbOrTx,
  q: { windowId: string; bankId?: string; states: readonly OrderStatus[] },
): Promise<Array<OrderRow & { bankId: string; windowId: string; preferReachable: boolean }>> {
  const rows = await db
    .select()
    .from(lockerOrders)
    .where(
      and(
        eq(lockerOrders.windowId, q.windowId),
        q.bankId ? eq(lockerOrders.bankId, q.bankId) : undefined,
        inArray(lockerOrders.orderId, orderIdsIn(db, q.states)),
      ),
    );
  const byId = new Map(rows.map((r) => [r.orderId, r]));
  const found = await ordersByIds(db, [...byId.keys()]);
  return found
    .map((o) => {
      const f = byId.get(o.id)!;
      return { ...o, bankId: f.bankId, windowId: f.windowId, preferReachable: f.preferReachable };
    })
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
}
