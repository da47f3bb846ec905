import type { RouteResponse } from 'shared';

export type Manifest = RouteResponse<'courierBatch'>;
export type DropEntry = Manifest['dropList'][number]['drops'][number];

/** Orders and compartments done and to do, for the progress line. */
export function dropProgress(m: Pick<Manifest, 'dropList'>): {
  compartments: number;
  dropped: number;
  orders: number;
  ordersDone: number;
} {
  const drops = m.dropList.flatMap((b) => b.drops);
  const byOrder = new Map<string, boolean>();
  for (const d of drops) byOrder.set(d.orderId, (byOrder.get(d.orderId) ?? true) && d.dropped);
  return {
    compartments: drops.length,
    dropped: drops.filter((d) => d.dropped).length,
    orders: byOrder.size,
    ordersDone: [...byOrder.values()].filter(Boolean).length,
  };
}

/** A drop list with one drop replaced in place (after 格口故障 the order moves to another compartment). */
export function replaceDrop(m: Manifest, oldCompartmentId: string, next: DropEntry | null): Manifest {
  return {
    ...m,
    dropList: m.dropList.map((bank) => ({
      ...bank,
      drops: bank.drops.flatMap((d) => (d.compartmentId === oldCompartmentId ? (next ? [next] : []) : [d])),
    })),
  };
}

/** A drop marked done in place, before the reload confirms it. */
export function markDropped(m: Manifest, compartmentId: string): Manifest {
  return {
    ...m,
    dropList: m.dropList.map((bank) => ({
      ...bank,
      drops: bank.drops.map((d) => (d.compartmentId === compartmentId ? { ...d, dropped: true } : d)),
    })),
  };
}
