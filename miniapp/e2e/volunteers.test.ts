import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  apiAs,
  cutOff,
  dropBatch,
  e2eSuite,
  elderSizeProblems,
  H5_DIST,
  loginByPhone,
  onPage,
  panelPickup,
  placeLockerOrder,
  turnOnElderMode,
} from './harness';

const e = e2eSuite();

const ELDER = '13800000020'; // 刘奶奶, 86, lives alone
const VOLUNTEER = '13800000004'; // 赵志愿, verified, does 生鲜代取

const shot = async (page: Page, name: string) => {
  // Let Taro's page transition finish, so the picture shows the page in place.
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(H5_DIST, '..', `e2e-volunteers-${name}.png`) });
};

/** Elder-size check of the page on screen and its picture; problems named by the picture. */
async function sizeCheck(page: Page, name: string, picture: string): Promise<string[]> {
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

/** The volunteer pages' way of writing a duration (volunteer/labels.ts). */
function volunteerMinutes(min: number): string {
  const h = Math.floor(min / 60);
  const m = min % 60;
  if (min === 0) return '0小时';
  if (h === 0) return `${m}分钟`;
  return m === 0 ? `${h}小时` : `${h}小时${m}分`;
}

describe('volunteers: the produce run (生鲜代取) from the elder to the time bank', () => {
  it('an elder in elder mode asks for a locker order to be brought up; a volunteer takes it, opens the locker with the delegated code, signs in with the door code and finishes; the elder confirms and the hours are banked', async () => {
    // 1. A locker order for 刘奶奶, cut off and dropped into her compound's bank.
    const placed = await placeLockerOrder(e, ELDER);
    const batchId = await cutOff(e, placed);
    await dropBatch(e, batchId);
    const order = await apiAs(e, ELDER, 'GET', `/v1/orders/${placed.id}`);
    expect(order.status).toBe('in_locker');
    const compartments: string[] = order.locker.compartments;
    expect(compartments.length).toBeGreaterThan(0);
    const bankBefore = await apiAs(e, VOLUNTEER, 'GET', '/v1/volunteer/time-bank');

    // 2. 刘奶奶, elder mode: 首页 → 邻里互助 → the waiting order → 请志愿者代取送上门.
    const elder = await e.phone();
    const ap = elder.page;
    await loginByPhone(ap, e.base, ELDER);
    await turnOnElderMode(ap);
    await ap.getByText('首页', { exact: true }).click();
    const home = onPage(ap, 'home');
    await home.getByTestId('home-help').waitFor();
    await home.getByTestId('home-help-open').click();
    const help = onPage(ap, 'help');
    await help.getByTestId('help-sos').waitFor();
    const lockerCard = help.getByTestId(`help-locker-${placed.id}`);
    await lockerCard.getByText(`${placed.bankName} · ${compartments.join('、')} 号格口`).waitFor();
    const problems = await sizeCheck(ap, 'help', 'help-elder');
    await lockerCard.getByTestId(`help-bring-${placed.id}`).click();
    await lockerCard.getByText('已请志愿者代取，有人接单后会通知您').waitFor();

    const taskRow = help.getByTestId('help-tasks').locator('.hp-item').first();
    await taskRow.waitFor();
    const taskId = (await taskRow.getAttribute('data-testid'))!.replace('help-task-', '');
    expect(taskId).toMatch(/^[0-9a-f-]{36}$/);
    const myTask = help.getByTestId(`help-task-${taskId}`);
    await expect
      .poll(() => myTask.getByTestId('help-task-status').textContent())
      .toMatch(/^(待接单|派单中)$/);
    const stored = await apiAs(e, ELDER, 'GET', `/v1/help/tasks/${taskId}`);
    expect(stored.source).toBe('locker_errand');
    // No door code before anyone took it.
    expect(await myTask.getByTestId('help-door-code').count()).toBe(0);
    await shot(ap, 'help-asked');

    // 3. 赵志愿: 首页 → 志愿服务 → the offer (or the open board) → 接单; the delegated code and compartments.
    const volunteer = await e.phone();
    const bp = volunteer.page;
    await loginByPhone(bp, e.base, VOLUNTEER);
    await onPage(bp, 'home').getByTestId('home-volunteer-home').click();
    const vhome = onPage(bp, 'volunteer');
    const card = vhome.getByTestId(`task-${taskId}`);
    try {
      await card.waitFor({ timeout: 10_000 });
    } catch {
      await vhome.getByTestId('vol-tab-board').click();
      await card.waitFor({ timeout: 15_000 });
    }
    await shot(bp, 'volunteer-offer');
    await card.getByTestId('task-accept').click();
    const vtask = onPage(bp, 'volunteer-task');
    const pickup = vtask.getByTestId('task-pickup');
    await pickup.waitFor({ timeout: 15_000 });
    const code = (await pickup.getByTestId('task-pickup-code').textContent())!.replace(/\s/g, '');
    expect(code).toMatch(/^\d{6}$/);
    for (const c of compartments) await pickup.getByText(c, { exact: false }).first().waitFor();
    const held = await apiAs(e, VOLUNTEER, 'GET', `/v1/volunteer/tasks/${taskId}`);
    expect(held.status).toBe('accepted');
    expect(held.pickup.code).toBe(code);
    expect(held.pickup.compartments).toEqual(compartments);
    // The delegated code is not the elder's own.
    expect(code).not.toBe(order.locker.code);
    await shot(bp, 'volunteer-pickup');

    // 4. The panel: a wrong code is refused, the delegated one opens the order's compartments.
    const wrong = await panelPickup(e, placed.bankId, code === '000000' ? '111111' : '000000');
    expect(wrong.first.status).toBeGreaterThanOrEqual(400);
    const opened = await panelPickup(e, placed.bankId, code, wrong.deviceSecret);
    expect(opened.first.status).toBe(200);
    expect(opened.first.body.orderId).toBe(placed.id);
    expect(opened.first.body.compartments.map((c: { label: string }) => c.label)).toEqual(compartments);

    // 5. The elder sees the 签到码 large; the volunteer enters it at the door, then finishes with minutes.
    await ap.goto(`${e.base}/#/help/index`);
    const accepted = onPage(ap, 'help').getByTestId(`help-task-${taskId}`);
    await accepted.getByTestId('help-task-status').getByText('已接单', { exact: true }).waitFor();
    await accepted.getByText('志愿者：赵志愿').waitFor();
    const doorCode = (await accepted.getByTestId('help-door-code-value').textContent())!.replace(/\s/g, '');
    expect(doorCode).toMatch(/^\d{6}$/);
    await accepted.getByText('志愿者上门时请出示此码').waitFor();
    const codeBox = await accepted.getByTestId('help-door-code-value').boundingBox();
    expect(codeBox!.height).toBeGreaterThan(50);
    problems.push(...(await sizeCheck(ap, 'help', 'help-door-code')));

    const start = vtask.getByTestId('task-start');
    await start.getByTestId('task-code').locator('input').fill(doorCode);
    await start.getByTestId('task-start-submit').click();
    const finish = vtask.getByTestId('task-finish');
    await finish.waitFor();
    await finish.getByTestId('task-minutes').locator('input').fill('30');
    await finish.getByTestId('task-finish-submit').click();
    await modal(bp, '提交');
    await expect
      .poll(async () => (await apiAs(e, VOLUNTEER, 'GET', `/v1/volunteer/tasks/${taskId}`)).status)
      .toBe('done');

    // 6. The elder confirms the hours (with five stars); the volunteer's time bank has them.
    await ap.goto(`${e.base}/#/help/task?id=${taskId}`);
    const detail = onPage(ap, 'help-task');
    const review = detail.getByTestId(`help-hours-${taskId}`);
    await review.getByText('赵志愿记录了服务时长 30 分钟').waitFor();
    await detail.getByTestId('help-step-done').getByText('服务完成，用时30分钟').waitFor();
    problems.push(...(await sizeCheck(ap, 'help-task', 'help-confirm')));
    await review.getByTestId('help-star-5').click();
    await review.getByTestId('help-confirm-hours').click();
    await detail.getByTestId('help-task-status').getByText('时长已确认', { exact: true }).waitFor();
    await detail.getByText('我的评价：★★★★★').waitFor();
    await shot(ap, 'help-confirmed');

    const bankAfter = await apiAs(e, VOLUNTEER, 'GET', '/v1/volunteer/time-bank');
    expect(bankAfter.balanceMin - bankBefore.balanceMin).toBe(30);
    expect(
      bankAfter.entries.some(
        (x: { taskId: string | null; deltaMin: number }) => x.taskId === taskId && x.deltaMin === 30,
      ),
    ).toBe(true);
    await bp.goto(`${e.base}/#/volunteer/bank`);
    await onPage(bp, 'volunteer-bank')
      .getByTestId('vol-balance')
      .getByText(volunteerMinutes(bankAfter.balanceMin), { exact: true })
      .waitFor();
    await shot(bp, 'volunteer-bank');

    expect(problems).toEqual([]);
    expect(elder.errors).toEqual([]);
    expect(volunteer.errors).toEqual([]);
    await elder.context.close();
    await volunteer.context.close();
  });

  it('the elder pages in elder mode: asking for help, the settings, and a drill of 一键求助 cancelled as 误触', async () => {
    const { context, page, errors } = await e.phone();
    await loginByPhone(page, e.base, ELDER);
    await turnOnElderMode(page);
    const problems: string[] = [];

    await page.goto(`${e.base}/#/help/new`);
    const form = onPage(page, 'help-new');
    await form.getByTestId('help-skill-company').click();
    await expect
      .poll(() => form.getByTestId('help-title').locator('input').inputValue())
      .toBe('请帮忙陪伴聊天');
    problems.push(...(await sizeCheck(page, 'help-new', 'help-new-elder')));

    await page.goto(`${e.base}/#/help/settings`);
    const settings = onPage(page, 'help-settings');
    await settings.getByTestId('help-plan-save').waitFor();
    await settings.getByTestId('help-errand-enabled-on').click();
    await settings.getByTestId('help-errand-hours-8').click();
    await settings.getByTestId('help-errand-save').click();
    await settings
      .getByTestId('help-errand-now')
      .getByText('现在：已允许，入柜 8 小时后未取由志愿者代取')
      .waitFor();
    const consent = await apiAs(e, ELDER, 'GET', '/v1/help/errand-consent');
    expect(consent).toMatchObject({ enabled: true, afterHours: 8 });
    problems.push(...(await sizeCheck(page, 'help-settings', 'help-settings-elder')));

    // A drill: the big button, then its confirm (one more large tap), then the call's page.
    await page.goto(`${e.base}/#/help/index`);
    const help = onPage(page, 'help');
    await help.getByTestId('help-sos-drill').click();
    await help.getByTestId('help-sos').click();
    await help.getByTestId('help-sos-confirm').waitFor();
    const yes = await help.getByTestId('help-sos-confirm-yes').boundingBox();
    expect(yes!.height).toBeGreaterThanOrEqual(72);
    problems.push(...(await sizeCheck(page, 'help', 'help-sos-confirm')));
    await help.getByTestId('help-sos-confirm-yes').click();
    const call = onPage(page, 'help-emergency');
    await call.getByTestId('help-emergency-drill').waitFor();
    await call.getByTestId('help-emergency-status').getByText('【演练】正在呼叫', { exact: true }).waitFor();
    expect((await call.getByTestId('help-emergency-headline').textContent())!.length).toBeGreaterThan(0);
    problems.push(...(await sizeCheck(page, 'help-emergency', 'help-emergency-elder')));
    await call.getByTestId('help-emergency-cancel').click();
    await call.getByTestId('help-emergency-cancel-confirm-yes').click();
    await call.getByTestId('help-emergency-status').getByText('【演练】已取消', { exact: true }).waitFor();
    expect(await call.getByTestId('help-emergency-cancel').count()).toBe(0);
    await shot(page, 'help-emergency-cancelled');

    expect(problems).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
