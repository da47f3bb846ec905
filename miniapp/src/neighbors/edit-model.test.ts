import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/errors';
import {
  type DraftImage,
  draftImages,
  editorProblems,
  fromDraft,
  imageIds,
  queued,
  retrying,
  roomForImages,
  serverFieldErrors,
  settled,
  textCount,
  toDraft,
  uploadProgress,
} from './edit-model';

const trusted = { maxImages: 9, linksAllowed: true };
const newcomer = { maxImages: 3, linksAllowed: false };
const done = (n: number): DraftImage[] =>
  Array.from({ length: n }, (_, i) => ({
    key: `u${i}`,
    status: 'done',
    uploadId: `u${i}`,
    thumbUrl: `/t${i}`,
    url: `/i${i}`,
  }));
const values = (over: Partial<Parameters<typeof editorProblems>[0]> = {}) => ({
  topic: 'pets',
  text: '小区里捡到一只橘猫',
  images: [] as DraftImage[],
  merchantId: null,
  ...over,
});

describe('editorProblems', () => {
  it('lets a complete post go', () => {
    expect(editorProblems(values(), trusted, 'recommend')).toEqual({});
  });

  it('asks for a topic and some words, and counts code points against 1,000', () => {
    expect(editorProblems(values({ topic: null, text: '  ' }), trusted, 'recommend')).toEqual({
      topic: '请选择一个话题',
      text: '请写点内容再发布',
    });
    // 1,000 emoji are 2,000 UTF-16 units but 1,000 characters: allowed.
    expect(editorProblems(values({ text: '😀'.repeat(1000) }), trusted, 'recommend')).toEqual({});
    expect(editorProblems(values({ text: '字'.repeat(1001) }), trusted, 'recommend').text).toBe(
      '最多 1000 字，请删减一些',
    );
    expect(textCount('😀'.repeat(1001))).toEqual({ used: 1001, over: true, label: '1001/1000' });
    // The title has its own, shorter cap and its own counter.
    expect(textCount('捡到钥匙', 40)).toEqual({ used: 4, over: false, label: '4/40' });
  });

  it('explains the new-member limits before the server refuses', () => {
    const p = editorProblems(
      values({ text: '看这里 www.example.com', images: done(4) }),
      newcomer,
      'recommend',
    );
    expect(p.text).toMatch(/新成员暂时不能发链接/);
    expect(p.images).toMatch(/新成员每条最多 3 张照片/);
    // The same post from a member of good standing is fine.
    expect(
      editorProblems(values({ text: '看这里 www.example.com', images: done(4) }), trusted, 'recommend'),
    ).toEqual({});
    // Full-width link characters count too (the shared rule normalises them).
    expect(editorProblems(values({ text: 'ｗｗｗ．abc．com' }), newcomer, 'recommend').text).toMatch(/链接/);
  });

  it('waits for photos still uploading, and names a failed one', () => {
    expect(editorProblems(values({ images: queued(['a']) }), trusted, 'recommend').images).toBe(
      '照片还在上传，请稍候',
    );
    const failed = settled(queued(['a']), 'a', { ok: false, error: '网络连接失败' });
    expect(editorProblems(values({ images: failed }), trusted, 'recommend').images).toMatch(/重试/);
  });

  it('asks a 推荐 post for the shop it recommends', () => {
    expect(editorProblems(values({ topic: 'recommend' }), trusted, 'recommend').merchant).toBe(
      '推荐动态请选择要推荐的商家',
    );
    expect(editorProblems(values({ topic: 'recommend', merchantId: 'm1' }), trusted, 'recommend')).toEqual(
      {},
    );
  });
});

