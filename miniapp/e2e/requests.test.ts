import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { image } from '../../bff/test/fixtures/uploads';
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

const RESIDENT = '13800000021'; // 刘晓明, a verified household of 银杏院
const REPAIR_SHOP_OWNER = '13800000009'; // 郑师傅, owner of 邻里快修 (bff/src/demo.ts)
const SHOP_PHONE = '13402056789'; // 邻里快修's contact number

const shot = async (page: Page, name: string) => {
  // Let Taro's page transition finish, so the picture shows the page in place.
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(H5_DIST, '..', `e2e-requests-${name}.png`), fullPage: true });
};

/** Elder-size check and a small accessibility check of the page on screen, and its picture. */
async function check(page: Page, name: string, picture: string): Promise<string[]> {
  const problems = [...(await elderSizeProblems(page, name)), ...(await a11yProblems(page, name))];
  await shot(page, picture);
  return problems.map((p) => `${picture}: ${p}`);
}

/**
 * What a screen reader would trip over on the page: a button or an image with no name, a form
 * field with no label or placeholder.
 */
async function a11yProblems(page: Page, name: string): Promise<string[]> {
  return onPage(page, name).evaluate((root) => {
    const problems: string[] = [];
    const visible = (n: Element) => {
      const r = n.getBoundingClientRect();
      return r.width > 0 && r.height > 0 && getComputedStyle(n).visibility !== 'hidden';
    };
    for (const b of Array.from(root.querySelectorAll('taro-button-core, button'))) {
      if (!visible(b)) continue;
      const label = (b.getAttribute('aria-label') ?? b.textContent ?? '').trim();
      if (!label) problems.push(`button without a name: ${b.outerHTML.slice(0, 80)}`);
    }
    for (const img of Array.from(root.querySelectorAll('img'))) {
      if (!visible(img)) continue;
      const holder = img.closest('[aria-label]');
      if (!img.alt && !img.getAttribute('aria-label') && !holder)
        problems.push(`image without a name: ${img.outerHTML.slice(0, 80)}`);
    }
    for (const field of Array.from(root.querySelectorAll('input:not([type=hidden]), textarea'))) {
      if (!visible(field)) continue;
      const f = field as HTMLInputElement;
      if (!f.placeholder && !f.getAttribute('aria-label') && !f.labels?.length)
        problems.push(`field without a label: ${f.outerHTML.slice(0, 80)}`);
    }
    return problems;
  });
}

/** Taro's H5 modal is its own element: tap one of its buttons. */
async function modal(page: Page, button: string) {
  const foot = page.locator('.taro-modal__foot:visible');
  await foot.getByText(button, { exact: true }).click();
  await foot.waitFor({ state: 'hidden' });
}

/** Picks one photo in the H5 file input the picker opens. */
async function addPhoto(page: Page, button: ReturnType<Page['locator']>, name: string) {
  const chooser = page.waitForEvent('filechooser');
  await button.click();
  await (await chooser).setFiles({ name, mimeType: 'image/jpeg', buffer: await image('jpeg', 160, 120) });
}

