/**
 * Which volunteer to offer a help task to. Pure, so the BFF ranks with it, the weekly assignment
 * and the fairness simulation score with the very same parts, and the tests pin it without a
 * database.
 */

import { cosLat, metresBetween } from '../market/geo';

export const VOLUNTEER_SKILLS = [
  'errands',
  'company',
  'phone_teaching',
  'cleaning',
  'escort',
  'locker_run',
  'visit',
] as const;
export type VolunteerSkill = (typeof VOLUNTEER_SKILLS)[number];

/**
 * Weekly availability in local (Asia/Shanghai) time: weekday 0=Sunday..6, minutes from local
 * midnight. An end before the start runs past midnight into the next day (an evening shift until
 * 01:00); an end equal to the start is an empty slot.
 */
export interface AvailabilitySlot {
  weekday: number;
  startMin: number;
  endMin: number;
}

export interface MatchCandidate {
  id: string;
  skills: readonly string[];
  /** Home compound/building. */
  location: { lat: number; lng: number } | null;
  availability: readonly AvailabilitySlot[];
  /** False when paused, suspended or off duty. */
  onDuty: boolean;
  /** Minutes credited/committed this week. */
  weekMinutes: number;
  weeklyCapMinutes: number;
  /** Declines count into fairness (like load), never as a penalty. */
  declinedThisWeek: number;
  /** 1..5 average, null when none. */
  rating: number | null;
  /** Past completed, well-rated tasks with this task's elder. */
  goodVisitsWithElder: number;
  /**
   * Optional: the same count per elder id, for scoring one volunteer against many elders' tasks at
   * once (the weekly assignment). Read when the task names its `elderId`.
   */
  goodVisitsByElder?: ReadonlyMap<string, number>;
}

export interface MatchTask {
  skill: string;
  location: { lat: number; lng: number } | null;
  windowStart: Date;
  windowEnd: Date;
  durationMin: number;
  /** Optional: whose task it is, to read `goodVisitsByElder`. */
  elderId?: string;
}

export interface MatchWeights {
  skill: number;
  distance: number;
  availability: number;
  fairness: number;
  rating: number;
  history: number;
}

/**
 * Sums to 1, so a score reads as 0..1. Distance leads (an elder's errand is best done by a
 * neighbour), fairness close behind so the same few keen volunteers are not handed everything;
 * skill is a constant among the qualified and only matters when weights are tuned.
 */
export const DEFAULT_MATCH_WEIGHTS: MatchWeights = Object.freeze({
  skill: 0.05,
  distance: 0.3,
  availability: 0.2,
  fairness: 0.25,
  rating: 0.1,
  history: 0.1,
});

export interface RankedCandidate {
  id: string;
  score: number;
  parts: {
    skill: number;
    distance: number;
    availability: number;
    fairness: number;
    rating: number;
    history: number;
  };
  distanceMetres: number | null;
}

/** The distance part halves every this many metres: 1 at the door, 0.5 at 1 km, 0.03 at 5 km. */
export const DISTANCE_HALF_METRES = 1000;
/** Distance part when either side has no location: as if 2 km away, so unknown never beats a neighbour. */
export const UNKNOWN_DISTANCE_PART = 0.25;
/** Each decline this week counts as this much load in the fairness part (never in the cap). */
export const DECLINE_LOAD_MINUTES = 15;
/** Good visits with the elder after which the history part is full. */
export const HISTORY_SATURATION = 3;

const DAY_MIN = 1440;
const WEEK_MIN = 7 * DAY_MIN;
/**
 * Asia/Shanghai has kept UTC+8 without DST since 1991, so a fixed offset is exact for every date
 * a task can have, and it costs a division where Intl's formatToParts costs microseconds: the
 * ranking reads the local clock once per task and the assignment once per task of a week.
 */
const SHANGHAI_OFFSET_MIN = 8 * 60;
/** 1970-01-01 was a Thursday. */
const EPOCH_WEEKDAY = 4;

