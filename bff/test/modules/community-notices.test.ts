import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noticeReads, notifications, users } from '../../src/db/schema';
import { type CommunityWorld, communityWorld, outsider, runFanout, type Who } from '../fixtures/community';
import { bearer, TEST_ENV } from '../fixtures/people';
import { UPLOAD_TEST_ENV, uploadDir, uploadPhotos } from '../fixtures/uploads';
import { setupTestApp, type TestApp } from '../helper';

let t: TestApp;
let w: CommunityWorld;
let other: CommunityWorld;
const store = uploadDir();

const publish = (payload: Record<string, unknown>, as: Who = w.staff) =>
  t.call({ method: 'POST', url: '/v1/staff/community/notices', headers: bearer(as), payload });
async function published(title: string, over: Record<string, unknown> = {}) {
  const res = await publish({ title, body: `${title}的正文。`, ...over });
  expect(res.status).toBe(201);
  // Time moves on between notices, so "newest" is well defined.
  t.clock.advance(1000);
  return res.body as { id: string };
}
const open = (who: Who, id: string) =>
  t.call({ method: 'GET', url: `/v1/community/notices/${id}`, headers: bearer(who) });
const staffGet = (id: string) =>
  t.call({ method: 'GET', url: `/v1/staff/community/notices/${id}`, headers: bearer(w.staff) });

beforeAll(async () => {
  t = await setupTestApp({ ...TEST_ENV, ...UPLOAD_TEST_ENV, ...store.env });
  [w, other] = await Promise.all([
    communityWorld(t, { households: 5, perHousehold: 2, tokens: true }),
    communityWorld(t, { households: 1, tokens: true }),
  ]);
  await t.deps.db.update(users).set({ name: '李建国' }).where(eq(users.id, w.members[4]![1]!.userId));
}, 30_000);
afterAll(async () => {
  await t?.close();
  store.cleanup();
});

