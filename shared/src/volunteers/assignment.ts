import {
  DECLINE_LOAD_MINUTES,
  DEFAULT_MATCH_WEIGHTS,
  distancePart,
  HISTORY_SATURATION,
  historyPart,
  type MatchCandidate,
  type MatchTask,
  type MatchWeights,
  prepareTask,
  UNKNOWN_DISTANCE_PART,
  VolunteerTable,
  weightedBase,
} from './matching';

/**
 * The weekly assignment of visit tasks: each task to at most one qualified volunteer, within each
 * volunteer's remaining weekly cap and never two tasks with overlapping windows for one volunteer.
 *
 * The objective is the sum of each pair's score, where the fairness part of a pair sees the
 * volunteer's week including their other tasks in this assignment (1 - (load + minutes of the
 * other tasks) / cap). That makes stacking visits on one keen neighbour cost something, keeps the
 * objective independent of the order tasks were handed out, and with one task per volunteer it is
 * exactly the sum of `scoreCandidate` scores that `optimalAssignment` maximises.
 *
 * Method, and why: caps in minutes plus the no-overlap rule make this a generalised assignment
 * problem (NP-hard), so an exact Hungarian or auction does not apply beyond one task per
 * volunteer. Instead:
 * 1. prune: each task keeps its top-k volunteers (k = 32) by score; a week's task is nearly always
 *    won by one of its best few dozen, and 1,000 x 5,000 scores become 32,000 candidate pairs;
 * 2. regret greedy: repeatedly settle the task that would lose most by waiting (best marginal gain
 *    minus second best, a task with one option first), so a task with a single nearby volunteer
 *    is not robbed by one that has many. Only tasks listing the volunteer just used are
 *    re-evaluated, so the greedy is exact about the current state yet costs a few heap operations
 *    per assignment; a task whose list runs dry rescans everyone with its skill;
 * 3. local search: relocate one task, swap two tasks between volunteers, and eject a task to make
 *    room for an unassigned one, each with its exact change of the objective, until nothing
 *    improves. On sampled one-task-per-volunteer instances this lands within a percent or two of
 *    the optimum (the bench prints the ratio).
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
/** Metres per degree of latitude on the sphere `distanceMetres` uses. */
const METRES_PER_DEGREE = (6_371_000 * Math.PI) / 180;

