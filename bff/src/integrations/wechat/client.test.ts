import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createWechatClient, isRetryableWechatError, WechatError, wechatErrorToHttp } from './client';
import {
  FAKE_REVIEW_WORD,
  FAKE_RISKY_IMAGE_MARKER,
  FAKE_RISKY_WORD,
  type FakeWechat,
  startFakeWechat,
} from './fake-server';

let fake: FakeWechat;
beforeAll(async () => {
  fake = await startFakeWechat();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const client = (over: Partial<Parameters<typeof createWechatClient>[0]> = {}) =>
  createWechatClient({ baseUrl: fake.url, appid: fake.appid, secret: fake.secret, ...over });

async function caught(p: Promise<unknown>): Promise<WechatError> {
  const e = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(e).toBeInstanceOf(WechatError);
  return e as WechatError;
}

const message = (openid = 'o_user_1') => ({
  openid,
  templateId: 'tpl_parcel',
  page: 'pages/index/index',
  data: { thing1: { value: 'Parcel arrived' }, time2: { value: '2025-01-01 10:00' } },
});

describe('code2Session', () => {
  it('maps dev:<x> codes to a stable openid, reusable', async () => {
    const c = client();
    const a = await c.code2Session('dev:alice');
    const b = await c.code2Session('dev:alice');
    expect(a.openid).toBe('o_dev_alice');
    expect(b).toEqual(a);
    expect(a.sessionKey).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(a.unionid).toBeUndefined();
  });

  it('accepts other codes once (40163 on reuse) with an openid derived from the code', async () => {
    const c = client();
    const first = await c.code2Session('081abcXYZ');
    expect(first.openid).toMatch(/^o[\w-]{27}$/);
    const again = await caught(c.code2Session('081abcXYZ'));
    expect(again).toMatchObject({ kind: 'invalid_code', errcode: 40163 });
    fake.reset();
    expect((await c.code2Session('081abcXYZ')).openid).toBe(first.openid);
  });

  it('returns registered identities including unionid', async () => {
    fake.registerCode('c1', { openid: 'o_reg', unionid: 'u_reg', sessionKey: 'c2Vzc2lvbg==' });
    expect(await client().code2Session('c1')).toEqual({
      openid: 'o_reg',
      unionid: 'u_reg',
      sessionKey: 'c2Vzc2lvbg==',
    });
  });

  it.each([
    [40029, 'invalid_code', 400, 'WECHAT_CODE_INVALID'],
    [40163, 'invalid_code', 400, 'WECHAT_CODE_INVALID'],
    [45011, 'rate_limited', 429, 'WECHAT_RATE_LIMITED'],
    [40226, 'blocked_user', 403, 'WECHAT_USER_BLOCKED'],
    [-1, 'upstream', 502, 'WECHAT_UNAVAILABLE'],
    [41008, 'bad_request', 502, 'WECHAT_REJECTED'],
  ] as const)('errcode %i -> %s -> HTTP %i %s', async (errcode, kind, status, code) => {
    fake.failNext('jscode2session', errcode);
    const e = await caught(client().code2Session('dev:x'));
    expect(e.kind).toBe(kind);
    expect(e.errcode).toBe(errcode);
    expect(e.errmsg).toBeTruthy();
    expect(wechatErrorToHttp(e)).toMatchObject({ status, code });
    expect(wechatErrorToHttp(e).message).toMatch(/^[\x20-\x7e]+$/);
    // An injected failure does not burn the code.
    expect((await client().code2Session('dev:x')).openid).toBe('o_dev_x');
  });

  it('answers 40029 for invalid:<x> codes and 40013/40125 for wrong credentials (as upstream)', async () => {
    expect(await caught(client().code2Session('invalid:zzz'))).toMatchObject({
      kind: 'invalid_code',
      errcode: 40029,
    });
    expect(await caught(client({ appid: 'wx-other' }).code2Session('dev:a'))).toMatchObject({
      kind: 'upstream',
      errcode: 40013,
    });
    expect(await caught(client({ secret: 'nope' }).code2Session('dev:a'))).toMatchObject({
      kind: 'upstream',
      errcode: 40125,
    });
  });

  it('treats 5xx, non-JSON and refused connections as upstream', async () => {
    fake.failNext('jscode2session', { status: 503, body: '<html>busy</html>' });
    expect(await caught(client().code2Session('dev:a'))).toMatchObject({ kind: 'upstream', errcode: -1 });
    fake.failNext('jscode2session', { status: 200, body: 'not json' });
    expect((await caught(client().code2Session('dev:a'))).errmsg).toMatch(/non-JSON/);
    const dead = createWechatClient({ baseUrl: 'http://127.0.0.1:1', appid: 'a', secret: 's' });
    const e = await caught(dead.code2Session('dev:a'));
    expect(e.kind).toBe('upstream');
    expect(isRetryableWechatError(e)).toBe(true);
  });

  it('times out via AbortSignal', async () => {
    fake.failNext('jscode2session', { delayMs: 2000 });
    const started = Date.now();
    const e = await caught(client({ timeoutMs: 150 }).code2Session('dev:a'));
    expect(e).toMatchObject({ kind: 'upstream', errcode: -1 });
    expect(e.errmsg).toMatch(/timed out after 150 ms/);
    expect(Date.now() - started).toBeLessThan(1500);
  });
});

describe('access token', () => {
  it.each(['stable', 'classic'] as const)('%s: one token request for N concurrent sends', async (mode) => {
    const c = client({ tokenMode: mode });
    await Promise.all(Array.from({ length: 10 }, (_, i) => c.sendSubscribeMessage(message(`o_${i}`))));
    await c.sendSubscribeMessage(message());
    expect(fake.calls.subscribe_send).toBe(11);
    expect(fake.calls.stable_token + fake.calls.token).toBe(1);
    expect(mode === 'stable' ? fake.calls.stable_token : fake.calls.token).toBe(1);
    expect(fake.sent).toHaveLength(11);
    expect(fake.sent[10]).toMatchObject({
      touser: 'o_user_1',
      template_id: 'tpl_parcel',
      page: 'pages/index/index',
      data: { thing1: { value: 'Parcel arrived' } },
    });
  });

  it('refreshes shortly before expiry', async () => {
    let clock = 1_000_000;
    const c = client({ now: () => clock, tokenRefreshMarginSeconds: 300 });
    const t1 = await c.getAccessToken();
    clock += (7200 - 310) * 1000;
    expect(await c.getAccessToken()).toBe(t1);
    clock += 20_000;
    fake.invalidateTokens(); // the fake's stable token would otherwise still be handed out
    expect(await c.getAccessToken()).not.toBe(t1);
    expect(fake.calls.stable_token).toBe(2);
  });

  it('on 40001 fetches a fresh token and retries the send once', async () => {
    const c = client({ tokenMode: 'classic' });
    await c.sendSubscribeMessage(message());
    fake.invalidateTokens();
    await c.sendSubscribeMessage(message());
    expect(fake.calls.token).toBe(2);
    expect(fake.calls.subscribe_send).toBe(3);
    expect(fake.sent).toHaveLength(2);
    expect(fake.sent[1]!.accessToken).not.toBe(fake.sent[0]!.accessToken);
  });

  it('retries on 42001 too, but only once', async () => {
    const c = client();
    fake.failNext('subscribe_send', 42001);
    await c.sendSubscribeMessage(message());
    expect(fake.calls.subscribe_send).toBe(2);
    fake.failNext('subscribe_send', 40001, 2);
    expect(await caught(c.sendSubscribeMessage(message()))).toMatchObject({
      kind: 'upstream',
      errcode: 40001,
    });
    expect(fake.calls.subscribe_send).toBe(4);
  });

  it('reports token failures as WechatError', async () => {
    fake.failNext('stable_token', 45011);
    expect(await caught(client().sendSubscribeMessage(message()))).toMatchObject({ kind: 'rate_limited' });
    expect(await caught(client({ secret: 'bad' }).getAccessToken())).toMatchObject({
      kind: 'upstream',
      errcode: 40125,
    });
    expect(fake.calls.subscribe_send).toBe(0);
  });
});

describe('sendSubscribeMessage', () => {
  it('maps 43101 to no_subscription', async () => {
    fake.refuseSubscription('o_nosub', 'tpl_parcel');
    const e = await caught(client().sendSubscribeMessage(message('o_nosub')));
    expect(e).toMatchObject({ kind: 'no_subscription', errcode: 43101 });
    expect(wechatErrorToHttp(e).status).toBe(409);
    expect(isRetryableWechatError(e)).toBe(false);
    await client().sendSubscribeMessage({ ...message('o_nosub'), templateId: 'tpl_other' });
  });

  it('maps 47003 (invalid template data) to bad_request', async () => {
    const e = await caught(client().sendSubscribeMessage({ ...message(), data: { thing1: { value: '' } } }));
    expect(e).toMatchObject({ kind: 'bad_request', errcode: 47003 });
    expect(e.errmsg).toMatch(/data\.thing1\.value/);
    expect(wechatErrorToHttp(e)).toMatchObject({ status: 502, code: 'WECHAT_REJECTED' });
  });

  it('sends miniprogram_state and lang', async () => {
    await client({ miniprogramState: 'developer' }).sendSubscribeMessage({ ...message(), lang: 'en_US' });
    expect(fake.sent[0]).toMatchObject({ miniprogram_state: 'developer', lang: 'en_US' });
  });
});

describe('content security', () => {
  const text = (content: string, openid = 'o_user_1') => ({ content, openid, scene: 3 as const });

  it('msgSecCheck v2: pass, review and risky by the fake’s words, with WeChat’s labels', async () => {
    const c = client();
    expect(await c.msgSecCheck(text('今天天气不错'))).toEqual({ suggest: 'pass', label: 100 });
    expect(await c.msgSecCheck(text(`有${FAKE_REVIEW_WORD}`))).toEqual({ suggest: 'review', label: 10001 });
    expect(await c.msgSecCheck(text(`有${FAKE_RISKY_WORD}`))).toEqual({ suggest: 'risky', label: 20001 });
    fake.markText('赌博', 'risky', 20006);
    expect(await c.msgSecCheck(text('网上赌博'))).toEqual({ suggest: 'risky', label: 20006 });
    expect(fake.textChecks[0]).toEqual({ content: '今天天气不错', scene: 3, openid: 'o_user_1', version: 2 });
  });

  it('answers the documented errcodes: 44004 empty, 40003 bad openid, 40001 bad token, 87014 in v1', async () => {
    expect(await caught(client().msgSecCheck(text('  ')))).toMatchObject({
      kind: 'bad_request',
      errcode: 44004,
    });
    expect(await caught(client().msgSecCheck(text('hi', 'nope')))).toMatchObject({
      kind: 'bad_request',
      errcode: 40003,
    });
    // A stale token is replaced once; refused twice, WeChat is unusable for us (not the user's fault).
    fake.failNext('msg_sec_check', 40001, 2);
    expect(await caught(client().msgSecCheck(text('hi')))).toMatchObject({
      kind: 'upstream',
      errcode: 40001,
    });
    fake.failNext('msg_sec_check', 40001);
    expect(await client().msgSecCheck(text('hi'))).toEqual({ suggest: 'pass', label: 100 });
    const v1 = await fetch(`${fake.url}/wxa/msg_sec_check?access_token=${await client().getAccessToken()}`, {
      method: 'POST',
      body: JSON.stringify({ content: FAKE_RISKY_WORD }),
    });
    expect(await v1.json()).toMatchObject({ errcode: 87014 });
    const noToken = await fetch(`${fake.url}/wxa/msg_sec_check?access_token=forged`, {
      method: 'POST',
      body: JSON.stringify({ content: 'x', version: 2, scene: 3, openid: 'o_user_1' }),
    });
    expect(await noToken.json()).toMatchObject({ errcode: 40001 });
  });

  it('an unreachable or failing WeChat is an upstream error', async () => {
    fake.failNext('msg_sec_check', { status: 502, body: 'bad gateway' });
    expect(await caught(client().msgSecCheck(text('hi')))).toMatchObject({ kind: 'upstream' });
    const dead = createWechatClient({ baseUrl: 'http://127.0.0.1:1', appid: 'a', secret: 's' });
    expect(await caught(dead.msgSecCheck(text('hi')))).toMatchObject({ kind: 'upstream' });
  });

  it('imgSecCheck sends the image as multipart media: 87014 is risky', async () => {
    const c = client();
    const plain = Buffer.from('\xff\xd8 an ordinary photo');
    expect(await c.imgSecCheck({ data: plain, contentType: 'image/jpeg' })).toEqual({
      suggest: 'pass',
      label: 100,
    });
    const marked = Buffer.concat([plain, Buffer.from(FAKE_RISKY_IMAGE_MARKER)]);
    expect((await c.imgSecCheck({ data: marked, contentType: 'image/jpeg' })).suggest).toBe('risky');
    const other = Buffer.from('another photo');
    fake.markImage(other);
    expect((await c.imgSecCheck({ data: other, contentType: 'image/jpeg' })).suggest).toBe('risky');
    const empty = await fetch(`${fake.url}/wxa/img_sec_check?access_token=${await c.getAccessToken()}`, {
      method: 'POST',
      body: new FormData(),
    });
    expect(await empty.json()).toMatchObject({ errcode: 41005 });
  });
});
