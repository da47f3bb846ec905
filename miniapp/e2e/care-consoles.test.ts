import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { freshPhone } from '../../bff/test/fixtures/people';
import {
  apiAs,
  e2eSuite,
  elderSizeProblems,
  loginByPhone,
  onPage,
  STAFF_PHONE,
  turnOnElderMode,
} from './harness';

/**
 * The care consoles end to end: the provider (机构工作台), the caregiver (上门服务) and staff (社区后台),
 * each in 长辈模式 too. Bookings are made through the API, the way care-booking.test.ts drives the
 * family's side through the pages; the consoles are driven through the pages here.
 */
const e = e2eSuite();

const FAMILY_PHONE = '13800000021'; // 刘晓明, consented proxy of his mother
const ELDER_PHONE = '13800000020'; // 刘奶奶
const CAREGIVER_PHONE = '13800000005'; // 陈护理
const PROVIDER_PHONE = '13800000031'; // 孙主任, 黌门街居家养老服务中心
const CANTEEN_PHONE = '13800000008'; // 黌门街长者食堂
const CAREGIVER_PHONES: Record<string, string> = {
  陈护理: '13800000005',
  刘护理: '13800000032',
  王护士: '13800000033',
};
/** 银杏院, the compound of 刘奶奶's household (its coordinates in bff/src/demo.ts). */
const AT_HOME = { lat: 30.6512, lng: 104.0583 };

// Screenshots go outside dist/, which every H5 build wipes.
const SHOTS = '/tmp/care-console-shots';
mkdirSync(SHOTS, { recursive: true });
async function shot(page: Page, name: string) {
  // A page left behind may still be sliding out over this one; let it finish for the picture.
  await page.waitForTimeout(300);
  // Taro's H5 page scrolls inside its own box: the window grows to the page's height for the
  // picture, which is cut in parts of one screen and a half (a long page in one file is unreadable).
  const root = page.locator('[data-testid^="page-"]:visible').first();
  await root.evaluate((el) => el.scrollIntoView());
  const height = await root.evaluate((el) =>
    Math.ceil(el.getBoundingClientRect().top + el.scrollHeight + 16),
  );
  const viewport = page.viewportSize()!;
  if (height > viewport.height) await page.setViewportSize({ width: viewport.width, height });
  const part = 1300;
  for (let y = 0, i = 1; y < height; y += part, i++)
    await page.screenshot({
      path: join(SHOTS, height > part ? `${name}-${i}.png` : `${name}.png`),
      clip: { x: 0, y, width: viewport.width, height: Math.min(part, height - y) },
    });
  if (height > viewport.height) await page.setViewportSize(viewport);
}

/** Elder-mode size check of the page on screen, with its picture; problems named by page. */
async function sizeCheck(page: Page, name: string, picture = `elder-${name}`): Promise<string[]> {
  const problems = await elderSizeProblems(page, name);
  await shot(page, picture);
  return problems.map((p) => `${picture}: ${p}`);
}

/** Taro's H5 modal is its own element: tap one of its buttons. */
async function modal(page: Page, button: string) {
  const foot = page.locator('.taro-modal__foot:visible');
  await foot.getByText(button, { exact: true }).click();
  await foot.waitFor({ state: 'hidden' });
}

const localDay = (iso: string | Date) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(iso));
const daysFromToday = (iso: string) =>
  Math.round(
    (Date.parse(`${localDay(iso)}T00:00:00Z`) - Date.parse(`${localDay(new Date())}T00:00:00Z`)) / 86_400_000,
  );

/** 后一天 until the day of `iso` is shown (the switcher opens on today). */
async function showDayOf(root: Locator, iso: string) {
  for (let i = daysFromToday(iso); i > 0; i--) {
    await root.getByTestId('day-switcher-next').click();
    await root.getByTestId('loading').waitFor({ state: 'detached' });
  }
}

let elderId: string | undefined;
async function grandmaId(): Promise<string> {
  elderId ??= (await e.t.login(ELDER_PHONE)).userId;
  return elderId;
}
const forGrandma = async () => ({ 'x-on-behalf-of': await grandmaId() });