/** Minutes since Sunday 00:00 Asia/Shanghai of an instant, in [0, 10080). */
export function localWeekMinute(at: Date | number): number {
  const ms = typeof at === 'number' ? at : at.getTime();
  const m = ms / 60_000 + SHANGHAI_OFFSET_MIN + EPOCH_WEEKDAY * DAY_MIN;
  return ((m % WEEK_MIN) + WEEK_MIN) % WEEK_MIN;
}

/** Qualified = on duty, has the skill, and weekMinutes + durationMin <= weeklyCapMinutes. */
export function qualifies(c: MatchCandidate, t: MatchTask): boolean {
  return c.onDuty && c.weekMinutes + t.durationMin <= c.weeklyCapMinutes && c.skills.includes(t.skill);
}

/** What scoring needs of a task, read once however many volunteers are scored against it. */
export interface PreparedTask {
  skill: string;
  location: { lat: number; lng: number } | null;
  /** cos(latitude) of the location, for the distance. */
  cosLat: number;
  /** Local week minute the window starts at, and its length in minutes (at least 1). */
  from: number;
  length: number;
  /** The hours of the week the window touches (see `markHours`). */
  hours: Int32Array;
  elderId: string | undefined;
}

export function prepareTask(t: MatchTask): PreparedTask {
  const start = t.windowStart.getTime();
  const windowMin = (t.windowEnd.getTime() - start) / 60_000;
  // A window that does not run past its start is a fixed appointment of the task's duration.
  const length = windowMin > 0 ? windowMin : Math.max(1, t.durationMin);
  return {
    skill: t.skill,
    location: t.location,
    cosLat: t.location ? cosLat(t.location.lat) : 0,
    from: localWeekMinute(start),
    length,
    hours: markHours(new Int32Array(MASK_WORDS), localWeekMinute(start), length),
    elderId: t.elderId,
  };
}

// The 168 hours of a week as bits, 28 to a word: when a window and a volunteer's slots share no
// hour their overlap is 0 without working it out, which is most pairs.
const MASK_WORDS = 6;
const HOURS_PER_WORD = 28;

/** Sets the bits (words from `at`) of every hour [from, from + length) touches (week minutes, may wrap). */
function markHours(mask: Int32Array, from: number, length: number, at = 0): Int32Array {
  const first = Math.floor(from / 60);
  const last = Math.min(first + 168, Math.ceil((from + length) / 60));
  for (let h = first; h < last; h++) {
    const hour = h % 168;
    mask[at + ((hour / HOURS_PER_WORD) | 0)]! |= 1 << (hour % HOURS_PER_WORD);
  }
  return mask;
}

/** Whether a slot means anything: a weekday 0..6, and a start and end that differ once clamped to the day. */
function usable(s: AvailabilitySlot): boolean {
  return (
    Number.isInteger(s.weekday) &&
    s.weekday >= 0 &&
    s.weekday <= 6 &&
    Number.isFinite(s.startMin) &&
    Number.isFinite(s.endMin) &&
    slotEnd(s) !== slotStart(s)
  );
}

/** A slot's start in week minutes. */
function slotStart(s: AvailabilitySlot): number {
  return s.weekday * DAY_MIN + Math.min(DAY_MIN, Math.max(0, s.startMin));
}

/** A slot's end in week minutes, past its start (into the next day when it runs past midnight). */
function slotEnd(s: AvailabilitySlot): number {
  const startMin = Math.min(DAY_MIN, Math.max(0, s.startMin));
  const endMin = Math.min(DAY_MIN, Math.max(0, s.endMin));
  return s.weekday * DAY_MIN + endMin + (endMin < startMin ? DAY_MIN : 0);
}

/**
 * Writes the weekly slots into `out` from index `at` as sorted, disjoint [start, end) pairs of week
 * minutes (a slot past Saturday midnight split at the week's end, overlapping slots merged);
 * returns the index after the last. `out` needs room for 4 numbers per slot.
 */
