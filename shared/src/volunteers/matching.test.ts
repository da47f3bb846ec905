import { describe, expect, it } from 'vitest';
import { distanceMetres } from '../market/geo';
import { mulberry32, syntheticWeek } from './fairness';
import {
  type AvailabilitySlot,
  coveredMinutes,
  DEFAULT_MATCH_WEIGHTS,
  localWeekMinute,
  type MatchCandidate,
  type MatchTask,
  type MatchWeights,
  qualifies,
  type RankedCandidate,
  rankCandidates,
  scoreCandidate,
  VOLUNTEER_SKILLS,
  waveMembers,
} from './matching';

// shared compiles without DOM or Node types; the test runs in Node, which has it.
declare const performance: { now(): number };

/** A local (Asia/Shanghai) wall time. Monday 7 December 2026 is a Monday. */
const at = (local: string) => new Date(`${local}+08:00`);
const HOME = { lat: 30.6512, lng: 104.0583 };
/** About 1 km north of HOME. */
const KM_NORTH = { lat: 30.6512 + 1000 / 111_195, lng: 104.0583 };

const volunteer = (over: Partial<MatchCandidate> = {}): MatchCandidate => ({
  id: 'v1',
  skills: ['visit', 'errands'],
  location: HOME,
  availability: [{ weekday: 1, startMin: 8 * 60, endMin: 12 * 60 }],
  onDuty: true,
  weekMinutes: 0,
  weeklyCapMinutes: 600,
  declinedThisWeek: 0,
  rating: null,
  goodVisitsWithElder: 0,
  ...over,
});

/** A visit on Monday 09:00-10:00 at HOME. */
const task = (over: Partial<MatchTask> = {}): MatchTask => ({
  skill: 'visit',
  location: HOME,
  windowStart: at('2026-12-07T09:00'),
  windowEnd: at('2026-12-07T10:00'),
  durationMin: 60,
  ...over,
});

const availability = (slots: AvailabilitySlot[], from: string, to: string) =>
  scoreCandidate(volunteer({ availability: slots }), task({ windowStart: at(from), windowEnd: at(to) })).parts
    .availability;

describe('qualifies', () => {
  it('needs duty, the skill and room under the weekly cap', () => {
    expect(qualifies(volunteer(), task())).toBe(true);
    expect(qualifies(volunteer({ onDuty: false }), task())).toBe(false);
    expect(qualifies(volunteer({ skills: ['errands'] }), task())).toBe(false);
    // Exactly at the cap is fine; one minute over is not.
    expect(qualifies(volunteer({ weekMinutes: 540 }), task())).toBe(true);
    expect(qualifies(volunteer({ weekMinutes: 541 }), task())).toBe(false);
  });

  it('does not hold declines against anyone', () => {
    expect(qualifies(volunteer({ declinedThisWeek: 20 }), task())).toBe(true);
  });
});

describe('localWeekMinute', () => {
  it('counts from Sunday 00:00 in Shanghai', () => {
    expect(localWeekMinute(at('2026-12-06T00:00'))).toBe(0);
    expect(localWeekMinute(at('2026-12-07T09:30'))).toBe(1440 + 570);
    expect(localWeekMinute(at('2026-12-12T23:59'))).toBe(10_079);
    // Monday 00:30 in Shanghai is still Sunday in UTC.
    expect(localWeekMinute(new Date('2026-12-06T16:30:00Z'))).toBe(1440 + 30);
    expect(localWeekMinute(new Date('1969-12-28T00:00:00+08:00'))).toBe(0);
  });
});

