import { distanceMetres } from '../market/geo';
import { localClock } from '../market/hours';
import { DISPLAY_TZ } from '../time/display';
import { addDays, zonedInstant } from '../time/zoned';

/**
 * Open slots for one care item: every qualified caregiver's working hours, minus their bookings
 * (with the item's buffers and the travel between compounds), their time off, the item's minimum
 * notice and its daily cap. Pure, so the BFF computes the list with it and re-checks one slot with
 * it inside the booking transaction, and the tests pin it without a database.
 */

export interface SlotItem {
  durationMin: number;
  bufferBeforeMin: number;
  bufferAfterMin: number;
  minNoticeMin: number;
  dailyCap: number;
}

/** A stretch of a caregiver's time already taken (a live booking's block, buffers included). */
export interface BusyBlock {
  start: number;
  end: number;
  compoundId: string;
  /** Counts into the daily cap when it is the same item on the same local day. */
  itemId: string;
  localDate: string;
}

export interface SlotCaregiver {
  id: string;
  /** Working hours in local minutes after midnight; weekday 1 = Monday. */
  hours: { weekday: number; startMin: number; endMin: number }[];
  busy: BusyBlock[];
  timeOff: { start: number; end: number }[];
  /** When this caregiver was last booked (round robin picks the longest idle). */
  lastBookedAt: number | null;
}

export interface Place {
  lat: number | null;
  lng: number | null;
}

/** Minutes to walk or ride between two compounds: 5 minutes plus 3 per 200 m, rounded up to 5. */
export function travelMinutes(from: Place | undefined, to: Place | undefined): number {
  if (!from || !to || from.lat == null || from.lng == null || to.lat == null || to.lng == null) return 15;
  const m = distanceMetres({ lat: from.lat, lng: from.lng }, { lat: to.lat, lng: to.lng });
  if (m < 1) return 0;
  return Math.ceil((5 + (m / 200) * 3) / 5) * 5;
}

export interface SlotRequest {
  item: SlotItem & { id: string };
  caregivers: SlotCaregiver[];
  /** The elder's compound and every compound's place, for travel. */
  compoundId: string;
  places: ReadonlyMap<string, Place>;
  /** Local dates (YYYY-MM-DD) to list. */
  from: string;
  days: number;
  now: number;
  tz?: string;
  /** Slot starts on this grid of local minutes. */
  stepMin?: number;
}

export interface OpenSlot {
  start: number;
  end: number;
  /** Free caregivers for this slot, in assignment order (longest idle first). */
  caregiverIds: string[];
}

const MIN = 60_000;

/** The block a visit at `start` takes: the item's buffers around its duration. */
export function blockOf(item: SlotItem, start: number): { start: number; end: number } {
  return {
    start: start - item.bufferBeforeMin * MIN,
    end: start + (item.durationMin + item.bufferAfterMin) * MIN,
  };
}

/**
 * What does not change from one candidate start to the next: the travel gap each busy block needs
 * around a visit in this compound, and how many visits of this item each local day already holds.
 */
interface Prepared {
  c: SlotCaregiver;
  gaps: number[];
  sameItem: Map<string, number>;
}

function prepare(req: Pick<SlotRequest, 'item' | 'compoundId' | 'places'>, c: SlotCaregiver): Prepared {
  const here = req.places.get(req.compoundId);
  const travel = new Map<string, number>();
  const sameItem = new Map<string, number>();
  const gaps = c.busy.map((b) => {
    if (b.itemId === req.item.id) sameItem.set(b.localDate, (sameItem.get(b.localDate) ?? 0) + 1);
    let gap = travel.get(b.compoundId);
    if (gap === undefined) {
      gap = travelMinutes(req.places.get(b.compoundId), here) * MIN;
      travel.set(b.compoundId, gap);
    }
    return gap;
  });
  return { c, gaps, sameItem };
}

function freeAt(
  req: Pick<SlotRequest, 'item' | 'now'>,
  { c, gaps, sameItem }: Prepared,
  start: number,
  localDate: string,
): boolean {
  const { item } = req;
  if (start < req.now + item.minNoticeMin * MIN) return false;
  if ((sameItem.get(localDate) ?? 0) >= item.dailyCap) return false;
  const block = blockOf(item, start);
  for (const off of c.timeOff) if (block.start < off.end && off.start < block.end) return false;
  for (let i = 0; i < c.busy.length; i++) {
    const b = c.busy[i]!;
    if (block.start < b.end + gaps[i]! && b.start - gaps[i]! < block.end) return false;
  }
  return true;
}

