import type { Job } from 'bullmq';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moderationCases, neighborComments, neighborPosts, notifications, outbox } from '../../src/db/schema';
import { FAKE_REVIEW_WORD, FAKE_RISKY_WORD } from '../../src/integrations/wechat/fake-server';
import { processorFor } from '../fixtures/jobs';
import { createComment, createPost, makeMember, reportPost, type Who } from '../fixtures/neighbors';
import {
  auditRows,
  bearer,
  demoCommunityId,
  freshPhone,
  inbox,
  makeStaff,
  TEST_ENV,
} from '../fixtures/people';
import { UPLOAD_TEST_ENV, uploadDir, uploadPhotos } from '../fixtures/uploads';
import { setupTestApp, type TestApp } from '../helper';

let t: TestApp;
let communityId: string;
let alice: Who;
let staff: Who;
let stray: Who;
let reporters: Who[];
const store = uploadDir();

beforeAll(async () => {
  t = await setupTestApp({ ...TEST_ENV, ...UPLOAD_TEST_ENV, ...store.env });
  communityId = await demoCommunityId(t);
  alice = await makeMember(t);
  staff = await makeStaff(t, { runsDemo: true });
  stray = await makeStaff(t, { runsDemo: false });
  reporters = await Promise.all(Array.from({ length: 6 }, () => makeMember(t)));
});
afterAll(async () => {
  await t?.close();
  store.cleanup();
});

const get = (who: Who, url: string) => t.call({ method: 'GET', url, headers: bearer(who) });
const casesOf = (targetId: string) =>
  t.deps.db.select().from(moderationCases).where(eq(moderationCases.targetId, targetId));
const hiddenNotes = async (userId: string) =>
  (await inbox(t, userId)).filter((n) => n.kind === 'neighbors.hidden');

describe('reports', () => {
  it.each([3, 6])('%i reports at once hide a post exactly once', async (n) => {
    const p = await createPost(t, alice, { text: `被举报的帖子${n}` });
    const before = (await hiddenNotes(alice.userId)).length;
    const results = await Promise.all(reporters.slice(0, n).map((r) => reportPost(t, r, p.id)));
    expect(results.map((r) => r.status)).toEqual(Array(n).fill(200));
    const [row] = await t.deps.db.select().from(neighborPosts).where(eq(neighborPosts.id, p.id));
    expect(row).toMatchObject({ status: 'hidden', reportCount: n });
    const cases = await casesOf(p.id);
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({ cause: 'reports', status: 'open' });
    expect((await hiddenNotes(alice.userId)).length - before).toBe(1);
    expect((await auditRows(t, 'neighbors.auto_hidden', p.id)).length).toBe(1);
    // Nobody else sees it any more; the author does, marked hidden.
    expect((await get(reporters[0]!, `/v1/neighbors/posts/${p.id}`)).status).toBe(404);
    const own = await get(alice, `/v1/neighbors/posts/${p.id}`);
    expect(own.body).toMatchObject({ status: 'hidden', moderation: { reason: null } });
    const feed = await get(reporters[0]!, `/v1/neighbors/posts?communityId=${communityId}&limit=100`);
    expect(feed.body.items.some((i: { id: string }) => i.id === p.id)).toBe(false);
  });

  it('a member counts once; authors cannot report themselves; outsiders cannot report', async () => {
    const p = await createPost(t, alice, { text: '正常帖子' });
    expect((await reportPost(t, reporters[0]!, p.id)).status).toBe(200);
    const again = await reportPost(t, reporters[0]!, p.id);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('NEIGHBOR_ALREADY_REPORTED');
    const own = await reportPost(t, alice, p.id);
    expect(own.body.error.code).toBe('NEIGHBOR_REPORT_OWN');
    const outsider = await t.login(freshPhone());
    expect((await reportPost(t, outsider, p.id)).status).toBe(404);
    const bad = await t.call({
      method: 'POST',
      url: `/v1/neighbors/posts/${p.id}/report`,
      headers: bearer(reporters[1]!),
      payload: { reason: 'because' },
    });
    expect(bad.status).toBe(400);
    const [row] = await t.deps.db.select().from(neighborPosts).where(eq(neighborPosts.id, p.id));
    expect(row).toMatchObject({ status: 'published', reportCount: 1 });
  });

  it('comments are hidden the same way', async () => {
    const p = await createPost(t, alice, { text: '评论区' });
    const c = await createComment(t, reporters[5]!, p.id, { text: '不友善的评论' });
    await Promise.all(
      reporters.slice(0, 4).map((r) =>
        t.call({
          method: 'POST',
          url: `/v1/neighbors/comments/${c.id}/report`,
          headers: bearer(r),
          payload: { reason: 'abuse', note: '骂人' },
        }),
      ),
    );
    const [row] = await t.deps.db.select().from(neighborComments).where(eq(neighborComments.id, c.id));
    expect(row!.status).toBe('hidden');
    expect(await casesOf(c.id)).toHaveLength(1);
    const list = await get(alice, `/v1/neighbors/posts/${p.id}/comments`);
    expect(list.body.items).toHaveLength(0);
    const mine = await get(reporters[5]!, `/v1/neighbors/posts/${p.id}/comments`);
    expect(mine.body.items[0]).toMatchObject({ id: c.id, status: 'hidden' });
  });
});