describe('availability part', () => {
  const monday = (startMin: number, endMin: number) => ({ weekday: 1, startMin, endMin });

  it('is the share of the window the weekly slots cover', () => {
    expect(availability([monday(480, 720)], '2026-12-07T09:00', '2026-12-07T10:00')).toBe(1);
    expect(availability([monday(570, 720)], '2026-12-07T09:00', '2026-12-07T10:00')).toBe(0.5);
    expect(
      availability([{ weekday: 2, startMin: 480, endMin: 720 }], '2026-12-07T09:00', '2026-12-07T10:00'),
    ).toBe(0);
    expect(availability([], '2026-12-07T09:00', '2026-12-07T10:00')).toBe(0);
  });

  it('reads slots in Shanghai time, not UTC', () => {
    // 09:00 in Shanghai is 01:00 UTC: a slot at 01:00 must not match, one at 09:00 must.
    expect(availability([monday(60, 120)], '2026-12-07T09:00', '2026-12-07T10:00')).toBe(0);
    expect(availability([monday(540, 600)], '2026-12-07T09:00', '2026-12-07T10:00')).toBe(1);
  });

  it('follows a window across midnight into the next day', () => {
    const slots = [monday(22 * 60, 1440), { weekday: 2, startMin: 0, endMin: 30 }];
    expect(availability(slots, '2026-12-07T23:00', '2026-12-08T01:00')).toBe(0.75);
  });

  it('runs a slot whose end is before its start past midnight', () => {
    expect(availability([monday(22 * 60, 60)], '2026-12-07T23:30', '2026-12-08T00:30')).toBe(1);
    expect(availability([monday(22 * 60, 60)], '2026-12-08T00:30', '2026-12-08T01:30')).toBe(0.5);
  });

  it('wraps Saturday night into Sunday morning', () => {
    const window = ['2026-12-12T23:00', '2026-12-13T01:00'] as const;
    expect(availability([{ weekday: 6, startMin: 23 * 60, endMin: 60 }], ...window)).toBe(1);
    expect(availability([{ weekday: 0, startMin: 0, endMin: 60 }], ...window)).toBe(0.5);
  });

  it('counts overlapping slots once and ignores empty or impossible ones', () => {
    const slots = [
      monday(540, 660),
      monday(600, 720),
      monday(600, 600),
      { weekday: 7, startMin: 0, endMin: 1440 },
    ];
    expect(availability(slots, '2026-12-07T09:00', '2026-12-07T12:00')).toBe(1);
    expect(availability(slots, '2026-12-07T08:00', '2026-12-07T12:00')).toBe(0.75);
  });

  it('handles windows longer than a week', () => {
    const slots = [{ weekday: 3, startMin: 600, endMin: 1020 }];
    expect(availability(slots, '2026-12-07T00:00', '2026-12-21T00:00')).toBeCloseTo(420 / 10_080, 12);
    expect(coveredMinutes(slots, 0, 2 * 10_080)).toBe(840);
  });

  it('treats a window that does not run past its start as an appointment of the duration', () => {
    const t = task({ windowEnd: at('2026-12-07T09:00'), durationMin: 120 });
    expect(scoreCandidate(volunteer({ availability: [monday(540, 600)] }), t).parts.availability).toBe(0.5);
  });
});

