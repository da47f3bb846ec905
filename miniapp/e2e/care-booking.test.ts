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
  turnOnElderMode,
} from './harness';

const e = e2eSuite();

const FAMILY_PHONE = '13800000021'; // 刘晓明, consented proxy of his mother
const ELDER_PHONE = '13800000020'; // 刘奶奶
const CAREGIVER_PHONE = '13800000005'; // 陈护理
const PROVIDER_PHONE = '13800000031'; // 黌门街居家养老服务中心

const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(H5_DIST, '..', `e2e-care-${name}.png`) });

/** 陈护理 is 刘奶奶's preferred caregiver, so the booking is assigned to the caregiver the test drives. */
async function preferChen() {
  const list = await apiAs(e, PROVIDER_PHONE, 'GET', '/v1/provider/caregivers');
  const chen = list.items.find((c: { name: string }) => c.name === '陈护理');
  await apiAs(e, ELDER_PHONE, 'PATCH', '/v1/care/profile', { preferredCaregiverId: chen.id });
}

/** Family member signs in and acts for 刘奶奶 from 首页. */
async function actForGrandma(page: Page, elderMode = false) {
  await loginByPhone(page, e.base, FAMILY_PHONE);
  if (elderMode) {
    await turnOnElderMode(page);
    await page.getByText('首页', { exact: true }).click();
  }
  await page.getByTestId('home-act-for').first().click();
  await onPage(page, 'home').getByTestId('acting-banner').getByText('正在为 刘奶奶 代办').waitFor();
}

/**
 * 首页 -> 居家养老服务 -> 上门助浴 -> a slot (`pick` chooses among the first free day's) -> 确认预约,
 * then pays the self-pay part (devpay). Returns the booking id and the slot's text.
 */
async function bookBathing(
  page: Page,
  pick: 'first' | 'last',
  name: string,
): Promise<{ id: string; slot: string }> {
  await page.getByTestId('home-care-catalog').click();
  const care = onPage(page, 'care');
  await care.getByTestId('care-items').waitFor();
  // 上门助浴 is under 生活照料.
  await care.getByRole('button', { name: '生活照料' }).click();
  const card = care.getByTestId('care-item-home_bathing');
  await card.getByText('上门助浴', { exact: true }).waitFor();
  await card.getByText('可用服务券').waitFor();
  if (name === 'normal') await shot(page, 'catalog');
  await card.getByTestId('care-book-home_bathing').click();

  const item = onPage(page, 'care-item');
  await item.getByTestId('care-item-detail').getByText('服务券最多抵扣 50%').waitFor();
  const slots = item.getByTestId('care-slot');
  await slots.first().waitFor();
  const slot = pick === 'first' ? slots.first() : slots.last();
  const slotText = (await slot.textContent())!.trim();
  expect(slotText).toMatch(/^\d\d:\d\d–\d\d:\d\d$/);
  await slot.click();
  await item.getByTestId('care-note-input').locator('textarea').fill('老人腿脚不便，请提前电话联系');
  await item.getByTestId('care-confirm').getByText(slotText, { exact: false }).waitFor();
  await item.getByTestId('care-confirm').getByText('¥120').waitFor();
  await shot(page, `item-${name}`);
  await item.getByTestId('care-book-submit').click();

  const booking = onPage(page, 'care-booking');
  await booking.getByTestId('care-booked').getByText('预约成功').waitFor();
  await booking.getByTestId('care-booking-time').getByText(slotText, { exact: false }).waitFor();
  await booking.getByTestId('care-booking-caregiver').getByText('陈护理').waitFor();
  await booking.getByTestId('care-price-split').getByText('服务券抵扣 ¥60，自付 ¥60').waitFor();
  // Free until freeCancelHours before the start; a slot within that window is a late cancel already.
  await booking
    .getByTestId('care-free-cancel')
    .getByText(/^(在.+前取消免费，之后记为临时取消|已过免费取消时间，现在取消将记为临时取消)$/)
    .waitFor();
  // Unpaid, the family reads until when: the booking is cancelled at that time.
  await booking
    .getByTestId('care-pay-state')
    .getByText(/^待支付 ¥60，请在.+\d\d:\d\d前支付，逾期预约将自动取消$/)
    .waitFor();
  await booking.getByTestId('care-pay').click();
  await page.getByTestId('pay-amount').getByText('¥60').waitFor();
  await page.getByTestId('pay-confirm').click();
  await booking.getByTestId('care-pay-state').getByText('自付部分已支付 ¥60').waitFor();
  await shot(page, `booking-${name}`);
  const id = new URL(page.url().replace('/#/', '/')).searchParams.get('id')!;
  return { id, slot: slotText };
}