describe('the review queue', () => {
  async function hiddenPost(text: string) {
    const p = await createPost(t, alice, { text });
    await Promise.all(reporters.slice(0, 3).map((r) => reportPost(t, r, p.id)));
    const [c] = await casesOf(p.id);
    return { postId: p.id, caseId: c!.id };
  }

  it('staff remove with a reason: the author is told why and becomes new again', async () => {
    const { postId, caseId } = await hiddenPost('要被删除的帖子');
    const queue = await get(staff, '/v1/staff/moderation?status=open');
    const entry = queue.body.items.find((i: { id: string }) => i.id === caseId);
    expect(entry).toMatchObject({ targetType: 'post', reportCount: 3, target: { text: '要被删除的帖子' } });
    expect(entry.reasons).toEqual([{ reason: 'spam', count: 3 }]);
    // Staff elsewhere see none of it and cannot decide it.
    expect((await get(stray, '/v1/staff/moderation')).body.items).toEqual([]);
    const foreign = await t.call({
      method: 'POST',
      url: `/v1/staff/moderation/${caseId}/remove`,
      headers: bearer(stray),
      payload: { reason: 'x' },
    });
    expect(foreign.status).toBe(404);
    // Two staff deciding at once make one decision.
    const remove = () =>
      t.call({
        method: 'POST',
        url: `/v1/staff/moderation/${caseId}/remove`,
        headers: bearer(staff),
        payload: { reason: '广告引流' },
      });
    const both = await Promise.all([remove(), remove()]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(both.find((r) => r.status === 409)!.body.error.code).toBe('NEIGHBOR_CASE_DECIDED');
    const restoreLate = await t.call({
      method: 'POST',
      url: `/v1/staff/moderation/${caseId}/restore`,
      headers: bearer(staff),
      payload: {},
    });
    expect(restoreLate.status).toBe(409);
    const a = both.find((r) => r.status === 200)!;
    {
      expect(a.body).toMatchObject({
        status: 'removed',
        decisionReason: '广告引流',
        decidedBy: { id: staff.userId },
      });
      const own = await get(alice, `/v1/neighbors/posts/${postId}`);
      expect(own.body).toMatchObject({ status: 'removed', moderation: { reason: '广告引流' } });
      const told = (await inbox(t, alice.userId)).find((n) => n.kind === 'neighbors.removed');
      expect(told?.body).toContain('广告引流');
      expect(told?.link).toBe(`/neighbors/post?id=${postId}`);
      expect(await auditRows(t, 'neighbors.removed', postId)).toHaveLength(1);
      const mine = await get(alice, `/v1/neighbors/my-posts?communityId=${communityId}&limit=100`);
      expect(mine.body.items.find((i: { id: string }) => i.id === postId)).toMatchObject({
        status: 'removed',
        moderation: { reason: '广告引流' },
      });
      const standing = await get(alice, `/v1/neighbors/standing?communityId=${communityId}`);
      expect(standing.body).toMatchObject({ newMember: true, postsLeft: expect.any(Number) });
      const edit = await t.call({
        method: 'PATCH',
        url: `/v1/neighbors/posts/${postId}`,
        headers: bearer(alice),
        payload: { text: '改一下' },
      });
      expect(edit.body.error.code).toBe('NEIGHBOR_POST_REMOVED');
    }
  });

  it('staff restore: shown again, counted afresh, the author told; its photo is served only while shown', async () => {
    // A trusted author of their own, since the last test may have put alice on probation.
    const dan = await makeMember(t);
    const photos = await uploadPhotos(t, dan, 2, 'post');
    const p = await createPost(t, dan, { text: '被误伤的帖子', imageIds: photos });
    const [photo, other] = p.images as { url: string }[];
    const served = (url: string) => t.app.inject({ method: 'GET', url }).then((r) => r.statusCode);
    expect(await served(photo!.url)).toBe(200);
    await Promise.all(reporters.slice(0, 3).map((r) => reportPost(t, r, p.id)));
    // Hidden: the public URL stops working for anyone.
    expect(await served(photo!.url)).toBe(404);
    const [c] = await casesOf(p.id);
    const res = await t.call({
      method: 'POST',
      url: `/v1/staff/moderation/${c!.id}/restore`,
      headers: bearer(staff),
      payload: { note: '内容正常' },
    });
    expect(res.status).toBe(200);
    const [row] = await t.deps.db.select().from(neighborPosts).where(eq(neighborPosts.id, p.id));
    expect(row).toMatchObject({ status: 'published', reportCount: 0 });
    expect((await get(reporters[4]!, `/v1/neighbors/posts/${p.id}`)).status).toBe(200);
    expect(await served(photo!.url)).toBe(200);
    // Edited without a photo: that one is no longer served, the kept one is.
    const edited = await t.call({
      method: 'PATCH',
      url: `/v1/neighbors/posts/${p.id}`,
      headers: bearer(dan),
      payload: { imageIds: [photos[1]] },
    });
    expect(edited.status).toBe(200);
    expect(await served(photo!.url)).toBe(404);
    expect(await served(other!.url)).toBe(200);
    expect((await inbox(t, dan.userId)).some((n) => n.kind === 'neighbors.restored')).toBe(true);
    expect(await auditRows(t, 'neighbors.restored', p.id)).toHaveLength(1);
  });
});

describe('sensitive words', () => {
  it('staff manage the list; matching ignores width, case and spaces', async () => {
    const add = await t.call({
      method: 'POST',
      url: '/v1/staff/sensitive-words',
      headers: bearer(staff),
      payload: { communityId, word: '加微信' },
    });
    expect(add.status).toBe(201);
    const dup = await t.call({
      method: 'POST',
      url: '/v1/staff/sensitive-words',
      headers: bearer(staff),
      payload: { communityId, word: '加 微信' },
    });
    expect(dup.body.error.code).toBe('NEIGHBOR_WORD_EXISTS');
    const stranger = await t.call({
      method: 'POST',
      url: '/v1/staff/sensitive-words',
      headers: bearer(stray),
      payload: { communityId, word: '别处' },
    });
    expect(stranger.status).toBe(404);
    const hit = await createPost(t, alice, { text: '便宜出，加　微 信详聊' }, 400);
    expect(hit.error.code).toBe('NEIGHBOR_SENSITIVE_WORD');
    const c = await createPost(t, reporters[0]!, { text: '普通帖子' });
    const hitComment = await createComment(t, reporters[1]!, c.id, { text: '加微信' }, 400);
    expect(hitComment.error.code).toBe('NEIGHBOR_SENSITIVE_WORD');
    const list = await get(staff, `/v1/staff/sensitive-words?communityId=${communityId}`);
    expect(list.body.items.map((w: { word: string }) => w.word)).toEqual(['加微信']);
    const del = await t.call({
      method: 'DELETE',
      url: `/v1/staff/sensitive-words/${add.body.id}`,
      headers: bearer(staff),
    });
    expect(del.status).toBe(200);
    await createPost(t, reporters[0]!, { text: '现在可以说加微信了' });
  });
});

describe('WeChat content check', () => {
  let wx: Who;
  beforeAll(async () => {
    wx = await makeMember(t, { openid: true });
  });

  it('asks msgSecCheck v2 with the author’s openid: pass publishes, risky refuses', async () => {
    t.wechat.reset();
    await createPost(t, wx, { text: '今天天气不错' });
    expect(t.wechat.textChecks).toEqual([
      { content: '今天天气不错', scene: 3, openid: `o_test_${wx.userId}`, version: 2 },
    ]);
    const risky = await createPost(t, wx, { text: `这里有${FAKE_RISKY_WORD}` }, 400);
    expect(risky.error.code).toBe('NEIGHBOR_CONTENT_RISKY');
    const p = await createPost(t, wx, { text: '好帖' });
    const riskyComment = await createComment(t, wx, p.id, { text: `评论${FAKE_RISKY_WORD}` }, 400);
    expect(riskyComment.error.code).toBe('NEIGHBOR_CONTENT_RISKY');
    expect(t.wechat.textChecks.at(-1)!.scene).toBe(2);
    const edit = await t.call({
      method: 'PATCH',
      url: `/v1/neighbors/posts/${p.id}`,
      headers: bearer(wx),
      payload: { text: `改成${FAKE_RISKY_WORD}` },
    });
    expect(edit.body.error.code).toBe('NEIGHBOR_CONTENT_RISKY');
  });

  it('review publishes and queues for staff; an outage does the same', async () => {
    const reviewed = await createPost(t, wx, { text: `内容${FAKE_REVIEW_WORD}` });
    expect(reviewed.status).toBe('published');
    expect(await casesOf(reviewed.id)).toMatchObject([{ cause: 'content_review', checkLabel: '10001' }]);
    t.wechat.failNext('msg_sec_check', { status: 502, body: 'bad gateway' });
    const down = await createPost(t, wx, { text: '微信挂了的时候发的' });
    expect(await casesOf(down.id)).toMatchObject([{ cause: 'check_unavailable', status: 'open' }]);
    // A token WeChat keeps refusing (40001 twice, after a fresh token) is the same outage.
    t.wechat.failNext('msg_sec_check', 40001, 2);
    const staleToken = await createPost(t, wx, { text: '令牌失效时发的' });
    expect(await casesOf(staleToken.id)).toMatchObject([{ cause: 'check_unavailable' }]);
    const staffNote = await t.deps.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, staff.userId), eq(notifications.kind, 'neighbors.review')));
    expect(staffNote.length).toBeGreaterThanOrEqual(2);
  });
});

