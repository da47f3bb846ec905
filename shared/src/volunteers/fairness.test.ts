import { describe, expect, it } from 'vitest';
import { gini, mulberry32, simulateWeek, syntheticWeek } from './fairness';
import type { MatchCandidate, MatchTask } from './matching';

describe('gini', () => {
  it('is 0 when even and grows as one takes all', () => {
    expect(gini([])).toBe(0);
    expect(gini([0, 0])).toBe(0);
    expect(gini([5, 5, 5])).toBe(0);
    expect(gini([1, 2, 3, 4])).toBeCloseTo(0.25, 12);
    expect(gini([0, 0, 0, 10])).toBeCloseTo(0.75, 12);
    expect(gini([10, 0, 0, 0])).toBeCloseTo(0.75, 12);
  });
});

describe('simulateWeek', () => {
  // 300 tasks over a week for 60 volunteers in four compounds around central Chengdu, with room in
  // their caps for everything, so where each task goes is the policy's choice alone.
  const week = syntheticWeek({ seed: 11, tasks: 300, volunteers: 60, compounds: 4, capMinutes: [600, 900] });

  it('spreads the week clearly more evenly than nearest-first, assigning at least as many', () => {
    const ranked = simulateWeek(week.tasks, week.candidates, 'ranked');
    const nearest = simulateWeek(week.tasks, week.candidates, 'nearest');
    expect(ranked.assigned).toBeGreaterThanOrEqual(nearest.assigned);
    expect(ranked.assigned).toBeGreaterThan(280);
    expect(ranked.gini).toBeLessThan(nearest.gini - 0.08);
  });

  it('adds each assigned task to its volunteer’s week, within the cap, without touching the input', () => {
    const before = week.candidates.map((c) => c.weekMinutes);
    for (const policy of ['ranked', 'nearest'] as const) {
      const r = simulateWeek(week.tasks, week.candidates, policy);
      expect(week.candidates.map((c) => c.weekMinutes)).toEqual(before);
      const added = week.candidates.reduce((s, c) => s + r.minutes.get(c.id)! - c.weekMinutes, 0);
      expect(added).toBeGreaterThan(0);
      for (const c of week.candidates) expect(r.minutes.get(c.id)!).toBeLessThanOrEqual(c.weeklyCapMinutes);
      expect(r.gini).toBeCloseTo(
        // The gini is over every volunteer's minutes at the end of the week.
        giniByDefinition([...r.minutes.values()]),
        12,
      );
    }
  });

  it('nearest-first keeps giving to the closest qualified volunteer until the cap', () => {
    const place = (lat: number) => ({ lat, lng: 104.06 });
    const c = (id: string, lat: number): MatchCandidate => ({
      id,
      skills: ['visit'],
      location: place(lat),
      availability: [],
      onDuty: true,
      weekMinutes: 0,
      weeklyCapMinutes: 120,
      declinedThisWeek: 0,
      rating: null,
      goodVisitsWithElder: 0,
    });
    const t: MatchTask = {
      skill: 'visit',
      location: place(30.65),
      windowStart: new Date('2026-12-07T09:00:00+08:00'),
      windowEnd: new Date('2026-12-07T10:00:00+08:00'),
      durationMin: 60,
    };
    const r = simulateWeek([t, t, t, t, t], [c('far', 30.66), c('near', 30.6501)], 'nearest');
    expect(r.minutes).toEqual(
      new Map([
        ['far', 120],
        ['near', 120],
      ]),
    );
    expect(r.assigned).toBe(4);
    // The ranking moves on before the cap: the second task already goes to the other one.
    const ranked = simulateWeek([t, t], [c('a', 30.65), c('b', 30.65)], 'ranked');
    expect([...ranked.minutes.values()]).toEqual([60, 60]);
  });
});

describe('syntheticWeek', () => {
  it('is the same week for the same seed', () => {
    const a = syntheticWeek({ seed: 3, tasks: 20, volunteers: 30, compounds: 3 });
    expect(syntheticWeek({ seed: 3, tasks: 20, volunteers: 30, compounds: 3 })).toEqual(a);
    expect(syntheticWeek({ seed: 4, tasks: 20, volunteers: 30, compounds: 3 })).not.toEqual(a);
    const rnd = mulberry32(1);
    for (let i = 0; i < 1000; i++) {
      const x = rnd();
      expect(x >= 0 && x < 1).toBe(true);
    }
  });
});

/** The gini by its definition, mean absolute difference over twice the mean. */
function giniByDefinition(xs: number[]): number {
  const n = xs.length;
  const mean = xs.reduce((s, x) => s + x, 0) / n;
  let diff = 0;
  for (const a of xs) for (const b of xs) diff += Math.abs(a - b);
  return diff / (2 * n * n * mean);
}
