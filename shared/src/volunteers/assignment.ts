import {
  DECLINE_LOAD_MINUTES,
  DEFAULT_MATCH_WEIGHTS,
  distancePart,
  HISTORY_SATURATION,
  historyPart,
  type MatchCandidate,
  type MatchTask,
  type MatchWeights,
  type PreparedTask,
  prepareTask,
  UNKNOWN_DISTANCE_PART,
  VolunteerTable,
  weightedBase,
} from './matching';

/**
 * The weekly assignment of visit tasks: each task to at most one qualified volunteer, within each
 * volunteer's remaining weekly cap and never two tasks with overlapping windows for one volunteer.
 *
 * The objective is first the number of tasks assigned, then the sum of the pairs' scores, where
 * the fairness part of a pair sees the volunteer's week including their other tasks in this
 * assignment (1 - (load + minutes of the other tasks) / cap). That makes stacking visits on one
 * keen neighbour cost something, does not depend on the order tasks were handed out, and with one
 * task per volunteer it is exactly the sum of `scoreCandidate` scores that `optimalAssignment`
 * maximises.
 *
 * Method, and why: caps in minutes plus the no-overlap rule make this a generalised assignment
 * problem (NP-hard), so the Hungarian method or an auction, exact only when each volunteer takes
 * one task, do not apply. Instead:
 * 1. shortlists: each task keeps its k = 32 best volunteers by score. A task is nearly always best
 *    served by one of its best few dozen, and 1,000 x 5,000 pairs become 32,000. Bounds skip most
 *    volunteers without scoring them (see `Shortlists`);
 * 2. regret greedy: repeatedly settle the task with the highest best marginal gain plus half its
 *    regret (best minus second best), so a task with a single suitable neighbour is not robbed by
 *    one that has many, yet a valuable task is not held back by cheap ones. After each choice
 *    only the tasks whose best or second best was that volunteer are looked at again; a task
 *    whose shortlist runs dry looks at everyone with its skill;
 * 3. local search on the improvement graph (see `improveRound`): chains and cycles of tasks
 *    taking each other's places, each with its exact change of the objective, applied until a
 *    round finds none. With one task per volunteer these are the augmenting paths and cycles of
 *    the assignment problem; on sampled weeks of that kind the total lands within about 1% of
 *    `optimalAssignment` (the bench prints the ratio).
 */

export interface AssignmentInput {
  tasks: readonly MatchTask[];
  candidates: readonly MatchCandidate[];
  weights?: MatchWeights;
  /** Volunteers kept per task before the greedy (default 32). */
  topK?: number;
  /** Local-search passes at most (default 10; it stops earlier when a pass improves nothing). */
  maxPasses?: number;
}

export interface AssignmentResult {
  pairs: { taskIndex: number; candidateId: string; score: number }[];
  unassigned: number[];
  totalScore: number;
}

const EPS = 1e-12;
/** Slack on the pruning bounds, far above rounding and far below any real score difference. */
const BOUND_EPS = 1e-9;
/** Metres per degree of latitude on the sphere `distanceMetres` uses. */
const METRES_PER_DEGREE = (6_371_000 * Math.PI) / 180;
/** ~250 m of latitude: a compound and its neighbour rarely share a cell. */
const CELL_DEGREES = 250 / METRES_PER_DEGREE;
const CELL_SLOTS = 2 ** 20;
/** The greedy's priority: a task's best gain plus this share of its regret (see `greedy`). */
const REGRET_WEIGHT = 0.5;

/** The week as the assignment reads it: on-duty volunteers in id order, tasks, both read once. */
class Week {
  readonly cands: MatchCandidate[];
  readonly V: number;
  readonly T: number;
  readonly table: VolunteerTable;
  readonly used0: Float64Array;
  readonly cap: Float64Array;
  readonly fairLoad: Float64Array;
  readonly fair0: Float64Array;
  /** Every part of v's score that does not depend on the task, at its best (history with anyone). */
  readonly staticUB: Float64Array;
  /** The history part when the task names no elder or v keeps no count per elder. */
  readonly history0: Float64Array;
  readonly perElder: Uint8Array;
  readonly bySkill = new Map<string, number[]>();
  readonly groups = new Map<string, Group>();
  readonly prepared: PreparedTask[];
  readonly dur: Float64Array;
  readonly blockStart: Float64Array;
  readonly blockEnd: Float64Array;