describe('WeChat image check', () => {
  const neighborJobs = processorFor('neighbors');
  /** The image-check jobs the outbox holds for a post. */
  const queued = async (postId: string) =>
    (await t.deps.db.select().from(outbox)).filter(
      (r) => r.jobName === 'neighbors.imageCheck' && (r.payload as { postId?: string }).postId === postId,
    );
  let carol: Who;
  beforeAll(async () => {
    carol = await makeMember(t);
  });
  const run = (data: unknown) =>
    neighborJobs.process({ name: 'neighbors.imageCheck', data } as unknown as Job, t.deps);

  it('checks each new photo after the commit: a risky one hides the post for review', async () => {
    const ids = await uploadPhotos(t, carol, 2, 'post');
    const p = await createPost(t, carol, { text: '看看我家的花', imageIds: ids });
    const [job] = await queued(p.id);
    expect(job!.payload).toEqual({ postId: p.id, imageIds: ids });
    const before = t.wechat.calls.img_sec_check;
    await run(job!.payload);
    expect(t.wechat.calls.img_sec_check - before).toBe(2);
    expect((await get(reporters[0]!, `/v1/neighbors/posts/${p.id}`)).status).toBe(200);
    // The second photo, as WeChat receives it (the thumbnail), is registered as risky.
    const raw = await t.app.inject({ method: 'GET', url: `/v1/uploads/${ids[1]}/file?variant=thumb` });
    expect(raw.statusCode).toBe(200);
    t.wechat.markImage(raw.rawPayload);
    await run(job!.payload);
    const [row] = await t.deps.db.select().from(neighborPosts).where(eq(neighborPosts.id, p.id));
    expect(row).toMatchObject({ status: 'hidden', moderationReason: '图片未通过内容安全检查' });
    expect(await casesOf(p.id)).toMatchObject([{ cause: 'content_review', checkLabel: 'image:87014' }]);
    // A replay changes nothing more; a forged job naming photos the post does not show checks nothing.
    await run(job!.payload);
    expect(await casesOf(p.id)).toHaveLength(1);
    const calls = t.wechat.calls.img_sec_check;
    const other = await uploadPhotos(t, carol, 1, 'post');
    await run({ postId: p.id, imageIds: other });
    expect(t.wechat.calls.img_sec_check).toBe(calls);
  });

  it('WeChat down: the post stays up and a review entry opens', async () => {
    const ids = await uploadPhotos(t, carol, 1, 'post');
    const p = await createPost(t, carol, { text: '晚霞', imageIds: ids });
    t.wechat.failNext('img_sec_check', { status: 503, body: 'busy' });
    await run({ postId: p.id, imageIds: ids });
    const [row] = await t.deps.db.select().from(neighborPosts).where(eq(neighborPosts.id, p.id));
    expect(row!.status).toBe('published');
    expect(await casesOf(p.id)).toMatchObject([{ cause: 'check_unavailable', status: 'open' }]);
  });
});
