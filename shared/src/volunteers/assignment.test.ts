import { describe, expect, it } from 'vitest';
import { type AssignmentResult, assignWeek, optimalAssignment, shortlistVolunteers } from './assignment';
import { mulberry32, syntheticWeek } from './fairness';
import {
  DEFAULT_MATCH_WEIGHTS,
  fairnessPart,
  type MatchCandidate,
  type MatchTask,
  qualifies,
  rankCandidates,
  scoreCandidate,
} from './matching';

/** The best total of a scores matrix by trying every assignment (tiny instances only). */
function bruteForce(scores: number[][]): number {
  const m = scores[0]?.length ?? 0;
  const used = new Array<boolean>(m).fill(false);
  const go = (row: number): number => {
    if (row === scores.length) return 0;
    let best = go(row + 1); // this row unassigned
    for (let c = 0; c < m; c++) {
      const x = scores[row]![c]!;
      if (used[c] || !Number.isFinite(x)) continue;
      used[c] = true;
      best = Math.max(best, x + go(row + 1));
      used[c] = false;
    }
    return best;
  };
  return go(0);
}

function randomScores(rnd: () => number, n: number, m: number): number[][] {
  return Array.from({ length: n }, () =>
    Array.from({ length: m }, () => {
      const r = rnd();
      if (r < 0.2) return -Infinity;
      if (r < 0.25) return -rnd();
      return Math.round(rnd() * 100) / 10;
    }),
  );
}

/** Every volunteer can take exactly one of these 90-minute visits. */
function capacityOne(seed: number, tasks: number, volunteers: number, compounds: number) {
  const s = syntheticWeek({ seed, tasks, volunteers, compounds, skill: 'visit', visitShare: 0.8 });
  return {
    tasks: s.tasks.map((t) => ({ ...t, durationMin: 90 })),
    candidates: s.candidates.map((c) => ({ ...c, weekMinutes: 0, weeklyCapMinutes: 90 })),
  };
}

const scoresOf = (tasks: readonly MatchTask[], candidates: readonly MatchCandidate[]) =>
  tasks.map((t) => candidates.map((c) => (qualifies(c, t) ? scoreCandidate(c, t).score : -Infinity)));

/** The rules every assignment keeps, checked from the outside. */
function expectValid(
  tasks: readonly MatchTask[],
  candidates: readonly MatchCandidate[],
  r: AssignmentResult,
) {
  const byId = new Map(candidates.map((c) => [c.id, c]));
  const seen = new Set<number>();
  const taken = new Map<string, number[]>();
  for (const p of r.pairs) {
    expect(seen.has(p.taskIndex)).toBe(false);
    seen.add(p.taskIndex);
    const c = byId.get(p.candidateId)!;
    expect(qualifies(c, tasks[p.taskIndex]!)).toBe(true);
    taken.set(c.id, [...(taken.get(c.id) ?? []), p.taskIndex]);
  }
  expect([...seen, ...r.unassigned].sort((a, b) => a - b)).toEqual(tasks.map((_, i) => i));
  for (const [id, own] of taken) {
    const c = byId.get(id)!;
    expect(c.weekMinutes + own.reduce((s, t) => s + tasks[t]!.durationMin, 0)).toBeLessThanOrEqual(
      c.weeklyCapMinutes,
    );
    for (const a of own)
      for (const b of own) {
        if (a === b) continue;
        const [x, y] = [tasks[a]!, tasks[b]!];
        expect(x.windowStart < y.windowEnd && y.windowStart < x.windowEnd).toBe(false);
      }
  }
  expect(r.totalScore).toBeCloseTo(
    r.pairs.reduce((s, p) => s + p.score, 0),
    9,
  );
}

