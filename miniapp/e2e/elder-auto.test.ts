import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { apiAs, e2eSuite, H5_DIST, loginByPhone, onPage, visibleBanner } from './harness';

const e = e2eSuite();

const ELDER = '13800000020'; // 刘奶奶, born 1940
const FAMILY = '13800000021'; // 刘晓明, her consented proxy
const NOTE = '已为您开启长辈模式（大字），可在「我的」关闭';

const elderOn = (page: Page) => page.locator('.page.elder:visible').count();

async function openMine(page: Page) {
  await page.getByText('我的', { exact: true }).click();
  await onPage(page, 'mine').waitFor();
}

describe('长辈模式 finds the elder by itself; their own choice wins and follows them', () => {
  it('an 80+ elder gets it with a note; turning it off sticks after signing in on another phone', async () => {
    const first = await e.phone();
    await loginByPhone(first.page, e.base, ELDER);
    const home = onPage(first.page, 'home');
    await home.getByTestId('elder-note').waitFor();
    await expect.poll(() => home.getByTestId('elder-note').textContent()).toContain(NOTE);
    expect(await elderOn(first.page)).toBeGreaterThan(0);
    await first.page.screenshot({ path: join(H5_DIST, '..', 'e2e-elder-auto-note.png') });

    // 我的 -> switch off: large text and the note go at once.
    await openMine(first.page);
    await onPage(first.page, 'mine').getByTestId('elder-switch').click();
    await first.page.locator('.page.elder:visible').first().waitFor({ state: 'detached' });
    await expect.poll(() => first.page.getByTestId('elder-note').count()).toBe(0);
    // The choice is on the account, not only in this browser.
    await expect.poll(async () => (await apiAs(e, ELDER, 'GET', '/v1/me')).user.elderMode).toBe(false);

    await onPage(first.page, 'mine').getByTestId('logout').click();
    await onPage(first.page, 'login').waitFor();
    await first.context.close();

    // Another phone (a fresh browser context, nothing in its storage): still off, no note.
    const second = await e.phone();
    await loginByPhone(second.page, e.base, ELDER);
    await onPage(second.page, 'home').waitFor();
    await second.page.waitForTimeout(300);
    expect(await elderOn(second.page)).toBe(0);
    expect(await second.page.getByTestId('elder-note').count()).toBe(0);
    // And back on from there: on everywhere again.
    await openMine(second.page);
    await onPage(second.page, 'mine').getByTestId('elder-switch').click();
    await second.page.locator('.page.elder:visible').first().waitFor();
    expect(await second.page.getByTestId('elder-note').count()).toBe(0);
    expect([...first.errors, ...second.errors]).toEqual([]);
    await second.context.close();
  });

  it('a family member acting for an elder gets it while acting; 知道了 closes the note for good', async () => {
    const { context, page, errors } = await e.phone();
    await loginByPhone(page, e.base, FAMILY);
    expect(await elderOn(page)).toBe(0);
    await page.goto(`${e.base}/#/family/index`);
    await page.getByTestId('act-for').first().click();
    // Acting starts on the home page. Until the navigation settles, the page it left (the login
    // page, still in the stack) can be visible beside it with a banner and note of its own: look
    // at the home page's.
    const home = onPage(page, 'home');
    await home.getByTestId('acting-banner').waitFor();
    await page.locator('.page.elder:visible').first().waitFor();
    const note = home.getByTestId('elder-note');
    await note.waitFor();
    await note.getByTestId('elder-note-ok').click();
    await expect.poll(() => page.locator('[data-testid="elder-note"]:visible').count()).toBe(0);
    await page.reload();
    await visibleBanner(page).waitFor();
    expect(await elderOn(page)).toBeGreaterThan(0);
    expect(await page.locator('[data-testid="elder-note"]:visible').count()).toBe(0);

    // 退出代办: the family member's own screens are back to normal size.
    await visibleBanner(page).getByTestId('acting-exit').click();
    await expect.poll(() => page.getByTestId('acting-banner').count()).toBe(0);
    await expect.poll(() => elderOn(page)).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });
});