describe('the other parts', () => {
  it('distance: 1 at the door, halving every kilometre, 0.25 when unknown', () => {
    const near = scoreCandidate(volunteer(), task());
    expect(near.parts.distance).toBe(1);
    expect(near.distanceMetres).toBe(0);
    const km = scoreCandidate(volunteer({ location: KM_NORTH }), task());
    expect(km.distanceMetres).toBeCloseTo(1000, 0);
    expect(km.parts.distance).toBeCloseTo(0.5, 3);
    const far = scoreCandidate(
      volunteer({ location: { lat: HOME.lat + 5000 / 111_195, lng: HOME.lng } }),
      task(),
    );
    expect(far.parts.distance).toBeLessThan(0.05);
    expect(scoreCandidate(volunteer({ location: null }), task()).parts.distance).toBe(0.25);
    expect(scoreCandidate(volunteer(), task({ location: null })).distanceMetres).toBeNull();
  });

  it('distance is exactly distanceMetres', () => {
    const rnd = mulberry32(5);
    for (let i = 0; i < 500; i++) {
      const a = { lat: 30.6 + rnd() * 0.1, lng: 104 + rnd() * 0.1 };
      const b = { lat: 30.6 + rnd() * 0.1, lng: 104 + rnd() * 0.1 };
      expect(scoreCandidate(volunteer({ location: a }), task({ location: b })).distanceMetres).toBe(
        distanceMetres(a, b),
      );
    }
  });

  it('fairness: 1 - load / cap, a decline counting as 15 minutes of load', () => {
    const fairness = (over: Partial<MatchCandidate>) =>
      scoreCandidate(volunteer(over), task()).parts.fairness;
    expect(fairness({})).toBe(1);
    expect(fairness({ weekMinutes: 120 })).toBeCloseTo(0.8, 12);
    expect(fairness({ weekMinutes: 120, declinedThisWeek: 2 })).toBeCloseTo(0.75, 12);
    expect(fairness({ weekMinutes: 590, declinedThisWeek: 4 })).toBe(0);
    expect(fairness({ weeklyCapMinutes: 0 })).toBe(0);
  });

  it('rating: (r - 1) / 4, unrated in the middle', () => {
    const rating = (r: number | null) => scoreCandidate(volunteer({ rating: r }), task()).parts.rating;
    expect(rating(null)).toBe(0.5);
    expect(rating(1)).toBe(0);
    expect(rating(3)).toBe(0.5);
    expect(rating(5)).toBe(1);
  });

  it('history: good visits with this elder, full at three', () => {
    const history = (n: number) =>
      scoreCandidate(volunteer({ goodVisitsWithElder: n }), task()).parts.history;
    expect(history(0)).toBe(0);
    expect(history(1)).toBeCloseTo(1 / 3, 12);
    expect(history(3)).toBe(1);
    expect(history(10)).toBe(1);
    // Per elder when the task names one.
    const byElder = volunteer({ goodVisitsWithElder: 0, goodVisitsByElder: new Map([['e1', 3]]) });
    expect(scoreCandidate(byElder, task({ elderId: 'e1' })).parts.history).toBe(1);
    expect(scoreCandidate(byElder, task({ elderId: 'e2' })).parts.history).toBe(0);
  });

  it('skill: 1 with the skill, else 0', () => {
    expect(scoreCandidate(volunteer(), task()).parts.skill).toBe(1);
    expect(scoreCandidate(volunteer(), task({ skill: 'escort' })).parts.skill).toBe(0);
  });

  it('the score is the weighted sum of the parts', () => {
    const weights: MatchWeights = {
      skill: 0.1,
      distance: 0.2,
      availability: 0.3,
      fairness: 0.15,
      rating: 0.15,
      history: 0.1,
    };
    const c = volunteer({ location: KM_NORTH, weekMinutes: 200, rating: 4, goodVisitsWithElder: 1 });
    const t = task({ windowEnd: at('2026-12-07T13:00') });
    const r = scoreCandidate(c, t, weights);
    const sum = (Object.keys(weights) as (keyof MatchWeights)[]).reduce(
      (s, k) => s + weights[k] * r.parts[k],
      0,
    );
    expect(r.score).toBeCloseTo(sum, 12);
    expect(r.parts.availability).toBe(0.75);
    const onlyDistance = { skill: 0, distance: 1, availability: 0, fairness: 0, rating: 0, history: 0 };
    expect(scoreCandidate(c, t, onlyDistance).score).toBe(r.parts.distance);
  });

  it('default weights sum to 1 and the skills are the seven kinds of help', () => {
    const w = DEFAULT_MATCH_WEIGHTS;
    expect(w.skill + w.distance + w.availability + w.fairness + w.rating + w.history).toBeCloseTo(1, 12);
    expect(VOLUNTEER_SKILLS).toEqual([
      'errands',
      'company',
      'phone_teaching',
      'cleaning',
      'escort',
      'locker_run',
      'visit',
    ]);
  });
});

