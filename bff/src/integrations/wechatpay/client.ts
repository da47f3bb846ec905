/**
 * The WeChat Pay v3 client (JSAPI for mini-programs): signs every request with the merchant key,
 * verifies every answer with WeChat Pay's key (refusing unsigned or forged ones), maps error bodies to
 * `WechatpayError`, and verifies + decrypts notifications. Secrets (private key, APIv3 key) never
 * appear in an error message.
 */
import type { KeyObject } from 'node:crypto';
import { X509Certificate } from 'node:crypto';
import type {
  Refund,
  RefundStatus,
  RequestPaymentParams,
  TradeState,
  Transaction,
  WechatpayClient,
  WechatpayConfig,
  WechatpayErrorShape,
  WechatpayNotification,
  WechatpayNotificationProblem,
} from './api';
import {
  aeadDecrypt,
  nonceStr,
  signPayment,
  signRequest,
  toPrivateKey,
  toPublicKey,
  verifyResponse,
} from './sign';

/** Codes that mean "the same call may succeed later" (WeChat's own advice for each). */
const RETRYABLE_CODES = new Set([
  'SYSTEM_ERROR',
  'FREQUENCY_LIMITED',
  'NOT_ENOUGH',
  'BANKERROR',
  'BANK_ERROR',
]);

/** status 0 with this code: WeChat Pay was not reached or did not answer in time. */
export const TRANSPORT_CODE = 'TRANSPORT';
/** An answer that failed signature verification (unsigned, forged, unknown serial, stale). */
export const INVALID_SIGNATURE_CODE = 'INVALID_SIGNATURE';
/** A signed answer whose body is not what the API documents. */
export const MALFORMED_ANSWER_CODE = 'MALFORMED_ANSWER';

export class WechatpayError extends Error implements WechatpayErrorShape {
  override readonly name = 'WechatpayError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isRetryableStatus(status: number, code: string): boolean {
  return status === 0 || status >= 500 || RETRYABLE_CODES.has(code);
}

export class WechatpayNotificationError extends Error {
  override readonly name = 'WechatpayNotificationError';
  constructor(
    readonly problem: WechatpayNotificationProblem,
    message: string,
  ) {
    super(message);
  }
}

/** A platform certificate is downloaded again at most this often for an unknown serial (no amplification). */
const CERTIFICATE_REFRESH_MIN_MS = 60_000;

type Json = Record<string, unknown>;

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() !== lower) continue;
    const value = Array.isArray(v) ? v[0] : v;
    return value === undefined || value === '' ? undefined : value;
  }
  return undefined;
}

/** RFC 3339 in Asia/Shanghai (+08:00), as WeChat's time fields are written. */
export function toShanghaiRfc3339(date: Date): string {
  const shifted = new Date(date.getTime() + 8 * 3600_000);
  return `${shifted.toISOString().slice(0, 19)}+08:00`;
}

const TRADE_STATES = new Set<TradeState>([
  'SUCCESS',
  'REFUND',
  'NOTPAY',
  'CLOSED',
  'REVOKED',
  'USERPAYING',
  'PAYERROR',
]);
const REFUND_STATUSES = new Set<RefundStatus>(['SUCCESS', 'CLOSED', 'PROCESSING', 'ABNORMAL']);

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const int = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) ? v : null);

/** A transaction from a query answer or a TRANSACTION.* resource; null when it lacks what we rely on. */
export function toTransaction(json: Json): Transaction | null {
  const amount = (json.amount ?? {}) as Json;
  const payer = (json.payer ?? {}) as Json;
  const outTradeNo = str(json.out_trade_no);
  const tradeState = str(json.trade_state) as TradeState | null;
  const mchid = str(json.mchid);
  const appid = str(json.appid);
  const totalFen = int(amount.total);
  if (!outTradeNo || !tradeState || !TRADE_STATES.has(tradeState) || !mchid || !appid || totalFen === null)
    return null;
  return {
    outTradeNo,
    transactionId: str(json.transaction_id),
    tradeState,
    mchid,
    appid,
    totalFen,
    payerOpenid: str(payer.openid),
    successTime: str(json.success_time),
  };
}

/** A refund from a refund answer (`status`) or a REFUND.* resource (`refund_status`). */
export function toRefund(json: Json): Refund | null {
  const amount = (json.amount ?? {}) as Json;
  const outRefundNo = str(json.out_refund_no);
  const outTradeNo = str(json.out_trade_no);
  const refundId = str(json.refund_id);
  const status = (str(json.status) ?? str(json.refund_status)) as RefundStatus | null;
  const refundFen = int(amount.refund);
  const totalFen = int(amount.total);
  if (!outRefundNo || !outTradeNo || !refundId || !status || !REFUND_STATUSES.has(status)) return null;
  if (refundFen === null || totalFen === null) return null;
  return {
    outRefundNo,
    outTradeNo,
    refundId,
    status,
    refundFen,
    totalFen,
    successTime: str(json.success_time),
  };
}

