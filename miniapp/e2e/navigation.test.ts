import { describe, expect, it } from 'vitest';
import { e2eSuite, loginByPhone } from './harness';

const e = e2eSuite();

describe('navigation on H5', () => {
  it('a sub-page has its title and a back button; the tab bar has icons; pinch-zoom is allowed', async () => {
    const { context, page, errors } = await e.phone();
    await loginByPhone(page, e.base, '13800000010');
    const viewport = await page.locator('meta[name="viewport"]').getAttribute('content');
    expect(viewport).not.toMatch(/user-scalable\s*=\s*no|maximum-scale\s*=\s*1\b/);
    // Every tab shows its icon, drawn and loaded.
    const icons = page.locator('.taro-tabbar__tabbar img');
    await expect.poll(() => icons.count()).toBe(5);
    const loaded = await icons.evaluateAll((els) =>
      els.map((el) => {
        const img = el as HTMLImageElement;
        return img.complete && img.naturalWidth > 0 && img.getBoundingClientRect().width > 0;
      }),
    );
    await page.screenshot({ path: '/tmp/tabbar.png' });
    expect(loaded).toEqual([true, true, true, true, true]);

    await page.getByText('我的', { exact: true }).click();
    await page.getByTestId('mine-family').click();
    await page.getByTestId('link-elder-form').waitFor();
    const bar = page.locator('#taro-navigation-bar');
    await bar.locator('.taro-navigation-bar-title').getByText('家属代办', { exact: true }).waitFor();
    const back = page.getByRole('button', { name: '返回' });
    await back.waitFor();
    await back.click();
    await page.getByTestId('page-mine').waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });
});
