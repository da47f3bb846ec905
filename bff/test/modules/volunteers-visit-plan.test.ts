import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkinPlans, helpTasks, notifications, taskOffers } from '../../src/db/schema';
import { planWeekVisits } from '../../src/modules/volunteers/visit-plan';
import { demoCommunityId, TEST_ENV } from '../fixtures/people';
import { queuedJobs } from '../fixtures/volunteers';
import { setupTestApp, type TestApp } from '../helper';

let t: TestApp;
// Monday 7 December 2026, 06:00 in Shanghai: the weekly plan's hour.
const MONDAY = new Date('2026-12-07T06:00:00+08:00');
let elders: string[];

beforeAll(async () => {
  t = await setupTestApp(TEST_ENV);
  t.clock.set(MONDAY);
  const communityId = await demoCommunityId(t);
  elders = (await Promise.all(['13800000010', '13800000011', '13800000012'].map((p) => t.login(p)))).map(
    (w) => w.userId,
  );
  // A visit on Tuesday, two on Wednesday (the same hours).
  await t.deps.db.insert(checkinPlans).values(
    [2, 3, 3].map((visitWeekday, i) => ({
      elderId: elders[i]!,
      communityId,
      mode: 'weekly_visit' as const,
      visitWeekday,
    })),
  );
}, 60_000);
afterAll(async () => {
  await t?.close();
});

describe('the week of well-being visits', () => {
  it('is planned together on Monday: each visit offered first to one volunteer, never one person twice at once', async () => {
    expect(await planWeekVisits(t.deps)).toEqual({ planned: 3, offered: 3 });
    const tasks = await t.deps.db.select().from(helpTasks).where(inArray(helpTasks.elderId, elders));
    expect(tasks).toHaveLength(3);
    expect(tasks.every((x) => x.source === 'checkin_visit' && x.status === 'offered' && x.wave === 1)).toBe(
      true,
    );
    const days = tasks.map((x) => x.windowStart.toISOString()).sort();
    expect(days).toEqual([
      '2026-12-08T01:00:00.000Z',
      '2026-12-09T01:00:00.000Z',
      '2026-12-09T01:00:00.000Z',
    ]);
    const offers = await t.deps.db
      .select()
      .from(taskOffers)
      .where(
        inArray(
          taskOffers.taskId,
          tasks.map((x) => x.id),
        ),
      );
    expect(offers).toHaveLength(3);
    const wednesday = tasks.filter((x) => x.windowStart.toISOString() === '2026-12-09T01:00:00.000Z');
    const wedOffers = offers
      .filter((o) => wednesday.some((w) => w.id === o.taskId))
      .map((o) => o.volunteerId);
    // The two Wednesday visits overlap: two different volunteers are asked.
    expect(new Set(wedOffers).size).toBe(2);
    for (const o of offers) {
      const told = await t.deps.db
        .select()
        .from(notifications)
        .where(eq(notifications.userId, o.volunteerId));
      expect(told.some((n) => n.kind === 'help_task.offer' && n.link?.includes(o.taskId))).toBe(true);
    }
    // The usual waves wait 12 hours for the one asked.
    for (const task of tasks) {
      const [wave] = await queuedJobs(t, 'volunteers.offerWave', { taskId: task.id });
      expect(wave!.payload).toMatchObject({ wave: 2 });
      expect(12 * 3600_000 - wave!.delayMs).toBeLessThan(5000);
    }
    // A rerun plans nothing twice.
    expect(await planWeekVisits(t.deps)).toEqual({ planned: 0, offered: 0 });
    expect(await t.deps.db.select().from(helpTasks).where(inArray(helpTasks.elderId, elders))).toHaveLength(
      3,
    );
  });

  it('on Thursday leaves out days already past', async () => {
    const communityId = await demoCommunityId(t);
    const late = (await t.login('13800000013')).userId;
    await t.deps.db
      .insert(checkinPlans)
      .values({ elderId: late, communityId, mode: 'weekly_visit', visitWeekday: 1 });
    t.clock.set(new Date('2026-12-10T06:00:00+08:00'));
    expect(await planWeekVisits(t.deps)).toEqual({ planned: 0, offered: 0 });
    t.clock.set(MONDAY);
  });
});
