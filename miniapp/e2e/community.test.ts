import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  apiAs,
  e2eSuite,
  elderSizeProblems,
  H5_DIST,
  loginByPhone,
  onPage,
  STAFF_PHONE,
  turnOnElderMode,
} from './harness';

const e = e2eSuite();

const RESIDENT = '13800000010'; // 陈静, verified in the demo community
const HOUSEMATE = '13900000110'; // joins 陈静's household in the test

const shot = async (page: Page, name: string) => {
  // Let Taro's page transition finish, so the picture shows the page in place.
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(H5_DIST, '..', `e2e-community-${name}.png`) });
};

/**
 * Opens a page by its hash as a fresh load: a bare hash change while Taro's router is mid
 * transition can leave the new page hidden behind the old one.
 */
async function visit(page: Page, hash: string, name: string) {
  await page.goto(`${e.base}/#${hash}`);
  await page.reload();
  await onPage(page, name).waitFor();
}

/** Taro's H5 modal: its text, then one of its buttons tapped. */
async function modal(page: Page, button: string): Promise<string> {
  const box = page.locator('.taro-modal__content:visible');
  await box.waitFor();
  const text = (await box.textContent()) ?? '';
  const foot = page.locator('.taro-modal__foot:visible');
  await foot.getByText(button, { exact: true }).click();
  await foot.waitFor({ state: 'hidden' });
  return text;
}

/** Elder-size check of the page on screen, its picture, and a look for nameless buttons and images. */
async function elderCheck(page: Page, name: string): Promise<string[]> {
  const problems = await elderSizeProblems(page, name);
  const root = onPage(page, name);
  const nameless = await root.evaluate((el) =>
    Array.from(el.querySelectorAll('taro-button-core, taro-image-core, img'))
      .filter((n) => (n as HTMLElement).offsetParent !== null)
      .filter((n) => !(n.textContent?.trim() || n.getAttribute('aria-label') || n.getAttribute('alt')))
      .map((n) => `nameless <${n.tagName.toLowerCase()} class="${n.className}">`),
  );
  await shot(page, `${name}-elder`);
  return [...problems, ...nameless].map((p) => `${name}: ${p}`);
}

/** A second verified member of `phone`'s household: applies through the API, staff approve. */
async function addHousemate(phone: string, housemate: string, name: string) {
  const me = await apiAs(e, phone, 'GET', '/v1/me');
  const home = me.memberships.find((m: { status: string }) => m.status === 'approved');
  await apiAs(e, housemate, 'PATCH', '/v1/me', { name });
  const applied = await apiAs(e, housemate, 'POST', '/v1/memberships', { householdId: home.householdId });
  await apiAs(e, STAFF_PHONE, 'POST', `/v1/staff/memberships/${applied.id}/approve`, {});
}

