/**
 * Volunteer matching's CPU work, no I/O: ranking 5,000 volunteers for one task (against a plain
 * sort of as many numbers, in the same run), the weekly assignment of 1,000 visits to 5,000
 * volunteers (and its quality against the exact optimum on a sampled instance where each
 * volunteer takes one task), and the fairness of a simulated week, ranked vs nearest-first.
 * Every figure is a median after warm-up, on seeded synthetic weeks around central Chengdu.
 */
import {
  assignWeek,
  type MatchCandidate,
  type MatchTask,
  mulberry32,
  optimalAssignment,
  qualifies,
  rankCandidates,
  scoreCandidate,
  simulateWeek,
  syntheticWeek,
} from 'shared';
import { print } from './lib';

const RANK_TARGET_MS = 20;
const ASSIGN_TARGET_MS = 1000;
const QUALITY_TARGET = 0.95;

/**
 * Median and p99 of `reps` timed calls after `warm` untimed ones, in wall-clock and in this
 * process's CPU milliseconds (the CPU figure does not count time lost to other processes).
 */
function timed(reps: number, warm: number, op: (i: number) => unknown) {
  for (let i = 0; i < warm; i++) op(i);
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < reps; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    op(warm + i);
    wall.push(performance.now() - t0);
    const used = process.cpuUsage(c0);
    cpu.push((used.user + used.system) / 1000);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  const sorted = [...wall].sort((a, b) => a - b);
  return {
    median: median(wall),
    p99: sorted[Math.min(reps - 1, Math.floor(reps * 0.99))]!,
    cpu: median(cpu),
  };
}

const fixed = (x: number, digits = 2) => x.toFixed(digits);

export async function benchVolunteers(only: (part: string) => boolean) {
  if (!only('volunteers')) return;
  const week = syntheticWeek({ seed: 1, tasks: 1000, volunteers: 5000, compounds: 40, skill: 'visit' });

  // 1. Ranking 5,000 volunteers for one task, against sorting 5,000 numbers.
  const rnd = mulberry32(2);
  const numbers = Float64Array.from({ length: 5000 }, () => rnd());
  const sort = timed(400, 100, () => numbers.slice().sort());
  const rank = timed(400, 100, (i) => rankCandidates(week.candidates, week.tasks[i % week.tasks.length]!));
  const qualified = rankCandidates(week.candidates, week.tasks[0]!).length;
  print(
    `Volunteer ranking, ${week.candidates.length} volunteers (${qualified} qualified) for one task`,
    [
      {
        name: 'Float64Array sort of 5,000 numbers (baseline)',
        rps: 1000 / sort.median,
        p99: round(sort.p99),
      },
      { name: 'rankCandidates', rps: 1000 / rank.median, p99: round(rank.p99) },
    ],
    'ranks/s',
  );
  console.log(
    `  median ${fixed(rank.median)} ms (${fixed(rank.cpu)} ms CPU), p99 ${fixed(rank.p99)} ms; ` +
      `target ${RANK_TARGET_MS} ms / median = ${fixed(RANK_TARGET_MS / rank.median, 1)}x; ` +
      `sort / ranking = ${fixed(sort.median / rank.median, 3)} (one ranking costs ${fixed(rank.median / sort.median, 1)} sorts)`,
  );

  // 2. The weekly assignment, and its quality where the optimum is known. The weekly job runs it
  // once in a fresh worker, so the first, unwarmed call is printed too.
  let t0 = performance.now();
  const result = assignWeek(week);
  const cold = performance.now() - t0;
  const assign = timed(5, 2, () => assignWeek(week));
  console.log(
    `\nWeekly assignment, ${week.tasks.length} visits x ${week.candidates.length} volunteers\n` +
      `  median ${fixed(assign.median, 0)} ms wall, ${fixed(assign.cpu, 0)} ms CPU (target <= ${ASSIGN_TARGET_MS} ms: ` +
      `target / measured = ${fixed(ASSIGN_TARGET_MS / assign.median)}); first call, unwarmed: ${fixed(cold, 0)} ms\n` +
      `  ${result.pairs.length} assigned, ${new Set(result.pairs.map((p) => p.candidateId)).size} volunteers used, ` +
      `total score ${fixed(result.totalScore, 1)}`,
  );
  for (const shape of [
    { tasks: 150, volunteers: 400, compounds: 10, note: 'volunteers to spare' },
    { tasks: 60, volunteers: 70, compounds: 4, note: 'scarce: most volunteers needed' },
  ]) {
    const ratios: number[] = [];
    let heuristicMs = 0;
    let exactMs = 0;
    for (let seed = 1; seed <= 5; seed++) {
      const s = syntheticWeek({ seed, ...shape, skill: 'visit' });
      // Each volunteer has room for exactly one of these 90-minute visits.
      const tasks: MatchTask[] = s.tasks.map((t) => ({ ...t, durationMin: 90 }));
      const candidates: MatchCandidate[] = s.candidates.map((c) => ({
        ...c,
        weekMinutes: 0,
        weeklyCapMinutes: 90,
      }));
      t0 = performance.now();
      const heuristic = assignWeek({ tasks, candidates });
      heuristicMs += performance.now() - t0;
      t0 = performance.now();
      const scores = tasks.map((t) =>
        candidates.map((c) => (qualifies(c, t) ? scoreCandidate(c, t).score : -Infinity)),
      );
      const exact = optimalAssignment(scores);
      exactMs += performance.now() - t0;
      ratios.push(heuristic.totalScore / exact.total);
    }
    const worst = Math.min(...ratios);
    console.log(
      `  quality, ${shape.tasks} visits x ${shape.volunteers} volunteers (${shape.note}), one visit each, 5 seeds:\n` +
        `    assignWeek / optimum = ${ratios.map((r) => fixed(r, 4)).join(', ')} (min ${fixed(worst, 4)}, target >= ${QUALITY_TARGET}); ` +
        `assignWeek ${fixed(heuristicMs / ratios.length, 1)} ms, exact (scoring + Hungarian) ${fixed(exactMs / ratios.length, 1)} ms per instance`,
    );
    if (worst < QUALITY_TARGET) throw new Error(`assignWeek quality ${worst} < ${QUALITY_TARGET}`);
  }

  // 3. Fairness of a simulated week: the ranking's fairness part against nearest-first.
  console.log('\nFairness, a simulated week (gini of volunteers’ minutes: 0 = even)');
  for (const o of [
    { tasks: 300, volunteers: 60, compounds: 4 },
    { tasks: 1000, volunteers: 300, compounds: 12 },
  ]) {
    const w = syntheticWeek({ seed: 11, ...o, capMinutes: [600, 900] });
    const ranked = simulateWeek(w.tasks, w.candidates, 'ranked');
    const nearest = simulateWeek(w.tasks, w.candidates, 'nearest');
    console.log(
      `  ${o.tasks} tasks, ${o.volunteers} volunteers, ${o.compounds} compounds: ranked ${fixed(ranked.gini, 3)} (${ranked.assigned} assigned), ` +
        `nearest-first ${fixed(nearest.gini, 3)} (${nearest.assigned} assigned)`,
    );
  }
}

const round = (ms: number) => Math.round(ms * 100) / 100;