/** Whether one caregiver can take the visit at `start` (its local day given). */
export function caregiverFree(
  req: Pick<SlotRequest, 'item' | 'compoundId' | 'places' | 'now'>,
  c: SlotCaregiver,
  start: number,
  localDate: string,
): boolean {
  return freeAt(req, prepare(req, c), start, localDate);
}

/** Whether `start` falls on one of the caregiver's working stretches with room for the whole block. */
export function withinHours(
  item: SlotItem,
  c: SlotCaregiver,
  start: number,
  tz: string = DISPLAY_TZ,
): { localDate: string } | null {
  const at = localClock(new Date(start), tz);
  const from = at.minute - item.bufferBeforeMin;
  const to = at.minute + item.durationMin + item.bufferAfterMin;
  // The block stays inside one stretch of one local day: a slot never spans the day boundary.
  const fits = c.hours.some((h) => h.weekday === at.weekday && h.startMin <= from && to <= h.endMin);
  return fits ? { localDate: at.date } : null;
}

const byIdle = (a: SlotCaregiver, b: SlotCaregiver) =>
  (a.lastBookedAt ?? -1) - (b.lastBookedAt ?? -1) || a.id.localeCompare(b.id);

export function openSlots(req: SlotRequest): OpenSlot[] {
  const tz = req.tz ?? DISPLAY_TZ;
  const step = req.stepMin ?? 30;
  const { item } = req;
  const order = [...req.caregivers].sort(byIdle).map((c) => prepare(req, c));
  const found = new Map<number, string[]>();
  for (let d = 0; d < req.days; d++) {
    const date = addDays(req.from, d);
    const midnight = zonedInstant(date, '00:00', tz).getTime();
    const weekday = localClock(new Date(midnight + 12 * 3600 * 1000), tz).weekday;
    for (const p of order) {
      const { c } = p;
      for (const h of c.hours) {
        if (h.weekday !== weekday) continue;
        const first = Math.ceil((h.startMin + item.bufferBeforeMin) / step) * step;
        for (let m = first; m + item.durationMin + item.bufferAfterMin <= h.endMin; m += step) {
          const start = midnight + m * MIN;
          if (!freeAt(req, p, start, date)) continue;
          const list = found.get(start) ?? [];
          if (!list.includes(c.id)) list.push(c.id);
          found.set(start, list);
        }
      }
    }
  }
  return [...found.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([start, caregiverIds]) => ({ start, end: start + item.durationMin * MIN, caregiverIds }));
}

/**
 * Who gets a visit at `start`: the elder's preferred caregiver when free, else the qualified one
 * booked least recently (round robin). Null when nobody can take it.
 */
export function assignCaregiver(
  req: Omit<SlotRequest, 'from' | 'days'>,
  start: number,
  preferredId: string | null,
): { caregiverId: string; localDate: string } | null {
  const tz = req.tz ?? DISPLAY_TZ;
  const candidates = [...req.caregivers].sort(byIdle);
  const preferred = candidates.find((c) => c.id === preferredId);
  for (const c of preferred ? [preferred, ...candidates.filter((x) => x !== preferred)] : candidates) {
    const fit = withinHours(req.item, c, start, tz);
    if (fit && caregiverFree(req, c, start, fit.localDate))
      return { caregiverId: c.id, localDate: fit.localDate };
  }
  return null;
}

/** The local calendar month (YYYY-MM) of an instant. */
export function localMonth(at: Date, tz: string = DISPLAY_TZ): string {
  return localClock(at, tz).date.slice(0, 7);
}

/** Age in whole years on a local date. */
export function ageOn(birthDate: string, today: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const [ty, tm, td] = today.split('-').map(Number);
  return ty! - by! - (tm! < bm! || (tm === bm && td! < bd!) ? 1 : 0);
}

/**
 * A booking's price split: the voucher pays at most the item's share and the community's cap of
 * the price, and never more than the balance; the rest is self-pay.
 */
export function splitPrice(
  priceFen: number,
  opts: { itemPercent: number; capPercent: number; balanceFen: number; eligible: boolean },
): { voucherFen: number; selfPayFen: number } {
  if (!opts.eligible) return { voucherFen: 0, selfPayFen: priceFen };
  const share = Math.floor((priceFen * Math.min(opts.itemPercent, opts.capPercent)) / 100);
  const voucherFen = Math.max(0, Math.min(share, opts.balanceFen));
  return { voucherFen, selfPayFen: priceFen - voucherFen };
}
