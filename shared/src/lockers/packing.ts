import type { SizeHint, Temperature } from '../contracts/market';

/**
 * How goods go into locker compartments. A compartment holds 1 (S), 2 (M) or 4 (L) units; an order
 * line takes the units of its product's size hint. An order's lines of one temperature zone share
 * compartments when they fit (first-fit decreasing into parcels of at most an L), and each parcel
 * needs one compartment of its zone at least its size. Shared by the BFF (assignment at cut-off,
 * the capacity check at checkout) and the mini-program (which bank still has room for this cart).
 */
export const SIZE_UNITS: Record<SizeHint, number> = { S: 1, M: 2, L: 4 };
const SIZES: SizeHint[] = ['S', 'M', 'L'];
const LARGEST = SIZE_UNITS.L;

export interface PackLine {
  zone: Temperature;
  size: SizeHint;
}

export interface Parcel {
  zone: Temperature;
  /** The smallest compartment size that holds it. */
  size: SizeHint;
  units: number;
  /** Indexes into the order's lines. */
  lines: number[];
}

export interface CompartmentSlot {
  id: string;
  zone: Temperature;
  size: SizeHint;
}

export interface OrderDemand {
  orderId: string;
  lines: PackLine[];
}

export interface Placement {
  orderId: string;
  parcels: (Parcel & { compartmentId: string })[];
}

const sizeFor = (units: number): SizeHint => SIZES.find((s) => SIZE_UNITS[s] >= units) ?? 'L';

/** An order's parcels: per zone, lines packed first-fit decreasing into bins of an L. */
export function parcelsOf(lines: PackLine[]): Parcel[] {
  const byZone = new Map<Temperature, number[]>();
  lines.forEach((l, i) => {
    byZone.set(l.zone, [...(byZone.get(l.zone) ?? []), i]);
  });
  const out: Parcel[] = [];
  for (const [zone, idx] of byZone) {
    const bins: { units: number; lines: number[] }[] = [];
    const sorted = [...idx].sort((a, b) => SIZE_UNITS[lines[b]!.size] - SIZE_UNITS[lines[a]!.size] || a - b);
    for (const i of sorted) {
      const u = SIZE_UNITS[lines[i]!.size];
      const bin = bins.find((b) => b.units + u <= LARGEST);
      if (bin) {
        bin.units += u;
        bin.lines.push(i);
      } else bins.push({ units: u, lines: [i] });
    }
    for (const b of bins) out.push({ zone, size: sizeFor(b.units), units: b.units, lines: b.lines });
  }
  return out;
}

/**
 * Gives each parcel the smallest free compartment of its zone that holds it, largest parcel first.
 * Because sizes nest (S < M < L), this finds a home for every parcel whenever one exists.
 */
function placeParcels(parcels: Parcel[], free: CompartmentSlot[]): CompartmentSlot[] | null {
  const taken = new Set<string>();
  const order = parcels.map((p, i) => ({ p, i })).sort((a, b) => b.p.units - a.p.units || a.i - b.i);
  const result: CompartmentSlot[] = new Array(parcels.length);
  for (const { p, i } of order) {
    const slot = smallestFree(free, p.zone, p.units, taken);
    if (!slot) return null;
    taken.add(slot.id);
    result[i] = slot;
  }
  return result;
}

function smallestFree(free: CompartmentSlot[], zone: Temperature, units: number, taken: Set<string>) {
  return free
    .filter((c) => c.zone === zone && SIZE_UNITS[c.size] >= units && !taken.has(c.id))
    .sort((a, b) => SIZE_UNITS[a.size] - SIZE_UNITS[b.size])[0];
}

/**
 * When the fewest-compartments cut does not fit (two M lines need an L, but only two Ms are free),
 * lines go one by one, largest first, into the compartment already taken that they fit best, or
 * else the smallest free compartment of their zone that holds them.
 */
function placeLineByLine(
  lines: PackLine[],
  free: CompartmentSlot[],
): (Parcel & { compartmentId: string })[] | null {
  const taken = new Set<string>();
  const open: { slot: CompartmentSlot; units: number; lines: number[] }[] = [];
  const order = lines
    .map((l, i) => ({ l, i }))
    .sort((a, b) => SIZE_UNITS[b.l.size] - SIZE_UNITS[a.l.size] || a.i - b.i);
  for (const { l, i } of order) {
    const u = SIZE_UNITS[l.size];
    const fit = open
      .filter((o) => o.slot.zone === l.zone && SIZE_UNITS[o.slot.size] - o.units >= u)
      .sort((a, b) => SIZE_UNITS[a.slot.size] - a.units - (SIZE_UNITS[b.slot.size] - b.units))[0];
    if (fit) {
      fit.units += u;
      fit.lines.push(i);
      continue;
    }
    const slot = smallestFree(free, l.zone, u, taken);
    if (!slot) return null;
    taken.add(slot.id);
    open.push({ slot, units: u, lines: [i] });
  }
  return open.map((o) => ({
    zone: o.slot.zone,
    size: sizeFor(o.units),
    units: o.units,
    lines: o.lines.sort((a, b) => a - b),
    compartmentId: o.slot.id,
  }));
}

/** Where an order's lines go in these free compartments, or null when they do not fit. */
function placeLines(
  lines: PackLine[],
  free: CompartmentSlot[],
): (Parcel & { compartmentId: string })[] | null {
  const parcels = parcelsOf(lines);
  const slots = placeParcels(parcels, free);
  if (slots) return parcels.map((p, k) => ({ ...p, compartmentId: slots[k]!.id }));
  return placeLineByLine(lines, free);
}

/**
 * Packs one bank: orders by decreasing volume (first-fit decreasing), each placed whole or not at
 * all. `free` order does not matter; ties keep the orders' given order (who paid first).
 */
export function packBank(
  orders: OrderDemand[],
  free: CompartmentSlot[],
): { placed: Placement[]; unplaced: string[] } {
  let remaining = [...free];
  const withUnits = orders.map((o, i) => ({
    o,
    i,
    units: o.lines.reduce((n, l) => n + SIZE_UNITS[l.size], 0),
  }));
  withUnits.sort((a, b) => b.units - a.units || a.i - b.i);
  const placed: Placement[] = [];
  const unplaced: string[] = [];
  for (const { o } of withUnits) {
    const parcels = placeLines(o.lines, remaining);
    if (!parcels) {
      unplaced.push(o.orderId);
      continue;
    }
    const used = new Set(parcels.map((p) => p.compartmentId));
    remaining = remaining.filter((c) => !used.has(c.id));
    placed.push({ orderId: o.orderId, parcels });
  }
  return { placed, unplaced };
}

/** Whether an order's lines fit into these free compartments. */
export function fitsIn(lines: PackLine[], free: CompartmentSlot[]): boolean {
  return placeLines(lines, free) !== null;
}

/** Free compartments counted by size and zone, for the availability answer. */
export function countBySizeAndZone(
  slots: CompartmentSlot[],
): { size: SizeHint; zone: Temperature; count: number }[] {
  const counts = new Map<string, { size: SizeHint; zone: Temperature; count: number }>();
  for (const s of slots) {
    const key = `${s.zone}|${s.size}`;
    const c = counts.get(key) ?? { size: s.size, zone: s.zone, count: 0 };
    c.count += 1;
    counts.set(key, c);
  }
  return [...counts.values()].sort(
    (a, b) => a.zone.localeCompare(b.zone) || SIZE_UNITS[a.size] - SIZE_UNITS[b.size],
  );
}
