import { distanceMetres } from '../market/geo';
import {
  DEFAULT_MATCH_WEIGHTS,
  type MatchCandidate,
  type MatchTask,
  type MatchWeights,
  qualifies,
  rankCandidates,
} from './matching';

/**
 * How evenly the week's work lands on volunteers, and a simulation that compares the ranking
 * (fairness part included) with handing every task to the nearest qualified volunteer.
 */

/** Gini coefficient of non-negative values: 0 = perfectly even, towards 1 = one takes all. */
export function gini(values: readonly number[]): number {
  const n = values.length;
  if (n === 0) return 0;
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  let weighted = 0;
  for (let i = 0; i < n; i++) {
    sum += sorted[i]!;
    weighted += (i + 1) * sorted[i]!;
  }
  if (sum <= 0) return 0;
  return (2 * weighted) / (n * sum) - (n + 1) / n;
}

/**
 * Simulates a week: tasks arrive in order; each goes to the best candidate under `policy` and the
 * chosen volunteer's weekMinutes grows by the task's duration (so caps and the fairness part see
 * it for the next task). 'ranked' takes the top of `rankCandidates`; 'nearest' is the greedy
 * baseline, the closest qualified volunteer (unknown locations last, ties by id). Returns every
 * volunteer's minutes at the end of the week (their starting minutes included), the gini of those
 * over all candidates, and how many tasks found someone.
 */
export function simulateWeek(
  tasks: readonly MatchTask[],
  candidates: readonly MatchCandidate[],
  policy: 'ranked' | 'nearest',
  w: MatchWeights = DEFAULT_MATCH_WEIGHTS,
): { minutes: Map<string, number>; gini: number; assigned: number } {
  // Copies, so the caller's candidates keep their week.
  const pool = candidates.map((c) => ({ ...c }));
  const byId = new Map(pool.map((c) => [c.id, c]));
  let assigned = 0;
  for (const t of tasks) {
    const chosen = policy === 'ranked' ? byId.get(rankCandidates(pool, t, w)[0]?.id ?? '') : nearest(pool, t);
    if (!chosen) continue;
    chosen.weekMinutes += t.durationMin;
    assigned += 1;
  }
  const minutes = new Map(pool.map((c) => [c.id, c.weekMinutes]));
  return { minutes, gini: gini([...minutes.values()]), assigned };
}

function nearest<C extends MatchCandidate>(pool: readonly C[], t: MatchTask): C | undefined {
  let best: C | undefined;
  let bestM = Infinity;
  for (const c of pool) {
    if (!qualifies(c, t)) continue;
    const m = c.location && t.location ? distanceMetres(c.location, t.location) : Infinity;
    if (!best || m < bestM || (m === bestM && c.id < best.id)) {
      best = c;
      bestM = m;
    }
  }
  return best;
}

/** A small seeded PRNG (mulberry32): the simulations, tests and bench replay the same week. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface SyntheticWeekOptions {
  seed: number;
  tasks: number;
  volunteers: number;
  /** Compounds around central Chengdu (30.65, 104.06), some busier than others. */
  compounds: number;
  /** Every task of this skill (the weekly visits), or each task a random skill when absent. */
  skill?: string;
  /** Monday 00:00 of the week (default Monday 7 December 2026, Asia/Shanghai). */
  weekStart?: Date;
  /** Share of volunteers with the visit skill (default 0.7); other skills at 0.5 each. */
  visitShare?: number;
  /** Weekly caps drawn from this range, in whole hours (default 300..600 minutes). */
  capMinutes?: readonly [number, number];
}

const SKILLS = ['errands', 'company', 'phone_teaching', 'cleaning', 'escort', 'locker_run'] as const;

/**
 * A seeded, plausible week: volunteers living in compounds within ~2.5 km of each other with a few
 * daytime (and some late evening) slots, part of their cap already used; tasks from elders in the
 * same compounds, daytime windows of one to three hours over the week.
 */
export function syntheticWeek(o: SyntheticWeekOptions): { tasks: MatchTask[]; candidates: MatchCandidate[] } {
  const rnd = mulberry32(o.seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const weekStart = (o.weekStart ?? new Date('2026-12-07T00:00:00+08:00')).getTime();
  const centres = Array.from({ length: o.compounds }, () => ({
    lat: 30.65 + (rnd() - 0.5) * 0.045,
    lng: 104.06 + (rnd() - 0.5) * 0.052,
    // Busier compounds get more elders and more volunteers.
    weight: 0.3 + rnd() * 2,
  }));
  const totalWeight = centres.reduce((s, c) => s + c.weight, 0);
  const compound = () => {
    let r = rnd() * totalWeight;
    for (const c of centres) {
      r -= c.weight;
      if (r <= 0) return c;
    }
    return centres[centres.length - 1]!;
  };
  // Within ~100 m of the compound's centre: its buildings.
  const near = (c: { lat: number; lng: number }) => ({
    lat: c.lat + (rnd() - 0.5) * 0.0018,
    lng: c.lng + (rnd() - 0.5) * 0.0021,
  });
  const visitShare = o.visitShare ?? 0.7;
  const candidates: MatchCandidate[] = Array.from({ length: o.volunteers }, (_, i) => {
    const skills: string[] = SKILLS.filter(() => rnd() < 0.5);
    if (rnd() < visitShare) skills.push('visit');
    const availability = Array.from({ length: 2 + Math.floor(rnd() * 4) }, () => {
      const startMin = 480 + Math.floor(rnd() * 21) * 30;
      return {
        weekday: Math.floor(rnd() * 7),
        startMin,
        endMin: startMin + 120 + Math.floor(rnd() * 5) * 30,
      };
    });
    if (rnd() < 0.1) availability.push({ weekday: Math.floor(rnd() * 7), startMin: 1320, endMin: 60 });
    const [capLo, capHi] = o.capMinutes ?? [300, 600];
    const weeklyCapMinutes = capLo + Math.floor(rnd() * (Math.floor((capHi - capLo) / 60) + 1)) * 60;
    return {
      id: `v${String(i).padStart(5, '0')}`,
      skills,
      location: rnd() < 0.05 ? null : near(compound()),
      availability,
      onDuty: rnd() < 0.92,
      weekMinutes: Math.floor(rnd() * 5) * 30,
      weeklyCapMinutes,
      declinedThisWeek: rnd() < 0.2 ? 1 + Math.floor(rnd() * 3) : 0,
      rating: rnd() < 0.3 ? null : 3 + rnd() * 2,
      goodVisitsWithElder: rnd() < 0.1 ? 1 + Math.floor(rnd() * 4) : 0,
    };
  });
  const tasks: MatchTask[] = Array.from({ length: o.tasks }, () => {
    const durationMin = pick([30, 60, 60, 90]);
    const start =
      weekStart + Math.floor(rnd() * 7) * 86_400_000 + (480 + Math.floor(rnd() * 20) * 30) * 60_000;
    const windowMin = Math.max(durationMin, 60 + Math.floor(rnd() * 5) * 30);
    return {
      skill: o.skill ?? pick([...SKILLS, 'visit']),
      location: near(compound()),
      windowStart: new Date(start),
      windowEnd: new Date(start + windowMin * 60_000),
      durationMin,
    };
  });
  return { tasks, candidates };
}
