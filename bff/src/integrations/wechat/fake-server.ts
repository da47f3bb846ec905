/**
 * A loopback fake of the WeChat server APIs Linli calls, as a real HTTP server, so the client and
 * everything above it are exercised over the wire in dev and tests (no credentials, no network).
 *
 * Protocol (paths, params, response shapes and errcodes) follows the mini-program server API docs:
 * - GET  /sns/jscode2session?appid&secret&js_code&grant_type=authorization_code   (auth.code2Session)
 * - GET  /cgi-bin/token?grant_type=client_credential&appid&secret                  (getAccessToken)
 * - POST /cgi-bin/stable_token {grant_type, appid, secret, force_refresh?}          (getStableAccessToken)
 * - POST /cgi-bin/message/subscribe/send?access_token=...                          (subscribeMessage.send)
 * - POST /wxa/msg_sec_check?access_token=... {content, version: 2, scene, openid}    (security.msgSecCheck v2)
 * - POST /wxa/img_sec_check?access_token=... multipart `media`                       (security.imgSecCheck)
 *
 * Content security decides deterministically: text containing a word registered with
 * markText() (by default FAKE_RISKY_WORD and FAKE_REVIEW_WORD) gets that suggestion; an image
 * whose bytes were registered with markImage() (or that contain FAKE_RISKY_IMAGE_MARKER) is risky.
 *
 * Deterministic dev behaviour: `dev:<x>` codes always map to openid `o_dev_<x>` and may be reused (the
 * H5 build has no wx.login); `invalid:<x>` codes answer 40029; any other code works once and maps to
 * an openid derived from the code unless registered with registerCode().
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Defaults equal config.ts's dev defaults, so `pnpm dev` pairs the fake with the client unconfigured. */
export const FAKE_WECHAT_APPID = 'wx-dev-appid';
export const FAKE_WECHAT_SECRET = 'wx-dev-secret';

export type FakeWechatEndpoint =
  | 'jscode2session'
  | 'token'
  | 'stable_token'
  | 'subscribe_send'
  | 'msg_sec_check'
  | 'img_sec_check';

/** Text containing this is risky by default (label 20001) ... */
export const FAKE_RISKY_WORD = '违规测试词';
/** ... and this asks for a human review (label 10001, ads). */
export const FAKE_REVIEW_WORD = '待审测试词';
/** Image bytes containing this ASCII marker are risky. */
export const FAKE_RISKY_IMAGE_MARKER = 'FAKE-RISKY-IMAGE';

export interface SecCheckCall {
  content: string;
  scene: number;
  openid: string;
  version: number;
}

/**
 * What failNext() injects: a WeChat errcode answered as JSON with HTTP 200 (as WeChat does), a raw HTTP
 * answer (5xx, non-JSON), or a delay before answering normally (to make clients time out).
 */
export type FakeFault = number | { status: number; body: string } | { delayMs: number };

export interface CodeIdentity {
  openid: string;
  unionid?: string;
  sessionKey?: string;
}

export interface SentSubscribeMessage {
  touser: string;
  template_id: string;
  page?: string;
  data: Record<string, { value: unknown }>;
  miniprogram_state?: string;
  lang?: string;
  accessToken: string;
}

export interface FakeWechatOptions {
  host?: string;
  port?: number;
  appid?: string;
  secret?: string;
  /** Lifetime of issued access tokens; WeChat's is 7200 s. */
  tokenTtlSeconds?: number;
}

export interface FakeWechat {
  readonly url: string;
  readonly appid: string;
  readonly secret: string;
  /** Messages accepted by subscribe/send, oldest first. */
  readonly sent: readonly SentSubscribeMessage[];
  /** Requests received per endpoint, including failed ones. */
  readonly calls: Readonly<Record<FakeWechatEndpoint, number>>;
  registerCode(code: string, identity: CodeIdentity): void;
  failNext(endpoint: FakeWechatEndpoint, fault: FakeFault, count?: number): void;
  /** msg_sec_check bodies received (answered or not), oldest first. */
  readonly textChecks: readonly SecCheckCall[];
  /** Text containing `word` gets this suggestion (label defaults: risky 20001, review 10001). */
  markText(word: string, suggest: 'risky' | 'review', label?: number): void;
  /** These exact image bytes are risky. */
  markImage(data: Buffer): void;
  /** Make later sends to this openid (optionally one template) answer 43101. */
  refuseSubscription(openid: string, templateId?: string): void;
  /** Invalidate every issued access token, as a secret reset or a forced refresh elsewhere would. */
  invalidateTokens(): void;
  reset(): void;
  close(): Promise<void>;
}