  constructor(
    tasks: readonly MatchTask[],
    candidates: readonly MatchCandidate[],
    readonly w: MatchWeights,
  ) {
    // Id order: every tie below falls to the lower index, hence the lower id, whatever the input order.
    this.cands = candidates.filter((c) => c.onDuty).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    this.V = this.cands.length;
    const V = this.V;
    this.table = new VolunteerTable(this.cands);
    this.used0 = new Float64Array(V);
    this.cap = new Float64Array(V);
    this.fairLoad = new Float64Array(V);
    this.fair0 = new Float64Array(V);
    this.staticUB = new Float64Array(V);
    this.history0 = new Float64Array(V);
    this.perElder = new Uint8Array(V);
    for (let v = 0; v < V; v++) {
      const c = this.cands[v]!;
      this.history0[v] = historyPart(c, undefined);
      this.perElder[v] = c.goodVisitsByElder ? 1 : 0;
      this.used0[v] = c.weekMinutes;
      this.cap[v] = c.weeklyCapMinutes;
      this.fairLoad[v] = c.weekMinutes + DECLINE_LOAD_MINUTES * c.declinedThisWeek;
      this.fair0[v] = this.fair(v, 0);
      let most = c.goodVisitsWithElder;
      if (c.goodVisitsByElder) for (const n of c.goodVisitsByElder.values()) most = Math.max(most, n);
      this.staticUB[v] =
        w.skill +
        w.rating * this.table.rating[v]! +
        w.history * Math.min(1, Math.max(0, most) / HISTORY_SATURATION) +
        w.fairness * this.fair0[v]!;
      for (const s of new Set(c.skills)) {
        const g = this.bySkill.get(s);
        if (g) g.push(v);
        else this.bySkill.set(s, [v]);
      }
    }
    for (const [skill, members] of this.bySkill) this.groups.set(skill, groupOf(members, this));

    this.T = tasks.length;
    const T = this.T;
    this.prepared = tasks.map(prepareTask);
    this.dur = new Float64Array(T);
    this.blockStart = new Float64Array(T);
    this.blockEnd = new Float64Array(T);
    for (let t = 0; t < T; t++) {
      const task = tasks[t]!;
      this.dur[t] = task.durationMin;
      this.blockStart[t] = task.windowStart.getTime();
      this.blockEnd[t] = Math.max(task.windowEnd.getTime(), this.blockStart[t]! + task.durationMin * 60_000);
    }
  }

  /** The fairness part with `extra` minutes of this assignment on top of the volunteer's week. */
  fair(v: number, extra: number): number {
    const cap = this.cap[v]!;
    if (!(cap > 0)) return 0;
    const f = 1 - (this.fairLoad[v]! + extra) / cap;
    return Math.min(1, Math.max(0, f));
  }

  /** The history part of v for task t, as `historyPart` gives it. */
  history(v: number, pt: PreparedTask): number {
    return pt.elderId !== undefined && this.perElder[v]
      ? historyPart(this.cands[v]!, pt.elderId)
      : this.history0[v]!;
  }

  /** Every weighted part of v's score for t but fairness, as `scoreCandidate` sums them. */
  base(v: number, t: number): number {
    return this.table.baseScore(v, this.prepared[t]!, this.w);
  }
}

/** Volunteers whose homes share a cell: their bounding box and the smallest cos(latitude) among them. */
interface Cell {
  latMin: number;
  latMax: number;
  lngMin: number;
  lngMax: number;
  cosMin: number;
  members: Int32Array;
}

/** Everyone with one skill: located ones by cell, the rest apart; every list best static bound first. */
interface Group {
  cells: Cell[];
  located: Int32Array;
  unlocated: Int32Array;
  maxStatic: number;
}

function groupOf(members: number[], week: Week): Group {
  const { cands, staticUB, table } = week;
  const byBound = (x: number, y: number) => staticUB[y]! - staticUB[x]! || x - y;
  const located = members.filter((v) => table.located[v]).sort(byBound);
  const unlocated = members.filter((v) => !table.located[v]).sort(byBound);
  const meanLat = located.reduce((s, v) => s + table.lat[v]!, 0) / Math.max(1, located.length);
  const lngDegrees = CELL_DEGREES / Math.max(0.05, Math.cos((meanLat * Math.PI) / 180));
  const byCell = new Map<string, number[]>();
  for (const v of located) {
    const key = `${Math.floor(table.lat[v]! / CELL_DEGREES)},${Math.floor(table.lng[v]! / lngDegrees)}`;
    const list = byCell.get(key);
    if (list) list.push(v);
    else byCell.set(key, [v]);
  }
  if (byCell.size >= CELL_SLOTS) throw new RangeError(`too many cells for ${cands.length} volunteers`);
  const cells = [...byCell.values()].map((list): Cell => {
    const cell = { latMin: Infinity, latMax: -Infinity, lngMin: Infinity, lngMax: -Infinity, cosMin: 1 };
    for (const v of list) {
      cell.latMin = Math.min(cell.latMin, table.lat[v]!);
      cell.latMax = Math.max(cell.latMax, table.lat[v]!);
      cell.lngMin = Math.min(cell.lngMin, table.lng[v]!);
      cell.lngMax = Math.max(cell.lngMax, table.lng[v]!);
      cell.cosMin = Math.min(cell.cosMin, table.cosLat[v]!);
    }
    return { ...cell, members: Int32Array.from(list) };
  });
  const first = (xs: number[]) => (xs.length ? staticUB[xs[0]!]! : -Infinity);
  return {
    cells,
    located: Int32Array.from(located),
    unlocated: Int32Array.from(unlocated),
    maxStatic: Math.max(first(located), first(unlocated)),
  };
}