async function itemOf(code: string): Promise<{ id: string; priceFen: number; name: string }> {
  const catalog = await apiAs(e, ELDER_PHONE, 'GET', '/v1/care/catalog');
  return catalog.categories
    .flatMap((c: { items: { code: string }[] }) => c.items)
    .find((i: { code: string }) => i.code === code);
}

/**
 * 刘晓明 books `code` for his mother through the API (X-On-Behalf-Of), at the `index`th free slot
 * (negative from the end). Slots already leave out the times she is booked at.
 */
// biome-ignore lint/suspicious/noExplicitAny: tests read response bodies structurally
async function bookForGrandma(code: string, index = 0): Promise<any> {
  const item = await itemOf(code);
  const free = await apiAs(
    e,
    FAMILY_PHONE,
    'GET',
    `/v1/care/items/${item.id}/slots?date=${localDay(new Date())}&days=14`,
    undefined,
    await forGrandma(),
  );
  const slot = free.items.at(index);
  if (!slot) throw new Error(`no free slot for ${code}`);
  return apiAs(
    e,
    FAMILY_PHONE,
    'POST',
    '/v1/care/bookings',
    { itemId: item.id, startsAt: slot.startsAt, note: '请提前电话联系' },
    await forGrandma(),
  );
}

/** 陈护理 is 刘奶奶's preferred caregiver: the visits the caregiver test drives are his when he is free. */
async function preferChen() {
  const list = await apiAs(e, PROVIDER_PHONE, 'GET', '/v1/provider/caregivers');
  const chen = list.items.find((c: { name: string }) => c.name === '陈护理');
  await apiAs(e, ELDER_PHONE, 'PATCH', '/v1/care/profile', { preferredCaregiverId: chen.id });
}

/** 我的 -> 长辈模式 on or off, from any page. */
async function setElderMode(page: Page, on: boolean) {
  await page.goto(`${e.base}/#/pages/mine/index`);
  const mine = onPage(page, 'mine');
  await mine.waitFor();
  const now = await page.locator('.page.elder:visible').count();
  if (Boolean(now) !== on) await mine.getByTestId('elder-switch').click();
  await page
    .locator('.page.elder:visible')
    .first()
    .waitFor({ state: on ? 'visible' : 'detached' });
}

/** 我的 (its tab, reached from any page) -> one of its rows. */
async function openFromMine(page: Page, testId: string) {
  await page.goto(`${e.base}/#/pages/mine/index`);
  await onPage(page, 'mine').getByTestId(testId).click();
}

