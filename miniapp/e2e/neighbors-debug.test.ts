import { describe, it } from 'vitest';
import { e2eSuite, loginByPhone, onPage } from './harness';

const e = e2eSuite();

describe('debug', () => {
  it('back from the editor', async () => {
    const { page } = await e.phone();
    await loginByPhone(page, e.base, '13800000015');
    await page.locator('.taro-tabbar__tabbar').getByText('邻里', { exact: true }).click();
    await onPage(page, 'neighbors').getByTestId('nb-list').waitFor();
    await onPage(page, 'neighbors').getByTestId('nb-new-post').click();
    const editor = onPage(page, 'neighborEdit');
    await editor.getByTestId('nb-editor').waitFor();
    await editor.getByTestId('nb-edit-textarea').locator('textarea').fill('草稿一下');
    await page.getByRole('button', { name: '返回' }).click();
    await page.waitForTimeout(1500);
    await page.screenshot({ path: '/tmp/d-debug.png' });
    const info = await page.evaluate(() =>
      Array.from(document.querySelectorAll('[data-testid^="page-"]')).map((el) => {
        const r = el.getBoundingClientRect();
        const fab = el.querySelector('[data-testid="nb-new-post"]');
        const fr = fab?.getBoundingClientRect();
        return `${el.getAttribute('data-testid')} ${r.width}x${r.height}@${r.left},${r.top} display=${getComputedStyle(el.parentElement!).display} fab=${fr ? `${fr.width}x${fr.height}@${fr.left},${fr.top}` : '-'}`;
      }),
    );
    console.log(info.join('\n'), page.url());
  });
});