/**
 * A lower bound of the metres from `p` to anyone in the cell: the haversine of the smallest
 * latitude and longitude differences to its box with the smallest cosine, each of which the
 * formula only grows with.
 */
function nearestMetres(c: Cell, p: { lat: number; lng: number }, cosP: number): number {
  const dLat = Math.max(0, c.latMin - p.lat, p.lat - c.latMax);
  const dLng = Math.max(0, c.lngMin - p.lng, p.lng - c.lngMax);
  if (dLat === 0 && dLng === 0) return 0;
  const rLat = (dLat * Math.PI) / 180;
  const rLng = (dLng * Math.PI) / 180;
  const h = Math.sin(rLat / 2) ** 2 + cosP * c.cosMin * Math.sin(rLng / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * Each task's k best volunteers (index into `Week.cands`, and the score without fairness), best
 * first, equal scores to the lower index.
 *
 * Scoring every volunteer with the skill against every task would be the whole cost (3 million
 * pairs for 1,000 x 5,000), so the lists are built with bounds: a volunteer's score is at most its
 * task-independent parts, plus full availability, plus the distance part at the nearest point of
 * its ~250 m cell. Cells are visited nearest first and each cell's volunteers best bound first, so
 * the k-th best rises at once and most of the rest fall to one comparison, and a volunteer who
 * passes that is scored for availability (one bit test for most) before distance. The lists equal
 * a full scan's (the unit test holds them so).
 */
class Shortlists {
  readonly v: Int32Array;
  readonly base: Float64Array;
  readonly n: Int32Array;
  private readonly topV: Int32Array;
  private readonly topS: Float64Array;
  private readonly topB: Float64Array;
  private kept = 0;
  private keys = new Float64Array(16);
  /** The bounds hold only while no part can pull a score down; a negative weight scans everyone. */
  private readonly prunable: boolean;

  constructor(
    private readonly week: Week,
    readonly K: number,
  ) {
    this.v = new Int32Array(week.T * K);
    this.base = new Float64Array(week.T * K);
    this.n = new Int32Array(week.T);
    this.topV = new Int32Array(K);
    this.topS = new Float64Array(K);
    this.topB = new Float64Array(K);
    this.prunable = Object.values(week.w).every((x) => x >= 0);
    for (let t = 0; t < week.T; t++) this.first(t);
  }

  /** The base score of v for t when v is on t's list, else NaN. */
  baseOf(t: number, v: number): number {
    for (let j = t * this.K, end = j + this.n[t]!; j < end; j++) if (this.v[j] === v) return this.base[j]!;
    return Number.NaN;
  }

  /** Replaces t's list by the k best of `vs` by `rank` (a fresh look once the list ran dry). */
  refill(t: number, vs: readonly number[], rank: (v: number, base: number) => number | null): void {
    this.kept = 0;
    for (const v of vs) {
      const base = this.week.base(v, t);
      const s = rank(v, base);
      if (s !== null) this.keep(v, s, base);
    }
    this.store(t);
  }

  private better(s: number, v: number, j: number): boolean {
    return s > this.topS[j]! || (s === this.topS[j] && v < this.topV[j]!);
  }

  private keep(v: number, s: number, base: number): void {
    const { K, topS, topV, topB } = this;
    if (this.kept === K && !this.better(s, v, K - 1)) return;
    let j = this.kept < K ? this.kept++ : K - 1;
    for (; j > 0 && this.better(s, v, j - 1); j--) {
      topS[j] = topS[j - 1]!;
      topV[j] = topV[j - 1]!;
      topB[j] = topB[j - 1]!;
    }
    topS[j] = s;
    topV[j] = v;
    topB[j] = base;
  }

  private store(t: number): void {
    const at = t * this.K;
    for (let j = 0; j < this.kept; j++) {
      this.v[at + j] = this.topV[j]!;
      this.base[at + j] = this.topB[j]!;
    }
    this.n[t] = this.kept;
  }

  /** The k-th best so far less the slack, or -Infinity while the list is not full. */
  private floor(): number {
    return this.kept === this.K && this.prunable ? this.topS[this.K - 1]! - BOUND_EPS : -Infinity;
  }

  /** Scores v for t unless its bound cannot make the list; false when nobody after v in bound order can. */
  private consider(t: number, v: number, distUB: number): boolean {
    const { week } = this;
    const { w, staticUB } = week;
    const floor = this.floor();
    if (staticUB[v]! + w.availability + w.distance * distUB < floor) return false;
    if (week.used0[v]! + week.dur[t]! > week.cap[v]!) return true;
    const pt = week.prepared[t]!;
    const a = week.table.availability(v, pt);
    if (staticUB[v]! + w.availability * a + w.distance * distUB < floor) return true;
    const d = distancePart(week.table.metres(v, pt));
    // Skill is 1: v is in the task's skill group. Same sum as VolunteerTable.baseScore.
    const base = weightedBase(w, 1, d, a, week.table.rating[v]!, week.history(v, pt));
    this.keep(v, base + w.fairness * week.fair0[v]!, base);
    return true;
  }

  private first(t: number): void {
    const { week } = this;
    const { w } = week;
    this.kept = 0;
    const pt = week.prepared[t]!;
    const g = week.groups.get(pt.skill);
    if (g) {
      for (const v of g.unlocated) if (!this.consider(t, v, UNKNOWN_DISTANCE_PART)) break;
      const here = pt.location;
      if (!here) {
        for (const v of g.located) if (!this.consider(t, v, UNKNOWN_DISTANCE_PART)) break;
      } else {
        const n = g.cells.length;
        if (this.keys.length < n) this.keys = new Float64Array(n * 2);
        const keys = this.keys;
        for (let i = 0; i < n; i++) {
          // Whole metres, then the cell's index: one numeric sort orders the cells nearest first.
          keys[i] = Math.floor(nearestMetres(g.cells[i]!, here, pt.cosLat)) * CELL_SLOTS + i;
        }
        const order = keys.subarray(0, n).sort();
        for (let j = 0; j < n; j++) {
          const i = order[j]! % CELL_SLOTS;
          const metres = (order[j]! - i) / CELL_SLOTS;
          const distUB = distancePart(metres);
          // Every later cell is at least this far: nobody left can make the list.
          if (g.maxStatic + w.availability + w.distance * distUB < this.floor()) break;
          for (const v of g.cells[i]!.members) if (!this.consider(t, v, distUB)) break;
        }
      }
    }
    this.store(t);
  }
}

/**
 * Each task's `k` best qualified volunteers by score, best first (the shortlists the assignment
 * starts from; for tests and tuning).
 */
export function shortlistVolunteers(
  input: Pick<AssignmentInput, 'tasks' | 'candidates' | 'weights'>,
  k: number,
): { candidateId: string; score: number }[][] {
  const week = new Week(input.tasks, input.candidates, input.weights ?? DEFAULT_MATCH_WEIGHTS);
  const lists = new Shortlists(week, k);
  return Array.from({ length: week.T }, (_, t) =>
    Array.from({ length: lists.n[t]! }, (_, j) => {
      const v = lists.v[t * k + j]!;
      return {
        candidateId: week.cands[v]!.id,
        score: lists.base[t * k + j]! + week.w.fairness * week.fair0[v]!,
      };
    }),
  );
}

/** Who has what, and the objective's arithmetic over it. */
class Plan {
  readonly tasksOf: number[][];
  readonly minutes: Float64Array;
  readonly assignedTo: Int32Array;
  readonly assignedBase: Float64Array;
  count = 0;

  constructor(private readonly week: Week) {
    this.tasksOf = Array.from({ length: week.V }, () => []);
    this.minutes = new Float64Array(week.V);
    this.assignedTo = new Int32Array(week.T).fill(-1);
    this.assignedBase = new Float64Array(week.T);
  }

  /** Whether v can take `add` once `rem` (or nothing, -1) is taken off them. */
  fits(v: number, add: number, rem: number): boolean {
    const { used0, cap, dur, blockStart, blockEnd } = this.week;
    if (used0[v]! + this.minutes[v]! - (rem >= 0 ? dur[rem]! : 0) + dur[add]! > cap[v]!) return false;
    const s = blockStart[add]!;
    const e = blockEnd[add]!;
    for (const o of this.tasksOf[v]!) if (o !== rem && s < blockEnd[o]! && blockStart[o]! < e) return false;
    return true;
  }

  /** v's share of the objective with `rem` taken off and `add` (base score `addBase`) put on; -1 for none. */
  valueWith(v: number, rem: number, add: number, addBase: number): number {
    const { dur, w } = this.week;
    const own = this.tasksOf[v]!;
    let total = add >= 0 ? dur[add]! : 0;
    for (const o of own) if (o !== rem) total += dur[o]!;
    let value = add >= 0 ? addBase + w.fairness * this.week.fair(v, total - dur[add]!) : 0;
    for (const o of own)
      if (o !== rem) value += this.assignedBase[o]! + w.fairness * this.week.fair(v, total - dur[o]!);
    return value;
  }

  value(v: number): number {
    return this.tasksOf[v]!.length === 0 ? 0 : this.valueWith(v, -1, -1, 0);
  }

  /** What giving t to v adds to the objective. */
  gain(v: number, t: number, base: number): number {
    if (this.tasksOf[v]!.length === 0) return base + this.week.w.fairness * this.week.fair0[v]!;
    return this.valueWith(v, -1, t, base) - this.value(v);
  }

  put(t: number, v: number, base: number): void {
    this.assignedTo[t] = v;
    this.assignedBase[t] = base;
    this.tasksOf[v]!.push(t);
    this.minutes[v]! += this.week.dur[t]!;
    this.count += 1;
  }

  take(t: number): void {
    const v = this.assignedTo[t]!;
    const own = this.tasksOf[v]!;
    own.splice(own.indexOf(t), 1);
    this.minutes[v]! -= this.week.dur[t]!;
    this.assignedTo[t] = -1;
    this.count -= 1;
  }
}

/** The regret greedy (step 2). */
function greedy(week: Week, lists: Shortlists, plan: Plan): void {
  const { T } = week;
  const { K } = lists;
  // Which tasks list each volunteer: after v takes a task, only those can change their choice.
  const listing: number[][] = Array.from({ length: week.V }, () => []);
  for (let t = 0; t < T; t++) for (let j = 0; j < lists.n[t]!; j++) listing[lists.v[t * K + j]!]!.push(t);
  const version = new Int32Array(T);
  const bestV = new Int32Array(T).fill(-1);
  const secondV = new Int32Array(T).fill(-1);
  const bestBase = new Float64Array(T);
  const refilled = new Uint8Array(T);
  const heap = new Heap();

  const evaluate = (t: number): void => {
    let g1 = -Infinity;
    let g2 = -Infinity;
    let v1 = -1;
    let v2 = -1;
    let b1 = 0;
    for (let j = t * K, end = j + lists.n[t]!; j < end; j++) {
      const v = lists.v[j]!;
      if (!plan.fits(v, t, -1)) continue;
      const g = plan.gain(v, t, lists.base[j]!);
      if (g > g1) {
        g2 = g1;
        v2 = v1;
        g1 = g;
        v1 = v;
        b1 = lists.base[j]!;
      } else if (g > g2) {
        g2 = g;
        v2 = v;
      }
    }
    if (v1 < 0 && !refilled[t]) {
      // Everyone listed is used up: look at everyone with the skill, as things stand now.
      refilled[t] = 1;
      const before = new Set(lists.v.subarray(t * K, t * K + lists.n[t]!));
      lists.refill(t, week.bySkill.get(week.prepared[t]!.skill) ?? [], (v, base) =>
        plan.fits(v, t, -1) ? plan.gain(v, t, base) : null,
      );
      for (let j = t * K, end = j + lists.n[t]!; j < end; j++)
        if (!before.has(lists.v[j]!)) listing[lists.v[j]!]!.push(t);
      evaluate(t);
      return;
    }
    bestV[t] = v1;
    secondV[t] = v2;
    bestBase[t] = b1;
    if (v1 < 0) return;
    version[t]! += 1;
    // What the task is worth now plus half of what it would lose by waiting (its regret; with one
    // option left, the whole gain). Pure regret seats tasks with few options even when they score
    // little, which costs total score when volunteers are scarce; pure gain strands tasks that
    // have a single suitable volunteer. Half and half did best on sampled weeks of both kinds.
    heap.push(g1 + REGRET_WEIGHT * (g1 - (v2 < 0 ? 0 : g2)), t, version[t]!);
  };

  for (let t = 0; t < T; t++) evaluate(t);
  while (heap.size > 0) {
    const { t, ver } = heap.pop();
    if (ver !== version[t] || plan.assignedTo[t] !== -1 || bestV[t]! < 0) continue;
    const v = bestV[t]!;
    plan.put(t, v, bestBase[t]!);
    // Taking a task lowers what v offers the others (more load, fewer free hours), so only the
    // tasks whose best or second best v was can change their choice or their regret.
    for (const o of listing[v]!)
      if (plan.assignedTo[o] === -1 && (bestV[o] === v || secondV[o] === v)) evaluate(o);
  }
}

/** Longest chain of displaced tasks the local search follows (volunteers changed beyond the first). */
const CHAIN_DEPTH = 6;
/** Volunteers with room kept per task as a chain's last step (a few, in case the chain uses one). */
const SINKS = 3;

interface Improvement {
  /** Tasks in order: each moves to the next one's volunteer, in its place. */
  chain: number[];
  /** Where the last one goes: a volunteer with room, -1 out (unassigned), or -2 the first one's volunteer. */
  end: number;
  count: number;
  gain: number;
}

/**
 * One round of local search (step 3) on the improvement graph: an edge x -> y means task x takes
 * task y's place with y's volunteer (who must then fit x without y), weighted by that volunteer's
 * exact change of the objective. A chain of such edges from t either closes into a cycle (the
 * volunteers trade tasks), ends at a volunteer with room, or, when t had nobody, ends with the
 * last task displaced dropping out (t scores more in the chain than it does). Chains are grown
 * from every task at once, best gain per task per step, at most CHAIN_DEPTH long and never
 * touching a volunteer twice, so each gain is exact; then the improving ones that share no task
 * or volunteer are applied, by (tasks assigned, gain). With one task per volunteer these are the
 * augmenting paths and cycles of the assignment problem, which is why the result nears the exact
 * optimum there. Returns whether anything improved.
 */
function improveRound(week: Week, lists: Shortlists, plan: Plan): boolean {
  const { T } = week;
  const { K } = lists;
  const vol = plan.assignedTo;
  const leave = new Float64Array(T);
  for (let x = 0; x < T; x++)
    if (vol[x]! >= 0) leave[x] = plan.valueWith(vol[x]!, x, -1, 0) - plan.value(vol[x]!);

  // Edges (CSR) and each task's best volunteers with room.
  const edgeStart = new Int32Array(T + 1);
  const edgeTo: number[] = [];
  const edgeGain: number[] = [];
  const sinkV = new Int32Array(T * SINKS).fill(-1);
  const sinkGain = new Float64Array(T * SINKS);
  const value = new Float64Array(week.V).fill(Number.NaN);
  const valueAt = (u: number) => {
    if (Number.isNaN(value[u]!)) value[u] = plan.value(u);
    return value[u]!;
  };
  for (let x = 0; x < T; x++) {
    edgeStart[x] = edgeTo.length;
    for (let j = x * K, end = j + lists.n[x]!; j < end; j++) {
      const u = lists.v[j]!;
      if (u === vol[x]) continue;
      const base = lists.base[j]!;
      if (plan.fits(u, x, -1)) {
        const g = plan.valueWith(u, -1, x, base) - valueAt(u);
        // Insert into x's few best sinks.
        let i = SINKS - 1;
        if (sinkV[x * SINKS + i]! >= 0 && !(g > sinkGain[x * SINKS + i]!)) continue;
        for (; i > 0 && (sinkV[x * SINKS + i - 1]! < 0 || g > sinkGain[x * SINKS + i - 1]!); i--) {
          sinkV[x * SINKS + i] = sinkV[x * SINKS + i - 1]!;
          sinkGain[x * SINKS + i] = sinkGain[x * SINKS + i - 1]!;
        }
        sinkV[x * SINKS + i] = u;
        sinkGain[x * SINKS + i] = g;
        continue;
      }
      for (const y of plan.tasksOf[u]!) {
        if (!plan.fits(u, x, y)) continue;
        edgeTo.push(y);
        edgeGain.push(plan.valueWith(u, y, x, base) - valueAt(u));
      }
    }
  }
  edgeStart[T] = edgeTo.length;

  // Chains grown from every task at once: the best gain of a chain now holding x in hand.
  const label = new Float64Array(T);
  const path: (number[] | null)[] = Array.from({ length: T }, (_, x) => [x]);
  for (let x = 0; x < T; x++) label[x] = leave[x]!;
  const found: Improvement[] = [];
  const touches = (p: number[], u: number) => {
    if (vol[p[0]!] === u) return true;
    for (let i = 1; i < p.length; i++) if (vol[p[i]!] === u) return true;
    return false;
  };
  const ends = (x: number) => {
    const p = path[x]!;
    const start = p[0]!;
    const seated = vol[start]! >= 0;
    for (let i = 0; i < SINKS; i++) {
      const u = sinkV[x * SINKS + i]!;
      if (u < 0) break;
      if (touches(p, u)) continue;
      found.push({ chain: p, end: u, count: seated ? 0 : 1, gain: label[x]! + sinkGain[x * SINKS + i]! });
      break;
    }
    if (!seated && p.length > 1 && label[x]! > EPS)
      found.push({ chain: p, end: -1, count: 0, gain: label[x]! });
  };
  let frontier: number[] = [];
  for (let x = 0; x < T; x++) {
    ends(x);
    frontier.push(x);
  }
  for (let depth = 1; depth <= CHAIN_DEPTH && frontier.length > 0; depth++) {
    const next: number[] = [];
    const queued = new Uint8Array(T);
    for (const x of frontier) {
      const p = path[x]!;
      for (let e = edgeStart[x]!; e < edgeStart[x + 1]!; e++) {
        const y = edgeTo[e]!;
        const g = label[x]! + edgeGain[e]!;
        if (y === p[0]) {
          // Closes a cycle: y's volunteer gets x in place of y, instead of just losing y.
          if (p.length > 1) found.push({ chain: p, end: -2, count: 0, gain: g - leave[y]! });
          continue;
        }
        if (p.includes(y) || touches(p, vol[y]!)) continue;
        if (path[y]!.length > 1 && !(g > label[y]! + EPS)) continue;
        if (path[y]!.length === 1 && !(g > label[y]! + EPS) && vol[y]! >= 0) continue;
        label[y] = g;
        path[y] = [...p, y];
        if (!queued[y]) {
          queued[y] = 1;
          next.push(y);
        }
      }
    }
    for (const y of next) ends(y);
    frontier = next;
  }

  // Apply the improving ones that share nothing, best first.
  const improving = found.filter((f) => f.count > 0 || f.gain > EPS);
  improving.sort((a, b) => b.count - a.count || b.gain - a.gain || a.chain[0]! - b.chain[0]!);
  const busyTask = new Uint8Array(T);
  const busyVol = new Uint8Array(week.V);
  let applied = false;
  for (const f of improving) {
    const c = f.chain;
    const vols = c.map((x) => vol[x]!).filter((u) => u >= 0);
    if (f.end >= 0) vols.push(f.end);
    if (c.some((x) => busyTask[x]) || vols.some((u) => busyVol[u])) continue;
    // Each moves to the next one's volunteer; the last to the end.
    const moves: [number, number][] = [];
    for (let i = 0; i + 1 < c.length; i++) moves.push([c[i]!, vol[c[i + 1]!]!]);
    const last = c[c.length - 1]!;
    if (f.end >= 0) moves.push([last, f.end]);
    else if (f.end === -2) moves.push([last, vol[c[0]!]!]);
    const bases = moves.map(([x, u]) => lists.baseOf(x, u));
    for (const x of c) if (vol[x]! >= 0) plan.take(x);
    for (let i = 0; i < moves.length; i++) plan.put(moves[i]![0], moves[i]![1], bases[i]!);
    for (const x of c) busyTask[x] = 1;
    for (const u of vols) busyVol[u] = 1;
    applied = true;
  }
  return applied;
}

export function assignWeek(input: AssignmentInput): AssignmentResult {
  const week = new Week(input.tasks, input.candidates, input.weights ?? DEFAULT_MATCH_WEIGHTS);
  const lists = new Shortlists(week, Math.max(2, Math.floor(input.topK ?? 32)));
  const plan = new Plan(week);
  greedy(week, lists, plan);
  const maxPasses = input.maxPasses ?? 20;
  for (let pass = 0; pass < maxPasses && improveRound(week, lists, plan); pass++) {}

  const pairs: AssignmentResult['pairs'] = [];
  const unassigned: number[] = [];
  let totalScore = 0;
  for (let t = 0; t < week.T; t++) {
    const v = plan.assignedTo[t]!;
    if (v < 0) {
      unassigned.push(t);
      continue;
    }
    const score = plan.assignedBase[t]! + week.w.fairness * week.fair(v, plan.minutes[v]! - week.dur[t]!);
    pairs.push({ taskIndex: t, candidateId: week.cands[v]!.id, score });
    totalScore += score;
  }
  return { pairs, unassigned, totalScore };
}

/** Max-heap of (priority, task, version), equal priorities to the lower task index. */
class Heap {
  private readonly p: number[] = [];
  private readonly t: number[] = [];
  private readonly ver: number[] = [];

  get size(): number {
    return this.p.length;
  }

  private above(i: number, j: number): boolean {
    return this.p[i]! > this.p[j]! || (this.p[i] === this.p[j] && this.t[i]! < this.t[j]!);
  }

  private swap(i: number, j: number): void {
    const { p, t, ver } = this;
    [p[i], p[j]] = [p[j]!, p[i]!];
    [t[i], t[j]] = [t[j]!, t[i]!];
    [ver[i], ver[j]] = [ver[j]!, ver[i]!];
  }

  push(priority: number, task: number, version: number): void {
    this.p.push(priority);
    this.t.push(task);
    this.ver.push(version);
    for (let i = this.p.length - 1; i > 0; ) {
      const up = (i - 1) >> 1;
      if (!this.above(i, up)) break;
      this.swap(i, up);
      i = up;
    }
  }

  pop(): { t: number; ver: number } {
    const top = { t: this.t[0]!, ver: this.ver[0]! };
    const last = this.p.length - 1;
    this.swap(0, last);
    this.p.pop();
    this.t.pop();
    this.ver.pop();
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < last && this.above(l, m)) m = l;
      if (r < last && this.above(r, m)) m = r;
      if (m === i) break;
      this.swap(i, m);
      i = m;
    }
    return top;
  }
}