describe('rankCandidates', () => {
  it('keeps only the qualified, best first', () => {
    const ranked = rankCandidates(
      [
        volunteer({ id: 'far', location: KM_NORTH }),
        volunteer({ id: 'off', onDuty: false }),
        volunteer({ id: 'near' }),
        volunteer({ id: 'full', weekMinutes: 590 }),
        volunteer({ id: 'unskilled', skills: ['errands'] }),
      ],
      task(),
    );
    expect(ranked.map((r) => r.id)).toEqual(['near', 'far']);
    expect(ranked[0]!.score).toBeGreaterThan(ranked[1]!.score);
  });

  it('puts the one with less of the week behind them first, declines counting as load', () => {
    const ids = (cs: MatchCandidate[]) => rankCandidates(cs, task()).map((r) => r.id);
    expect(ids([volunteer({ id: 'a', weekMinutes: 300 }), volunteer({ id: 'b', weekMinutes: 0 })])).toEqual([
      'b',
      'a',
    ]);
    expect(ids([volunteer({ id: 'a', declinedThisWeek: 3 }), volunteer({ id: 'b' })])).toEqual(['b', 'a']);
  });

  it('orders ties by id whatever the input order', () => {
    const cs = ['d', 'b', 'a', 'c'].map((id) => volunteer({ id }));
    expect(rankCandidates(cs, task()).map((r) => r.id)).toEqual(['a', 'b', 'c', 'd']);
    const { candidates, tasks } = syntheticWeek({ seed: 3, tasks: 5, volunteers: 400, compounds: 6 });
    const shuffled = [...candidates].reverse();
    for (const t of tasks) expect(rankCandidates(shuffled, t)).toEqual(rankCandidates(candidates, t));
  });

  it('ranks 5,000 volunteers in well under 20 ms', () => {
    const { candidates, tasks } = syntheticWeek({
      seed: 1,
      tasks: 40,
      volunteers: 5000,
      compounds: 40,
      skill: 'visit',
    });
    for (let i = 0; i < 10; i++) rankCandidates(candidates, tasks[i]!);
    const times: number[] = [];
    for (let i = 10; i < 40; i++) {
      const t0 = performance.now();
      rankCandidates(candidates, tasks[i]!);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    expect(times[times.length >> 1]).toBeLessThan(20);
  });
});

describe('waveMembers', () => {
  const ranked: RankedCandidate[] = Array.from({ length: 12 }, (_, i) => ({
    id: `v${i}`,
    score: 1 - i / 100,
    parts: { skill: 1, distance: 1, availability: 1, fairness: 1, rating: 1, history: 1 },
    distanceMetres: 0,
  }));
  const ids = (from: number, to: number) => ranked.slice(from, to).map((r) => r.id);

  it('offers the top 3, then the next 5, then everyone left', () => {
    expect(waveMembers(ranked, [3, 5], 0)).toEqual(ids(0, 3));
    expect(waveMembers(ranked, [3, 5], 1)).toEqual(ids(3, 8));
    expect(waveMembers(ranked, [3, 5], 2)).toEqual(ids(8, 12));
    expect(waveMembers(ranked, [3, 5], 7)).toEqual(ids(8, 12));
  });

  it('copes with fewer volunteers than the waves hold', () => {
    expect(waveMembers(ranked.slice(0, 4), [3, 5], 1)).toEqual(ids(3, 4));
    expect(waveMembers(ranked.slice(0, 2), [3, 5], 1)).toEqual([]);
    expect(waveMembers(ranked.slice(0, 2), [3, 5], 2)).toEqual([]);
    expect(waveMembers(ranked, [], 0)).toEqual(ids(0, 12));
  });

  it('refuses a wave that is not a whole number >= 0', () => {
    expect(() => waveMembers(ranked, [3, 5], -1)).toThrow(RangeError);
    expect(() => waveMembers(ranked, [3, 5], 1.5)).toThrow(RangeError);
  });
});
