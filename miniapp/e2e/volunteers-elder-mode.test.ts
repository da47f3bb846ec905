import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  apiAs,
  e2eSuite,
  elderSizeProblems,
  H5_DIST,
  loginByPhone,
  STAFF_PHONE,
  turnOnElderMode,
} from './harness';

const e = e2eSuite();

const ELDER = '13800000020'; // 刘奶奶
const VOLUNTEER = '13800000004'; // 赵志愿
const NEIGHBOUR = '13800000012'; // a resident who presses 一键求助 for the staff and volunteer views

async function visit(page: Page, hash: string, name: string, shot: string): Promise<string[]> {
  await page.goto(`${e.base}/#${hash}`);
  const problems = await elderSizeProblems(page, name);
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(H5_DIST, '..', `e2e-elder-${shot}.png`) });
  return problems.map((p) => `${shot}: ${p}`);
}

/** A help task of 刘奶奶's, raised through the API, and a drill 一键求助 of a neighbour's. */
async function world() {
  const now = Date.now();
  const task = await apiAs(e, ELDER, 'POST', '/v1/help/tasks', {
    skill: 'phone_teaching',
    title: '教我用手机视频',
    windowStart: new Date(now + 2 * 3600_000).toISOString(),
    windowEnd: new Date(now + 6 * 3600_000).toISOString(),
    durationMin: 60,
  });
  const call = await apiAs(e, NEIGHBOUR, 'POST', '/v1/help/emergency', { testMode: true });
  const start = new Date(now + 3 * 3600_000);
  await apiAs(e, STAFF_PHONE, 'POST', '/v1/staff/activities', {
    title: '楼道清洁日',
    place: '银杏院中心广场',
    startsAt: start.toISOString(),
    endsAt: new Date(start.getTime() + 2 * 3600_000).toISOString(),
    capacity: 10,
    creditMin: 120,
  });
  return { taskId: task.id as string, callId: call.id as string };
}

describe('长辈模式 on the volunteer, 邻里互助 and staff volunteer pages', () => {
  it('every page reads large and taps large, for the elder, the volunteer and staff', async () => {
    const { taskId, callId } = await world();

    const elder = await e.phone();
    await loginByPhone(elder.page, e.base, ELDER);
    await turnOnElderMode(elder.page);
    const elderProblems = [
      ...(await visit(elder.page, '/help/index', 'help', 'help')),
      ...(await visit(elder.page, '/help/new', 'help-new', 'help-new')),
      ...(await visit(elder.page, `/help/task?id=${taskId}`, 'help-task', 'help-task')),
      ...(await visit(elder.page, '/help/settings', 'help-settings', 'help-settings')),
    ];

    const neighbour = await e.phone();
    await loginByPhone(neighbour.page, e.base, NEIGHBOUR);
    await turnOnElderMode(neighbour.page);
    const neighbourProblems = await visit(
      neighbour.page,
      `/help/emergency?id=${callId}`,
      'help-emergency',
      'help-emergency',
    );

    const volunteer = await e.phone();
    await loginByPhone(volunteer.page, e.base, VOLUNTEER);
    await turnOnElderMode(volunteer.page);
    const volunteerProblems = [
      ...(await visit(volunteer.page, '/volunteer/index', 'volunteer', 'volunteer')),
      ...(await visit(volunteer.page, `/volunteer/task?id=${taskId}`, 'volunteer-task', 'volunteer-task')),
      ...(await visit(volunteer.page, '/volunteer/apply', 'volunteer-apply', 'volunteer-apply')),
      ...(await visit(volunteer.page, '/volunteer/bank', 'volunteer-bank', 'volunteer-bank')),
      ...(await visit(
        volunteer.page,
        '/volunteer/activities',
        'volunteer-activities',
        'volunteer-activities',
      )),
    ];

    const staff = await e.phone();
    await loginByPhone(staff.page, e.base, STAFF_PHONE);
    await turnOnElderMode(staff.page);
    const staffProblems = [
      ...(await visit(staff.page, '/staff/volunteers', 'staff-volunteers', 'staff-volunteers')),
      ...(await visit(staff.page, '/staff/help-tasks', 'staff-help-tasks', 'staff-help-tasks')),
      ...(await visit(staff.page, '/staff/activities', 'staff-activities', 'staff-activities')),
      ...(await visit(staff.page, '/staff/teams', 'staff-teams', 'staff-teams')),
      ...(await visit(staff.page, '/staff/emergencies', 'staff-emergencies', 'staff-emergencies')),
      ...(await visit(staff.page, '/staff/checkins', 'staff-checkins', 'staff-checkins')),
    ];

    expect([...elderProblems, ...neighbourProblems, ...volunteerProblems, ...staffProblems]).toEqual([]);
    for (const p of [elder, neighbour, volunteer, staff]) {
      expect(p.errors).toEqual([]);
      await p.context.close();
    }
  });
});