const ERRMSG: Record<number, string> = {
  [-1]: 'system error',
  40001: 'invalid credential, access_token is invalid or not latest',
  40002: 'invalid grant_type',
  40003: 'invalid openid',
  40013: 'invalid appid',
  40029: 'invalid code',
  40037: 'invalid template_id',
  40125: 'invalid appsecret',
  40163: 'code been used',
  40226: 'high risk user',
  41001: 'access_token missing',
  41002: 'appid missing',
  41004: 'appsecret missing',
  41008: 'missing code',
  42001: 'access_token expired',
  43101: 'user refuse to accept the msg',
  44004: 'empty content',
  41005: 'media data missing',
  87014: 'risky content',
  45009: 'reach max api daily quota limit',
  45011: 'api minute-quota reach limit mustslower retry next minute',
  47001: 'data format error',
  47003: 'argument invalid!',
};

const VALID_STATES = new Set(['developer', 'trial', 'formal']);
const VALID_LANGS = new Set(['zh_CN', 'en_US', 'zh_HK', 'zh_TW']);

type Reply = { status?: number; json?: unknown; raw?: string };

const err = (errcode: number, detail?: string): Reply => ({
  json: { errcode, errmsg: `${ERRMSG[errcode] ?? 'error'}${detail ? `: ${detail}` : ''}, rid: fake` },
});

const digest = (s: string) => createHash('sha256').update(s).digest();

/** openids are opaque 28-character strings per app; a hash keeps them stable across restarts. */
const openidFor = (code: string) => `o${digest(`openid:${code}`).toString('base64url').slice(0, 27)}`;
const sessionKeyFor = (openid: string) => digest(`session:${openid}`).subarray(0, 16).toString('base64');

/** The bytes of one named file part of a multipart body (enough of RFC 7578 for the fake). */
function multipartFile(raw: Buffer, contentType: string, name: string): Buffer | null {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const b = boundary?.[1] ?? boundary?.[2];
  if (!b) return null;
  const delimiter = Buffer.from(`--${b}`);
  let at = raw.indexOf(delimiter);
  while (at !== -1) {
    const next = raw.indexOf(delimiter, at + delimiter.length);
    if (next === -1) break;
    const part = raw.subarray(at + delimiter.length, next);
    const split = part.indexOf('\r\n\r\n');
    if (split !== -1) {
      const head = part.subarray(0, split).toString('utf8');
      if (new RegExp(`name="${name}"`).test(head)) return part.subarray(split + 4, part.length - 2);
    }
    at = next;
  }
  return null;
}

