/**
 * Client for the WeChat mini-program server APIs Linli uses: code2Session for login,
 * subscribeMessage.send for notifications, and content security (msgSecCheck v2 for text,
 * imgSecCheck for images) before neighbours' posts are published, with the access token cached
 * per process.
 */
import { kindForErrcode, TRANSPORT_ERRCODE, WechatError } from './errors';

export {
  isRetryableWechatError,
  WechatError,
  type WechatErrorKind,
  type WechatHttpError,
  wechatErrorToHttp,
} from './errors';

export interface WechatClientOptions {
  /** https://api.weixin.qq.com in production; the fake server's url in dev and tests. */
  baseUrl: string;
  appid: string;
  secret: string;
  fetch?: typeof fetch;
  /** Per request, including reading the body. */
  timeoutMs?: number;
  /** Refresh this long before WeChat's expiry, so a token never dies between check and use. */
  tokenRefreshMarginSeconds?: number;
  /**
   * 'stable' (getStableAccessToken, default) hands every process the same token, so the server and
   * the worker don't invalidate each other's; 'classic' (/cgi-bin/token) issues a new one per call.
   */
  tokenMode?: 'stable' | 'classic';
  /** Sent as miniprogram_state unless a message says otherwise (WeChat defaults to 'formal'). */
  miniprogramState?: 'developer' | 'trial' | 'formal';
  now?: () => number;
}

export interface WechatSession {
  openid: string;
  unionid?: string;
  sessionKey: string;
}

export interface SubscribeMessage {
  openid: string;
  templateId: string;
  page?: string;
  /** Template fields, e.g. { thing1: { value: 'Parcel arrived' } }. */
  data: Record<string, { value: string | number }>;
  miniprogramState?: 'developer' | 'trial' | 'formal';
  lang?: 'zh_CN' | 'en_US' | 'zh_HK' | 'zh_TW';
}

/** msgSecCheck v2's scenes: 1 profile, 2 comment, 3 forum post, 4 social log. */
export type SecCheckScene = 1 | 2 | 3 | 4;

export interface SecCheckVerdict {
  suggest: 'pass' | 'review' | 'risky';
  /** WeChat's label: 100 normal, 10001 ads, 20001 politics, 20002 porn, 20003 abuse, 20006 crime, 20008 fraud, 20012 vulgar, 20013 copyright, 21000 other. */
  label: number;
}

export interface WechatClient {
  code2Session(code: string): Promise<WechatSession>;
  sendSubscribeMessage(message: SubscribeMessage): Promise<void>;
  /**
   * Content security for text (msgSecCheck v2). The openid is the author's (WeChat requires
   * someone who used the mini-program recently). A v1-style errcode 87014 reads as risky.
   */
  msgSecCheck(input: {
    content: string;
    openid: string;
    scene: SecCheckScene;
    title?: string;
  }): Promise<SecCheckVerdict>;
  /** Content security for one image (the synchronous imgSecCheck, multipart `media`): 87014 is risky. */
  imgSecCheck(image: { data: Buffer; contentType: string }): Promise<SecCheckVerdict>;
  /** A valid access token, from cache when possible. */
  getAccessToken(): Promise<string>;
}

/** errcodes meaning "this token is no longer good": fetch another and try once more. */
const STALE_TOKEN_ERRCODES = new Set([40001, 40014, 42001]);
/** Content security's "risky content" (v1 style, and the image check). */
const RISKY_ERRCODE = 87014;

type WechatJson = Record<string, unknown> & { errcode?: number; errmsg?: string };