function weekIntervals(slots: readonly AvailabilitySlot[], out: Float64Array, at = 0): number {
  let n = at;
  for (const s of slots) {
    if (!usable(s)) continue;
    const a = slotStart(s);
    const b = slotEnd(s);
    if (b > WEEK_MIN) {
      n = insert(out, at, n, a, WEEK_MIN);
      n = insert(out, at, n, 0, b - WEEK_MIN);
    } else n = insert(out, at, n, a, b);
  }
  let m = at;
  for (let i = at; i < n; ) {
    const a = out[i]!;
    let b = out[i + 1]!;
    for (i += 2; i < n && out[i]! <= b; i += 2) b = Math.max(b, out[i + 1]!);
    out[m++] = a;
    out[m++] = b;
  }
  return m;
}

/** Insertion into the sorted pairs in [at, n); a volunteer has a handful of slots. */
function insert(iv: Float64Array, at: number, n: number, a: number, b: number): number {
  let j = n;
  while (j > at && iv[j - 2]! > a) {
    iv[j] = iv[j - 2]!;
    iv[j + 1] = iv[j - 1]!;
    j -= 2;
  }
  iv[j] = a;
  iv[j + 1] = b;
  return n + 2;
}

/**
 * Minutes of [from, to) (`from` in [0, week)) that the weekly repeats of [a, b) cover, a and b in
 * [0, week]: from the first repeat that ends after the window starts (this week's or next week's),
 * every one the window meets.
 */
function overlap(a: number, b: number, from: number, to: number): number {
  let covered = 0;
  for (let s = from < b ? a : a + WEEK_MIN; s < to; s += WEEK_MIN)
    covered += Math.min(s + (b - a), to) - Math.max(s, from);
  return covered;
}

/** Minutes of [from, from + length) covered by the pairs iv[start..end) (see `weekIntervals`). */
function coveredBy(iv: Float64Array, start: number, end: number, from: number, length: number): number {
  const to = from + length;
  let covered = 0;
  for (let i = start; i < end; i += 2) covered += overlap(iv[i]!, iv[i + 1]!, from, to);
  return covered;
}

// Scratch for one volunteer's intervals at a time: a ranking of 5,000 allocates nothing for them.
let scratch = new Float64Array(64);
function intervalsInScratch(slots: readonly AvailabilitySlot[]): number {
  if (scratch.length < slots.length * 4) scratch = new Float64Array(slots.length * 8);
  return weekIntervals(slots, scratch);
}

/**
 * Minutes of the window [from, from + length) (week minutes from Sunday 00:00 local; the window may
 * be longer than a week and wrap past Saturday midnight) that the weekly slots cover. Overlapping
 * slots count once.
 *
 * Most volunteers have at most one slot (piece) meeting a given window, and then that piece's
 * overlap is the answer with no sorting or merging; only two or more take the merged intervals.
 * Either way the sum is the one `VolunteerTable` works out, to the bit.
 */
