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

// Verified residents of the demo community (DEMO_ACCOUNTS), members for a year; the author joins
// during the test, so the newcomer rules (at most 3 photos, no links) apply to them.
const AUTHOR = '13900000015';
const NEIGHBOUR = '13800000016';
const REPORTERS = ['13800000017', '13800000018'];
const XSS_AUTHOR = '13800000019';
const READER = '13800000014';

const shot = async (page: Page, name: string) => {
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(H5_DIST, '..', `e2e-neighbors-${name}.png`) });
};

/** Taro's H5 modal is its own element: tap one of its buttons. */
async function modal(page: Page, button: string) {
  const foot = page.locator('.taro-modal__foot:visible');
  await foot.getByText(button, { exact: true }).click();
  await foot.waitFor({ state: 'hidden' });
}

/** `phone` signs up and joins a neighbour's household; staff approve at once. */
async function freshMember(phone: string, neighbour: string): Promise<void> {
  const home = (await apiAs(e, neighbour, 'GET', '/v1/me')).memberships[0];
  const asked = await apiAs(e, phone, 'POST', '/v1/memberships', { householdId: home.householdId });
  await apiAs(e, STAFF_PHONE, 'POST', `/v1/staff/memberships/${asked.id}/approve`, {});
}

async function communityOf(phone: string): Promise<string> {
  const me = await apiAs(e, phone, 'GET', '/v1/me');
  return me.memberships.find((m: { status: string }) => m.status === 'approved').communityId;
}

/** The 邻里 tab, tapped in the tab bar (on a tab page) or opened by its address (on a sub-page). */
async function openFeed(page: Page, by: 'tab' | 'address' = 'tab') {
  if (by === 'tab') await page.locator('.taro-tabbar__tabbar').getByText('邻里', { exact: true }).click();
  else await page.goto(`${e.base}/#/pages/neighbors/index`);
  await onPage(page, 'neighbors').getByTestId('nb-list').waitFor();
}