export function createWechatClient(opts: WechatClientOptions): WechatClient {
  const doFetch = opts.fetch ?? globalThis.fetch;
  const timeoutMs = opts.timeoutMs ?? 5000;
  const marginMs = (opts.tokenRefreshMarginSeconds ?? 300) * 1000;
  const now = opts.now ?? Date.now;
  const base = opts.baseUrl.replace(/\/+$/, '');

  /** One HTTP exchange; every failure to get a JSON object becomes an 'upstream' WechatError. */
  async function call(path: string, query: Record<string, string>, body?: unknown): Promise<WechatJson> {
    const url = `${base}${path}?${new URLSearchParams(query)}`;
    // A FormData body (imgSecCheck's multipart) sets its own content type with the boundary.
    const form = body instanceof FormData;
    let res: Response;
    let text: string;
    try {
      res = await doFetch(url, {
        method: body === undefined ? 'GET' : 'POST',
        headers: body === undefined || form ? undefined : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : form ? body : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await res.text();
    } catch (e) {
      const timedOut = e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError');
      const msg = timedOut ? `timed out after ${timeoutMs} ms` : `request failed: ${(e as Error).message}`;
      throw new WechatError('upstream', TRANSPORT_ERRCODE, `${path} ${msg}`, { cause: e });
    }
    if (res.status >= 500)
      throw new WechatError('upstream', TRANSPORT_ERRCODE, `${path} answered HTTP ${res.status}`);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new WechatError('upstream', TRANSPORT_ERRCODE, `${path} answered non-JSON (HTTP ${res.status})`);
    }
    if (!json || typeof json !== 'object' || Array.isArray(json))
      throw new WechatError('upstream', TRANSPORT_ERRCODE, `${path} answered an unexpected body`);
    return json as WechatJson;
  }

  function throwIfError(json: WechatJson): void {
    const errcode = typeof json.errcode === 'number' ? json.errcode : 0;
    if (errcode !== 0) throw new WechatError(kindForErrcode(errcode), errcode, String(json.errmsg ?? ''));
  }

  let cached: { token: string; refreshAt: number } | null = null;
  let inflight: Promise<string> | null = null;

  async function fetchToken(): Promise<string> {
    const json =
      opts.tokenMode === 'classic'
        ? await call('/cgi-bin/token', {
            grant_type: 'client_credential',
            appid: opts.appid,
            secret: opts.secret,
          })
        : await call(
            '/cgi-bin/stable_token',
            {},
            { grant_type: 'client_credential', appid: opts.appid, secret: opts.secret },
          );
    throwIfError(json);
    const { access_token: token, expires_in: expiresIn } = json;
    if (typeof token !== 'string' || typeof expiresIn !== 'number')
      throw new WechatError('upstream', TRANSPORT_ERRCODE, 'token response lacks access_token/expires_in');
    // Never cache for less than zero: a short-lived token is still used once, just not cached.
    cached = { token, refreshAt: now() + Math.max(0, expiresIn * 1000 - marginMs) };
    return token;
  }

  function getAccessToken(): Promise<string> {
    if (cached && now() < cached.refreshAt) return Promise.resolve(cached.token);
    // Concurrent callers share one refresh instead of each asking WeChat (and evicting each other).
    inflight ??= fetchToken().finally(() => {
      inflight = null;
    });
    return inflight;
  }

  /** Drop the token only if it is still the cached one: a newer token may have arrived meanwhile. */
  function discard(token: string): void {
    if (cached?.token === token) cached = null;
  }

  async function code2Session(code: string): Promise<WechatSession> {
    const json = await call('/sns/jscode2session', {
      appid: opts.appid,
      secret: opts.secret,
      js_code: code,
      grant_type: 'authorization_code',
    });
    throwIfError(json);
    const { openid, unionid, session_key: sessionKey } = json;
    if (typeof openid !== 'string' || !openid || typeof sessionKey !== 'string')
      throw new WechatError(
        'upstream',
        TRANSPORT_ERRCODE,
        'jscode2session response lacks openid/session_key',
      );
    return typeof unionid === 'string' && unionid ? { openid, unionid, sessionKey } : { openid, sessionKey };
  }

  /** A call that carries the access token: a stale token is replaced and the call made once more. */
  async function callWithToken(path: string, body: () => unknown): Promise<WechatJson> {
    const send = async (token: string) => call(path, { access_token: token }, body());
    const token = await getAccessToken();
    let json = await send(token);
    if (typeof json.errcode === 'number' && STALE_TOKEN_ERRCODES.has(json.errcode)) {
      discard(token);
      json = await send(await getAccessToken());
      // A second stale answer means our token source itself is broken: not the caller's fault.
      if (typeof json.errcode === 'number' && STALE_TOKEN_ERRCODES.has(json.errcode))
        throw new WechatError('upstream', json.errcode, String(json.errmsg ?? ''));
    }
    return json;
  }

  async function sendSubscribeMessage(message: SubscribeMessage): Promise<void> {
    const body = {
      touser: message.openid,
      template_id: message.templateId,
      page: message.page,
      data: message.data,
      miniprogram_state: message.miniprogramState ?? opts.miniprogramState,
      lang: message.lang,
    };
    throwIfError(await callWithToken('/cgi-bin/message/subscribe/send', () => body));
  }

  /** 87014 ("risky content") is an answer, not a failure: both checks report it as a verdict. */
  function verdictOf(json: WechatJson): SecCheckVerdict {
    if (json.errcode === RISKY_ERRCODE) return { suggest: 'risky', label: 21000 };
    throwIfError(json);
    const result = json.result as { suggest?: unknown; label?: unknown } | undefined;
    if (result === undefined) return { suggest: 'pass', label: 100 };
    const { suggest, label } = result;
    if (suggest !== 'pass' && suggest !== 'review' && suggest !== 'risky')
      throw new WechatError('upstream', TRANSPORT_ERRCODE, 'msg_sec_check answered without a suggestion');
    return { suggest, label: typeof label === 'number' ? label : Number(label) || 0 };
  }

  async function msgSecCheck(input: {
    content: string;
    openid: string;
    scene: SecCheckScene;
    title?: string;
  }): Promise<SecCheckVerdict> {
    const body = {
      content: input.content,
      version: 2,
      scene: input.scene,
      openid: input.openid,
      title: input.title,
    };
    return verdictOf(await callWithToken('/wxa/msg_sec_check', () => body));
  }

  async function imgSecCheck(image: { data: Buffer; contentType: string }): Promise<SecCheckVerdict> {
    // A FormData is read once by fetch: build a fresh one for a retry with a new token.
    const form = () => {
      const f = new FormData();
      f.append('media', new Blob([new Uint8Array(image.data)], { type: image.contentType }), 'media.jpg');
      return f;
    };
    return verdictOf(await callWithToken('/wxa/img_sec_check', form));
  }

  return { code2Session, sendSubscribeMessage, getAccessToken, msgSecCheck, imgSecCheck };
}