describe('community office: notices, an urgent alert, a poll with one vote per household', () => {
  it('staff publish a notice and an alert; a resident sees the banner and reads both; a household votes once, seen from a second phone in elder mode', async () => {
    const stamp = Date.now().toString(36);
    const noticeTitle = `电梯检修通知 ${stamp}`;
    const alertText = `今晚 20:00 起 3 号楼燃气管道抢修，请关闭燃气阀门 ${stamp}`;

    // 1. Staff: 发布公告 (pinned), then 紧急通知 with the confirm naming how many it reaches.
    const staff = await e.phone();
    const sp = staff.page;
    await loginByPhone(sp, e.base, STAFF_PHONE);
    await visit(sp, '/office/notices', 'officeNotices');
    const notices = onPage(sp, 'officeNotices');
    await notices.getByTestId('office-notice-new').click();
    await notices.getByTestId('office-notice-title').locator('input').fill(noticeTitle);
    await notices
      .getByTestId('office-notice-body')
      .locator('textarea')
      .fill('周四 9:00-12:00 1 号梯停运检修。\n请走 2 号梯。');
    await notices.getByTestId('office-notice-pinned').click();
    await notices.getByTestId('office-notice-submit').click();
    const card = notices.locator('[data-testid^="office-notice-"]', { hasText: noticeTitle }).first();
    await card.getByTestId('office-notice-rate').waitFor();
    expect(await card.getByTestId('office-notice-rate').textContent()).toMatch(/^已读 0 \/ \d+ 人（0%）$/);

    await visit(sp, '/office/alerts', 'officeAlerts');
    const alerts = onPage(sp, 'officeAlerts');
    await alerts.getByTestId('office-alert-text').locator('textarea').fill(alertText);
    expect(await alerts.getByTestId('office-alert-counter').textContent()).toBe(
      `${[...alertText].length}/110`,
    );
    await alerts.getByTestId('office-alert-send').click();
    const asked = await modal(sp, '立即发送');
    const members = Number(/推送给本社区 (\d+) 位居民/.exec(asked)?.[1] ?? 'NaN');
    expect(members).toBeGreaterThan(0);
    const sent = alerts.locator('[data-testid^="office-alert-"]', { hasText: alertText }).first();
    await expect
      .poll(() => sent.getByTestId('office-alert-progress').textContent(), { timeout: 15_000 })
      .toBe(`已全部送达 ${members.toLocaleString('en-US')} 人`);

    // 2. The resident: the red banner on 首页, the alert in full, 我知道了; the banner goes.
    const resident = await e.phone();
    const rp = resident.page;
    await loginByPhone(rp, e.base, RESIDENT);
    const home = onPage(rp, 'home');
    await home.getByTestId('home-alert').waitFor();
    expect(await home.getByTestId('home-alert-text').textContent()).toBe(alertText);
    // At the very top of 首页, above the greeting.
    const [bannerBox, greetBox] = await Promise.all([
      home.getByTestId('home-alert').boundingBox(),
      home.getByTestId('home-greeting').boundingBox(),
    ]);
    expect(bannerBox!.y).toBeLessThan(greetBox!.y);
    await shot(rp, 'home-banner');
    await home.getByTestId('home-alert').click();
    const alertPage = onPage(rp, 'communityAlert');
    expect(await alertPage.getByTestId('alert-text').textContent()).toBe(alertText);
    await alertPage.getByTestId('alert-ack').click();
    await alertPage.getByTestId('alert-acked').waitFor();
    await alertPage.getByTestId('alert-back').click();
    await home.getByTestId('home-notices').waitFor();
    await expect.poll(() => home.getByTestId('home-alert').count()).toBe(0);

    // 3. 社区公告: the new pinned notice is unread on 首页 and in the list; opening it reads it.
    await expect
      .poll(() => home.getByTestId('home-notices-pinned').textContent())
      .toBe(`置顶：${noticeTitle}`);
    await home.getByTestId('home-notices').click();
    const list = onPage(rp, 'communityNotices');
    const row = list.locator('[data-testid^="notice-"]', { hasText: noticeTitle }).first();
    await row.getByTestId('notice-unread').waitFor();
    await row.click();
    const detail = onPage(rp, 'communityNotice');
    expect(await detail.getByTestId('notice-title').textContent()).toBe(noticeTitle);
    expect(await detail.getByTestId('notice-body').textContent()).toBe(
      '周四 9:00-12:00 1 号梯停运检修。\n请走 2 号梯。',
    );
    await rp.goBack();
    await expect.poll(() => row.getByTestId('notice-unread').count()).toBe(0);

    // Staff see the read receipt.
    await visit(sp, '/office/notices', 'officeNotices');
    const again = onPage(sp, 'officeNotices')
      .locator('[data-testid^="office-notice-"]', { hasText: noticeTitle })
      .first();
    await expect
      .poll(() => again.getByTestId('office-notice-rate').textContent(), { timeout: 10_000 })
      .toMatch(/^已读 1 \/ \d+ 人/);

    // 4. A poll: the resident votes; the household's other member sees it already voted.
    await addHousemate(RESIDENT, HOUSEMATE, '陈小雨');
    const poll = await apiAs(e, STAFF_PHONE, 'POST', '/v1/staff/community/polls', {
      question: `楼顶是否加装太阳能热水器 ${stamp}`,
      options: ['同意', '不同意'],
      closesAt: new Date(Date.now() + 3 * 86_400_000).toISOString(),
      resultsVisibility: 'after_vote',
    });
    await visit(rp, `/community/poll?id=${poll.id}`, 'communityPoll');
    const vote = onPage(rp, 'communityPoll');
    await vote.getByTestId('poll-results-hidden').waitFor();
    await vote.getByTestId('poll-option-0').click();
    await vote.getByTestId('poll-submit').click();
    // The household's one vote is final: it is asked for, with the choice named.
    expect(await modal(rp, '投票')).toContain('您选了：同意。全家只能投一次，投出后不能修改。');
    await vote.getByTestId('poll-household-voted').waitFor();
    expect(await vote.getByTestId('poll-household-voted').textContent()).toBe(
      '您家已投票：选了 同意（由您投出）',
    );
    await vote.getByTestId('poll-results').waitFor();
    expect(await vote.getByTestId('poll-result-0').textContent()).toContain('1 户 · 100%');

    const mate = await e.phone();
    const mp = mate.page;
    await loginByPhone(mp, e.base, HOUSEMATE);
    await turnOnElderMode(mp);
    await visit(mp, `/community/poll?id=${poll.id}`, 'communityPoll');
    const seen = onPage(mp, 'communityPoll');
    await seen.getByTestId('poll-household-voted').waitFor();
    // 陈静 cast it: her housemate sees her masked name.
    expect(await seen.getByTestId('poll-household-voted').textContent()).toBe(
      '您家已投票：选了 同意（由 陈* 投出）',
    );
    expect(await seen.getByTestId('poll-submit').count()).toBe(0);
    const problems = await elderCheck(mp, 'communityPoll');

    // 5. Elder mode on the notice pages too.
    await visit(mp, '/community/notices', 'communityNotices');
    problems.push(...(await elderCheck(mp, 'communityNotices')));
    const mateRow = onPage(mp, 'communityNotices')
      .locator('[data-testid^="notice-"]', { hasText: noticeTitle })
      .first();
    await mateRow.click();
    await onPage(mp, 'communityNotice').getByTestId('notice-body').waitFor();
    problems.push(...(await elderCheck(mp, 'communityNotice')));
    expect(problems).toEqual([]);

    for (const p of [staff, resident, mate]) {
      expect(p.errors).toEqual([]);
      await p.context.close();
    }
  });

  it('a resident takes the last place of an activity and gives it up to the waitlist; joins a group; staff pages read large', async () => {
    const start = new Date(Date.now() + 2 * 86_400_000);
    const activity = await apiAs(e, STAFF_PHONE, 'POST', '/v1/staff/community/activities', {
      title: '冬至包饺子',
      place: '社区活动中心二楼',
      startsAt: start.toISOString(),
      endsAt: new Date(start.getTime() + 2 * 3_600_000).toISOString(),
      capacity: 1,
    });

    const resident = await e.phone();
    const rp = resident.page;
    await loginByPhone(rp, e.base, RESIDENT);
    await visit(rp, `/community/activity?id=${activity.id}`, 'communityActivity');
    const card = onPage(rp, 'communityActivity').getByTestId(`activity-${activity.id}`);
    await card.getByTestId('activity-signup').click();
    await expect.poll(() => card.getByTestId('activity-mine').textContent()).toBe('已报名');
    expect(await card.getByTestId('activity-places').textContent()).toBe('名额已满（共 1 个）');

    // A neighbour joins the waitlist; giving the place up (confirmed) promotes them.
    const NEIGHBOUR = '13800000011';
    const waiting = await apiAs(e, NEIGHBOUR, 'POST', `/v1/community/activities/${activity.id}/signup`, {});
    expect(waiting.mine).toEqual({ status: 'waitlisted', waitlistPosition: 1 });
    await rp.reload();
    await expect
      .poll(() => card.getByTestId('activity-places').textContent())
      .toBe('名额已满（共 1 个） · 候补 1 人');
    await card.getByTestId('activity-cancel').click();
    expect(await modal(rp, '取消报名')).toContain('名额会让给候补第 1 位的邻居');
    await card.getByTestId('activity-signup').waitFor();
    const promoted = await apiAs(e, NEIGHBOUR, 'GET', `/v1/community/activities/${activity.id}`);
    expect(promoted.mine.status).toBe('signed_up');

    // 兴趣小组: join from the list; the group's page says so.
    await visit(rp, '/community/groups', 'communityGroups');
    const groups = onPage(rp, 'communityGroups');
    const dance = groups.locator('[data-testid^="group-"]', { hasText: '广场舞队' }).first();
    await dance.getByTestId('group-join').click();
    await dance.getByTestId('group-leave').waitFor();
    // 退出小组 asks first, like 取消报名; backing out keeps the membership.
    await dance.getByTestId('group-leave').click();
    expect(await modal(rp, '再想想')).toContain('已报名的活动不受影响');
    await dance.getByTestId('group-leave').waitFor();

    // The resident's pages in elder mode, the alert page with an alert of its own.
    const alert = await apiAs(e, STAFF_PHONE, 'POST', '/v1/staff/community/alerts', {
      text: '明早 8 点小区停水 2 小时',
    });
    const groupList = await apiAs(e, RESIDENT, 'GET', '/v1/community/groups');
    await visit(rp, '/pages/index/index', 'home');
    await turnOnElderMode(rp);
    const residentProblems: string[] = [];
    for (const [hash, name] of [
      ['/community/activities', 'communityActivities'],
      [`/community/activity?id=${activity.id}`, 'communityActivity'],
      ['/community/groups', 'communityGroups'],
      [`/community/group?id=${groupList.items[0].id}`, 'communityGroup'],
      ['/community/polls', 'communityPolls'],
      [`/community/alert?id=${alert.id}`, 'communityAlert'],
    ] as const) {
      await visit(rp, hash, name);
      residentProblems.push(...(await elderCheck(rp, name)));
    }
    expect(residentProblems).toEqual([]);

    // Staff, elder mode: every community office page reads large and taps large.
    const staff = await e.phone();
    const sp = staff.page;
    await loginByPhone(sp, e.base, STAFF_PHONE);
    await turnOnElderMode(sp);
    const problems: string[] = [];
    for (const [hash, name] of [
      ['/office/notices', 'officeNotices'],
      ['/office/alerts', 'officeAlerts'],
      ['/office/polls', 'officePolls'],
      ['/office/activities', 'officeActivities'],
      ['/office/groups', 'officeGroups'],
    ] as const) {
      await visit(sp, hash, name);
      problems.push(...(await elderCheck(sp, name)));
    }
    // The code staff read out at the place, and the roster with who took the place.
    await visit(sp, '/office/activities', 'officeActivities');
    const staffCard = onPage(sp, 'officeActivities').getByTestId(`office-activity-${activity.id}`);
    expect(await staffCard.getByTestId('office-activity-code').textContent()).toMatch(/^\d{6}$/);
    await staffCard.getByTestId('office-activity-roster-toggle').click();
    await staffCard.getByTestId('office-activity-roster').getByText('已报名').waitFor();
    expect(problems).toEqual([]);

    for (const p of [resident, staff]) {
      expect(p.errors).toEqual([]);
      await p.context.close();
    }
  });
});