describe('neighbors: a post from writing to moderation', () => {
  it('a resident posts with a photo; a neighbour comments from another phone; reports hide it; staff remove it with a reason; the author sees why', async () => {
    // 1. The author: 邻里 tab → 发动态 → topic, words, a photo → 发布.
    await freshMember(AUTHOR, NEIGHBOUR);
    const author = await e.phone();
    const ap = author.page;
    await loginByPhone(ap, e.base, AUTHOR);
    await openFeed(ap);
    const feed = onPage(ap, 'neighbors');
    await feed.getByTestId('nb-topic-pets').click();
    await feed.getByTestId('nb-list').waitFor();
    await shot(ap, 'feed');
    await feed.getByTestId('nb-new-post').click();
    const editor = onPage(ap, 'neighborEdit');
    await editor.getByTestId('nb-editor').waitFor();
    // The topic chosen in the feed comes along; a new member is told the limits up front.
    await editor.getByTestId('nb-edit-topics-pets').getByText('✓ 宠物').waitFor();
    await editor
      .getByTestId('nb-limits')
      .getByText(/最多 3 张照片，暂时不能发链接/)
      .waitFor();
    const text = `谁家的橘猫在3栋楼道里？${Date.now()}`;
    await editor.getByTestId('nb-edit-textarea').locator('textarea').fill(text);
    await editor
      .getByTestId('nb-edit-count')
      .getByText(`${[...text].length}/1000`)
      .waitFor();
    // Leaving the editor keeps a draft: back, 发动态 again, and the words are there. (Taro's H5
    // router blanks the page below if back comes before it finished hiding it: wait for that.)
    await ap.locator('.taro_page_shade [data-testid="page-neighbors"]').waitFor({ state: 'attached' });
    await ap.getByRole('button', { name: '返回' }).click();
    await onPage(ap, 'neighbors').getByTestId('nb-new-post').click();
    await editor.getByTestId('nb-draft-restored').waitFor();
    // The editor left a moment ago is still sliding out: wait until it is gone.
    await expect.poll(() => ap.locator('[data-testid="page-neighborEdit"]').count()).toBe(1);
    expect(await editor.getByTestId('nb-edit-textarea').locator('textarea').inputValue()).toBe(text);
    // The first upload is cut off (the network drops): the photo says so, 发布 waits, 重试 sends it.
    await ap.route('**/v1/uploads**', (route) => route.abort('connectionreset'));
    const chooser = ap.waitForEvent('filechooser');
    await editor.getByTestId('nb-add-photos').click();
    await (await chooser).setFiles({
      name: 'cat.jpg',
      mimeType: 'image/jpeg',
      buffer: await image('jpeg', 160, 120),
    });
    await editor
      .getByTestId('nb-photo-failed')
      .getByText(/上传失败/)
      .waitFor();
    await editor.getByTestId('nb-edit-submit').click();
    await editor.getByTestId('nb-edit-photos-error').getByText(/重试/).waitFor();
    await ap.unroute('**/v1/uploads**');
    await editor.getByTestId('nb-photo-retry').click();
    await editor.getByTestId('nb-photo-done').waitFor();
    await shot(ap, 'editor');
    await editor.getByTestId('nb-edit-submit').click();

    // 2. Published: the post page shows it with its photo.
    const detail = onPage(ap, 'neighborPost');
    await detail.getByTestId('nb-post').getByText(text).waitFor();
    await detail.getByTestId('nb-images-0').waitFor();
    const mine = await apiAs(e, AUTHOR, 'GET', '/v1/neighbors/my-posts');
    const post = mine.items.find((p: { text: string }) => p.text === text);
    expect(post).toMatchObject({ topic: 'pets', status: 'published' });
    expect(post.images).toHaveLength(1);

    // 3. A neighbour on another phone finds it in the feed, likes it and comments.
    const neighbour = await e.phone();
    const bp = neighbour.page;
    await loginByPhone(bp, e.base, NEIGHBOUR);
    await openFeed(bp);
    const card = onPage(bp, 'neighbors').getByTestId(`nb-post-${post.id}`);
    await card.getByText(text).waitFor();
    // A like shows at once; when the BFF refuses it, it is taken back.
    await bp.route('**/like', (route) => route.fulfill({ status: 503, body: '' }));
    await card.getByTestId('nb-like').click();
    await bp.getByText(/点赞失败/).waitFor();
    await card.getByTestId('nb-like').getByText('赞', { exact: true }).waitFor();
    await bp.unroute('**/like');
    await card.getByTestId('nb-like').click();
    await card.getByTestId('nb-like').getByText('已赞 1').waitFor();
    await card.getByText(text).click();
    const nd = onPage(bp, 'neighborPost');
    await nd.getByTestId('nb-post').getByText(text).waitFor();
    const comment = '是我家的，谢谢提醒，马上下去接它！';
    await nd.getByTestId('nb-compose-text').locator('textarea').fill(comment);
    await nd.getByTestId('nb-compose-send').click();
    await nd.getByTestId('nb-comments').getByText(comment).waitFor();
    await nd.getByTestId('nb-comments').getByText('评论 1').waitFor();

    // 4. It gets reported: the neighbour through the sheet, then two more members; the third hides it.
    await nd.getByTestId('nb-post-report').click();
    await nd.getByTestId('nb-report-reason-spam').click();
    await nd.getByTestId('nb-report-submit').click();
    await nd.getByTestId('nb-report').waitFor({ state: 'detached' });
    // Reported once: the button says so and cannot send a second (the BFF would answer 409).
    expect(await nd.getByTestId('nb-post-report').textContent()).toBe('已举报');
    for (const phone of REPORTERS)
      await apiAs(e, phone, 'POST', `/v1/neighbors/posts/${post.id}/report`, { reason: 'spam' });
    await expect
      .poll(async () => (await apiAs(e, AUTHOR, 'GET', `/v1/neighbors/posts/${post.id}`)).status)
      .toBe('hidden');

    // 5. Staff: 内容审核 lists it with the reasons; 删除 with a reason.
    const staff = await e.phone();
    const sp = staff.page;
    // (In elder mode, from 我的 → 内容审核: the office pages are sized for elders too.)
    await loginByPhone(sp, e.base, STAFF_PHONE);
    await turnOnElderMode(sp);
    await onPage(sp, 'mine').getByTestId('mine-office-moderation').click();
    const queue = onPage(sp, 'officeModeration');
    const entry = queue.locator('[data-testid^="mod-case-"]').filter({ hasText: text });
    await entry.getByTestId('mod-reasons').getByText('举报原因：垃圾广告 ×3').waitFor();
    await entry.getByText(/3 人举报/).waitFor();
    const staffProblems = (await elderSizeProblems(sp, 'officeModeration')).map((p) => `queue: ${p}`);
    await shot(sp, 'moderation');
    await entry.getByTestId('mod-remove').click();
    // The removal reasons are the residents' report reasons (plus 其他 with words).
    await entry.getByTestId('mod-reason-spam').click();
    await entry.getByTestId('mod-remove-submit').click();
    await modal(sp, '删除');
    await expect.poll(() => entry.count()).toBe(0);

    // The word list: a word staff add refuses a post holding it, even spaced out; then it is removed.
    await sp.goto(`${e.base}/#/office/words`);
    const words = onPage(sp, 'officeWords');
    await words.getByTestId('words-input').locator('input').fill('代开发票');
    await words.getByTestId('words-add-submit').click();
    await words.getByTestId('word-代开发票').waitFor();
    staffProblems.push(...(await elderSizeProblems(sp, 'officeWords')).map((p) => `words: ${p}`));
    await shot(sp, 'words');
    const refused = await e.t.call({
      method: 'POST',
      url: '/v1/neighbors/posts',
      payload: { communityId: post.communityId, topic: 'help', text: '可以 代 开 发 票，私聊' },
      headers: { authorization: (await e.t.login(REPORTERS[0]!)).authorization },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('NEIGHBOR_SENSITIVE_WORD');
    await words.getByTestId('word-remove-代开发票').click();
    await modal(sp, '移除');
    await words.getByTestId('word-代开发票').waitFor({ state: 'detached' });
    expect(staffProblems).toEqual([]);
    const removed = await apiAs(e, AUTHOR, 'GET', `/v1/neighbors/posts/${post.id}`);
    expect(removed).toMatchObject({ status: 'removed', moderation: { reason: '垃圾广告' } });

    // 6. The author sees why, on the post and in 我的动态; the neighbour no longer sees it.
    await ap.goto(`${e.base}/#/neighbors/post?id=${post.id}`);
    await onPage(ap, 'neighborPost')
      .getByTestId('nb-moderation')
      .getByText(/已被社区删除。原因：垃圾广告/)
      .waitFor();
    await shot(ap, 'removed');
    await openFeed(ap, 'address');
    await onPage(ap, 'neighbors').getByTestId('nb-mine').click();
    await onPage(ap, 'neighbors').getByTestId(`nb-post-${post.id}`).getByTestId('nb-moderation').waitFor();
    expect(await onPage(ap, 'neighbors').getByTestId('nb-mine-title').textContent()).toMatch(
      /^我的动态（\d+\+?）$/,
    );
    const feedNow = await apiAs(e, NEIGHBOUR, 'GET', `/v1/neighbors/posts?communityId=${post.communityId}`);
    expect(feedNow.items.map((p: { id: string }) => p.id)).not.toContain(post.id);

    expect(author.errors).toEqual([]);
    expect(neighbour.errors).toEqual([]);
    expect(staff.errors).toEqual([]);
    await Promise.all([author.context.close(), neighbour.context.close(), staff.context.close()]);
  });
});

describe('neighbors: hostile text and elder mode', () => {
  it('markup and scripts in posts and comments render as inert text; the feed and a post grow in elder mode', async () => {
    const communityId = await communityOf(XSS_AUTHOR);
    const payloads = [
      '<img src=x onerror=alert(1)>',
      '<script>window.__xss=1</script>',
      '<a href="javascript:alert(1)">点我</a>',
    ];
    const post = await apiAs(e, XSS_AUTHOR, 'POST', '/v1/neighbors/posts', {
      communityId,
      topic: 'rant',
      title: '<b onmouseover=alert(1)>标题</b>',
      text: payloads.join('\n'),
    });
    await apiAs(e, NEIGHBOUR, 'POST', `/v1/neighbors/posts/${post.id}/comments`, {
      text: '<svg onload=alert(2)></svg>',
    });

    const { context, page, errors } = await e.phone();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await loginByPhone(page, e.base, READER);
    await turnOnElderMode(page);
    await openFeed(page);
    const feed = onPage(page, 'neighbors');
    const card = feed.getByTestId(`nb-post-${post.id}`);
    await card.getByTestId('nb-text').waitFor();
    expect(await card.getByTestId('nb-text').textContent()).toBe(payloads.join('\n'));
    const problems = (await elderSizeProblems(page, 'neighbors')).map((p) => `feed: ${p}`);
    await shot(page, 'feed-elder');

    await card.getByTestId('nb-text').click();
    const detail = onPage(page, 'neighborPost');
    await detail.getByText('<svg onload=alert(2)></svg>', { exact: true }).waitFor();
    for (const p of payloads) await detail.getByText(p, { exact: false }).first().waitFor();
    await detail.getByText('<b onmouseover=alert(1)>标题</b>', { exact: true }).waitFor();
    problems.push(...(await elderSizeProblems(page, 'neighborPost')).map((p) => `post: ${p}`));
    await shot(page, 'post-elder');

    // Search finds it; the match is highlighted by splitting the text, still as text.
    await page.goto(`${e.base}/#/neighbors/search`);
    const search = onPage(page, 'neighborSearch');
    await search.getByTestId('nb-search').locator('input').fill('onerror');
    await search.getByTestId('nb-search-go').click();
    const hit = search.getByTestId(`nb-post-${post.id}`);
    await hit.locator('.nb-hit').first().waitFor();
    expect(await hit.locator('.nb-hit').allTextContents()).toEqual(['onerror']);
    await hit.getByText('<img src=x ', { exact: false }).first().waitFor();
    problems.push(...(await elderSizeProblems(page, 'neighborSearch')).map((p) => `search: ${p}`));
    await shot(page, 'search-elder');

    // The topics scroll sideways in one row; 推荐 shows the shop a neighbour recommends, and the
    // shop's page lists the recommendation.
    await openFeed(page, 'address');
    const topics = feed.getByTestId('nb-topics');
    expect(await topics.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
    await feed.getByTestId('nb-topic-recommend').click();
    const chip = feed.getByTestId('nb-merchant').filter({ hasText: '推荐商家：菜宅送' }).first();
    await chip.click();
    const shop = onPage(page, 'shop');
    await shop.getByTestId('shop-recommendations').getByText('菜宅送的西红柿真不错').waitFor();

    // Nothing was injected: no element the payloads name, no script ran, no dialog opened.
    const injected = await page.evaluate(() => ({
      img: document.querySelectorAll('img[src="x"]').length,
      svg: document.querySelectorAll('svg[onload]').length,
      script: Array.from(document.scripts).filter((s) => s.textContent?.includes('__xss')).length,
      // Taro's own tab bar items are <a href="javascript:;">: look inside the pages only.
      link: document.querySelectorAll('[data-testid^="page-"] a').length,
      bold: document.querySelectorAll('b[onmouseover]').length,
      ran: (window as { __xss?: number }).__xss ?? null,
    }));
    expect(injected).toEqual({ img: 0, svg: 0, script: 0, link: 0, bold: 0, ran: null });
    expect(dialogs).toEqual([]);
    expect(problems).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('neighbors: someone who is not a verified member', () => {
  it('is told what the feed is and led to 住户认证, not shown an error', async () => {
    const { context, page, errors } = await e.phone();
    await loginByPhone(page, e.base, '13800000002'); // 李老板: a shop owner, no household here
    await page.locator('.taro-tabbar__tabbar').getByText('邻里', { exact: true }).click();
    const feed = onPage(page, 'neighbors');
    await feed.getByTestId('nb-join').getByText('为了让这里只有真正的邻居，需要先完成住户认证。').waitFor();
    expect(await feed.getByTestId('error').count()).toBe(0);
    await feed.getByTestId('nb-join-membership').click();
    await onPage(page, 'membership').waitFor();
    // The community office's pages answer them the same way (the BFF's 403), not 加载失败 with 重试.
    await page.goto(`${e.base}/#/community/notices`);
    const notices = onPage(page, 'communityNotices');
    await notices.getByTestId('community-members-only').getByText('认证为本社区住户后才能查看').waitFor();
    expect(await notices.getByTestId('error').count()).toBe(0);
    await notices.getByTestId('community-join-membership').click();
    await onPage(page, 'membership').waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });
});