describe('resident requests: a repair from the resident to 邻里快修 and back', () => {
  it('a resident in elder mode raises a repair with a photo; staff dispatch it to 邻里快修; the shop accepts and resolves it with a photo; the resident rates it', async () => {
    const problems: string[] = [];

    // 1. The resident, elder mode: 首页 → 我要反映 → 报修, the text, a photo; 位置 is their address.
    const resident = await e.phone();
    const rp = resident.page;
    await loginByPhone(rp, e.base, RESIDENT);
    await turnOnElderMode(rp);
    await rp.getByText('首页', { exact: true }).click();
    await onPage(rp, 'home').getByTestId('home-request-new').click();
    const form = onPage(rp, 'requestNew');
    // Sent empty, each field says what it lacks; fixing one clears its error only.
    await form.getByTestId('request-new-submit').click();
    await form.getByTestId('request-category-error').waitFor();
    await form.getByTestId('request-text-field-error').waitFor();
    await form.getByTestId('request-category-repair').click();
    await form.getByTestId('request-category-error').waitFor({ state: 'detached' });
    expect(await form.getByTestId('request-text-field-error').count()).toBe(1);
    await expect
      .poll(() => form.getByTestId('request-category-repair').getAttribute('aria-pressed'))
      .toBe('true');
    const me = await apiAs(e, RESIDENT, 'GET', '/v1/me');
    const address = me.memberships.find((m: { status: string }) => m.status === 'approved').address;
    await expect.poll(() => form.getByTestId('request-location').locator('input').inputValue()).toBe(address);
    const text = '厨房水龙头一直滴水，关不紧';
    await form.getByTestId('request-text').locator('textarea').fill(text);
    await form.getByTestId('request-text-field-error').waitFor({ state: 'detached' });
    await form.getByTestId('request-text-count').getByText(`${text.length}/500`).waitFor();
    await addPhoto(rp, form.getByTestId('request-photos-picker-add'), 'tap.jpg');
    await form.getByTestId('request-photos-picker-item').first().waitFor();
    problems.push(...(await check(rp, 'requestNew', 'new-elder')));
    await form.getByTestId('request-new-submit').click();

    const detail = onPage(rp, 'requestDetail');
    await detail.getByTestId('request-created').waitFor();
    await detail.getByTestId('request-status').getByText('已提交', { exact: true }).waitFor();
    await detail
      .getByTestId('request-deadline')
      .getByText(/^应在 .+ 前响应$/)
      .waitFor();
    await detail.getByTestId('request-photos-item').first().waitFor();
    const id = new URL(rp.url().replace('/#/', '/')).searchParams.get('id')!;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const raised = await apiAs(e, RESIDENT, 'GET', `/v1/requests/${id}`);
    expect(raised).toMatchObject({ category: 'repair', status: 'submitted', text, location: address });
    expect(raised.photos).toHaveLength(1);
    problems.push(...(await check(rp, 'requestDetail', 'detail-submitted-elder')));

    // 2. Staff: 我的 → 诉求派单 → the request → 派单 to 邻里快修.
    const staff = await e.phone();
    const sp = staff.page;
    await loginByPhone(sp, e.base, STAFF_PHONE);
    await turnOnElderMode(sp);
    await onPage(sp, 'mine').getByTestId('mine-office-requests').click();
    const queue = onPage(sp, 'officeRequests');
    const row = queue.getByTestId(`office-request-${id}`);
    await row.getByText(text).waitFor();
    await row
      .getByTestId('request-deadline')
      .getByText(/^响应剩 /)
      .waitFor();
    problems.push(...(await check(sp, 'officeRequests', 'office-queue-elder')));
    await row.getByTestId(`office-request-${id}-open`).click();
    const desk = onPage(sp, 'officeRequest');
    await desk
      .getByTestId('office-request-resident')
      .getByText(/刘晓明/)
      .waitFor();
    const dispatch = desk.getByTestId('office-request-dispatch');
    await dispatch.getByTestId('office-dispatch-merchant').getByText('邻里快修', { exact: false }).click();
    await dispatch.getByTestId('office-dispatch-submit').getByText('派给 邻里快修').waitFor();
    problems.push(...(await check(sp, 'officeRequest', 'office-dispatch-elder')));
    await dispatch.getByTestId('office-dispatch-submit').click();
    await modal(sp, '派单');
    await desk.getByTestId('request-status').getByText('已派单', { exact: true }).waitFor();
    await desk
      .getByTestId('request-handler')
      .getByText(/邻里快修/)
      .waitFor();

    // 时限设置: repairs get 12 h to respond and 48 h to resolve in this community.
    await sp.goto(`${e.base}/#/office/requests`);
    const office = onPage(sp, 'officeRequests');
    await office.getByTestId('office-requests-tab-settings').click();
    const limits = office.getByTestId('request-limit-repair');
    await limits.getByTestId('request-limit-repair-respond').locator('input').fill('12');
    await limits.getByTestId('request-limit-repair-resolve').locator('input').fill('48');
    await limits.getByText('本社区设置').waitFor();
    await office.getByTestId('request-settings-save').click();
    await expect
      .poll(async () => {
        const s = await apiAs(
          e,
          STAFF_PHONE,
          'GET',
          `/v1/staff/communities/${raised.communityId}/request-settings`,
        );
        return s.limits.find((l: { category: string }) => l.category === 'repair');
      })
      .toEqual({ category: 'repair', respondHours: 12, resolveHours: 48, custom: true });
    problems.push(...(await check(sp, 'officeRequests', 'office-settings-elder')));

    // The resident sees who has it; the shop's number stays masked until it accepts.
    await rp.reload();
    await detail.getByTestId('request-status').getByText('已派单', { exact: true }).waitFor();
    await detail.getByTestId('request-handler-phone').getByText('电话：134****6789').waitFor();

    // 3. The shop's owner: 我的 → 上门报修 → the request → 接单, then 处理完成 with a note and a photo.
    const shop = await e.phone();
    const mp = shop.page;
    await loginByPhone(mp, e.base, REPAIR_SHOP_OWNER);
    await turnOnElderMode(mp);
    await onPage(mp, 'mine').getByTestId('mine-merchant-requests').click();
    const jobs = onPage(mp, 'merchantRequests');
    await jobs.getByTestId(`merchant-request-${id}`).getByText(text).waitFor();
    problems.push(...(await check(mp, 'merchantRequests', 'merchant-list-elder')));
    await jobs.getByTestId(`merchant-request-${id}-open`).click();
    const job = onPage(mp, 'merchantRequest');
    await job
      .getByTestId('merchant-request-resident')
      .getByText(/刘晓明/)
      .waitFor();
    // Before taking the job the shop sees the number masked, with nothing to dial.
    await job.getByTestId('merchant-request-resident-note').getByText('接单后可查看完整号码').waitFor();
    expect(await job.getByTestId('merchant-request-resident-phone').textContent()).toMatch(/\*{4}/);
    expect(await job.getByTestId('merchant-request-resident-call').count()).toBe(0);
    await job.getByTestId('request-accept').click();
    await job.getByTestId('request-status').getByText('处理中', { exact: true }).waitFor();
    await job.getByTestId('merchant-request-resident-call').waitFor();
    expect(await job.getByTestId('merchant-request-resident-phone').textContent()).not.toMatch(/\*/);
    await job.getByTestId('request-resolve-open').click();
    const note = '已更换阀芯，试用半小时无渗漏';
    await job.getByTestId('request-resolve-note').locator('textarea').fill(note);
    await addPhoto(mp, job.getByTestId('request-resolve-photos-add'), 'fixed.jpg');
    await job.getByTestId('request-resolve-photos-item').first().waitFor();
    problems.push(...(await check(mp, 'merchantRequest', 'merchant-resolve-elder')));
    await job.getByTestId('request-resolve-submit').click();
    await job.getByTestId('request-status').getByText('待评价', { exact: true }).waitFor();
    await job.getByTestId('request-resolution').getByText(note).waitFor();

    // 4. The resident: 已解决, the shop's number in full, its note and photo; five stars.
    await rp.reload();
    await detail.getByTestId('request-status').getByText('已解决', { exact: true }).waitFor();
    await detail.getByTestId('request-handler-phone').getByText(`电话：${SHOP_PHONE}`).waitFor();
    await detail.getByTestId('request-resolution').getByText(note).waitFor();
    await detail.getByTestId('request-resolution-photos-item').first().waitFor();
    await detail.getByTestId('request-reopen').waitFor();
    problems.push(...(await check(rp, 'requestDetail', 'detail-resolved-elder')));
    await detail.getByTestId('request-stars-5').click();
    await detail.getByTestId('request-rate-text').locator('textarea').fill('师傅很准时，修得很好');
    await detail.getByTestId('request-rate-submit').click();
    await detail.getByTestId('request-status').getByText('已完成', { exact: true }).waitFor();
    await detail.getByTestId('request-rating').getByText('★★★★★').waitFor();
    // Done with, the shop's number is masked again and the page says so (no promise of more).
    await detail.getByTestId('request-handler-note').getByText('诉求已结束，不再显示完整号码').waitFor();
    expect(await detail.getByTestId('request-reopen').count()).toBe(0);
    const events = await detail.locator('.rq-step__title').allTextContents();
    expect(events).toEqual(['提交诉求', '派单', '接单', '处理完成', '办结']);
    problems.push(...(await check(rp, 'requestDetail', 'detail-closed-elder')));

    const closed = await apiAs(e, RESIDENT, 'GET', `/v1/requests/${id}`);
    expect(closed).toMatchObject({ status: 'closed', rating: { stars: 5, text: '师傅很准时，修得很好' } });
    expect(closed.resolution.photos).toHaveLength(1);

    // 5. 我的诉求 lists it as 已完成 under 已结束; the month's figures count it.
    await rp.goto(`${e.base}/#/requests/index`);
    const mine = onPage(rp, 'requests');
    await mine.getByTestId('requests-scope-done').click();
    await mine.getByTestId(`request-${id}`).getByText('已完成', { exact: true }).waitFor();
    problems.push(...(await check(rp, 'requests', 'list-elder')));
    await mine.getByTestId('requests-stats').click();
    const stats = onPage(rp, 'officeStats');
    const month = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' })
      .format(new Date())
      .slice(0, 7);
    const figures = await apiAs(
      e,
      RESIDENT,
      'GET',
      `/v1/communities/${raised.communityId}/request-stats?month=${month}`,
    );
    expect(
      figures.byCategory.find((c: { category: string }) => c.category === 'repair').count,
    ).toBeGreaterThan(0);
    expect(figures.ratedCount).toBeGreaterThan(0);
    await stats.getByTestId('stats-total').getByText(String(figures.total), { exact: true }).waitFor();
    await stats
      .getByTestId('stats-rating')
      .getByText(`${figures.averageRating.toFixed(1)} 星`, { exact: true })
      .waitFor();
    problems.push(...(await check(rp, 'officeStats', 'stats-elder')));

    expect(problems).toEqual([]);
    expect(resident.errors).toEqual([]);
    expect(staff.errors).toEqual([]);
    expect(shop.errors).toEqual([]);
    await resident.context.close();
    await staff.context.close();
    await shop.context.close();
  });

  it('the resident reopens a resolved repair once, with a reason, and withdraws another before anyone took it', async () => {
    // Through the API: raised, dispatched to 邻里快修, accepted and resolved by the shop.
    const raised = await apiAs(e, RESIDENT, 'POST', '/v1/requests', {
      category: 'repair',
      text: '卫生间地漏堵了',
    });
    const options = await apiAs(e, STAFF_PHONE, 'GET', `/v1/staff/requests/${raised.id}/handlers`);
    const shopId = options.merchants.find((m: { name: string }) => m.name === '邻里快修').merchantId;
    await apiAs(e, STAFF_PHONE, 'POST', `/v1/staff/requests/${raised.id}/dispatch`, {
      handler: { kind: 'merchant', merchantId: shopId },
      version: raised.version,
    });
    await apiAs(e, REPAIR_SHOP_OWNER, 'POST', `/v1/merchant/requests/${raised.id}/accept`, {});
    await apiAs(e, REPAIR_SHOP_OWNER, 'POST', `/v1/merchant/requests/${raised.id}/resolve`, {
      note: '已疏通',
    });
    const other = await apiAs(e, RESIDENT, 'POST', '/v1/requests', {
      category: 'environment',
      text: '楼下垃圾桶满了',
    });

    const { context, page, errors } = await e.phone();
    await loginByPhone(page, e.base, RESIDENT);
    await page.goto(`${e.base}/#/requests/detail?id=${raised.id}`);
    const detail = onPage(page, 'requestDetail');
    await detail.getByTestId('request-status').getByText('已解决', { exact: true }).waitFor();
    await detail.getByTestId('request-reopen').click();
    // No reason, no reopen.
    await detail.getByTestId('request-reopen-submit').click();
    await detail.getByText('请写一下哪里还没解决').waitFor();
    await detail.getByTestId('request-reopen-reason').locator('textarea').fill('第二天又堵了');
    await detail.getByTestId('request-reopen-submit').click();
    await modal(page, '重新打开');
    await detail.getByTestId('request-status').getByText('已重新打开', { exact: true }).waitFor();
    await detail
      .getByTestId('request-deadline')
      .getByText(/前解决/)
      .waitFor();
    expect(await detail.getByTestId('request-reopen').count()).toBe(0);
    expect(await detail.getByTestId('request-rate').count()).toBe(0);
    const reopened = await apiAs(e, RESIDENT, 'GET', `/v1/requests/${raised.id}`);
    expect(reopened).toMatchObject({ status: 'reopened', reopenCount: 1 });
    await shot(page, 'reopened');

    await page.goto(`${e.base}/#/requests/detail?id=${other.id}`);
    const second = onPage(page, 'requestDetail');
    await second.getByTestId('request-withdraw').click();
    await modal(page, '撤回');
    await second.getByTestId('request-status').getByText('已撤回', { exact: true }).waitFor();
    expect(await second.getByTestId('request-withdraw').count()).toBe(0);
    expect((await apiAs(e, RESIDENT, 'GET', `/v1/requests/${other.id}`)).status).toBe('withdrawn');

    expect(errors).toEqual([]);
    await context.close();
  });
});
