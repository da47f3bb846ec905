import {
  type CompartmentSlot,
  type DeliveryWindow,
  fitsIn,
  type PackLine,
  parcelsOf,
  SIZE_UNITS,
  type SizeHint,
  type Temperature,
} from 'shared';

/**
 * Checkout's capacity check for locker delivery, before payment: which banks of the resident's
 * compound still have room for a cart group in a window, and what to offer when the chosen one is
 * full. The server decides at order time (LOCKER_FULL); this only spares the resident a refusal.
 */

export interface FreeCount {
  size: SizeHint;
  zone: Temperature;
  count: number;
}

export interface BankAvailability {
  bankId: string;
  name: string;
  location: string;
  free: FreeCount[];
}

/** One window's answer from GET /v1/lockers/availability. */
export interface WindowAvailability {
  windowId: string;
  banks: BankAvailability[];
}

/** The free counts as compartments to pack into (ids are made up: only kinds matter here). */
export function slotsOf(free: FreeCount[]): CompartmentSlot[] {
  const out: CompartmentSlot[] = [];
  for (const f of free)
    for (let i = 0; i < f.count; i++)
      out.push({ id: `${f.zone}-${f.size}-${i}`, zone: f.zone, size: f.size });
  return out;
}

/** A cart line's packing needs; null when a product's zone or size is not known (not loaded). */
export function packLinesOf(productIds: string[], specs: ReadonlyMap<string, PackLine>): PackLine[] | null {
  const out: PackLine[] = [];
  for (const id of productIds) {
    const spec = specs.get(id);
    if (!spec) return null;
    out.push({ zone: spec.zone, size: spec.size });
  }
  return out;
}

/**
 * The slots left after an order's parcels took theirs (largest parcel first, each into the smallest
 * free compartment of its zone that holds it: the rule of shared/lockers/packing), or null when the
 * order does not fit.
 */
export function takeSlots(lines: PackLine[], free: CompartmentSlot[]): CompartmentSlot[] | null {
  const left = [...free];
  const parcels = parcelsOf(lines).sort((a, b) => b.units - a.units);
  for (const p of parcels) {
    let best = -1;
    left.forEach((c, i) => {
      if (c.zone !== p.zone || SIZE_UNITS[c.size] < p.units) return;
      if (best < 0 || SIZE_UNITS[c.size] < SIZE_UNITS[left[best]!.size]) best = i;
    });
    if (best < 0) return null;
    left.splice(best, 1);
  }
  return left;
}

/** A cart group that goes to a locker: its lines and its choice. */
export interface LockerDemand {
  key: string;
  windowId: string | null;
  bankId: string | null;
  lines: PackLine[] | null;
}

/**
 * Free slots of each bank of a window for the demand `key`: what the server says is free, less what
 * the cart's groups before it (checkout order) take at the same bank and window — their orders are
 * placed first and compete for the same compartments.
 */
export function freeSlotsFor(
  avail: WindowAvailability,
  demands: LockerDemand[],
  key: string,
): Map<string, CompartmentSlot[]> {
  const out = new Map(avail.banks.map((b) => [b.bankId, slotsOf(b.free)]));
  for (const d of demands) {
    if (d.key === key) break;
    if (d.windowId !== avail.windowId || !d.bankId || !d.lines) continue;
    const slots = out.get(d.bankId);
    if (!slots) continue;
    out.set(d.bankId, takeSlots(d.lines, slots) ?? slots);
  }
  return out;
}

export interface BankFit extends BankAvailability {
  fits: boolean;
}

/** Each bank of the window, with whether this group's lines fit there. */
export function bankFits(
  avail: WindowAvailability,
  demands: LockerDemand[],
  key: string,
  lines: PackLine[],
): BankFit[] {
  const free = freeSlotsFor(avail, demands, key);
  return avail.banks.map((b) => ({ ...b, fits: fitsIn(lines, free.get(b.bankId) ?? []) }));
}

export type OtherMode = 'home' | 'shop_pickup';

export interface LockerAdvice {
  /** Whether the chosen bank has room; null while unknown (loading, or lines unknown). */
  fits: boolean | null;
  banks: BankFit[];
  /** When the chosen bank is full: other banks of the compound with room in the same window. */
  otherBanks: BankFit[];
  /** When full: later windows with a bank that has room (the chosen bank preferred). */
  laterWindows: { window: DeliveryWindow; bank: BankFit }[];
  /** When full: the shop's other ways. */
  otherModes: OtherMode[];
  /** Later windows whose availability is needed to finish the advice. */
  toLoad: string[];
}

const LATER_WINDOWS = 3;

/**
 * What the cart shows for one group's locker choice. `windows` are the open ones, earliest first;
 * `availability` holds what was loaded, by window id.
 */
export function lockerAdvice(input: {
  key: string;
  lines: PackLine[] | null;
  windowId: string | null;
  bankId: string | null;
  windows: DeliveryWindow[];
  availability: ReadonlyMap<string, WindowAvailability>;
  demands: LockerDemand[];
  modes: { home: boolean; shopPickup: boolean };
}): LockerAdvice {
  const { key, lines, windowId, bankId, windows, availability, demands, modes } = input;
  const empty: LockerAdvice = {
    fits: null,
    banks: [],
    otherBanks: [],
    laterWindows: [],
    otherModes: [],
    toLoad: [],
  };
  const avail = windowId ? availability.get(windowId) : undefined;
  if (!windowId || !avail) return empty;
  if (!lines) return { ...empty, banks: avail.banks.map((b) => ({ ...b, fits: true })) };
  const banks = bankFits(avail, demands, key, lines);
  const chosen = banks.find((b) => b.bankId === bankId);
  if (!chosen) return { ...empty, banks };
  if (chosen.fits) return { ...empty, banks, fits: true };

  const otherBanks = banks.filter((b) => b.fits);
  const at = windows.findIndex((w) => w.id === windowId);
  const later = windows.slice(at + 1, at + 1 + LATER_WINDOWS);
  const toLoad: string[] = [];
  const laterWindows: LockerAdvice['laterWindows'] = [];
  for (const w of later) {
    const a = availability.get(w.id);
    if (!a) {
      toLoad.push(w.id);
      continue;
    }
    const fits = bankFits(a, demands, key, lines).filter((b) => b.fits);
    const bank = fits.find((b) => b.bankId === bankId) ?? fits[0];
    if (bank) laterWindows.push({ window: w, bank });
  }
  const otherModes: OtherMode[] = [
    ...(modes.home ? (['home'] as const) : []),
    ...(modes.shopPickup ? (['shop_pickup'] as const) : []),
  ];
  return { fits: false, banks, otherBanks, laterWindows, otherModes, toLoad };
}

/** The bank to start with: the chosen one if it is still listed, else the first with room, else the first. */
export function defaultBank(banks: BankFit[], chosen: string | null): string | null {
  if (chosen && banks.some((b) => b.bankId === chosen)) return chosen;
  return (banks.find((b) => b.fits) ?? banks[0])?.bankId ?? null;
}

/** What the group needs, in words: 「冷藏 中格 ×1、常温 小格 ×2」. */
export function needText(lines: PackLine[], kind: (zone: Temperature, size: SizeHint) => string): string {
  const counts = new Map<string, number>();
  const parcels = parcelsOf(lines).sort((a, b) => b.units - a.units);
  for (const p of parcels) {
    const k = kind(p.zone, p.size);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return [...counts].map(([k, n]) => `${k} ×${n}`).join('、');
}
