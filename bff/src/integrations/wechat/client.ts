/**
 * Client for the WeChat mini-program server APIs Linli uses: code2Session for login and
 * subscribeMessage.send for notifications, with the access token cached per process.
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

export interface WechatClient {
  code2Session(code: string): Promise<WechatSession>;
  sendSubscribeMessage(message: SubscribeMessage): Promise<void>;
  /** A valid access token, from cache when possible. */
  getAccessToken(): Promise<string>;
}

/** errcodes meaning "this token is no longer good": fetch another and try once more. */
const STALE_TOKEN_ERRCODES = new Set([40001, 40014, 42001]);

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
    let res: Response;
    let text: string;
    try {
      res = await doFetch(url, {
        method: body === undefined ? 'GET' : 'POST',
        headers: body === undefined ? undefined : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
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

  async function sendSubscribeMessage(message: SubscribeMessage): Promise<void> {
    const body = {
      touser: message.openid,
      template_id: message.templateId,
      page: message.page,
      data: message.data,
      miniprogram_state: message.miniprogramState ?? opts.miniprogramState,
      lang: message.lang,
    };
    const send = async (token: string) =>
      call('/cgi-bin/message/subscribe/send', { access_token: token }, body);
    const token = await getAccessToken();
    let json = await send(token);
    if (typeof json.errcode === 'number' && STALE_TOKEN_ERRCODES.has(json.errcode)) {
      discard(token);
      json = await send(await getAccessToken());
      // A second stale answer means our token source itself is broken: not the caller's fault.
      if (typeof json.errcode === 'number' && STALE_TOKEN_ERRCODES.has(json.errcode))
        throw new WechatError('upstream', json.errcode, String(json.errmsg ?? ''));
    }
    throwIfError(json);
  }

  return { code2Session, sendSubscribeMessage, getAccessToken };
}
