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
    await sp.goto(`${e.base}/#/office/notices`);
    const notices = onPage(sp, 'officeNotices');
    await notices.getByTestId('office-notice-new').click();
    await notices.getByTestId('office-notice-title').locator('input').fill(noticeTitle);
    await notices.getByTestId('office-notice-body').locator('textarea').fill('周四 9:00-12:00 1 号梯停运检修。\n请走 2 号梯。');
    await notices.getByTestId('office-notice-pinned').click();
    await notices.getByTestId('office-notice-submit').click();
    const card = notices.locator('[data-testid^="office-notice-"]', { hasText: noticeTitle }).first();
    await card.getByTestId('office-notice-rate').waitFor();
    expect(await card.getByTestId('office-notice-rate').textContent()).toMatch(/^已读 0 \/ \d+ 人（0%）$/);

    await sp.goto(`${e.base}/#/office/alerts`);
    const alerts = onPage(sp, 'officeAlerts');
    await alerts.getByTestId('office-alert-text').locator('textarea').fill(alertText);
    expect(await alerts.getByTestId('office-alert-counter').textContent()).toBe(`${[...alertText].length}/110`);
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
    await expect.poll(() => home.getByTestId('home-notices-pinned').textContent()).toBe(`置顶：${noticeTitle}`);
    await home.getByTestId('home-notices').click();
    const list = onPage(rp, 'communityNotices');
    const row = list.locator('[data-testid^="notice-"]', { hasText: noticeTitle }).first();
    await row.getByTestId('notice-unread').waitFor();
    await row.click();
    const detail = onPage(rp, 'communityNotice');
    expect(await detail.getByTestId('notice-title').textContent()).toBe(noticeTitle);
    expect(await detail.getByTestId('notice-body').textContent()).toBe('周四 9:00-12:00 1 号梯停运检修。\n请走 2 号梯。');
    await rp.goBack();
    await expect.poll(() => row.getByTestId('notice-unread').count()).toBe(0);

    // Staff see the read receipt.
    await sp.goto(`${e.base}/#/office/notices`);
    const again = onPage(sp, 'officeNotices').locator('[data-testid^="office-notice-"]', { hasText: noticeTitle }).first();
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
    await rp.goto(`${e.base}/#/community/poll?id=${poll.id}`);
    const vote = onPage(rp, 'communityPoll');
    await vote.getByTestId('poll-results-hidden').waitFor();
    await vote.getByTestId('poll-option-0').click();
    await vote.getByTestId('poll-submit').click();
    await vote.getByTestId('poll-household-voted').waitFor();
    expect(await vote.getByTestId('poll-household-voted').textContent()).toBe('您家已投票：选了 同意（由您投出）');
    await vote.getByTestId('poll-results').waitFor();
    expect(await vote.getByTestId('poll-result-0').textContent()).toContain('1 户 · 100%');

    const mate = await e.phone();
    const mp = mate.page;
    await loginByPhone(mp, e.base, HOUSEMATE);
    await turnOnElderMode(mp);
    await mp.goto(`${e.base}/#/community/poll?id=${poll.id}`);
    const seen = onPage(mp, 'communityPoll');
    await seen.getByTestId('poll-household-voted').waitFor();
    // 陈静 cast it: her housemate sees her masked name.
    expect(await seen.getByTestId('poll-household-voted').textContent()).toBe('您家已投票：选了 同意（由 陈* 投出）');
    expect(await seen.getByTestId('poll-submit').count()).toBe(0);
    const problems = await elderCheck(mp, 'communityPoll');

    // 5. Elder mode on the notice pages too.
    await mp.goto(`${e.base}/#/community/notices`);
    problems.push(...(await elderCheck(mp, 'communityNotices')));
    const mateRow = onPage(mp, 'communityNotices').locator('[data-testid^="notice-"]', { hasText: noticeTitle }).first();
    await mateRow.click();
    await onPage(mp, 'communityNotice').getByTestId('notice-body').waitFor();
    problems.push(...(await elderCheck(mp, 'communityNotice')));
    expect(problems).toEqual([]);

    for (const p of [staff, resident, mate]) {
      expect(p.errors).toEqual([]);
      await p.context.close();
    }
  });
});
