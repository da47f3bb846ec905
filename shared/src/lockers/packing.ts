import { ageOn } from '../care/slots';
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
  /** In the bank's rows reached without bending or stretching; absent means reachable. */
  reachable?: boolean;
}

export interface OrderDemand {
  orderId: string;
  lines: PackLine[];
  /** The person asked for compartments they can reach (an elder, or an order a family member placed). */
  preferReachable?: boolean;
}

export interface Placement {
  orderId: string;
  parcels: (Parcel & { compartmentId: string })[];
  /** It asked for reachable compartments and at least one parcel went elsewhere (the fallback). */
  outOfReach?: boolean;
}

/**
 * How ties between compartments of one zone and size are broken: an order that asks for reach
 * takes reachable ones first; everyone else leaves them for those who ask. Compartments of one
 * zone and size are interchangeable for what fits, so a tie-break never changes which orders fit.
 */
type Reach = 'reach' | 'spare';
const reachRank = (c: CompartmentSlot, reach: Reach) =>
  (c.reachable !== false) === (reach === 'reach') ? 0 : 1;

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
function placeParcels(parcels: Parcel[], free: CompartmentSlot[], reach: Reach): CompartmentSlot[] | null {
  const taken = new Set<string>();
  const order = parcels.map((p, i) => ({ p, i })).sort((a, b) => b.p.units - a.p.units || a.i - b.i);
  const result: CompartmentSlot[] = new Array(parcels.length);
  for (const { p, i } of order) {
    const slot = smallestFree(free, p.zone, p.units, taken, reach);
    if (!slot) return null;
    taken.add(slot.id);
    result[i] = slot;
  }
  return result;
}

function smallestFree(
  free: CompartmentSlot[],
  zone: Temperature,
  units: number,
  taken: Set<string>,
  reach: Reach,
) {
  return free
    .filter((c) => c.zone === zone && SIZE_UNITS[c.size] >= units && !taken.has(c.id))
    .sort((a, b) => SIZE_UNITS[a.size] - SIZE_UNITS[b.size] || reachRank(a, reach) - reachRank(b, reach))[0];
}

/**
 * When the fewest-compartments cut does not fit (two M lines need an L, but only two Ms are free),
 * lines go one by one, largest first, into the compartment already taken that they fit best, or
 * else the smallest free compartment of their zone that holds them.
 */
function placeLineByLine(
  lines: PackLine[],
  free: CompartmentSlot[],
  reach: Reach,
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
    const slot = smallestFree(free, l.zone, u, taken, reach);
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
  reach: Reach = 'spare',
): (Parcel & { compartmentId: string })[] | null {
  const parcels = parcelsOf(lines);
  const slots = placeParcels(parcels, free, reach);
  if (slots) return parcels.map((p, k) => ({ ...p, compartmentId: slots[k]!.id }));
  return placeLineByLine(lines, free, reach);
}

/**
 * How strongly the packer serves those who ask for reach. `tie` only breaks ties between
 * compartments of one zone and size, so it places exactly the orders a packing without
 * preferences places. `rows` first tries reachable compartments alone (a larger one if need be)
 * and falls back to any row; `rows-first` also packs those who ask before everyone else.
 */
type Mode = 'tie' | 'rows' | 'rows-first';