describe('the photo queue', () => {
  it('uploads, fails, retries and keeps the order for sending', () => {
    let imgs = [...done(1), ...queued(['p1', 'p2'])];
    expect(uploadProgress(imgs)).toBe('照片上传中 1/3');
    imgs = settled(imgs, 'p1', { ok: true, id: 'x1', thumbUrl: '/tx1', url: '/x1' });
    imgs = settled(imgs, 'p2', { ok: false, error: '网络连接失败' });
    expect(uploadProgress(imgs)).toBeNull();
    expect(imgs[2]).toMatchObject({ status: 'failed', path: 'p2', error: '网络连接失败' });
    imgs = retrying(imgs, 'p2');
    expect(imgs[2]).toMatchObject({ status: 'uploading', path: 'p2', error: undefined });
    imgs = settled(imgs, 'p2', { ok: true, id: 'x2', thumbUrl: '/tx2', url: '/x2' });
    expect(imageIds(imgs)).toEqual(['u0', 'x1', 'x2']);
  });

  it('offers only the room left under the member’s limit', () => {
    expect(roomForImages(done(2), newcomer)).toBe(1);
    expect(roomForImages(done(4), newcomer)).toBe(0);
    expect(roomForImages(done(2), trusted)).toBe(7);
  });
});

describe('drafts', () => {
  it('keep the words, topic, shop and uploaded photos; not the ones still local', () => {
    const imgs = [...done(1), ...queued(['local'])];
    const d = toDraft(values({ topic: 'recommend', merchantId: 'm1', images: imgs }), '邻里快修');
    expect(d).toEqual({
      topic: 'recommend',
      text: '小区里捡到一只橘猫',
      merchantId: 'm1',
      merchantName: '邻里快修',
      images: [{ uploadId: 'u0', thumbUrl: '/t0', url: '/i0' }],
    });
    const back = fromDraft(JSON.parse(JSON.stringify(d)));
    expect(back).toEqual(d);
    expect(draftImages(back!)).toEqual(done(1));
  });

  it('ignore empty or damaged storage', () => {
    expect(fromDraft(null)).toBeNull();
    expect(fromDraft('text')).toBeNull();
    expect(fromDraft({ text: '  ', images: [] })).toBeNull();
    expect(fromDraft({ text: '有字', images: [{ uploadId: 1 }], topic: 5 })).toEqual({
      topic: null,
      text: '有字',
      merchantId: null,
      merchantName: null,
      images: [],
    });
  });
});

describe('serverFieldErrors', () => {
  const refusal = (code: string, details: { path: string; message: string }[] = []) =>
    new ApiError({ code, message: 'refused', status: 400, details });

  it('puts the trust rules, the word list and the content check on their fields', () => {
    expect(Object.keys(serverFieldErrors(refusal('NEIGHBOR_LINKS_NOT_ALLOWED')))).toEqual(['text']);
    expect(Object.keys(serverFieldErrors(refusal('NEIGHBOR_TOO_MANY_IMAGES')))).toEqual(['images']);
    expect(Object.keys(serverFieldErrors(refusal('UPLOAD_NOT_AVAILABLE')))).toEqual(['images']);
    expect(Object.keys(serverFieldErrors(refusal('NEIGHBOR_MERCHANT_NOT_LISTED')))).toEqual(['merchant']);
    const word = serverFieldErrors(
      refusal('NEIGHBOR_SENSITIVE_WORD', [{ path: 'body.text', message: 'contains "代开发票"' }]),
    );
    expect(word.text).toMatch(/“代开发票”/);
  });

  it('maps each bad field of a VALIDATION_FAILED, and the rest to the form', () => {
    expect(
      serverFieldErrors(
        refusal('VALIDATION_FAILED', [
          { path: 'body.text', message: 'must be at most 1000 characters' },
          { path: 'body.imageIds.9', message: 'at most 9 images' },
        ]),
      ),
    ).toEqual({ text: '正文需要 1 到 1000 字', images: '最多 9 张照片，且不能重复' });
    expect(Object.keys(serverFieldErrors(refusal('NEIGHBOR_RATE_LIMITED')))).toEqual(['form']);
    expect(serverFieldErrors(new Error('断网了'))).toEqual({ form: '断网了' });
  });
});
