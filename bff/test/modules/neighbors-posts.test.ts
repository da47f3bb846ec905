import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildings,
  compounds,
  households,
  memberships,
  neighborLikes,
  neighborPosts,
} from '../../src/db/schema';
import { makeShop } from '../fixtures/market';
import { createComment, createPost, makeMember, type Who } from '../fixtures/neighbors';
import { bearer, demoCommunityId, freshPhone, inbox, makeStaff, TEST_ENV } from '../fixtures/people';
import { filePart, postUploads, UPLOAD_TEST_ENV, uploadDir, uploadPhotos } from '../fixtures/uploads';
import { setupTestApp, type TestApp } from '../helper';

let t: TestApp;
let communityId: string;
let alice: Who;
let bob: Who;
const store = uploadDir();

beforeAll(async () => {
  t = await setupTestApp({ ...TEST_ENV, ...UPLOAD_TEST_ENV, ...store.env, NEIGHBOR_WECHAT_CHECK: 'off' });
  communityId = await demoCommunityId(t);
  [alice, bob] = await Promise.all([makeMember(t), makeMember(t)]);
});
afterAll(async () => {
  await t?.close();
  store.cleanup();
});

const get = (who: Who, url: string) => t.call({ method: 'GET', url, headers: bearer(who) });

describe('posting rules', () => {
  it('publishes a post with images that the feed shows as text', async () => {
    const ids = await uploadPhotos(t, alice, 2, 'post');
    const xss = '<img src=x onerror=alert(1)><script>alert(2)</script> 猫咪';
    const p = await createPost(t, alice, { topic: 'pets', title: '橘猫', text: xss, imageIds: ids });
    expect(p).toMatchObject({ topic: 'pets', title: '橘猫', text: xss, mine: true, status: 'published' });
    expect((p.images as { id: string }[]).map((i) => i.id)).toEqual(ids);
    const res = await get(bob, `/v1/neighbors/posts/${p.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      text: xss,
      mine: false,
      likedByMe: false,
      author: { id: alice.userId },
    });
    // Beside the name, the compound the author lives in (their verified household's).
    const [place] = await t.deps.db
      .select({ compound: compounds.name })
      .from(memberships)
      .innerJoin(households, eq(households.id, memberships.householdId))
      .innerJoin(buildings, eq(buildings.id, households.buildingId))
      .innerJoin(compounds, eq(compounds.id, buildings.compoundId))
      .where(eq(memberships.userId, alice.userId));
    expect(place?.compound).toBeTruthy();
    expect(res.body.author.compound).toBe(place!.compound);
  });

  it('refuses people who are not verified members of the community', async () => {
    const stranger = await t.login(freshPhone());
    const res = await t.call({
      method: 'POST',
      url: '/v1/neighbors/posts',
      headers: bearer(stranger),
      payload: { communityId, topic: 'help', text: '有人吗' },
    });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('NEIGHBOR_NOT_MEMBER');
    expect((await get(stranger, `/v1/neighbors/posts?communityId=${communityId}`)).status).toBe(403);
    // A cursor that cannot be read is refused as such while the membership check is still running;
    // the check's own refusal must not escape unhandled (the run would report it).
    for (const url of [
      `/v1/neighbors/posts?communityId=${communityId}&cursor=garbage`,
      `/v1/neighbors/search?communityId=${communityId}&q=猫咪&cursor=garbage`,
    ]) {
      const bad = await get(stranger, url);
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBeTruthy();
    }
    await new Promise((r) => setTimeout(r, 50));
  });

  it('counts 1,000 characters in code points and refuses 1,001', async () => {
    const emoji = '😀'.repeat(1000);
    await createPost(t, alice, { text: emoji });
    const res = await createPost(t, alice, { text: `${emoji}a` }, 400);
    expect(JSON.stringify(res)).toContain('body.text');
    await createPost(t, alice, { text: '   ' }, 400);
  });

  it('refuses a tenth image, a stranger’s upload and an upload of another purpose', async () => {
    const nine = await uploadPhotos(t, alice, 9, 'post');
    const one = await uploadPhotos(t, alice, 1, 'post');
    const res = await createPost(t, alice, { imageIds: [...nine, ...one] }, 400);
    expect(res.error.code).toBe('VALIDATION_FAILED');
    const bobs = await uploadPhotos(t, bob, 1, 'post');
    const refund = await uploadPhotos(t, alice, 1, 'refund');
    for (const ids of [bobs, refund]) {
      const r = await createPost(t, alice, { imageIds: ids }, 409);
      expect(r.error.code).toBe('UPLOAD_NOT_AVAILABLE');
    }
    // Nothing half-written: no post holds those images.
    const rows = await t.deps.db.select().from(neighborPosts).where(eq(neighborPosts.authorId, alice.userId));
    expect(rows.some((r) => r.imageIds.includes(bobs[0]!) || r.imageIds.includes(refund[0]!))).toBe(false);
    // The nine are still free to use.
    await createPost(t, alice, { imageIds: nine });
    const again = await createPost(t, bob, { imageIds: [nine[0]] }, 409);
    expect(again.error.code).toBe('UPLOAD_NOT_AVAILABLE');
  });

  it('a non-image upload is refused by uploads, before any post', async () => {
    const res = await postUploads(t, alice, [filePart(Buffer.from('<html>hi</html>'), 'a.jpg')], 'post');
    expect(res.status).toBe(415);
  });

  it('a 推荐 post names a listed shop, and the shop page lists it', async () => {
    const shop = await makeShop(t);
    const p = await createPost(t, alice, {
      topic: 'recommend',
      text: '这家店的包子好吃',
      merchantId: shop.id,
    });
    expect(p.merchant).toEqual({ id: shop.id, name: expect.any(String) });
    const list = await get(bob, `/v1/merchants/${shop.id}/recommendations`);
    expect(list.status).toBe(200);
    expect(list.body.items.map((i: { id: string }) => i.id)).toEqual([p.id]);
    const wrongTopic = await createPost(t, alice, { topic: 'pets', merchantId: shop.id }, 400);
    expect(JSON.stringify(wrongTopic)).toContain('merchantId');
    const unknown = await createPost(
      t,
      alice,
      { topic: 'recommend', merchantId: '01890000-0000-7000-8000-000000000000' },
      400,
    );
    expect(unknown.error.code).toBe('NEIGHBOR_MERCHANT_NOT_LISTED');
  });

  it('hostile input is a 400, never a 500', async () => {
    const bad = [
      { communityId, topic: 'nope', text: 'x' },
      { communityId: 'not-a-uuid', topic: 'pets', text: 'x' },
      { communityId, topic: 'pets', text: 42 },
      { communityId, topic: 'pets', text: 'x', imageIds: ['../../etc/passwd'] },
      { communityId, topic: 'pets', text: 'x', extra: true },
      { communityId, topic: 'pets', text: '\u0000\u202e' },
    ];
    for (const payload of bad) {
      const res = await t.call({
        method: 'POST',
        url: '/v1/neighbors/posts',
        headers: bearer(alice),
        payload,
      });
      expect(res.status, JSON.stringify(payload)).toBeLessThan(500);
    }
    for (const url of [
      `/v1/neighbors/posts?communityId=${communityId}&cursor=${encodeURIComponent("'; drop table x;--")}`,
      `/v1/neighbors/posts?communityId=${communityId}&cursor=${Buffer.from('0000-01-01|x').toString('base64url')}`,
      `/v1/neighbors/search?communityId=${communityId}&q=${encodeURIComponent('%_\\')}`,
      `/v1/neighbors/posts?communityId=${communityId}&limit=1000`,
    ]) {
      const res = await get(alice, url);
      expect(res.status, url).toBeLessThan(500);
    }
  });
});

describe('trust', () => {
  it('a new member may not post links or more than 3 images, and only 3 posts a day even at once', async () => {
    const newbie = await makeMember(t, { daysAgo: 2 });
    const standing = await get(newbie, `/v1/neighbors/standing?communityId=${communityId}`);
    expect(standing.body).toMatchObject({
      member: true,
      newMember: true,
      postsLeft: 3,
      maxImages: 3,
      linksAllowed: false,
    });
    const link = await createPost(t, newbie, { text: '看这里 https://evil.example.com' }, 400);
    expect(link.error.code).toBe('NEIGHBOR_LINKS_NOT_ALLOWED');
    const four = await uploadPhotos(t, newbie, 4, 'post');
    const many = await createPost(t, newbie, { imageIds: four }, 400);
    expect(many.error.code).toBe('NEIGHBOR_TOO_MANY_IMAGES');
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        t.call({
          method: 'POST',
          url: '/v1/neighbors/posts',
          headers: bearer(newbie),
          payload: { communityId, topic: 'rant', text: `第${i}条` },
        }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(3);
    const limited = results.filter((r) => r.status === 429);
    expect(limited).toHaveLength(3);
    expect(limited[0]!.body.error.code).toBe('NEIGHBOR_RATE_LIMITED');
    // A day later the allowance is back; a week after verification the limits are gone.
    t.clock.advance(86_400_000 + 1000);
    await createPost(t, newbie, { text: '第二天' });
    t.clock.advance(5 * 86_400_000);
    await createPost(t, newbie, { text: '满一周了 https://ok.example.com', imageIds: four });
    t.clock.set(new Date());
  });

  it('an established member has no such limits', async () => {
    await createPost(t, bob, { text: '链接 www.example.com' });
  });
});

describe('feed and paging', () => {
  it('pages newest first by topic, and the cursor is stable while posts arrive', async () => {
    const poster = await makeMember(t);
    const made: string[] = [];
    for (let i = 0; i < 5; i++)
      made.push((await createPost(t, poster, { topic: 'sports', text: `球局${i}` })).id);
    const url = `/v1/neighbors/posts?communityId=${communityId}&topic=sports&limit=2`;
    const first = await get(alice, url);
    expect(first.body.items.map((p: { id: string }) => p.id)).toEqual([made[4], made[3]]);
    await createPost(t, poster, { topic: 'sports', text: '新来的' });
    const second = await get(alice, `${url}&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((p: { id: string }) => p.id)).toEqual([made[2], made[1]]);
    // The seed's own 运动 post (three days old) comes after ours.
    const third = await get(alice, `${url}&cursor=${second.body.nextCursor}`);
    expect(third.body.items[0].id).toBe(made[0]);
    expect(third.body.items[1].createdAt < third.body.items[0].createdAt).toBe(true);
  });

  it('staff of the community read it too, staff elsewhere do not', async () => {
    const staff = await makeStaff(t, { runsDemo: true });
    expect((await get(staff, `/v1/neighbors/posts?communityId=${communityId}`)).status).toBe(200);
    const stray = await makeStaff(t, { runsDemo: false });
    expect((await get(stray, `/v1/neighbors/posts?communityId=${communityId}`)).status).toBe(403);
  });
});