function packWith(orders: OrderDemand[], free: CompartmentSlot[], mode: Mode) {
  let remaining = [...free];
  const withUnits = orders.map((o, i) => ({
    o,
    i,
    units: o.lines.reduce((n, l) => n + SIZE_UNITS[l.size], 0),
  }));
  const asks = (o: OrderDemand) => (mode === 'rows-first' && o.preferReachable ? 0 : 1);
  withUnits.sort((a, b) => asks(a.o) - asks(b.o) || b.units - a.units || a.i - b.i);
  const reachable = new Set(free.filter((c) => c.reachable !== false).map((c) => c.id));
  const placed: Placement[] = [];
  const unplaced: string[] = [];
  for (const { o } of withUnits) {
    // An order that cannot be served within reach leaves the reachable compartments it would
    // only partly use to those it can serve whole (in the tie mode, it simply takes them first).
    const parcels =
      mode === 'tie'
        ? placeLines(o.lines, remaining, o.preferReachable ? 'reach' : 'spare')
        : ((o.preferReachable
            ? placeLines(
                o.lines,
                remaining.filter((c) => reachable.has(c.id)),
                'reach',
              )
            : null) ?? placeLines(o.lines, remaining, 'spare'));
    if (!parcels) {
      unplaced.push(o.orderId);
      continue;
    }
    const used = new Set(parcels.map((p) => p.compartmentId));
    remaining = remaining.filter((c) => !used.has(c.id));
    const outOfReach = !!o.preferReachable && parcels.some((p) => !reachable.has(p.compartmentId));
    placed.push(outOfReach ? { orderId: o.orderId, parcels, outOfReach } : { orderId: o.orderId, parcels });
  }
  return { placed, unplaced };
}

/**
 * Packs one bank: orders by decreasing volume (first-fit decreasing), each placed whole or not at
 * all. `free` order does not matter; ties keep the orders' given order (who paid first).
 *
 * Orders that ask for reach get reachable compartments where that costs nobody a place: of the
 * packings tried, only those that place every order the plain packing places are kept, and of
 * those the one with the fewest orders out of reach wins. So a preference never fails an order
 * that would otherwise fit; when reachable rows run out, the order goes to any row, marked.
 */
export function packBank(
  orders: OrderDemand[],
  free: CompartmentSlot[],
): { placed: Placement[]; unplaced: string[] } {
  const plain = packWith(orders, free, 'tie');
  if (!orders.some((o) => o.preferReachable) || !free.some((c) => c.reachable === false)) return plain;
  const must = plain.placed.map((p) => p.orderId);
  const misses = (r: { placed: Placement[] }) => r.placed.filter((p) => p.outOfReach).length;
  let best = plain;
  for (const mode of ['rows-first', 'rows'] as const) {
    const r = packWith(orders, free, mode);
    const ids = new Set(r.placed.map((p) => p.orderId));
    if (must.every((id) => ids.has(id)) && misses(r) <= misses(best)) best = r;
  }
  return best;
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

/** Age from which lockers assume a person would rather not bend or stretch. */
export const REACH_AGE = 80;

/**
 * Whether an order asks for reachable compartments: the person's own choice when they made one,
 * otherwise yes for a person of 80 or more and for an order a family member placed for them.
 */
export function prefersReachable(p: {
  choice: boolean | null;
  birthDate: string | null;
  /** Local date (YYYY-MM-DD) to take the age on. */
  today: string;
  placedByProxy?: boolean;
}): boolean {
  if (p.choice !== null) return p.choice;
  return !!p.placedByProxy || (p.birthDate !== null && ageOn(p.birthDate, p.today) >= REACH_AGE);
}

/**
 * Rows (1 = bottom) reached without bending or stretching when staff do not say: on a bank of
 * three rows or more, all but the bottom and the top one; on a lower bank, all.
 */
export function defaultReachableRows(rows: number): { from: number; to: number } {
  return rows >= 3 ? { from: 2, to: rows - 1 } : { from: 1, to: Math.max(1, rows) };
}

/** The order's note when it asked for reach and went to other rows; null when it did not. */
export function reachNote(
  preferReachable: boolean,
  rows: number[],
  reachable: { from: number; to: number },
): string | null {
  const outside = [...new Set(rows.filter((r) => r < reachable.from || r > reachable.to))].sort(
    (a, b) => a - b,
  );
  if (!preferReachable || outside.length === 0) return null;
  return `已尽量安排不用弯腰、不用踮脚的格口，本次放在第 ${outside.join('、')} 层`;
}