describe('optimalAssignment', () => {
  it('agrees with brute force on small instances', () => {
    const rnd = mulberry32(42);
    for (let i = 0; i < 300; i++) {
      const n = 1 + Math.floor(rnd() * 6);
      const m = 1 + Math.floor(rnd() * 6);
      const scores = randomScores(rnd, n, m);
      const { total, pairs } = optimalAssignment(scores);
      expect(total).toBeCloseTo(bruteForce(scores), 9);
      // The pairs are a real assignment of allowed pairs that adds up to the total.
      expect(new Set(pairs.map((p) => p[0])).size).toBe(pairs.length);
      expect(new Set(pairs.map((p) => p[1])).size).toBe(pairs.length);
      for (const [r, c] of pairs) expect(Number.isFinite(scores[r]![c]!)).toBe(true);
      expect(pairs.reduce((s, [r, c]) => s + scores[r]![c]!, 0)).toBeCloseTo(total, 9);
    }
  });

  it('agrees with brute force on 5 x 6', () => {
    const rnd = mulberry32(7);
    for (let i = 0; i < 50; i++) {
      const scores = randomScores(rnd, 5, 6);
      expect(optimalAssignment(scores).total).toBeCloseTo(bruteForce(scores), 9);
    }
  });

  it('finds the known optimum and leaves out what would lower the total', () => {
    // Greedy would take 9 first and end with 9 + 1 = 10; the optimum is 8 + 7 = 15.
    expect(
      optimalAssignment([
        [9, 8],
        [7, 1],
      ]),
    ).toEqual({
      total: 15,
      pairs: [
        [0, 1],
        [1, 0],
      ],
    });
    expect(optimalAssignment([[-1, -Infinity]])).toEqual({ total: 0, pairs: [] });
    expect(optimalAssignment([[-Infinity], [Number.NaN]])).toEqual({ total: 0, pairs: [] });
    expect(optimalAssignment([])).toEqual({ total: 0, pairs: [] });
    expect(() => optimalAssignment([[1, 2], [3]])).toThrow(RangeError);
  });
});