interface RawAnswer {
  status: number;
  headers: Headers;
  text: string;
}

export function createWechatpayClient(cfg: WechatpayConfig): WechatpayClient {
  const doFetch = cfg.fetch ?? globalThis.fetch;
  const now = cfg.now ?? Date.now;
  const timeoutMs = cfg.timeoutMs ?? 10_000;
  const skewSeconds = cfg.maxClockSkewSeconds ?? 300;
  const base = cfg.baseUrl.replace(/\/+$/, '');
  const verifier = cfg.verifier;
  // Misconfiguration fails at start-up, naming the setting, never echoing its value.
  if (Buffer.byteLength(cfg.apiV3Key ?? '', 'utf8') !== 32)
    throw new Error('WeChat Pay config: the APIv3 key must be 32 bytes');
  let privateKey: KeyObject;
  try {
    privateKey = toPrivateKey(cfg.merchantPrivateKeyPem);
  } catch {
    throw new Error('WeChat Pay config: the merchant private key is not a valid PEM private key');
  }

  // Keys WeChat Pay signs with, by serial (the public key id, or platform certificates' serials).
  const keys = new Map<string, KeyObject>();
  try {
    if (verifier.mode === 'publicKey') keys.set(verifier.publicKeyId, toPublicKey(verifier.publicKeyPem));
    else for (const pem of verifier.certificatesPem ?? []) addCertificate(pem);
  } catch {
    throw new Error(`WeChat Pay config: a ${verifier.mode} verifier key is not a valid PEM`);
  }

  function addCertificate(pem: string): string {
    const cert = new X509Certificate(pem);
    const serial = cert.serialNumber.toUpperCase();
    keys.set(serial, cert.publicKey);
    return serial;
  }

  let lastDownload = Number.NEGATIVE_INFINITY;
  let downloading: Promise<void> | null = null;

  /** The key for a serial, downloading platform certificates once (rate-limited) when it is unknown. */
  async function keyFor(serial: string): Promise<KeyObject | null> {
    const known = keys.get(serial);
    if (known || verifier.mode !== 'platformCertificate') return known ?? null;
    if (!downloading && now() - lastDownload >= CERTIFICATE_REFRESH_MIN_MS) {
      lastDownload = now();
      downloading = downloadCertificates()
        .catch((e: unknown) => {
          // We could not reach WeChat (not a forged serial): the next unknown serial may try again.
          lastDownload = Number.NEGATIVE_INFINITY;
          throw e;
        })
        .finally(() => {
          downloading = null;
        });
    }
    if (downloading) await downloading.catch(() => undefined);
    return keys.get(serial) ?? null;
  }

  async function exchange(method: 'GET' | 'POST', path: string, body?: unknown): Promise<RawAnswer> {
    const bodyText = body === undefined ? '' : JSON.stringify(body);
    const authorization = signRequest({
      method,
      url: path,
      body: bodyText,
      mchid: cfg.mchid,
      serialNo: cfg.merchantCertSerial,
      privateKey,
      timestamp: String(Math.floor(now() / 1000)),
    });
    try {
      const res = await doFetch(`${base}${path}`, {
        method,
        headers: {
          authorization,
          accept: 'application/json',
          'user-agent': 'linli-bff wechatpay-v3',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : bodyText,
        signal: AbortSignal.timeout(timeoutMs),
      });
      return { status: res.status, headers: res.headers, text: await res.text() };
    } catch (e) {
      const timedOut = e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError');
      const why = timedOut ? `timed out after ${timeoutMs} ms` : `request failed (${(e as Error).name})`;
      throw new WechatpayError(0, TRANSPORT_CODE, `WeChat Pay ${method} ${path} ${why}`, true, { cause: e });
    }
  }

  /** Whether an answer carries a valid, fresh signature under a key we trust. */
  async function answerIsAuthentic(answer: RawAnswer, lookup = keyFor): Promise<boolean> {
    const timestamp = answer.headers.get('wechatpay-timestamp');
    const nonce = answer.headers.get('wechatpay-nonce');
    const signature = answer.headers.get('wechatpay-signature');
    const serial = answer.headers.get('wechatpay-serial');
    if (!timestamp || !nonce || !signature || !serial) return false;
    const ts = Number(timestamp);
    if (!Number.isFinite(ts) || Math.abs(now() / 1000 - ts) > skewSeconds) return false;
    const key = await lookup(serial);
    if (!key) return false;
    return verifyResponse({ timestamp, nonce, body: answer.text, signature }, key);
  }

  /** One verified call: the JSON body of a 2xx (null for 204), or a thrown WechatpayError. */
  async function call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Json | null> {
    const answer = await exchange(method, path, body);
    const authentic = await answerIsAuthentic(answer);
    let json: Json | null = null;
    if (answer.text) {
      try {
        const parsed: unknown = JSON.parse(answer.text);
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) json = parsed as Json;
      } catch {
        json = null;
      }
    }
    if (answer.status >= 500) {
      // A gateway may answer 5xx unsigned: retryable either way, and nothing is concluded from it.
      const code = (authentic && str(json?.code)) || 'SYSTEM_ERROR';
      const msg = authentic ? str(json?.message) : null;
      throw new WechatpayError(
        answer.status,
        code,
        `WeChat Pay ${method} ${path} answered HTTP ${answer.status}${msg ? `: ${msg}` : ''}`,
        true,
      );
    }
    if (!authentic)
      throw new WechatpayError(
        answer.status,
        INVALID_SIGNATURE_CODE,
        `WeChat Pay ${method} ${path}: the answer (HTTP ${answer.status}) failed signature verification`,
        true,
      );
    if (answer.status >= 300) {
      const code = str(json?.code) ?? `HTTP_${answer.status}`;
      const message = str(json?.message) ?? '';
      throw new WechatpayError(
        answer.status,
        code,
        `WeChat Pay ${method} ${path}: ${code} ${message}`.trim(),
        isRetryableStatus(answer.status, code),
      );
    }
    if (answer.status !== 204 && !json)
      throw new WechatpayError(
        answer.status,
        MALFORMED_ANSWER_CODE,
        `WeChat Pay ${method} ${path}: not JSON`,
        true,
      );
    return json;
  }

  function malformed(path: string): WechatpayError {
    return new WechatpayError(200, MALFORMED_ANSWER_CODE, `WeChat Pay ${path}: unexpected answer body`, true);
  }

  async function downloadCertificates(): Promise<void> {
    const path = '/v3/certificates';
    const answer = await exchange('GET', path);
    if (answer.status >= 500) throw new Error(`GET ${path} answered HTTP ${answer.status}`);
    if (answer.status !== 200) return;
    let data: unknown;
    try {
      data = (JSON.parse(answer.text) as Json).data;
    } catch {
      return;
    }
    if (!Array.isArray(data)) return;
    const fresh = new Map<string, KeyObject>();
    for (const item of data as Json[]) {
      const enc = (item.encrypt_certificate ?? {}) as Json;
      const expire = str(item.expire_time);
      if (expire && Date.parse(expire) < now()) continue;
      try {
        // Only WeChat Pay and we hold the APIv3 key: a certificate that decrypts is WeChat's.
        const pem = aeadDecrypt({
          apiV3Key: cfg.apiV3Key,
          nonce: String(enc.nonce ?? ''),
          associatedData: String(enc.associated_data ?? ''),
          ciphertext: String(enc.ciphertext ?? ''),
        });
        const cert = new X509Certificate(pem);
        fresh.set(cert.serialNumber.toUpperCase(), cert.publicKey);
      } catch {
        // An entry that does not decrypt is not trusted; the others still are.
      }
    }
    // The download answer itself must be signed by one of the certificates it carries (or one we know).
    const lookup = async (serial: string) => fresh.get(serial) ?? keys.get(serial) ?? null;
    if (!(await answerIsAuthentic(answer, lookup))) return;
    for (const [serial, key] of fresh) keys.set(serial, key);
  }

  function requestPaymentParams(prepayId: string): RequestPaymentParams {
    const timeStamp = String(Math.floor(now() / 1000));
    const nonce = nonceStr();
    const pkg = `prepay_id=${prepayId}`;
    return {
      timeStamp,
      nonceStr: nonce,
      package: pkg,
      signType: 'RSA',
      paySign: signPayment({ appId: cfg.appid, timeStamp, nonceStr: nonce, package: pkg }, privateKey),
    };
  }

  const tradePath = (outTradeNo: string) =>
    `/v3/pay/transactions/out-trade-no/${encodeURIComponent(outTradeNo)}`;

  const client: WechatpayClient = {
    async jsapiPrepay(input) {
      const body: Json = {
        appid: cfg.appid,
        mchid: cfg.mchid,
        description: input.description,
        out_trade_no: input.outTradeNo,
        ...(input.expiresAt ? { time_expire: toShanghaiRfc3339(input.expiresAt) } : {}),
        notify_url: input.notifyUrl,
        amount: { total: input.totalFen, currency: 'CNY' },
        payer: { openid: input.payerOpenid },
      };
      const path = '/v3/pay/transactions/jsapi';
      const json = await call('POST', path, body);
      const prepayId = str(json?.prepay_id);
      if (!prepayId) throw malformed(path);
      return { prepayId, requestPayment: requestPaymentParams(prepayId) };
    },

    requestPaymentParams,

    async queryByOutTradeNo(outTradeNo) {
      const path = `${tradePath(outTradeNo)}?mchid=${encodeURIComponent(cfg.mchid)}`;
      try {
        const json = await call('GET', path);
        const tx = json && toTransaction(json);
        if (!tx) throw malformed(path);
        return tx;
      } catch (e) {
        if (e instanceof WechatpayError && e.status === 404 && e.code === 'ORDER_NOT_EXIST') return null;
        throw e;
      }
    },

    async close(outTradeNo) {
      try {
        await call('POST', `${tradePath(outTradeNo)}/close`, { mchid: cfg.mchid });
      } catch (e) {
        // Closing is idempotent for us: an order WeChat never saw or already closed is closed.
        if (e instanceof WechatpayError && (e.code === 'ORDER_NOT_EXIST' || e.code === 'ORDER_CLOSED'))
          return;
        throw e;
      }
    },

    async refund(input) {
      const path = '/v3/refund/domestic/refunds';
      const json = await call('POST', path, {
        out_trade_no: input.outTradeNo,
        out_refund_no: input.outRefundNo,
        ...(input.reason ? { reason: input.reason } : {}),
        notify_url: input.notifyUrl,
        amount: { refund: input.refundFen, total: input.totalFen, currency: 'CNY' },
      });
      const refund = json && toRefund(json);
      if (!refund) throw malformed(path);
      return refund;
    },

    async queryRefund(outRefundNo) {
      const path = `/v3/refund/domestic/refunds/${encodeURIComponent(outRefundNo)}`;
      try {
        const json = await call('GET', path);
        const refund = json && toRefund(json);
        if (!refund) throw malformed(path);
        return refund;
      } catch (e) {
        if (e instanceof WechatpayError && e.status === 404 && e.code === 'RESOURCE_NOT_EXISTS') return null;
        throw e;
      }
    },

    async parseNotification(headers, rawBody): Promise<WechatpayNotification> {
      const timestamp = header(headers, 'wechatpay-timestamp');
      const nonce = header(headers, 'wechatpay-nonce');
      const signature = header(headers, 'wechatpay-signature');
      const serial = header(headers, 'wechatpay-serial');
      if (!timestamp || !nonce || !signature || !serial)
        throw new WechatpayNotificationError('MISSING_HEADERS', 'Wechatpay-* headers missing');
      const ts = Number(timestamp);
      if (!/^\d+$/.test(timestamp) || Math.abs(now() / 1000 - ts) > skewSeconds)
        throw new WechatpayNotificationError(
          'STALE_TIMESTAMP',
          'Wechatpay-Timestamp outside the allowed skew',
        );
      const key = await keyFor(serial);
      if (!key) throw new WechatpayNotificationError('UNKNOWN_SERIAL', `unknown Wechatpay-Serial ${serial}`);
      // WeChat's signature probes ("WECHATPAY/SIGNTEST/...") fail here, as they are meant to.
      if (!verifyResponse({ timestamp, nonce, body: rawBody, signature }, key))
        throw new WechatpayNotificationError('BAD_SIGNATURE', 'Wechatpay-Signature does not verify');

      let body: Json;
      try {
        body = JSON.parse(rawBody) as Json;
      } catch {
        throw new WechatpayNotificationError('MALFORMED', 'body is not JSON');
      }
      const id = str(body?.id);
      const eventType = str(body?.event_type);
      const resource = (body?.resource ?? null) as Json | null;
      if (!id || !eventType || !resource || typeof resource !== 'object')
        throw new WechatpayNotificationError('MALFORMED', 'id, event_type or resource missing');
      if (resource.algorithm !== 'AEAD_AES_256_GCM')
        throw new WechatpayNotificationError('MALFORMED', 'unsupported resource algorithm');

      let plain: Json;
      try {
        plain = JSON.parse(
          aeadDecrypt({
            apiV3Key: cfg.apiV3Key,
            nonce: String(resource.nonce ?? ''),
            associatedData: String(resource.associated_data ?? ''),
            ciphertext: String(resource.ciphertext ?? ''),
          }),
        ) as Json;
      } catch {
        throw new WechatpayNotificationError('DECRYPT_FAILED', 'resource does not decrypt');
      }

      if (eventType === 'TRANSACTION.SUCCESS') {
        const transaction = toTransaction(plain);
        if (!transaction)
          throw new WechatpayNotificationError('MALFORMED', 'transaction resource incomplete');
        return { id, eventType, transaction };
      }
      if (
        eventType === 'REFUND.SUCCESS' ||
        eventType === 'REFUND.ABNORMAL' ||
        eventType === 'REFUND.CLOSED'
      ) {
        const refund = toRefund(plain);
        if (!refund) throw new WechatpayNotificationError('MALFORMED', 'refund resource incomplete');
        return { id, eventType, refund };
      }
      return { id, eventType, resource: plain };
    },
  };
  return client;
}