export async function startFakeWechat(opts: FakeWechatOptions = {}): Promise<FakeWechat> {
  const appid = opts.appid ?? FAKE_WECHAT_APPID;
  const secret = opts.secret ?? FAKE_WECHAT_SECRET;
  const ttl = opts.tokenTtlSeconds ?? 7200;

  const registered = new Map<string, CodeIdentity>();
  const usedCodes = new Set<string>();
  const faults = new Map<FakeWechatEndpoint, FakeFault[]>();
  const refused = new Set<string>();
  /** token -> expiry (ms). Older tokens stay valid until expiry, like WeChat's grace period. */
  const tokens = new Map<string, number>();
  let stableToken: string | null = null;
  const sent: SentSubscribeMessage[] = [];
  const calls: Record<FakeWechatEndpoint, number> = {
    jscode2session: 0,
    token: 0,
    stable_token: 0,
    subscribe_send: 0,
    msg_sec_check: 0,
    img_sec_check: 0,
  };
  const timers = new Set<NodeJS.Timeout>();
  const defaultWords = (): Map<string, { suggest: 'risky' | 'review'; label: number }> =>
    new Map([
      [FAKE_RISKY_WORD, { suggest: 'risky', label: 20001 }],
      [FAKE_REVIEW_WORD, { suggest: 'review', label: 10001 }],
    ]);
  let words = defaultWords();
  const riskyImages = new Set<string>();
  const textChecks: SecCheckCall[] = [];

  /** The token check every token-carrying endpoint makes first. */
  const checkToken = (token: string | null): Reply | null => {
    if (!token) return err(41001);
    const expiry = tokens.get(token);
    if (expiry === undefined) return err(40001);
    if (expiry <= Date.now()) return err(42001);
    return null;
  };

  const issueToken = () => {
    const token = `fake_at_${randomBytes(24).toString('base64url')}`;
    tokens.set(token, Date.now() + ttl * 1000);
    return token;
  };
  const tokenValid = (t: string | null): t is string => t !== null && (tokens.get(t) ?? 0) > Date.now();

  const checkCredentials = (gotAppid: unknown, gotSecret: unknown): Reply | null => {
    if (!gotAppid) return err(41002);
    if (!gotSecret) return err(41004);
    if (gotAppid !== appid) return err(40013);
    if (gotSecret !== secret) return err(40125);
    return null;
  };

  const handlers: Record<
    FakeWechatEndpoint,
    (q: URLSearchParams, body: string, raw: Buffer, type: string) => Reply
  > = {
    jscode2session(q) {
      const bad = checkCredentials(q.get('appid'), q.get('secret'));
      if (bad) return bad;
      if (q.get('grant_type') !== 'authorization_code') return err(40002);
      const code = q.get('js_code')?.trim();
      if (!code) return err(41008);
      if (code.startsWith('invalid:')) return err(40029);
      let identity: CodeIdentity;
      if (code.startsWith('dev:')) {
        identity = { openid: `o_dev_${code.slice(4)}` };
      } else {
        if (usedCodes.has(code)) return err(40163);
        usedCodes.add(code);
        identity = registered.get(code) ?? { openid: openidFor(code) };
      }
      const json: Record<string, string> = {
        openid: identity.openid,
        session_key: identity.sessionKey ?? sessionKeyFor(identity.openid),
      };
      if (identity.unionid) json.unionid = identity.unionid;
      return { json };
    },

    token(q) {
      if (q.get('grant_type') !== 'client_credential') return err(40002);
      const bad = checkCredentials(q.get('appid'), q.get('secret'));
      if (bad) return bad;
      return { json: { access_token: issueToken(), expires_in: ttl } };
    },

    stable_token(_q, body) {
      let b: Record<string, unknown>;
      try {
        b = JSON.parse(body);
      } catch {
        return err(47001);
      }
      if (b.grant_type !== 'client_credential') return err(40002);
      const bad = checkCredentials(b.appid, b.secret);
      if (bad) return bad;
      // Stable tokens are shared by every caller until expiry, so several processes don't evict each other.
      if (b.force_refresh === true || !tokenValid(stableToken)) {
        if (stableToken) tokens.delete(stableToken);
        stableToken = issueToken();
      }
      const left = Math.floor(((tokens.get(stableToken) ?? 0) - Date.now()) / 1000);
      return { json: { access_token: stableToken, expires_in: left } };
    },

    msg_sec_check(q, body) {
      const bad = checkToken(q.get('access_token'));
      if (bad) return bad;
      let b: Record<string, unknown>;
      try {
        b = JSON.parse(body);
      } catch {
        return err(47001);
      }
      const content = typeof b.content === 'string' ? b.content : '';
      textChecks.push({
        content,
        scene: Number(b.scene),
        openid: String(b.openid ?? ''),
        version: Number(b.version ?? 1),
      });
      if (!content.trim()) return err(44004);
      const hit = [...words].find(([w]) => content.includes(w))?.[1];
      // v1 (no version): the old yes/no answer, 87014 for risky content.
      if (b.version !== 2)
        return hit?.suggest === 'risky' ? err(87014) : { json: { errcode: 0, errmsg: 'ok' } };
      if (typeof b.openid !== 'string' || !/^o[\w-]{5,}$/.test(b.openid)) return err(40003);
      if (![1, 2, 3, 4].includes(b.scene as number)) return err(47003, 'scene');
      const suggest = hit?.suggest ?? 'pass';
      const label = hit?.label ?? 100;
      return {
        json: {
          errcode: 0,
          errmsg: 'ok',
          result: { suggest, label },
          detail: [{ strategy: 'content_model', errcode: 0, suggest, label, prob: hit ? 90 : 0 }],
          trace_id: `fake_${randomBytes(6).toString('hex')}`,
        },
      };
    },

    img_sec_check(q, _body, raw, type) {
      const bad = checkToken(q.get('access_token'));
      if (bad) return bad;
      const media = multipartFile(raw, type, 'media');
      if (!media || media.length === 0) return err(41005);
      const risky =
        riskyImages.has(digest(media.toString('base64')).toString('hex')) ||
        media.includes(FAKE_RISKY_IMAGE_MARKER);
      return risky ? err(87014) : { json: { errcode: 0, errmsg: 'ok' } };
    },

    subscribe_send(q, body) {
      const token = q.get('access_token');
      const bad = checkToken(token);
      if (bad || !token) return bad ?? err(41001);
      let b: Record<string, unknown>;
      try {
        b = JSON.parse(body);
      } catch {
        return err(47001);
      }
      if (typeof b.touser !== 'string' || !b.touser) return err(40003);
      if (typeof b.template_id !== 'string' || !b.template_id) return err(40037);
      const data = b.data;
      if (!data || typeof data !== 'object' || Array.isArray(data) || Object.keys(data).length === 0)
        return err(47003, 'data');
      for (const [key, entry] of Object.entries(data)) {
        const value = (entry as { value?: unknown } | null)?.value;
        if (value === undefined || value === null || value === '') return err(47003, `data.${key}.value`);
      }
      if (b.page !== undefined && typeof b.page !== 'string') return err(47003, 'page');
      if (b.miniprogram_state !== undefined && !VALID_STATES.has(b.miniprogram_state as string))
        return err(47003, 'miniprogram_state');
      if (b.lang !== undefined && !VALID_LANGS.has(b.lang as string)) return err(47003, 'lang');
      if (refused.has(b.touser) || refused.has(`${b.touser}\n${b.template_id}`)) return err(43101);
      sent.push({
        touser: b.touser,
        template_id: b.template_id,
        page: b.page as string | undefined,
        data: data as SentSubscribeMessage['data'],
        miniprogram_state: b.miniprogram_state as string | undefined,
        lang: b.lang as string | undefined,
        accessToken: token,
      });
      return { json: { errcode: 0, errmsg: 'ok' } };
    },
  };

  const routes: Record<string, { method: string; endpoint: FakeWechatEndpoint }> = {
    '/sns/jscode2session': { method: 'GET', endpoint: 'jscode2session' },
    '/cgi-bin/token': { method: 'GET', endpoint: 'token' },
    '/cgi-bin/stable_token': { method: 'POST', endpoint: 'stable_token' },
    '/cgi-bin/message/subscribe/send': { method: 'POST', endpoint: 'subscribe_send' },
    '/wxa/msg_sec_check': { method: 'POST', endpoint: 'msg_sec_check' },
    '/wxa/img_sec_check': { method: 'POST', endpoint: 'img_sec_check' },
  };

  const write = (res: ServerResponse, reply: Reply) => {
    if (res.destroyed) return;
    const body = reply.raw ?? JSON.stringify(reply.json);
    // WeChat answers errors with HTTP 200 and an errcode; only injected faults use other statuses.
    res.writeHead(reply.status ?? 200, {
      'content-type': reply.raw === undefined ? 'application/json; encoding=utf-8' : 'text/plain',
    });
    res.end(body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const route = routes[url.pathname];
    if (!route || route.method !== req.method) {
      write(res, { status: 404, json: { errcode: 40066, errmsg: 'invalid url' } });
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const body = raw.toString('utf8');
    calls[route.endpoint]++;

    const fault = faults.get(route.endpoint)?.shift();
    if (typeof fault === 'number') return write(res, err(fault));
    if (fault && 'status' in fault) return write(res, { status: fault.status, raw: fault.body });
    const type = String(req.headers['content-type'] ?? '');
    const answer = () => write(res, handlers[route.endpoint](url.searchParams, body, raw, type));
    if (fault && 'delayMs' in fault) {
      const t = setTimeout(() => {
        timers.delete(t);
        answer();
      }, fault.delayMs);
      timers.add(t);
      return;
    }
    answer();
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => write(res, { status: 500, raw: String(e) }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;

  return {
    url: `http://${host}:${port}`,
    appid,
    secret,
    sent,
    calls,
    textChecks,
    markText(word, suggest, label) {
      words.set(word, { suggest, label: label ?? (suggest === 'risky' ? 20001 : 10001) });
    },
    markImage(data) {
      riskyImages.add(digest(data.toString('base64')).toString('hex'));
    },
    registerCode(code, identity) {
      registered.set(code, identity);
    },
    failNext(endpoint, fault, count = 1) {
      const queue = faults.get(endpoint) ?? [];
      for (let i = 0; i < count; i++) queue.push(fault);
      faults.set(endpoint, queue);
    },
    refuseSubscription(openid, templateId) {
      refused.add(templateId === undefined ? openid : `${openid}\n${templateId}`);
    },
    invalidateTokens() {
      tokens.clear();
      stableToken = null;
    },
    reset() {
      registered.clear();
      usedCodes.clear();
      faults.clear();
      refused.clear();
      tokens.clear();
      stableToken = null;
      sent.length = 0;
      textChecks.length = 0;
      words = defaultWords();
      riskyImages.clear();
      for (const k of Object.keys(calls) as FakeWechatEndpoint[]) calls[k] = 0;
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      // Delayed (hanging) requests would otherwise keep close() waiting on their sockets.
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
    },
  };
}