describe('assignWeek', () => {
  it('comes within 95% of the optimum when each volunteer can take one task', () => {
    const shapes: [number, number, number][] = [
      [40, 60, 3], // more volunteers than tasks
      [30, 25, 2], // fewer
      [60, 70, 4], // about as many, most of them needed
      [150, 400, 10],
    ];
    for (const [tasks, volunteers, compounds] of shapes)
      for (let seed = 1; seed <= 5; seed++) {
        const inst = capacityOne(seed, tasks, volunteers, compounds);
        const r = assignWeek(inst);
        expectValid(inst.tasks, inst.candidates, r);
        const best = optimalAssignment(scoresOf(inst.tasks, inst.candidates));
        expect(r.totalScore / best.total).toBeGreaterThanOrEqual(0.95);
        expect(r.pairs.length).toBe(best.pairs.length);
      }
  });

  it('scores one-task volunteers exactly as scoreCandidate does', () => {
    const inst = capacityOne(9, 30, 40, 3);
    const byId = new Map(inst.candidates.map((c) => [c.id, c]));
    const r = assignWeek(inst);
    expect(r.pairs.length).toBeGreaterThan(20);
    for (const p of r.pairs)
      expect(p.score).toBe(scoreCandidate(byId.get(p.candidateId)!, inst.tasks[p.taskIndex]!).score);
  });

  it('keeps every cap and never gives one volunteer overlapping windows', () => {
    for (const seed of [1, 2, 3]) {
      // Volunteers scarce for the week: caps and overlaps bind.
      const inst = syntheticWeek({
        seed,
        tasks: 300,
        volunteers: 80,
        compounds: 4,
        skill: 'visit',
        capMinutes: [120, 300],
      });
      const r = assignWeek(inst);
      expectValid(inst.tasks, inst.candidates, r);
      expect(r.unassigned.length).toBeGreaterThan(0);
      expect(new Set(r.pairs.map((p) => p.candidateId)).size).toBeLessThan(r.pairs.length);
    }
  });

  it('charges a second task the minutes of the volunteer’s others in the fairness part', () => {
    const inst = syntheticWeek({ seed: 4, tasks: 200, volunteers: 50, compounds: 3, skill: 'visit' });
    const byId = new Map(inst.candidates.map((c) => [c.id, c]));
    const r = assignWeek(inst);
    const minutes = new Map<string, number>();
    for (const p of r.pairs)
      minutes.set(p.candidateId, (minutes.get(p.candidateId) ?? 0) + inst.tasks[p.taskIndex]!.durationMin);
    let stacked = 0;
    for (const p of r.pairs) {
      const c = byId.get(p.candidateId)!;
      const t = inst.tasks[p.taskIndex]!;
      const others = minutes.get(c.id)! - t.durationMin;
      if (others > 0) stacked += 1;
      const alone = scoreCandidate(c, t);
      const w = DEFAULT_MATCH_WEIGHTS.fairness;
      expect(p.score).toBeCloseTo(alone.score - w * alone.parts.fairness + w * fairnessPart(c, others), 12);
    }
    expect(stacked).toBeGreaterThan(0);
  });

  it('spreads equal tasks over equally good volunteers', () => {
    const place = { lat: 30.65, lng: 104.06 };
    const candidates = ['a', 'b', 'c'].map(
      (id): MatchCandidate => ({
        id,
        skills: ['visit'],
        location: place,
        availability: [{ weekday: 1, startMin: 0, endMin: 1440 }],
        onDuty: true,
        weekMinutes: 0,
        weeklyCapMinutes: 600,
        declinedThisWeek: 0,
        rating: 5,
        goodVisitsWithElder: 0,
      }),
    );
    const tasks = [9, 11, 14].map(
      (h): MatchTask => ({
        skill: 'visit',
        location: place,
        windowStart: new Date(`2026-12-07T${h}:00:00+08:00`),
        windowEnd: new Date(`2026-12-07T${h + 1}:00:00+08:00`),
        durationMin: 60,
      }),
    );
    const r = assignWeek({ tasks, candidates });
    expect(new Set(r.pairs.map((p) => p.candidateId))).toEqual(new Set(['a', 'b', 'c']));
  });

  it('leaves a task nobody can take unassigned', () => {
    const inst = capacityOne(2, 10, 20, 2);
    const tasks = [...inst.tasks, { ...inst.tasks[0]!, skill: 'escort' }];
    const r = assignWeek({ tasks, candidates: inst.candidates.map((c) => ({ ...c, skills: ['visit'] })) });
    expect(r.unassigned).toContain(10);
  });

  it('gives the same answer every time, whatever the order of the volunteers', () => {
    const inst = syntheticWeek({ seed: 6, tasks: 200, volunteers: 300, compounds: 6, skill: 'visit' });
    const first = assignWeek(inst);
    expect(assignWeek(inst)).toEqual(first);
    const rnd = mulberry32(1);
    const shuffled = [...inst.candidates].sort(() => rnd() - 0.5);
    expect(assignWeek({ tasks: inst.tasks, candidates: shuffled })).toEqual(first);
  });

  it('prunes the shortlists to exactly what a full ranking gives', () => {
    const s = syntheticWeek({ seed: 8, tasks: 120, volunteers: 1500, compounds: 12 });
    // Some tasks without a place, to take that path too.
    const tasks = s.tasks.map((t, i) => (i % 10 === 0 ? { ...t, location: null } : t));
    const odd = { skill: 0.1, distance: -0.2, availability: 0.3, fairness: 0.4, rating: 0, history: 0.2 };
    for (const weights of [DEFAULT_MATCH_WEIGHTS, odd]) {
      const lists = shortlistVolunteers({ tasks, candidates: s.candidates, weights }, 16);
      tasks.forEach((t, i) => {
        const full = rankCandidates(s.candidates, t, weights).slice(0, 16);
        expect(lists[i]).toEqual(full.map((r) => ({ candidateId: r.id, score: r.score })));
      });
    }
  });
});