describe('search', () => {
  it('finds Chinese substrings of one, two and more characters in title and text', async () => {
    const p1 = await createPost(t, alice, {
      topic: 'lost_found',
      title: '寻找走失的萨摩耶犬',
      text: '周五傍晚在北侧门附近走丢',
    });
    const p2 = await createPost(t, bob, { topic: 'secondhand', text: '出售九成新婴儿推车，北侧门自提' });
    const q = async (s: string, extra = '') =>
      (
        await get(alice, `/v1/neighbors/search?communityId=${communityId}&q=${encodeURIComponent(s)}${extra}`)
      ).body.items.map((p: { id: string }) => p.id);
    expect(await q('萨摩')).toEqual([p1.id]);
    expect(await q('走失的萨摩耶')).toEqual([p1.id]);
    expect(await q('北侧门')).toEqual([p2.id, p1.id]);
    expect(await q('北侧门', '&topic=secondhand')).toEqual([p2.id]);
    expect(await q('婴')).toEqual([p2.id]);
    expect(await q('不存在的词语')).toEqual([]);
    expect(await q('100%')).toEqual([]);
  });
});

describe('likes', () => {
  it('counts once per person: 20 taps by one person, 20 people at once', async () => {
    const p = await createPost(t, alice, { text: '点赞测试' });
    const like = (who: Who) =>
      t.call({ method: 'POST', url: `/v1/neighbors/posts/${p.id}/like`, headers: bearer(who), payload: {} });
    const same = await Promise.all(Array.from({ length: 20 }, () => like(bob)));
    expect(same.every((r) => r.status === 200)).toBe(true);
    const people = await Promise.all(Array.from({ length: 20 }, () => makeMember(t)));
    await Promise.all(people.map(like));
    const [row] = await t.deps.db.select().from(neighborPosts).where(eq(neighborPosts.id, p.id));
    const likes = await t.deps.db.select().from(neighborLikes).where(eq(neighborLikes.postId, p.id));
    expect(likes).toHaveLength(21);
    expect(row!.likeCount).toBe(21);
    const un = await Promise.all(
      Array.from({ length: 5 }, () =>
        t.call({ method: 'DELETE', url: `/v1/neighbors/posts/${p.id}/like`, headers: bearer(bob) }),
      ),
    );
    expect(un.every((r) => r.status === 200)).toBe(true);
    const view = await get(bob, `/v1/neighbors/posts/${p.id}`);
    expect(view.body).toMatchObject({ likeCount: 20, likedByMe: false });
  });
});