export function assignWeek(input: AssignmentInput): AssignmentResult {
  const T00 = performance.now();
  const w = input.weights ?? DEFAULT_MATCH_WEIGHTS;
  const K = Math.max(2, Math.floor(input.topK ?? 32));
  const maxPasses = input.maxPasses ?? 10;
  const { tasks } = input;
  const T = tasks.length;

  // On-duty volunteers in id order: every tie below falls to the lower index, hence the lower id.
  const cands = input.candidates
    .filter((c) => c.onDuty)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const V = cands.length;
  const table = new VolunteerTable(cands);
  const used0 = new Float64Array(V);
  const cap = new Float64Array(V);
  const fairLoad = new Float64Array(V);
  const bySkill = new Map<string, number[]>();
  for (let v = 0; v < V; v++) {
    const c = cands[v]!;
    used0[v] = c.weekMinutes;
    cap[v] = c.weeklyCapMinutes;
    fairLoad[v] = c.weekMinutes + DECLINE_LOAD_MINUTES * c.declinedThisWeek;
    for (const s of new Set(c.skills)) {
      let g = bySkill.get(s);
      if (!g) bySkill.set(s, (g = []));
      g.push(v);
    }
  }
  const wF = w.fairness;
  /** The fairness part with `extra` minutes of this assignment on top of the volunteer's week. */
  const fair = (v: number, extra: number) => {
    if (!(cap[v]! > 0)) return 0;
    const f = 1 - (fairLoad[v]! + extra) / cap[v]!;
    return f < 0 ? 0 : f > 1 ? 1 : f;
  };

  const prepared = tasks.map(prepareTask);
  const dur = new Float64Array(T);
  const blockStart = new Float64Array(T);
  const blockEnd = new Float64Array(T);
  for (let t = 0; t < T; t++) {
    const task = tasks[t]!;
    dur[t] = task.durationMin;
    blockStart[t] = task.windowStart.getTime();
    blockEnd[t] = Math.max(task.windowEnd.getTime(), blockStart[t]! + task.durationMin * 60_000);
  }

  // State: each volunteer's tasks in this assignment and their minutes; each task's volunteer.
  const tasksOf: number[][] = Array.from({ length: V }, () => []);
  const minutes = new Float64Array(V);
  const assignedTo = new Int32Array(T).fill(-1);
  const assignedBase = new Float64Array(T);

  /** Whether v can take `add` once `rem` (or nothing, -1) is taken off them. */
  const fits = (v: number, add: number, rem: number): boolean => {
    if (used0[v]! + minutes[v]! - (rem >= 0 ? dur[rem]! : 0) + dur[add]! > cap[v]!) return false;
    for (const o of tasksOf[v]!)
      if (o !== rem && blockStart[add]! < blockEnd[o]! && blockStart[o]! < blockEnd[add]!) return false;
    return true;
  };
  /** v's share of the objective with `rem` taken off and `add` (base score `addBase`) put on. */
  const valueWith = (v: number, rem: number, add: number, addBase: number): number => {
    const own = tasksOf[v]!;
    let total = add >= 0 ? dur[add]! : 0;
    for (const o of own) if (o !== rem) total += dur[o]!;
    let value = add >= 0 ? addBase + wF * fair(v, total - dur[add]!) : 0;
    for (const o of own) if (o !== rem) value += assignedBase[o]! + wF * fair(v, total - dur[o]!);
    return value;
  };
  const gainOf = (v: number, t: number, base: number) =>
    tasksOf[v]!.length === 0 ? base + wF * fair(v, 0) : valueWith(v, -1, t, base) - valueWith(v, -1, -1, 0);

  const put = (t: number, v: number, base: number) => {
    assignedTo[t] = v;
    assignedBase[t] = base;
    tasksOf[v]!.push(t);
    minutes[v]! += dur[t]!;
  };
  const take = (t: number) => {
    const v = assignedTo[t]!;
    const own = tasksOf[v]!;
    own.splice(own.indexOf(t), 1);
    minutes[v]! -= dur[t]!;
    assignedTo[t] = -1;
  };

  // 1. Top-k lists, best first by score at the volunteers' current week (ties by index).
  const listV = new Int32Array(T * K);
  const listB = new Float64Array(T * K);
  const listN = new Int32Array(T);
  const topV = new Int32Array(K);
  const topS = new Float64Array(K);
  const topB = new Float64Array(K);
  let kept = 0;
  const better = (s: number, v: number, j: number) => s > topS[j]! || (s === topS[j] && v < topV[j]!);
  const keep = (v: number, s: number, base: number) => {
    if (kept === K && !better(s, v, K - 1)) return;
    let j = kept < K ? kept++ : K - 1;
    for (; j > 0 && better(s, v, j - 1); j--) {
      topS[j] = topS[j - 1]!;
      topV[j] = topV[j - 1]!;
      topB[j] = topB[j - 1]!;
    }
    topS[j] = s;
    topV[j] = v;
    topB[j] = base;
  };
  const T0 = performance.now();
  const rev: number[][] = Array.from({ length: V }, () => []);
  const store = (t: number) => {
    const before = new Set(listV.subarray(t * K, t * K + listN[t]!));
    for (let j = 0; j < kept; j++) {
      listV[t * K + j] = topV[j]!;
      listB[t * K + j] = topB[j]!;
      if (!before.has(topV[j]!)) rev[topV[j]!]!.push(t);
    }
    listN[t] = kept;
  };

  // Scoring every volunteer with the skill against every task is the whole cost (3 million pairs
  // for 1,000 x 5,000), so the first lists prune with bounds instead. A volunteer's bound is the
  // parts that do not depend on the task (history at its best with any elder), full availability,
  // and the distance part at the nearest point of their ~250 m cell. Cells are visited nearest
  // first and each cell's volunteers best bound first, so the k-th best rises at once and the
  // rest fall to one comparison. The lists equal a full scan's (the unit test holds them so).
  const fair0 = new Float64Array(V);
  const staticUB = new Float64Array(V);
  for (let v = 0; v < V; v++) {
    const c = cands[v]!;
    fair0[v] = fair(v, 0);
    let most = c.goodVisitsWithElder;
    if (c.goodVisitsByElder) for (const n of c.goodVisitsByElder.values()) most = Math.max(most, n);
    staticUB[v] =
      w.skill + w.rating * table.rating[v]! + w.history * Math.min(1, Math.max(0, most) / HISTORY_SATURATION) + wF * fair0[v]!;
  }
  const groups = new Map<string, Group>();
  for (const [skill, members] of bySkill) groups.set(skill, groupOf(members, cands, table, staticUB));
  const BOUND_EPS = 1e-9;
  const wA = w.availability;
  const wD = w.distance;
  let keys = new Float64Array(16);
  const firstList = (t: number) => {
    kept = 0;
    const g = groups.get(prepared[t]!.skill);
    const pt = prepared[t]!;
    /** Scores v unless its bound cannot make the list; false when nobody after it in `byBound` order can either. */
    const consider = (v: number, distUB: number): boolean => {
      const kth = kept === K ? topS[K - 1]! - BOUND_EPS : -Infinity;
      if (staticUB[v]! + wA + wD * distUB < kth) return false;
      if (used0[v]! + dur[t]! > cap[v]!) return true;
      const a = table.availability(v, pt);
      if (staticUB[v]! + wA * a + wD * distUB < kth) return true;
      const d = distancePart(table.metres(v, pt));
      const base = weightedBase(w, 1, d, a, table.rating[v]!, historyPart(cands[v]!, pt.elderId));
      keep(v, base + wF * fair0[v]!, base);
      return true;
    };
    if (g) {
      for (const v of g.unlocated) if (!consider(v, UNKNOWN_DISTANCE_PART)) break;
      const here = pt.location;
      if (!here) {
        for (const v of g.located) if (!consider(v, UNKNOWN_DISTANCE_PART)) break;
      } else {
        const n = g.cells.length;
        if (keys.length < n) keys = new Float64Array(n * 2);
        const near = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          near[i] = nearestMetres(g.cells[i]!, here, pt.cosLat);
          // Whole metres then the cell's index: one numeric sort orders the cells nearest first.
          keys[i] = Math.floor(near[i]!) * CELL_SLOTS + i;
        }
        const order = keys.subarray(0, n).sort();
        for (let j = 0; j < n; j++) {
          const i = order[j]! % CELL_SLOTS;
          const floorMetres = (order[j]! - i) / CELL_SLOTS;
          // Every later cell is at least this far: nobody left can make the list.
          if (kept === K && g.maxStatic + wA + wD * distancePart(floorMetres) < topS[K - 1]! - BOUND_EPS) break;
          const distUB = distancePart(near[i]!);
          for (const v of g.cells[i]!.members) if (!consider(v, distUB)) break;
        }
      }
    }
    store(t);
  };
  for (let t = 0; t < T; t++) firstList(t);
  /** A fresh list for t from everyone with the skill, by marginal gain as things stand now. */
  const rescanList = (t: number) => {
    kept = 0;
    for (const v of bySkill.get(prepared[t]!.skill) ?? []) {
      if (!fits(v, t, -1)) continue;
      const base = table.baseScore(v, prepared[t]!, w);
      keep(v, gainOf(v, t, base), base);
    }
    store(t);
  };
  const baseIn = (t: number, v: number): number => {
    for (let j = t * K, end = j + listN[t]!; j < end; j++) if (listV[j] === v) return listB[j]!;
    return Number.NaN;
  };

  const T1 = performance.now();
  // 2. Regret greedy over a lazy max-heap of (priority, task, version).
  const version = new Int32Array(T);
  const bestV = new Int32Array(T).fill(-1);
  const secondV = new Int32Array(T).fill(-1);
  const bestBase = new Float64Array(T);
  const rescanned = new Uint8Array(T);
  const heap = new Heap();
  const evaluate = (t: number): void => {
    let g1 = -Infinity;
    let g2 = -Infinity;
    let v1 = -1;
    let v2 = -1;
    let b1 = 0;
    for (let j = t * K, end = j + listN[t]!; j < end; j++) {
      const v = listV[j]!;
      if (!fits(v, t, -1)) continue;
      const g = gainOf(v, t, listB[j]!);
      if (g > g1) {
        g2 = g1;
        v2 = v1;
        g1 = g;
        v1 = v;
        b1 = listB[j]!;
      } else if (g > g2) {
        g2 = g;
        v2 = v;
      }
    }
    if (v1 < 0 && !rescanned[t]) {
      // Every listed volunteer is used up: look at everyone with the skill, as things stand now.
      rescanned[t] = 1;
      rescanList(t);
      return evaluate(t);
    }
    bestV[t] = v1;
    secondV[t] = v2;
    bestBase[t] = b1;
    if (v1 < 0) return;
    version[t]! += 1;
    // A task with one option left goes before any that still has a choice.
    heap.push(g2 === -Infinity ? 1e6 + g1 : g1 - g2, t, version[t]!);
  };
  for (let t = 0; t < T; t++) evaluate(t);
  while (heap.size > 0) {
    const { t, ver } = heap.pop();
    if (ver !== version[t] || assignedTo[t] !== -1 || bestV[t]! < 0) continue;
    const v = bestV[t]!;
    put(t, v, bestBase[t]!);
    // Taking a task only lowers what v offers the others, so only the tasks whose best or second
    // best v was can change their choice or their regret.
    for (const o of rev[v]!) if (assignedTo[o] === -1 && (bestV[o] === v || secondV[o] === v)) evaluate(o);
  }

  const T2 = performance.now();
  // 3. Local search with exact deltas.
  for (let pass = 0; pass < maxPasses; pass++) {
    let improved = false;
    for (let t = 0; t < T; t++) {
      if (improveTask(t)) improved = true;
    }
    if (!improved) break;
  }

  function improveTask(t: number): boolean {
    const v = assignedTo[t]!;
    let best = EPS;
    let move: (() => void) | null = null;
    const here = v >= 0 ? valueWith(v, -1, -1, 0) : 0;
    const without = v >= 0 ? valueWith(v, t, -1, 0) : 0;
    for (let j = t * K, end = j + listN[t]!; j < end; j++) {
      const u = listV[j]!;
      if (u === v) continue;
      const base = listB[j]!;
      const there = valueWith(u, -1, -1, 0);
      // Relocate (or, when unassigned, simply assign): t moves to u.
      if (fits(u, t, -1)) {
        const delta = valueWith(u, -1, t, base) - there + without - here;
        // An unassigned task that fits anywhere is taken, gain or not: a visit beats no visit.
        if (delta > best || (v < 0 && move === null)) {
          best = Math.max(best, delta);
          move = () => {
            if (v >= 0) take(t);
            put(t, u, base);
          };
          if (v < 0) continue;
        }
      }
      for (const o of tasksOf[u]!) {
        if (!fits(u, t, o)) continue;
        const uAfter = valueWith(u, o, t, base) - there;
        if (v >= 0) {
          // Swap: t to u, o to v.
          const ob = baseIn(o, v);
          if (Number.isNaN(ob) || !fits(v, o, t)) continue;
          const delta = uAfter + valueWith(v, t, o, ob) - here;
          if (delta > best) {
            best = delta;
            move = () => {
              take(t);
              take(o);
              put(t, u, base);
              put(o, v, ob);
            };
          }
        } else {
          // Eject o from u to make room for t; o goes to another of its volunteers if one fits.
          for (let i = o * K, oEnd = i + listN[o]!; i < oEnd; i++) {
            const x = listV[i]!;
            if (x === u || !fits(x, o, -1)) continue;
            const ob = listB[i]!;
            const delta = uAfter + valueWith(x, -1, o, ob) - valueWith(x, -1, -1, 0);
            if (delta > best || move === null) {
              best = Math.max(best, delta);
              move = () => {
                take(o);
                put(t, u, base);
                put(o, x, ob);
              };
            }
          }
        }
      }
    }
    if (!move) return false;
    move();
    return true;
  }

  if (process.env.DBG) console.log('select', T1 - T0, 'greedy', T2 - T1, 'ls', performance.now() - T2, 'prep', T0 - T00);
  const pairs: AssignmentResult['pairs'] = [];
  const unassigned: number[] = [];
  let totalScore = 0;
  for (let t = 0; t < T; t++) {
    const v = assignedTo[t]!;
    if (v < 0) {
      unassigned.push(t);
      continue;
    }
    const score = assignedBase[t]! + wF * fair(v, minutes[v]! - dur[t]!);
    pairs.push({ taskIndex: t, candidateId: cands[v]!.id, score });
    totalScore += score;
  }
  return { pairs, unassigned, totalScore };
}