/**
 * Exact optimum of a rectangular assignment (each task to at most one candidate and each candidate
 * to at most one task), maximising the total score; -Infinity (or NaN) marks a pair that is not
 * allowed, and a pair that would lower the total is left out. Shortest augmenting paths with
 * potentials (the Hungarian method in its O(n^2 m) form) on the cost -score, with one zero-cost
 * "nobody" column per row so that leaving a task unassigned is always possible.
 */
export function optimalAssignment(scores: number[][]): { total: number; pairs: [number, number][] } {
  const n = scores.length;
  const m = n === 0 ? 0 : scores[0]!.length;
  for (const row of scores) if (row.length !== m) throw new RangeError('scores must be rectangular');
  if (n === 0 || m === 0) return { total: 0, pairs: [] };
  const allowed = (x: number) => Number.isFinite(x);
  // The n^2 factor goes to the smaller side.
  const flip = n > m;
  const rows = flip ? m : n;
  const cols = flip ? n : m;
  const at = (r: number, c: number) => (flip ? scores[c]![r]! : scores[r]![c]!);
  let maxAbs = 0;
  for (const row of scores) for (const x of row) if (allowed(x)) maxAbs = Math.max(maxAbs, Math.abs(x));
  // Dearer than anything a disallowed pair could enable elsewhere, so "nobody" always beats it.
  const forbidden = 2 * (rows + 1) * (maxAbs + 1);
  const M = cols + rows;
  const cost = new Float64Array(rows * M);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) {
      const x = at(r, c);
      cost[r * M + c] = allowed(x) ? -x : forbidden;
    }

  // 1-based rows and columns; row 0 and column 0 are the method's sentinels.
  const u = new Float64Array(rows + 1);
  const pot = new Float64Array(M + 1);
  const match = new Int32Array(M + 1);
  const way = new Int32Array(M + 1);
  const minv = new Float64Array(M + 1);
  const done = new Uint8Array(M + 1);
  for (let i = 1; i <= rows; i++) {
    match[0] = i;
    let j0 = 0;
    minv.fill(Infinity);
    done.fill(0);
    do {
      done[j0] = 1;
      const i0 = match[j0]!;
      const off = (i0 - 1) * M - 1;
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= M; j++) {
        if (done[j]) continue;
        const cur = cost[off + j]! - u[i0]! - pot[j]!;
        if (cur < minv[j]!) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j]! < delta) {
          delta = minv[j]!;
          j1 = j;
        }
      }
      for (let j = 0; j <= M; j++) {
        if (done[j]) {
          u[match[j]!]! += delta;
          pot[j]! -= delta;
        } else minv[j]! -= delta;
      }
      j0 = j1;
    } while (match[j0] !== 0);
    do {
      const j1 = way[j0]!;
      match[j0] = match[j1]!;
      j0 = j1;
    } while (j0 !== 0);
  }

  const pairs: [number, number][] = [];
  let total = 0;
  for (let j = 1; j <= cols; j++) {
    const r = match[j]! - 1;
    if (r < 0) continue;
    const x = at(r, j - 1);
    if (!allowed(x)) continue;
    pairs.push(flip ? [j - 1, r] : [r, j - 1]);
    total += x;
  }
  pairs.sort((a, b) => a[0] - b[0]);
  return { total, pairs };
}