describe('care consoles', () => {
  it('the provider confirms requests and manages time off, in elder mode and in normal mode', async () => {
    // Two nursing visits need the provider's 确认: the soonest one and one near the end of the
    // 14 days families can book. They stay 待机构确认 until then.
    const soon = await bookForGrandma('home_nursing', 0);
    const later = await bookForGrandma('home_nursing', -1);
    expect([soon.status, later.status]).toEqual(['requested', 'requested']);

    const { context, page, errors } = await e.phone();
    await loginByPhone(page, e.base, PROVIDER_PHONE);
    const problems: string[] = [];

    for (const [elder, booking, waiting] of [
      [true, soon, 2],
      [false, later, 1],
    ] as const) {
      const tag = elder ? 'elder' : 'normal';
      await setElderMode(page, elder);
      await openFromMine(page, 'mine-provider-home');
      const home = onPage(page, 'provider-home');
      await home.getByTestId('provider-status').getByText('已认证').waitFor();
      // Requests on any day ahead count, not only today's.
      await home.getByTestId('provider-waiting').getByText(String(waiting), { exact: true }).waitFor();
      await home
        .getByTestId('provider-waiting-note')
        .getByText(`有 ${waiting} 个预约等您确认`, { exact: false })
        .waitFor();
      if (elder) problems.push(...(await sizeCheck(page, 'provider-home')));
      else await shot(page, 'provider-home');

      // 预约与确认 opens on the day of the soonest request.
      await home.getByTestId('provider-go-bookings').click();
      const bookings = onPage(page, 'provider-bookings');
      const card = bookings.getByTestId(`care-booking-${booking.id}`);
      await card.getByText('待机构确认').waitFor();
      await card.getByText('刘奶奶', { exact: false }).waitFor();
      if (elder) {
        // The other request's day is one tap away.
        await bookings
          .getByTestId(`waiting-day-${localDay(later.startsAt)}`)
          .getByText('（1）', { exact: false })
          .waitFor();
        problems.push(...(await sizeCheck(page, 'provider-bookings')));
      } else {
        expect(await bookings.getByTestId('provider-waiting-days').count()).toBe(0);
        await shot(page, 'provider-bookings');
      }
      await card.getByTestId(`booking-confirm-${booking.id}`).click();
      await modal(page, '确认');
      await card.getByText('已确认', { exact: true }).waitFor();
      expect(await card.getByTestId(`booking-confirm-${booking.id}`).count()).toBe(0);
      await shot(page, `provider-bookings-confirmed-${tag}`);
      // The family's booking reads 已确认.
      const seen = await apiAs(
        e,
        FAMILY_PHONE,
        'GET',
        `/v1/care/bookings/${booking.id}`,
        undefined,
        await forGrandma(),
      );
      expect(seen.status).toBe('confirmed');

      // 刘护理 takes tomorrow off (the form's default, 08:00–18:00), then the day off is taken back.
      await page.goBack();
      await home.getByTestId('provider-go-caregivers').click();
      const caregivers = onPage(page, 'provider-caregivers');
      const liu = caregivers.locator('[data-testid^="caregiver-"]').filter({ hasText: '刘护理' }).first();
      await liu.waitFor();
      if (elder) problems.push(...(await sizeCheck(page, 'provider-caregivers')));
      else await shot(page, 'provider-caregivers');
      await liu.locator('[data-testid^="caregiver-open-"]').click();
      const one = onPage(page, 'provider-caregiver');
      const off = one.getByTestId('caregiver-time-off');
      await off.getByText('暂无请假').waitFor();
      await off.getByTestId('time-off-reason').locator('input').fill('参加护理培训');
      await off.getByTestId('time-off-add').click();
      const row = off.locator('[data-testid^="time-off-"]').filter({ hasText: '参加护理培训' });
      await row.getByText(/^明天 \d+月\d+日 周. 08:00–18:00$/).waitFor();
      const list = await apiAs(e, PROVIDER_PHONE, 'GET', '/v1/provider/caregivers');
      const liuNow = list.items.find((c: { name: string }) => c.name === '刘护理');
      expect(liuNow.timeOff).toHaveLength(1);
      expect(liuNow.timeOff[0]).toMatchObject({ reason: '参加护理培训' });
      if (elder) problems.push(...(await sizeCheck(page, 'provider-caregiver')));
      else await shot(page, 'provider-caregiver');
      await row.locator('[data-testid^="time-off-remove-"]').click();
      await modal(page, '删除');
      await off.getByText('暂无请假').waitFor();
      const after = await apiAs(e, PROVIDER_PHONE, 'GET', '/v1/provider/caregivers');
      expect(after.items.find((c: { name: string }) => c.name === '刘护理').timeOff).toHaveLength(0);

      // 孙主任's centre serves no meals: the page says so.
      await page.goto(`${e.base}/#/provider/meals`);
      await onPage(page, 'provider-meals').getByText('本机构没有开通助餐服务', { exact: false }).waitFor();
      if (elder) problems.push(...(await sizeCheck(page, 'provider-meals', 'elder-provider-meals-none')));
      else await shot(page, 'provider-meals-none');
    }

    expect(problems).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("the canteen's meal list for tomorrow's lunch, in elder mode", async () => {
    // 刘奶奶 takes lunch delivered every day, low salt.
    const view = await apiAs(e, ELDER_PHONE, 'GET', '/v1/care/meal-plan');
    const canteen = view.providers.find((p: { name: string }) => p.name === '黌门街长者食堂');
    const { authorization } = await e.t.login(ELDER_PHONE);
    const saved = await e.t.call({
      method: 'PUT',
      url: '/v1/care/meal-plan',
      headers: { authorization },
      payload: {
        providerId: canteen.id,
        meals: ['lunch'],
        mode: 'delivery',
        weekdays: [1, 2, 3, 4, 5, 6, 7],
        dietaryNotes: '低盐，饭菜软烂',
      },
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);

    const { context, page, errors } = await e.phone();
    await loginByPhone(page, e.base, CANTEEN_PHONE);
    await setElderMode(page, true);
    await openFromMine(page, 'mine-provider-home');
    await onPage(page, 'provider-home').getByTestId('provider-go-meals').click();
    const meals = onPage(page, 'provider-meals');
    await meals.getByTestId('meal-counts').waitFor();
    await meals.getByTestId('day-switcher-next').click();
    const grandma = meals.getByTestId('meal-compound').filter({ hasText: '刘奶奶' });
    await grandma.getByText('低盐，饭菜软烂').waitFor();
    await meals.getByTestId('meal-diets').getByText('刘奶奶').waitFor();
    expect(Number(await meals.getByTestId('meal-total').textContent())).toBeGreaterThanOrEqual(1);
    expect(await sizeCheck(page, 'provider-meals')).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('the caregiver works a visit in elder mode: ticks the checklist and reports an incident the provider hears of', async () => {
    await preferChen();
    const booking = await bookForGrandma('home_nursing', 1);
    expect(booking.caregiverName).toBe('陈护理');
    await apiAs(e, PROVIDER_PHONE, 'POST', `/v1/provider/bookings/${booking.id}/confirm`, {});
    const start = Date.parse(booking.startsAt);

    const { context, page, errors } = await e.phone();
    await context.grantPermissions(['geolocation'], { origin: e.base });
    await context.setGeolocation({ latitude: AT_HOME.lat, longitude: AT_HOME.lng });
    const problems: string[] = [];
    const description = '老人起身时头晕，已扶到床上休息并电话告知家属';
    try {
      await loginByPhone(page, e.base, CAREGIVER_PHONE);
      await turnOnElderMode(page);
      await openFromMine(page, 'mine-caregiver-visits');
      const visits = onPage(page, 'caregiver-visits');
      problems.push(...(await sizeCheck(page, 'caregiver-visits', 'elder-caregiver-visits-today')));
      // The soonest slot is later today when the test runs in the small hours (8 h notice), else a
      // later day: the visit is under 今天 or 即将上门 accordingly.
      if (daysFromToday(booking.startsAt) > 0)
        await visits.getByTestId('visit-scope').getByText('即将上门').click();
      const card = visits.getByTestId(`visit-${booking.id}`);
      await card.getByText('上门护理（血压血糖监测）').waitFor();
      problems.push(...(await sizeCheck(page, 'caregiver-visits', 'elder-caregiver-visits-upcoming')));
      await card.getByTestId(`visit-open-${booking.id}`).click();

      // Long before the visit: the address and phone are masked, clock-in says when it opens,
      // 老人不在家 is not offered yet.
      const visit = onPage(page, 'caregiver-visit');
      await visit.getByTestId('visit-masked').waitFor();
      await visit
        .getByTestId('visit-clock-in-early')
        .getByText('服务开始前 15 分钟起可以打卡', { exact: false })
        .waitFor();
      expect(await visit.getByTestId('visit-absent').count()).toBe(0);
      problems.push(...(await sizeCheck(page, 'caregiver-visit', 'elder-caregiver-visit-before')));

      // Ten minutes before the start, on the BFF's clock and the phone's: the full address shows;
      // clock in at her door, tick an item of the checklist.
      e.t.clock.set(new Date(start - 10 * 60_000));
      await page.clock.setSystemTime(new Date(start - 10 * 60_000));
      await page.reload();
      await visit.getByTestId('visit-health').getByText('高血压', { exact: false }).waitFor();
      expect(await visit.getByTestId('visit-masked').count()).toBe(0);
      expect(await visit.getByTestId('visit-clock-in-early').count()).toBe(0);
      await visit.getByTestId('visit-clock-in').click();
      await visit.getByTestId('visit-clock-in-at').waitFor();
      await visit.getByTestId('visit-status').getByText('服务中').waitFor();
      await visit
        .getByTestId('visit-clock-in-note')
        .getByText(/^距小区约 \d+ 米$/)
        .waitFor();
      expect(await visit.getByTestId('visit-location-flag').count()).toBe(0);
      const checklist = visit.getByTestId('visit-checklist');
      await checklist.getByText('已完成 0/4 项').waitFor();
      await checklist.getByTestId('check-测量血压并记录').click();
      await checklist.getByText('已完成 1/4 项').waitFor();
      const record = await apiAs(e, CAREGIVER_PHONE, 'GET', `/v1/caregiver/visits/${booking.id}`);
      expect(record.visit.checklist.filter((c: { done: boolean }) => c.done)).toEqual([
        { label: '测量血压并记录', done: true },
      ]);
      problems.push(...(await sizeCheck(page, 'caregiver-visit', 'elder-caregiver-visit-in-service')));

      // Something went wrong: the provider and staff are told at once.
      const trouble = visit.getByTestId('visit-trouble');
      await trouble.getByTestId('visit-incident').click();
      await trouble.getByTestId('visit-incident-text').locator('textarea').fill(description);
      problems.push(...(await sizeCheck(page, 'caregiver-visit', 'elder-caregiver-visit-incident')));
      await trouble.getByTestId('visit-incident-submit').click();
      await trouble.getByTestId('visit-incident').waitFor();
    } finally {
      e.t.clock.set(new Date());
    }
    const inbox = await apiAs(e, PROVIDER_PHONE, 'GET', '/v1/notifications');
    const notice = inbox.items.find((n: { kind: string; body: string }) => n.kind === 'care.incident');
    expect(notice).toMatchObject({ title: '上门服务异常报告', link: '/provider/bookings' });
    expect(notice.body).toContain(description);
    expect(notice.body).toContain(booking.shortNo);

    expect(problems).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('staff verify a provider, change a price, read the day and the month, and export the CSV, in elder mode', async () => {
    // A new provider applies, as someone who just signed up.
    const applicant = freshPhone();
    const communities = await apiAs(e, STAFF_PHONE, 'GET', '/v1/communities');
    const community =
      communities.items.find((c: { name: string }) => c.name.includes('黌门街')) ?? communities.items[0];
    const name = `锦官城康养服务站${applicant.slice(-4)}`;
    const applied = await apiAs(e, applicant, 'POST', '/v1/care/providers', {
      communityId: community.id,
      name,
      licenseNo: '川民养证字510105-0099',
      contactPhone: applicant,
      description: '提供上门助洁和陪同就医',
    });
    expect(applied.status).toBe('pending');

    // One visit completed this month (figures for the statement), one cancelled an hour before it
    // starts (a late cancel for the attendance report).
    const done = await bookForGrandma('home_bathing', 2);
    const late = await bookForGrandma('medicine_pickup', 3);
    const cg = CAREGIVER_PHONES[done.caregiverName]!;
    try {
      e.t.clock.set(new Date(Date.parse(done.startsAt) - 5 * 60_000));
      await apiAs(e, cg, 'POST', `/v1/caregiver/visits/${done.id}/clock-in`, AT_HOME);
      e.t.clock.set(new Date(Date.parse(done.endsAt) + 60_000));
      await apiAs(e, cg, 'POST', `/v1/caregiver/visits/${done.id}/clock-out`, {
        ...AT_HOME,
        summary: '已助浴',
      });
      e.t.clock.set(new Date(Date.parse(late.startsAt) - 60 * 60_000));
      const cancelled = await apiAs(
        e,
        FAMILY_PHONE,
        'POST',
        `/v1/care/bookings/${late.id}/cancel`,
        { reason: '临时住院' },
        await forGrandma(),
      );
      expect(cancelled).toMatchObject({ status: 'cancelled', lateCancel: true });
    } finally {
      e.t.clock.set(new Date());
    }

    const { context, page, errors } = await e.phone();
    await loginByPhone(page, e.base, STAFF_PHONE);
    await turnOnElderMode(page);
    const problems: string[] = [];

    // 服务机构审核: the new one waits; 审核通过.
    await openFromMine(page, 'mine-staff-care-providers');
    const review = onPage(page, 'staff-care-providers');
    const card = review.getByTestId(`care-provider-${applied.id}`);
    await card.getByText(name).waitFor();
    problems.push(...(await sizeCheck(page, 'staff-care-providers')));
    await card.getByTestId(`care-provider-verify-${applied.id}`).click();
    await modal(page, '通过');
    await card.waitFor({ state: 'detached' });
    expect((await apiAs(e, applicant, 'GET', '/v1/provider/profile')).status).toBe('verified');

    // 服务项目与补贴: 上门助浴 from ¥120 to ¥135; the completed visit keeps its ¥120.
    await page.goto(`${e.base}/#/staff/care-catalog`);
    const catalog = onPage(page, 'staff-care-catalog');
    const bathing = catalog.getByTestId('care-item-home_bathing');
    await bathing.getByText('¥120', { exact: false }).waitFor();
    await bathing.getByTestId('item-edit-home_bathing').click();
    await bathing.getByTestId('item-price-home_bathing').locator('input').fill('135');
    problems.push(...(await sizeCheck(page, 'staff-care-catalog')));
    await bathing.getByTestId('item-save-home_bathing').click();
    await bathing.getByText('¥135', { exact: false }).waitFor();
    expect((await itemOf('home_bathing')).priceFen).toBe(13_500);
    const kept = await apiAs(e, ELDER_PHONE, 'GET', `/v1/care/bookings/${done.id}`);
    expect(kept).toMatchObject({
      priceFen: 12_000,
      voucherFen: done.voucherFen,
      selfPayFen: done.selfPayFen,
    });

    // 每日上门预约: the day of the completed visit lists it, with its provider.
    await page.goto(`${e.base}/#/staff/care-bookings`);
    const day = onPage(page, 'staff-care-bookings');
    await day.getByTestId('staff-care-bookings-summary').waitFor();
    await showDayOf(day, done.startsAt);
    const row = day.getByTestId(`care-booking-${done.id}`);
    await row.getByText('已完成', { exact: true }).waitFor();
    await row.getByText('机构：黌门街居家养老服务中心').waitFor();
    problems.push(...(await sizeCheck(page, 'staff-care-bookings')));

    // 考勤与结算: her late cancel; the month's figures; the CSV.
    await page.goto(`${e.base}/#/staff/care-reports`);
    const reports = onPage(page, 'staff-care-reports');
    const elders = reports.getByTestId('attendance-elders');
    await elders.getByText('刘奶奶').waitFor();
    await elders.getByText(/临时取消 [1-9]\d* 次/).waitFor();
    problems.push(...(await sizeCheck(page, 'staff-care-reports', 'elder-staff-care-reports-attendance')));

    await reports.getByTestId('care-report-tab').getByText('月度结算').click();
    const month = localDay(new Date()).slice(0, 7);
    const statement = await apiAs(e, STAFF_PHONE, 'GET', `/v1/staff/care/statement?month=${month}`);
    const providers = reports.getByTestId('statement-providers');
    if (done.startsAt && localDay(done.startsAt).startsWith(month)) {
      const centre = statement.providers.find((p: { name: string }) => p.name === '黌门街居家养老服务中心');
      expect(centre.visits).toBeGreaterThanOrEqual(1);
      await providers.getByText(`${centre.visits} 次服务`, { exact: false }).waitFor();
      await reports.getByTestId('statement-elders').getByText('刘奶奶').waitFor();
    } else {
      // Run on the last days of a month: the visit falls in the next one.
      await providers.waitFor();
    }
    problems.push(...(await sizeCheck(page, 'staff-care-reports', 'elder-staff-care-reports-statement')));

    const download = page.waitForEvent('download');
    await reports.getByTestId('care-export-download').click();
    const file = await download;
    expect(file.suggestedFilename()).toBe(`居家养老服务结算-${month}.csv`);
    const bytes = readFileSync((await file.path())!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csv = bytes.subarray(3).toString('utf8');
    if (localDay(done.startsAt).startsWith(month)) expect(csv).toContain(done.shortNo);

    expect(problems).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