/** ~250 m of latitude: a compound and its neighbour rarely share a cell. */
const CELL_DEGREES = 250 / METRES_PER_DEGREE;
const CELL_SLOTS = 2 ** 20;

/** Volunteers with one home cell: their bounding box and the smallest cos(latitude) among them. */
interface Cell {
  latMin: number;
  latMax: number;
  lngMin: number;
  lngMax: number;
  cosMin: number;
  members: Int32Array;
}

/** Everyone with one skill: located ones by cell, the rest apart; each list best static bound first. */
interface Group {
  cells: Cell[];
  located: Int32Array;
  unlocated: Int32Array;
  maxStatic: number;
}

function groupOf(
  members: number[],
  cands: readonly MatchCandidate[],
  table: VolunteerTable,
  bound: Float64Array,
): Group {
  const byBound = (x: number, y: number) => bound[y]! - bound[x]! || x - y;
  const located = members.filter((v) => cands[v]!.location).sort(byBound);
  const unlocated = members.filter((v) => !cands[v]!.location).sort(byBound);
  const meanLat = located.reduce((s, v) => s + cands[v]!.location!.lat, 0) / Math.max(1, located.length);
  const lngDegrees = CELL_DEGREES / Math.max(0.05, Math.cos((meanLat * Math.PI) / 180));
  const byCell = new Map<string, number[]>();
  for (const v of located) {
    const { lat, lng } = cands[v]!.location!;
    const key = `${Math.floor(lat / CELL_DEGREES)},${Math.floor(lng / lngDegrees)}`;
    let list = byCell.get(key);
    if (!list) byCell.set(key, (list = []));
    list.push(v);
  }
  const cells = [...byCell.values()].slice(0, CELL_SLOTS).map((list): Cell => {
    const cell = { latMin: Infinity, latMax: -Infinity, lngMin: Infinity, lngMax: -Infinity, cosMin: 1 };
    for (const v of list) {
      const { lat, lng } = cands[v]!.location!;
      cell.latMin = Math.min(cell.latMin, lat);
      cell.latMax = Math.max(cell.latMax, lat);
      cell.lngMin = Math.min(cell.lngMin, lng);
      cell.lngMax = Math.max(cell.lngMax, lng);
      cell.cosMin = Math.min(cell.cosMin, table.cosLat[v]!);
    }
    return { ...cell, members: Int32Array.from(list) };
  });
  return {
    cells,
    located: Int32Array.from(located),
    unlocated: Int32Array.from(unlocated),
    maxStatic: Math.max(bound[located[0] ?? -1] ?? -Infinity, bound[unlocated[0] ?? -1] ?? -Infinity),
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

/** Max-heap of (priority, task), equal priorities to the lower task index. */
class Heap {
  private p: number[] = [];
  private t: number[] = [];
  private v: number[] = [];
  get size() {
    return this.p.length;
  }
  private above(i: number, j: number) {
    return this.p[i]! > this.p[j]! || (this.p[i] === this.p[j] && this.t[i]! < this.t[j]!);
  }
  private swap(i: number, j: number) {
    for (const a of [this.p, this.t, this.v]) {
      const x = a[i]!;
      a[i] = a[j]!;
      a[j] = x;
    }
  }
  push(priority: number, t: number, ver: number) {
    this.p.push(priority);
    this.t.push(t);
    this.v.push(ver);
    let i = this.p.length - 1;
    while (i > 0) {
      const up = (i - 1) >> 1;
      if (!this.above(i, up)) break;
      this.swap(i, up);
      i = up;
    }
  }
  pop(): { t: number; ver: number } {
    const top = { t: this.t[0]!, ver: this.v[0]! };
    const last = this.p.length - 1;
    this.swap(0, last);
    this.p.pop();
    this.t.pop();
    this.v.pop();
    let i = 0;
    for (;;) {
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
 * allowed. Shortest augmenting paths with potentials (the Hungarian method in its O(n^2 m) form),
 * on the cost -score with one zero-cost "nobody" column per task, so leaving a task unassigned is
 * always possible and chosen only when no allowed pair adds anything.
 */
export function optimalAssignment(scores: number[][]): { total: number; pairs: [number, number][] } {
  const n = scores.length;
  const m = n === 0 ? 0 : scores[0]!.length;
  for (const row of scores) if (row.length !== m) throw new RangeError('scores must be rectangular');
  if (n === 0 || m === 0) return { total: 0, pairs: [] };
  const allowed = (x: number) => Number.isFinite(x);
  // Fewer rows than columns keeps the n^2 factor small.
  const flip = n > m;
  const rows = flip ? m : n;
  const cols = flip ? n : m;
  const at = (r: number, c: number) => (flip ? scores[c]![r]! : scores[r]![c]!);
  let maxAbs = 0;
  for (const row of scores) for (const x of row) if (allowed(x)) maxAbs = Math.max(maxAbs, Math.abs(x));
  // Dearer than any gain elsewhere, so a disallowed pair is never worth taking over "nobody".
  const forbidden = 2 * (rows + 1) * (maxAbs + 1);
  const M = cols + rows;
  const cost = new Float64Array(rows * M);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) {
      const x = at(r, c);
      cost[r * M + c] = allowed(x) ? -x : forbidden;
    }

  // 1-based rows and columns; column 0 and row 0 are the algorithm's sentinels.
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