describe('notices', () => {
  it('lists pinned first, then newest, page by page, with read marks; members hear of each in the inbox', async () => {
    const a = await published('一号通知');
    const pinned = await published('置顶：停水通知', { pinned: true });
    const b = await published('二号通知');
    const c = await published('三号通知');
    // Every member got one inbox line per notice, linking to it.
    await runFanout(t);
    const lines = await t.deps.db
      .select()
      .from(notifications)
      .where(
        and(eq(notifications.userId, w.members[0]![0]!.userId), eq(notifications.kind, 'community.notice')),
      );
    expect(lines).toHaveLength(4);
    expect(lines.map((l) => l.link)).toContain(`/community/notice?id=${pinned.id}`);
    const reader = w.members[0]![0]!;
    expect((await open(reader, b.id)).status).toBe(200);
    const seen: { id: string; readAt: string | null; pinned: boolean }[] = [];
    let cursor: string | null = null;
    do {
      const q: string = cursor ? `?limit=2&cursor=${cursor}` : '?limit=2';
      const page = await t.call({ method: 'GET', url: `/v1/community/notices${q}`, headers: bearer(reader) });
      expect(page.status).toBe(200);
      seen.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen.map((n) => n.id)).toEqual([pinned.id, c.id, b.id, a.id]);
    expect(seen.map((n) => n.readAt !== null)).toEqual([false, false, true, false]);
    // Unpinning puts it back in time order.
    const unpin = await t.call({
      method: 'POST',
      url: `/v1/staff/community/notices/${pinned.id}/pin`,
      headers: bearer(w.staff),
      payload: { pinned: false },
    });
    expect(unpin.status).toBe(200);
    const after = await t.call({ method: 'GET', url: '/v1/community/notices', headers: bearer(reader) });
    expect(after.body.items.map((n: { id: string }) => n.id)).toEqual([c.id, b.id, pinned.id, a.id]);
    const bad = await t.call({
      method: 'GET',
      url: '/v1/community/notices?cursor=bm9wZQ',
      headers: bearer(reader),
    });
    expect(bad.status).toBe(400);
  });

  it('shows its photos (uploads made for a notice, each usable once) to members', async () => {
    const ids = await uploadPhotos(t, w.staff, 2, 'notice');
    const n = await published('小区绿化改造效果图', { imageIds: ids });
    const seen = await open(w.members[0]![0]!, n.id);
    expect(seen.body.images.map((i: { id: string }) => i.id)).toEqual(ids);
    expect(seen.body.images[0].url).toMatch(/^\//);
    const list = await t.call({
      method: 'GET',
      url: '/v1/community/notices',
      headers: bearer(w.members[0]![0]!),
    });
    const item = list.body.items.find((x: { id: string }) => x.id === n.id);
    expect(item).toMatchObject({ imageCount: 2 });
    expect(item.thumbUrl).toBeTruthy();
    // The same photos cannot illustrate a second notice; a refund photo cannot illustrate any.
    const again = await publish({ title: '再发一次', body: '正文', imageIds: [ids[0]] });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('UPLOAD_NOT_AVAILABLE');
    const refundPhoto = await uploadPhotos(t, w.staff, 1, 'refund');
    expect((await publish({ title: '错用途', body: '正文', imageIds: refundPhoto })).status).toBe(409);
  });

  it('records a read once under a double tap, and staff see the read rate by person and household', async () => {
    const n = await published('燃气安全检查');
    const [a, b] = w.members[0]!;
    // The same person opening it on two devices at once: one receipt.
    const both = await Promise.all([open(a!, n.id), open(a!, n.id), open(a!, n.id)]);
    expect(both.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(new Set(both.map((r) => r.body.readAt)).size).toBe(1);
    const rows = await t.deps.db.select().from(noticeReads).where(eq(noticeReads.noticeId, n.id));
    expect(rows).toHaveLength(1);
    await open(b!, n.id);
    await open(w.members[1]![0]!, n.id);
    const stats = (await staffGet(n.id)).body.stats;
    // 10 members in 5 households; 3 read, in 2 households.
    expect(stats).toEqual({ members: 10, read: 3, rate: 0.3, households: 5, householdsRead: 2 });
    const unread = await t.call({
      method: 'GET',
      url: `/v1/staff/community/notices/${n.id}/unread?limit=5`,
      headers: bearer(w.staff),
    });
    expect(unread.status).toBe(200);
    expect(unread.body.items).toHaveLength(5);
    const rest = await t.call({
      method: 'GET',
      url: `/v1/staff/community/notices/${n.id}/unread?limit=5&cursor=${unread.body.nextCursor}`,
      headers: bearer(w.staff),
    });
    expect(rest.body.items).toHaveLength(2);
    expect(rest.body.nextCursor).toBeNull();
    const names = [...unread.body.items, ...rest.body.items].map((u: { name: string }) => u.name);
    expect(names).toContain('李**');
    expect(names.join('')).not.toContain('建国');
    expect(unread.body.items[0].address).toContain('1栋');
  });

  it('edits and withdraws: a withdrawn notice leaves the list and cannot be changed', async () => {
    const [photoId] = await uploadPhotos(t, w.staff, 1, 'notice');
    const n = await published('春节值班安排', { imageIds: [photoId] });
    const photoUrl: string = (await open(w.members[2]![0]!, n.id)).body.images[0].url;
    const served = () => t.app.inject({ method: 'GET', url: photoUrl }).then((r) => r.statusCode);
    expect(await served()).toBe(200);
    const edit = await t.call({
      method: 'PATCH',
      url: `/v1/staff/community/notices/${n.id}`,
      headers: bearer(w.staff),
      payload: { body: '更新后的值班表' },
    });
    expect(edit.status).toBe(200);
    expect(edit.body.body).toBe('更新后的值班表');
    expect(edit.body.editedAt).not.toBeNull();
    for (const payload of [{}, { title: '' }, { body: 'x'.repeat(5001) }, { imageIds: ['nope'] }]) {
      const bad = await t.call({
        method: 'PATCH',
        url: `/v1/staff/community/notices/${n.id}`,
        headers: bearer(w.staff),
        payload,
      });
      expect(bad.status).toBe(400);
    }
    // Someone else's (or no) upload cannot be attached.
    const stolen = await t.call({
      method: 'PATCH',
      url: `/v1/staff/community/notices/${n.id}`,
      headers: bearer(w.staff),
      payload: { imageIds: ['0190aaaa-0000-7000-8000-000000000001'] },
    });
    expect(stolen.status).toBe(409);
    expect(stolen.body.error.code).toBe('UPLOAD_NOT_AVAILABLE');
    const withdrawn = await Promise.all(
      [1, 2].map(() =>
        t.call({
          method: 'POST',
          url: `/v1/staff/community/notices/${n.id}/withdraw`,
          headers: bearer(w.staff),
          payload: {},
        }),
      ),
    );
    expect(withdrawn.map((r) => r.status)).toEqual([200, 200]);
    expect(withdrawn[0]!.body.withdrawnAt).toBe(withdrawn[1]!.body.withdrawnAt);
    // Its photo is no longer served to anyone.
    expect(await served()).toBe(404);
    const list = await t.call({
      method: 'GET',
      url: '/v1/community/notices?limit=100',
      headers: bearer(w.members[2]![0]!),
    });
    expect(list.body.items.map((x: { id: string }) => x.id)).not.toContain(n.id);
    const gone = await open(w.members[2]![0]!, n.id);
    expect(gone.status).toBe(409);
    expect(gone.body.error.code).toBe('NOTICE_WITHDRAWN');
    const pin = await t.call({
      method: 'POST',
      url: `/v1/staff/community/notices/${n.id}/pin`,
      headers: bearer(w.staff),
      payload: { pinned: true },
    });
    expect(pin.status).toBe(409);
  });

  it('refuses hostile input and keeps notices to their community', async () => {
    for (const payload of [
      { title: '', body: 'x' },
      { title: 't', body: '' },
      { title: 't'.repeat(61), body: 'x' },
      {
        title: 't',
        body: 'x',
        imageIds: Array.from({ length: 10 }, () => '0190aaaa-0000-7000-8000-000000000001'),
      },
      { title: 't', body: 'x', pinned: 'yes' },
      { title: 't', body: 'x', html: '<b>' },
    ]) {
      const r = await publish(payload);
      expect(r.status, JSON.stringify(payload)).toBe(400);
    }
    // Text is stored as given (the app renders text, never HTML).
    const xss = await published('<script>alert(1)</script>', { body: '<img src=x onerror=alert(1)>' });
    const seen = await open(w.members[3]![0]!, xss.id);
    expect(seen.body.title).toBe('<script>alert(1)</script>');

    const nobody = await outsider(t);
    expect(
      (await t.call({ method: 'GET', url: '/v1/community/notices', headers: bearer(nobody) })).status,
    ).toBe(403);
    for (const who of [nobody, other.members[0]![0]!]) expect((await open(who, xss.id)).status).toBe(404);
    const foreign = await t.call({
      method: 'GET',
      url: `/v1/staff/community/notices/${xss.id}`,
      headers: bearer(other.staff),
    });
    expect(foreign.status).toBe(404);
    const residentPublish = await publish({ title: 't', body: 'x' }, w.members[0]![0]!);
    expect(residentPublish.status).toBe(403);
    const [{ n }] = (await t.deps.db.execute(
      sql`SELECT count(*)::int AS n FROM community_notice_reads WHERE user_id = ${other.members[0]![0]!.userId}`,
    )) as unknown as [{ n: number }];
    expect(n).toBe(0);
  });
});
