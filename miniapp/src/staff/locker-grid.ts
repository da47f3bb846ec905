import type { Compartment, CompartmentState, LockerBank, SizeHint, Temperature } from 'shared';

/**
 * How a bank's compartments are drawn for staff: one row per label letter (A01…, B01…: the BFF
 * letters each group of compartments of one kind), in natural label order.
 */
export interface GridRow {
  key: string;
  cells: Compartment[];
}

const natural = new Intl.Collator('en', { numeric: true });

export function gridRows(compartments: Compartment[]): GridRow[] {
  const rows = new Map<string, Compartment[]>();
  const sorted = [...compartments].sort((a, b) => natural.compare(a.label, b.label));
  for (const c of sorted) {
    const key = /^[A-Za-z]+/.exec(c.label)?.[0]?.toUpperCase() ?? '#';
    rows.set(key, [...(rows.get(key) ?? []), c]);
  }
  return [...rows].map(([key, cells]) => ({ key, cells }));
}

/** How many compartments are in each state, for the legend. */
export function stateCounts(compartments: Compartment[]): Record<CompartmentState, number> {
  const out: Record<CompartmentState, number> = { free: 0, reserved: 0, occupied: 0, out_of_service: 0 };
  for (const c of compartments) out[c.state] += 1;
  return out;
}

export interface CountCell {
  free: number;
  total: number;
}

/**
 * The bank's in-service counts as a table: a row per zone that has compartments, a column per size
 * (null where the bank has none of that kind).
 */
export function countTable(
  counts: LockerBank['counts'],
  zones: readonly Temperature[],
  sizes: readonly SizeHint[],
): { zone: Temperature; cells: (CountCell | null)[] }[] {
  return zones
    .map((zone) => ({
      zone,
      cells: sizes.map((size) => {
        const c = counts.find((x) => x.zone === zone && x.size === size);
        return c ? { free: c.free, total: c.total } : null;
      }),
    }))
    .filter((r) => r.cells.some((c) => c !== null));
}

/** What tapping a compartment does: take it out of service, put it back, or nothing (in use). */
export function serviceToggle(state: CompartmentState): 'out' | 'in' | 'busy' {
  if (state === 'out_of_service') return 'in';
  if (state === 'free') return 'out';
  return 'busy';
}
