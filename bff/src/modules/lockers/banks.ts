import { randomBytes } from 'node:crypto';
import { and, asc, eq, inArray } from 'drizzle-orm';
import {
  type CompartmentSlot,
  compartmentFlow,
  countBySizeAndZone,
  type LockerBank,
  type PackLine,
  packBank,
  type SizeHint,
  sourcesOf,
  type Temperature,
} from 'shared';
import type { Actor } from '../../access/actor';
import { requireAccess } from '../../access/require-access';
import { staffCommunityIds } from '../../access/staff-scope';
import type { Db, DbOrTx } from '../../db/client';
import { compartments, compounds, lockerBanks, orderItems, orders, products } from '../../db/schema';
import { conflict, invalidField } from '../../http/errors';
import { audit } from '../audit/service';

type BankRow = typeof lockerBanks.$inferSelect;
type CompartmentRow = typeof compartments.$inferSelect;

export const newDeviceSecret = () => randomBytes(32).toString('hex');

export function compartmentView(c: CompartmentRow) {
  return { id: c.id, label: c.label, size: c.size, zone: c.zone, state: c.state };
}

async function bankViews(db: DbOrTx, banks: BankRow[]): Promise<LockerBank[]> {
  if (banks.length === 0) return [];
  const [cs, names] = await Promise.all([
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
    db
      .select({ id: compounds.id, name: compounds.name })
      .from(compounds)
      .where(
        inArray(
          compounds.id,
          banks.map((b) => b.compoundId),
        ),
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
      compoundName: names.find((n) => n.id === b.compoundId)?.name ?? '',
      name: b.name,
      location: b.location,
      status: b.status,
      compartments: mine.map(compartmentView),
      counts: [...counts.values()],
      codeLockedUntil: b.codeLockedUntil?.toISOString() ?? null,
    };
  });
}

/** Banks in the compounds of the communities this staff member runs. */
export async function staffBanks(db: Db, actor: Actor) {
  const rows = await db
    .select({ b: lockerBanks })
    .from(lockerBanks)
    .innerJoin(compounds, eq(compounds.id, lockerBanks.compoundId))
    .where(inArray(compounds.communityId, staffCommunityIds(db, actor.actorId)))
    .orderBy(asc(compounds.name), asc(lockerBanks.name));
  return {
    items: await bankViews(
      db,
      rows.map((r) => r.b),
    ),
  };
}

const LABEL_ROWS = 'ABCDEFGHIJ';

/** A new bank with its compartments labelled A01, A02 … by zone; the device secret is shown once. */
export async function createBank(
  db: Db,
  actor: Actor,
  body: {
    compoundId: string;
    name: string;
    location: string;
    compartments: { size: SizeHint; zone: Temperature; count: number }[];
  },
) {
  const [compound] = await db
    .select({ id: compounds.id })
    .from(compounds)
    .where(
      and(
        eq(compounds.id, body.compoundId),
        inArray(compounds.communityId, staffCommunityIds(db, actor.actorId)),
      ),
    );
  if (!compound) throw invalidField('body.compoundId', 'is not a compound of a community you run');
  const deviceSecret = newDeviceSecret();
  return db.transaction(async (tx) => {
    const [bank] = await tx
      .insert(lockerBanks)
      .values({ compoundId: body.compoundId, name: body.name, location: body.location, deviceSecret })
      .returning();
    await tx.insert(compartments).values(
      body.compartments.flatMap((group, g) =>
        Array.from({ length: group.count }, (_, i) => ({
          bankId: bank!.id,
          label: `${LABEL_ROWS[g]}${String(i + 1).padStart(2, '0')}`,
          size: group.size,
          zone: group.zone,
        })),
      ),
    );
    await audit(tx, actor, 'lockerBank.created', { type: 'locker_bank', id: bank!.id }, { name: body.name });
    const [view] = await bankViews(tx, [bank!]);
    return { bank: view!, deviceSecret };
  });
}

export async function setBankStatus(db: Db, actor: Actor, id: string, status: BankRow['status']) {
  await requireAccess(db, actor, 'lockerBank.manage', id);
  const [bank] = await db.update(lockerBanks).set({ status }).where(eq(lockerBanks.id, id)).returning();
  await audit(db, actor, 'lockerBank.status', { type: 'locker_bank', id }, { status });
  return (await bankViews(db, [bank!]))[0]!;
}

/** A new secret for the panel; the old one stops working at once. Returned only here. */
export async function rotateSecret(db: Db, actor: Actor, id: string) {
  await requireAccess(db, actor, 'lockerBank.manage', id);
  const deviceSecret = newDeviceSecret();
  await db.update(lockerBanks).set({ deviceSecret }).where(eq(lockerBanks.id, id));
  await audit(db, actor, 'lockerBank.secretRotated', { type: 'locker_bank', id });
  return { bankId: id, deviceSecret };
}

/** Out of service and back; a compartment holding or promised to an order cannot be taken out here. */
export async function setCompartmentService(db: Db, actor: Actor, id: string, inService: boolean) {
  await requireAccess(db, actor, 'compartment.manage', id);
  const event = inService ? 'repair' : 'breakDown';
  const allowed = inService ? sourcesOf(compartmentFlow, 'repair') : (['free'] as const);
  const [c] = await db
    .update(compartments)
    .set({ state: compartmentFlow.transitions[event].to })
    .where(and(eq(compartments.id, id), inArray(compartments.state, allowed)))
    .returning();
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
  const rows = await db
    .select({ orderId: orderItems.orderId, zone: products.temperature, size: products.sizeHint })
    .from(orderItems)
    .innerJoin(products, eq(products.id, orderItems.productId))
    .where(inArray(orderItems.orderId, orderIds))
    .orderBy(asc(orderItems.orderId), asc(orderItems.productId));
  for (const r of rows) out.get(r.orderId)!.push({ zone: r.zone, size: r.size });
  return out;
}

/** States in which an order placed for a window still waits for its compartments. */
export const WAITING_FOR_BATCH = ['created', 'paid', 'accepted', 'packed'] as const;

/**
 * What a window still has at a bank: compartments free now, minus what the orders already placed
 * for that window will take when the batch is built (packed the same way the build packs).
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
  const waiting = await db
    .select({ id: orders.id })
    .from(orders)
    .where(
      and(
        eq(orders.windowId, windowId),
        eq(orders.lockerBankId, bankId),
        inArray(orders.status, WAITING_FOR_BATCH),
      ),
    )
    .orderBy(asc(orders.createdAt));
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