describe('上门助浴 booked by the family for an elder', () => {
  it('the family books and pays, the caregiver clocks in and out, the family reads the summary and rates it', async () => {
    await preferChen();
    const family = await e.phone();
    const fp = family.page;
    await actForGrandma(fp);
    const { id } = await bookBathing(fp, 'first', 'normal');

    // The booking is on the dashboard, under the elder's name.
    await fp.goto(`${e.base}/#/care/dashboard`);
    const dash = onPage(fp, 'care-dashboard');
    await dash.getByTestId('care-dash-elder').getByText('刘奶奶', { exact: false }).waitFor();
    await dash.getByTestId(`care-booking-row-${id}`).getByText('上门助浴').waitFor();
    await shot(fp, 'dashboard');

    // The caregiver, on their own phone, works the visit; the BFF's clock is moved to the visit.
    const b = await apiAs(e, ELDER_PHONE, 'GET', `/v1/care/bookings/${id}`);
    const start = Date.parse(b.startsAt);
    const caregiver = await e.phone();
    const cp = caregiver.page;
    await caregiver.context.grantPermissions(['geolocation'], { origin: e.base });
    // At the gate of 银杏院, where 刘奶奶 lives: a clock-in on the spot, not flagged.
    await caregiver.context.setGeolocation({ latitude: 30.6512, longitude: 104.0583 });
    try {
      e.t.clock.set(new Date(start - 10 * 60_000));
      await loginByPhone(cp, e.base, CAREGIVER_PHONE);
      await cp.goto(`${e.base}/#/caregiver/visit?id=${id}`);
      const visit = onPage(cp, 'caregiver-visit');
      await visit.getByTestId('visit-clock-in').click();
      await visit.getByTestId('visit-clock-in-at').waitFor();

      // Meanwhile the family sees the visit under way.
      await fp.goto(`${e.base}/#/care/booking?id=${id}`);
      await onPage(fp, 'care-booking').getByTestId('care-visit-in').waitFor();
      await onPage(fp, 'care-booking').getByText('服务中', { exact: true }).waitFor();

      e.t.clock.set(new Date(start + 95 * 60_000));
      await visit
        .getByTestId('visit-summary')
        .locator('textarea')
        .fill('已完成助浴，老人精神不错，皮肤无破损');
      await visit.getByTestId('visit-clock-out').click();
      await visit.getByTestId('visit-clock-out-at').waitFor();
    } finally {
      e.t.clock.set(new Date());
    }

    // The family sees the record and rates it with 5 stars.
    await fp.reload();
    const page = onPage(fp, 'care-booking');
    await page.getByText('已完成', { exact: true }).waitFor();
    await page.getByTestId('care-visit-summary').getByText('已完成助浴，老人精神不错，皮肤无破损').waitFor();
    await page.getByTestId('care-visit-out').waitFor();
    expect(await page.getByTestId('care-cancel').count()).toBe(0);
    await page.getByRole('button', { name: '5星' }).click();
    await page.getByTestId('care-rate-comment').locator('textarea').fill('很细心，谢谢陈护理');
    await shot(fp, 'rate');
    await page.getByTestId('care-rate-submit').click();
    await page.getByTestId('care-visit-rating').getByText('5星', { exact: false }).waitFor();
    await page.getByTestId('care-visit-rating').getByText('很细心，谢谢陈护理').waitFor();
    expect(await page.getByTestId('care-rate').count()).toBe(0);
    const rated = await apiAs(e, ELDER_PHONE, 'GET', `/v1/care/bookings/${id}`);
    expect(rated.visit).toMatchObject({
      rating: 5,
      ratingComment: '很细心，谢谢陈护理',
      locationFlagged: false,
    });
    expect(rated.visit.clockInDistanceM).toBeLessThan(50);
    await shot(fp, 'completed');

    expect(family.errors).toEqual([]);
    expect(caregiver.errors).toEqual([]);
    await family.context.close();
    await caregiver.context.close();
  });

  it('again in elder mode: the family books, and every care page keeps large text and buttons', async () => {
    const family = await e.phone();
    const fp = family.page;
    await actForGrandma(fp, true);
    const { id, slot } = await bookBathing(fp, 'last', 'elder');
    expect(await elderSizeProblems(fp, 'care-booking')).toEqual([]);

    const problems: string[] = [];
    for (const [hash, name] of [
      ['/care/index', 'care'],
      ['/care/dashboard', 'care-dashboard'],
      ['/care/meals', 'care-meals'],
      ['/care/profile', 'care-profile'],
      ['/care/access-log', 'care-access-log'],
    ] as const) {
      await fp.goto(`${e.base}/#${hash}`);
      problems.push(...(await elderSizeProblems(fp, name)).map((p) => `${name}: ${p}`));
      await fp.waitForTimeout(300);
      await shot(fp, `elder-${name}`);
    }
    expect(problems).toEqual([]);

    // The booking shows on the dashboard with its time.
    await fp.goto(`${e.base}/#/care/dashboard`);
    await onPage(fp, 'care-dashboard')
      .getByTestId(`care-booking-row-${id}`)
      .getByText(slot, { exact: false })
      .waitFor();
    // The family read her profile (above): that read is in her access log.
    await fp.goto(`${e.base}/#/care/access-log`);
    await onPage(fp, 'care-access-log').getByText('刘晓明', { exact: false }).first().waitFor();

    expect(family.errors).toEqual([]);
    await family.context.close();
  });

  it('the elder herself, in elder mode, sees her bookings and skips tomorrow’s meals in one tap', async () => {
    // Her own booking, made through the API: this test needs no other test's data.
    const catalog = await apiAs(e, ELDER_PHONE, 'GET', '/v1/care/catalog');
    const bathing = catalog.categories
      .flatMap((c: { items: { code: string; id: string }[] }) => c.items)
      .find((i: { code: string }) => i.code === 'home_bathing');
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    const free = await apiAs(
      e,
      ELDER_PHONE,
      'GET',
      `/v1/care/items/${bathing.id}/slots?date=${today}&days=14`,
    );
    // The middle of the list: clear of what the other tests of this file book (first and last).
    const slot = free.items[Math.floor(free.items.length / 2)];
    await apiAs(e, ELDER_PHONE, 'POST', '/v1/care/bookings', { itemId: bathing.id, startsAt: slot.startsAt });

    const elder = await e.phone();
    const ep = elder.page;
    await loginByPhone(ep, e.base, ELDER_PHONE);
    await turnOnElderMode(ep);
    await ep.goto(`${e.base}/#/care/dashboard`);
    const dash = onPage(ep, 'care-dashboard');
    await dash.getByTestId('care-dash-next').getByText('上门助浴').first().waitFor();
    expect(await elderSizeProblems(ep, 'care-dashboard')).toEqual([]);
    await shot(ep, 'elder-own-dashboard');

    // Subscribe to lunches every day, then 明天不用餐.
    await ep.goto(`${e.base}/#/care/meals`);
    const meals = onPage(ep, 'care-meals');
    const form = meals.getByTestId('care-meal-form');
    await form.waitFor();
    for (const d of [6, 7]) await form.getByTestId(`care-meal-weekday-${d}`).click();
    await form.getByTestId('care-meal-save').click();
    await meals.getByTestId('care-meal-plan').getByText('每天', { exact: false }).waitFor();
    const skip = meals.getByTestId('care-skip-tomorrow');
    await skip.getByText('明天不用餐').waitFor();
    await skip.click();
    await skip.getByText('明天已设为不用餐').waitFor();
    expect(await elderSizeProblems(ep, 'care-meals')).toEqual([]);
    await shot(ep, 'elder-own-meals');

    expect(elder.errors).toEqual([]);
    await elder.context.close();
  });

  it('a slot that is gone by the time of 确认预约 says so and lists the free slots again', async () => {
    const elder = await e.phone();
    const ep = elder.page;
    await loginByPhone(ep, e.base, ELDER_PHONE);
    await ep.getByTestId('home-care-catalog').click();
    const care = onPage(ep, 'care');
    await care.getByRole('button', { name: '生活照料' }).click();
    await care.getByTestId('care-book-home_bathing').click();
    const item = onPage(ep, 'care-item');
    // The last day with free slots: no other test of this file books that far ahead.
    await item.getByTestId('care-slot').first().waitFor();
    await item.getByTestId('care-days').getByRole('button').filter({ hasNotText: '无空位' }).last().click();
    await item.getByTestId('care-slot').first().click();

    // Meanwhile the same time is booked for her elsewhere (her son's phone, say).
    const catalog = await apiAs(e, ELDER_PHONE, 'GET', '/v1/care/catalog');
    const bathing = catalog.categories
      .flatMap((c: { items: { code: string; id: string }[] }) => c.items)
      .find((i: { code: string }) => i.code === 'home_bathing');
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    const free = await apiAs(
      e,
      ELDER_PHONE,
      'GET',
      `/v1/care/items/${bathing.id}/slots?date=${today}&days=14`,
    );
    const last = free.items.at(-1)!;
    const lastDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(
      new Date(last.startsAt),
    );
    const first = free.items.find(
      (s: { startsAt: string }) =>
        new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(s.startsAt)) ===
        lastDay,
    );
    await apiAs(e, ELDER_PHONE, 'POST', '/v1/care/bookings', {
      itemId: bathing.id,
      startsAt: first.startsAt,
    });

    const reloaded = ep.waitForResponse((r) => r.url().includes('/slots?') && r.status() === 200);
    await item.getByTestId('care-book-submit').click();
    await item.getByTestId('care-slot-taken').getByText('这个时间约不上了', { exact: false }).waitFor();
    // Still on the item page, nothing chosen, the slots fetched again.
    await reloaded;
    expect(await onPage(ep, 'care-booking').count()).toBe(0);
    await item.getByTestId('care-confirm').getByText('请先选择时间').waitFor();
    await item.getByTestId('care-slot').first().waitFor();
    await shot(ep, 'slot-taken');

    expect(elder.errors).toEqual([]);
    await elder.context.close();
  });
});
