import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { e2eSuite, H5_DIST, loginByPhone } from './harness';

const e = e2eSuite();

const FAMILY_PHONE = '13912341001';
const ELDER_PHONE = '13800000020';

describe('家属代办 (family proxy)', () => {
  it('a family member links to an elder, the elder agrees, the family member acts for her and she sees it in 代办记录', async () => {
    const family = await e.phone();
    const elder = await e.phone();
    const fp = family.page;
    const ep = elder.page;

    // Family member asks, from 我的 -> 家属代办.
    await loginByPhone(fp, e.base, FAMILY_PHONE);
    await fp.getByText('我的', { exact: true }).click();
    await fp.getByTestId('mine-family').click();
    await fp.getByTestId('link-elder-form').waitFor();
    await fp.locator('input[placeholder="长辈手机号"]').fill(ELDER_PHONE);
    await fp.getByTestId('link-relationship').getByText('孙女', { exact: true }).click();
    await fp.getByTestId('link-elder-submit').click();
    // The request does not tell whether the number is an elder's: no name until she agrees.
    await fp.getByText('已向 138****0020 发出申请：若该号码是已登记的长辈，TA 确认后即可代办').waitFor();
    const myElders = fp.getByTestId('my-elders');
    await myElders.getByText('手机号 138****0020（我是孙女）').waitFor();
    expect(await myElders.getByText('刘奶奶', { exact: false }).count()).toBe(0);
    await myElders.getByText('等待确认', { exact: true }).waitFor();
    expect(await myElders.getByText('为TA代办').count()).toBe(0);

    // The elder, on her own phone, sees the request and agrees.
    await loginByPhone(ep, e.base, ELDER_PHONE);
    await ep.goto(`${e.base}/#/family/index`);
    const request = ep.getByTestId('family-requests').locator('[data-testid^="family-request-"]');
    await request.getByText('家属（孙女）申请为您代办社区服务').waitFor();
    await request.getByTestId('consent-link').click();
    await ep.getByTestId('my-family').getByText('家属（孙女）').waitFor();
    await expect.poll(() => ep.getByText('申请为您代办社区服务').count()).toBe(0);

    // Back on the family member's phone: 已同意, then 为TA代办.
    await fp.reload();
    await myElders.getByText('已同意', { exact: true }).waitFor();
    await myElders.getByText('刘奶奶（我是孙女）').waitFor();
    await myElders.getByTestId('act-for').click();
    await fp.getByTestId('page-home').waitFor();
    const banner = fp.getByTestId('acting-banner');
    await banner.getByText('正在为 刘奶奶 代办').waitFor();
    await fp.getByTestId('home-greeting').getByText('刘奶奶', { exact: false }).waitFor();

    // 消息 shows the elder's inbox (the request she was notified about), banner still on top.
    await fp.goto(`${e.base}/#/inbox/index`);
    await fp.getByText('家属代办申请').first().waitFor();
    await fp.getByTestId('acting-banner').getByText('正在为 刘奶奶 代办').waitFor();
    await fp.screenshot({ path: join(H5_DIST, '..', 'e2e-family-acting-inbox.png') });

    // 住户认证 shows her approved household (communities load without the header, hers with it).
    await fp.goto(`${e.base}/#/membership/index`);
    await fp.getByTestId('my-memberships').getByText('已通过', { exact: true }).waitFor();
    expect(await fp.getByTestId('error').count()).toBe(0);

    // The elder's 代办记录 lists what was done for her.
    await ep.goto(`${e.base}/#/family/audit`);
    const audit = ep.getByTestId('audit-list');
    await audit.getByText('家属（孙女） 查看了消息').first().waitFor();
    await audit.getByText('家属（孙女） 查看了首页信息').first().waitFor();
    await ep.screenshot({ path: join(H5_DIST, '..', 'e2e-family-audit.png') });

    // 退出代办: the banner goes and the family member's own data is back.
    await fp.getByTestId('acting-exit').click();
    await fp.getByTestId('page-home').waitFor();
    await expect.poll(() => fp.getByTestId('acting-banner').count()).toBe(0);
    await fp.getByTestId('home-elders').getByText('刘奶奶（孙女）').waitFor();

    expect(family.errors).toEqual([]);
    expect(elder.errors).toEqual([]);
    await family.context.close();
    await elder.context.close();
  });

  it('staff record consent given in person (代办确认), and the family member may then act', async () => {
    const family = await e.phone();
    const staff = await e.phone();
    await loginByPhone(family.page, e.base, '13912341003');
    await family.page.goto(`${e.base}/#/family/index`);
    await family.page.locator('input[placeholder="长辈手机号"]').fill(ELDER_PHONE);
    await family.page.getByTestId('link-relationship').getByText('儿子', { exact: true }).click();
    await family.page.getByTestId('link-elder-submit').click();
    await family.page
      .getByText('已向 138****0020 发出申请：若该号码是已登记的长辈，TA 确认后即可代办')
      .waitFor();

    await loginByPhone(staff.page, e.base, '13800000001');
    await staff.page.getByText('我的', { exact: true }).click();
    await staff.page.getByTestId('mine-staff-proxy').click();
    const card = staff.page.locator('[data-testid^="consent-card-"]').filter({ hasText: '关系：儿子' });
    await card.getByText('刘奶奶', { exact: false }).first().waitFor();
    await card.getByTestId('consent-in_person').click();
    await staff.page.getByText('暂无待确认的代办申请').waitFor();

    await family.page.reload();
    await family.page.getByTestId('my-elders').getByText('已同意', { exact: true }).waitFor();
    await family.page.getByTestId('act-for').click();
    await family.page.getByTestId('acting-banner').getByText('正在为 刘奶奶 代办').waitFor();

    expect(family.errors).toEqual([]);
    expect(staff.errors).toEqual([]);
    await family.context.close();
    await staff.context.close();
  });

  it('answers the same when the phone number is not an elder’s, naming nobody', async () => {
    const { context, page, errors } = await e.phone();
    await loginByPhone(page, e.base, '13912341002');
    await page.goto(`${e.base}/#/family/index`);
    await page.locator('input[placeholder="长辈手机号"]').fill('13800000010');
    await page.getByTestId('link-relationship').getByText('儿子', { exact: true }).click();
    await page.getByTestId('link-elder-submit').click();
    await page.getByText('已向 138****0010 发出申请：若该号码是已登记的长辈，TA 确认后即可代办').waitFor();
    await page.getByTestId('my-elders').getByText('手机号 138****0010（我是儿子）').waitFor();
    expect(await page.getByText('陈静', { exact: false }).count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });
});