describe('comments and replies', () => {
  it('threads one level deep, a reply to a reply names whom it answers, and authors are told', async () => {
    const carol = await makeMember(t);
    const p = await createPost(t, alice, { text: '周末去哪儿玩' });
    const c1 = await createComment(t, bob, p.id, { text: '去公园' });
    const r1 = await createComment(t, carol, p.id, { text: '同意', parentId: c1.id });
    const r2 = await createComment(t, bob, p.id, { text: '一起去', parentId: r1.id });
    expect(r1).toMatchObject({ parentId: c1.id, replyTo: null });
    expect(r2).toMatchObject({ parentId: c1.id, replyTo: { id: carol.userId } });
    const list = await get(alice, `/v1/neighbors/posts/${p.id}/comments`);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0].replies.map((r: { id: string }) => r.id)).toEqual([r1.id, r2.id]);
    expect((await get(alice, `/v1/neighbors/posts/${p.id}`)).body.commentCount).toBe(3);
    expect((await inbox(t, alice.userId)).some((n) => n.kind === 'neighbors.comment')).toBe(true);
    expect((await inbox(t, carol.userId)).some((n) => n.kind === 'neighbors.comment')).toBe(true);
    const other = await createPost(t, alice, { text: '别的帖子' });
    const wrong = await createComment(t, bob, other.id, { text: '串台', parentId: c1.id }, 400);
    expect(JSON.stringify(wrong)).toContain('body.parentId');
  });

  it('the author edits and deletes their own; others get 404', async () => {
    const p = await createPost(t, alice, { text: '原文' });
    const c = await createComment(t, bob, p.id, { text: '评论原文' });
    const editOther = await t.call({
      method: 'PATCH',
      url: `/v1/neighbors/posts/${p.id}`,
      headers: bearer(bob),
      payload: { text: '篡改' },
    });
    expect(editOther.status).toBe(404);
    const edited = await t.call({
      method: 'PATCH',
      url: `/v1/neighbors/posts/${p.id}`,
      headers: bearer(alice),
      payload: { text: '改过了', topic: 'help' },
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ text: '改过了', topic: 'help', editedAt: expect.any(String) });
    const editComment = await t.call({
      method: 'PATCH',
      url: `/v1/neighbors/comments/${c.id}`,
      headers: bearer(bob),
      payload: { text: '评论改过' },
    });
    expect(editComment.body.text).toBe('评论改过');
    expect(
      (await t.call({ method: 'DELETE', url: `/v1/neighbors/comments/${c.id}`, headers: bearer(alice) }))
        .status,
    ).toBe(404);
    expect(
      (await t.call({ method: 'DELETE', url: `/v1/neighbors/posts/${p.id}`, headers: bearer(bob) })).status,
    ).toBe(404);
    expect(
      (await t.call({ method: 'DELETE', url: `/v1/neighbors/posts/${p.id}`, headers: bearer(alice) })).status,
    ).toBe(200);
    // Gone with its comments, for everyone (the author too), and from the feed.
    expect((await get(bob, `/v1/neighbors/posts/${p.id}`)).status).toBe(404);
    expect((await get(alice, `/v1/neighbors/posts/${p.id}/comments`)).status).toBe(404);
    expect(
      (
        await t.call({
          method: 'PATCH',
          url: `/v1/neighbors/comments/${c.id}`,
          headers: bearer(bob),
          payload: { text: 'x' },
        })
      ).status,
    ).toBe(404);
    const feed = await get(bob, `/v1/neighbors/posts?communityId=${communityId}&limit=100`);
    expect(feed.body.items.some((i: { id: string }) => i.id === p.id)).toBe(false);
    const [row] = await t.deps.db
      .select()
      .from(neighborPosts)
      .where(and(eq(neighborPosts.id, p.id), eq(neighborPosts.status, 'deleted')));
    expect(row?.deletedAt).toBeInstanceOf(Date);
  });
});