export function coveredMinutes(slots: readonly AvailabilitySlot[], from: number, length: number): number {
  const start = ((from % WEEK_MIN) + WEEK_MIN) % WEEK_MIN;
  const to = start + length;
  let covered = 0;
  let meeting = 0;
  for (const s of slots) {
    if (!usable(s)) continue;
    const a = slotStart(s);
    const b = slotEnd(s);
    const first = overlap(a, Math.min(b, WEEK_MIN), start, to);
    const second = b > WEEK_MIN ? overlap(0, b - WEEK_MIN, start, to) : 0;
    if (first > 0) {
      covered += first;
      meeting += 1;
    }
    if (second > 0) {
      covered += second;
      meeting += 1;
    }
    if (meeting > 1) return coveredBy(scratch, 0, intervalsInScratch(slots), start, length);
  }
  return covered;
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

/** The fairness part at a load (minutes) beyond the volunteer's own week so far. */
export function fairnessPart(c: MatchCandidate, extraMinutes = 0): number {
  if (!(c.weeklyCapMinutes > 0)) return 0;
  const load = c.weekMinutes + extraMinutes + DECLINE_LOAD_MINUTES * c.declinedThisWeek;
  return clamp01(1 - load / c.weeklyCapMinutes);
}

export function ratingPart(c: MatchCandidate): number {
  return c.rating == null ? 0.5 : clamp01((c.rating - 1) / 4);
}

export function historyPart(c: MatchCandidate, elderId: string | undefined): number {
  const n =
    elderId !== undefined && c.goodVisitsByElder
      ? (c.goodVisitsByElder.get(elderId) ?? 0)
      : c.goodVisitsWithElder;
  return clamp01(n / HISTORY_SATURATION);
}

// exp rather than 0.5 ** x: Math.pow with a fractional exponent is several times slower.
const HALVING = Math.LN2 / DISTANCE_HALF_METRES;

export function distancePart(metres: number | null): number {
  return metres == null ? UNKNOWN_DISTANCE_PART : Math.exp(-HALVING * metres);
}

/**
 * Many volunteers' scoring inputs read once, column by column, for scoring them against many tasks
 * (the weekly assignment). Columns rather than an object per volunteer: visiting thousands of
 * volunteers per task, the pointer chasing through objects cost more than the arithmetic.
 */
export class VolunteerTable {
  readonly located: Uint8Array;
  readonly lat: Float64Array;
  readonly lng: Float64Array;
  readonly cosLat: Float64Array;
  readonly rating: Float64Array;
  private readonly hours: Int32Array;
  private readonly ivStart: Int32Array;
  private readonly iv: Float64Array;

  constructor(readonly candidates: readonly MatchCandidate[]) {
    const n = candidates.length;
    this.located = new Uint8Array(n);
    this.lat = new Float64Array(n);
    this.lng = new Float64Array(n);
    this.cosLat = new Float64Array(n);
    this.rating = new Float64Array(n);
    this.hours = new Int32Array(n * MASK_WORDS);
    this.ivStart = new Int32Array(n + 1);
    this.iv = new Float64Array(candidates.reduce((s, c) => s + c.availability.length * 4, 0));
    let end = 0;
    for (let v = 0; v < n; v++) {
      const c = candidates[v]!;
      if (c.location) {
        this.located[v] = 1;
        this.lat[v] = c.location.lat;
        this.lng[v] = c.location.lng;
        this.cosLat[v] = cosLat(c.location.lat);
      }
      this.rating[v] = ratingPart(c);
      this.ivStart[v] = end;
      end = weekIntervals(c.availability, this.iv, end);
      for (let i = this.ivStart[v]!; i < end; i += 2)
        markHours(this.hours, this.iv[i]!, this.iv[i + 1]! - this.iv[i]!, v * MASK_WORDS);
    }
    this.ivStart[n] = end;
  }

  /** The availability part of volunteer v for a task (bit-equal to `scoreCandidate`'s). */
  availability(v: number, t: PreparedTask): number {
    const h = this.hours;
    const o = v * MASK_WORDS;
    const b = t.hours;
    const shared =
      (h[o]! & b[0]!) |
      (h[o + 1]! & b[1]!) |
      (h[o + 2]! & b[2]!) |
      (h[o + 3]! & b[3]!) |
      (h[o + 4]! & b[4]!) |
      (h[o + 5]! & b[5]!);
    if (shared === 0) return 0;
    return clamp01(coveredBy(this.iv, this.ivStart[v]!, this.ivStart[v + 1]!, t.from, t.length) / t.length);
  }

  /** Metres from volunteer v's home to the task, null when either is unknown. */
  metres(v: number, t: PreparedTask): number | null {
    const p = t.location;
    if (!this.located[v] || !p) return null;
    return metresBetween(this.lat[v]!, this.lng[v]!, this.cosLat[v]!, p.lat, p.lng, t.cosLat);
  }

  /** Every weighted part but fairness, as `scoreCandidate` sums them. */
  baseScore(v: number, t: PreparedTask, w: MatchWeights): number {
    const c = this.candidates[v]!;
    return weightedBase(
      w,
      c.skills.includes(t.skill) ? 1 : 0,
      distancePart(this.metres(v, t)),
      this.availability(v, t),
      this.rating[v]!,
      historyPart(c, t.elderId),
    );
  }
}

/**
 * The weighted sum of every part but fairness, in one fixed order: the ranking adds fairness last
 * to exactly this, so the assignment's scores and `scoreCandidate`'s agree to the bit.
 */
export function weightedBase(
  w: MatchWeights,
  skill: number,
  distance: number,
  availability: number,
  rating: number,
  history: number,
): number {
  return (
    w.skill * skill +
    w.distance * distance +
    w.availability * availability +
    w.rating * rating +
    w.history * history
  );
}

function scorePrepared(c: MatchCandidate, t: PreparedTask, w: MatchWeights): RankedCandidate {
  const p = t.location;
  const m =
    c.location && p
      ? metresBetween(c.location.lat, c.location.lng, cosLat(c.location.lat), p.lat, p.lng, t.cosLat)
      : null;
  const parts = {
    skill: c.skills.includes(t.skill) ? 1 : 0,
    distance: distancePart(m),
    availability: clamp01(coveredMinutes(c.availability, t.from, t.length) / t.length),
    fairness: fairnessPart(c),
    rating: ratingPart(c),
    history: historyPart(c, t.elderId),
  };
  const score =
    weightedBase(w, parts.skill, parts.distance, parts.availability, parts.rating, parts.history) +
    w.fairness * parts.fairness;
  return { id: c.id, score, parts, distanceMetres: m };
}

/**
 * Each part is normalised to 0..1 and the score is their weighted sum:
 * - skill: 1 when the volunteer lists the task's skill, else 0;
 * - distance: 0.5^(metres / 1000) from home to the task, 1 at the door, ~0.03 at 5 km; 0.25 when
 *   either location is unknown;
 * - availability: the fraction of the task window covered by the weekly slots, in Asia/Shanghai
 *   local time, windows crossing midnight or the week's end included;
 * - fairness: 1 - load / weekly cap, load being this week's minutes plus 15 per decline, floored
 *   at 0 (0 too when the cap is 0);
 * - rating: (r - 1) / 4, 0.5 when unrated;
 * - history: min(1, good visits with this elder / 3).
 */
export function scoreCandidate(
  c: MatchCandidate,
  t: MatchTask,
  w: MatchWeights = DEFAULT_MATCH_WEIGHTS,
): RankedCandidate {
  return scorePrepared(c, prepareTask(t), w);
}

/** Best first, equal scores by id (code units, not locale) so every run orders alike. */
export const byRank = (a: RankedCandidate, b: RankedCandidate) =>
  b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Qualified candidates, best first; ties broken by id so the order is deterministic. */
export function rankCandidates(
  cs: readonly MatchCandidate[],
  t: MatchTask,
  w: MatchWeights = DEFAULT_MATCH_WEIGHTS,
): RankedCandidate[] {
  const task = prepareTask(t);
  const out: RankedCandidate[] = [];
  for (const c of cs) if (qualifies(c, t)) out.push(scorePrepared(c, task, w));
  return out.sort(byRank);
}

/**
 * The ids offered in wave `wave` (0-based): the next `sizes[wave]` of the ranking after the earlier
 * waves; any wave from `sizes.length` on is everyone after the sized waves.
 */
export function waveMembers(
  ranked: readonly RankedCandidate[],
  sizes: readonly number[],
  wave: number,
): string[] {
  if (!Number.isInteger(wave) || wave < 0)
    throw new RangeError(`wave must be a whole number >= 0, got ${wave}`);
  const size = (i: number) => Math.max(0, Math.floor(sizes[i]!));
  let start = 0;
  for (let i = 0; i < Math.min(wave, sizes.length); i++) start += size(i);
  const end = wave < sizes.length ? start + size(wave) : ranked.length;
  return ranked.slice(start, end).map((r) => r.id);
}
