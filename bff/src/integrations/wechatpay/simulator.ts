/**
 * A loopback simulator of WeChat Pay v3 (api.mch.weixin.qq.com) for JSAPI payments, as a real HTTP
 * server on 127.0.0.1, so the client and everything above it run over the wire in dev and tests.
 *
 * It speaks the protocol like the real one:
 * - POST /v3/pay/transactions/jsapi, GET /v3/pay/transactions/out-trade-no/{no}?mchid=,
 *   POST /v3/pay/transactions/out-trade-no/{no}/close, POST /v3/refund/domestic/refunds,
 *   GET /v3/refund/domestic/refunds/{out_refund_no}, GET /v3/certificates;
 * - every request's `WECHATPAY2-SHA256-RSA2048` Authorization is verified with the merchant's public
 *   key (401 SIGN_ERROR otherwise); bad params 400 PARAM_ERROR; a reused out_trade_no with other
 *   params 403 OUT_TRADE_NO_USED; closing a paid order 400 ORDERPAID; an unknown order 404
 *   ORDER_NOT_EXIST; an unknown refund 404 RESOURCE_NOT_EXISTS; refunding more than is left 400
 *   INVALID_REQUEST;
 * - every answer and notification is signed (Wechatpay-Timestamp/-Nonce/-Signature/-Serial) with the
 *   simulator's own RSA-2048 key, announced as the WeChat Pay public key (`PUB_KEY_ID_...`) or, in
 *   platform-certificate mode, as an X.509 platform certificate (made with the `openssl` CLI at start,
 *   since node:crypto has no certificate generator);
 * - notifications are POSTed to the notify_url with the real body (resource encrypted with
 *   AEAD_AES_256_GCM under the APIv3 key); what the merchant answered is recorded (200/204 accepted).
 *
 * The control API (`pay`, `notify`, `failNextRefund`, ...) is also served over HTTP under /_sim/ so a
 * developer can "pay" from a browser or curl in the embedded start: GET /_sim/ lists open transactions.
 *
 * Key pairs take ~0.5 s each to generate, so they are made once per process and shared by every
 * simulator started in it; ids, serials and the APIv3 key are fresh per simulator.
 */
import { execFileSync } from 'node:child_process';
import { generateKeyPair, type KeyObject, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FAKE_WECHAT_APPID } from '../wechat/fake-server';
import type { RefundStatus, TradeState, WechatpayConfig, WechatpayVerifier } from './api';
import {
  aeadEncrypt,
  nonceStr,
  parseAuthorization,
  requestMessage,
  SIGNATURE_SCHEMA,
  signResponse,
  verifySha256WithRsa,
} from './sign';

/** What the simulator knows of the merchant: what a merchant downloads from the merchant platform. */
export interface SimMerchant {
  mchid: string;
  appid: string;
  /** 32 ASCII bytes. */
  apiV3Key: string;
  privateKeyPem: string;
  publicKeyPem: string;
  /** The merchant API certificate's serial (what the Authorization header's serial_no carries). */
  certSerial: string;
}

/**
 * WeChat Pay's documented re-delivery schedule for a notification the merchant did not accept
 * (15s/15s/30s/3m/10m/20m/30m/30m/30m/60m/3h/3h/3h/6h/6h, about 24 h 4 m in all); pass it (or a
 * scaled-down copy) as `notifyRetryDelaysMs` for a faithful dev run.
 */
export const WECHATPAY_NOTIFY_RETRY_DELAYS_MS: readonly number[] = [
  15, 15, 30, 180, 600, 1200, 1800, 1800, 1800, 3600, 10800, 10800, 10800, 21600, 21600,
].map((s) => s * 1000);

/**
 * How a notification reaches the merchant: by default a real HTTP POST to the notify_url; tests that
 * drive the app through Fastify's `inject` (no listening port) hand the request to it instead.
 * Resolve with what the merchant answered; throw when it could not be reached.
 */
export type SimDeliver = (request: {
  url: string;
  method: 'POST';
  headers: Record<string, string>;
  body: string;
}) => Promise<{ status: number; body: string }>;

export interface WechatpaySimulatorOptions {
  /** See SimDeliver; also settable later as `sim.deliver`. */
  deliver?: SimDeliver;
  host?: string;
  port?: number;
  /** Override any part of the generated merchant identity (e.g. a fixed key pair). */
  merchant?: Partial<SimMerchant>;
  /**
   * Which serial the simulator signs its answers and notifications with: the WeChat Pay public key
   * id (`PUB_KEY_ID_...`, default) or its platform certificate's serial. Changeable later.
   */
  verifierMode?: WechatpayVerifier['mode'];
  /** How long a refund stays PROCESSING before it finishes (default 50 ms); 'manual' = settleRefund(). */
  refundDelayMs?: number | 'manual';
  /**
   * WeChat re-sends a notification the merchant did not accept (15s, 15s, 30s, 3m, ...). Delays of
   * the retries here; default none (tests send again explicitly).
   */
  notifyRetryDelaysMs?: number[];
  /** Clock of the simulator (signature timestamps, success_time); default Date.now. */
  now?: () => number;
}

/** How a notification is delivered (or deliberately spoiled). */
export type SimNotifyMode =
  | 'normal'
  /** The same notification (same id) sent twice at once. */
  | 'twice'
  /** Sent after `delayMs` (pay/notify option; default 1000 ms). */
  | 'late'
  | 'never'
  /** Signed with a key that is not WeChat Pay's. */
  | 'badSignature'
  /** Wechatpay-Serial names a key the merchant does not know. */
  | 'unknownSerial'
  /** Wechatpay-Timestamp ten minutes in the past (signed correctly over that timestamp). */
  | 'staleTimestamp'
  /** The resource ciphertext has a flipped byte (the signature is over the tampered body). */
  | 'tamperedCiphertext'
  /** The resource is encrypted with different associated data than the body claims. */
  | 'wrongAssociatedData';

export interface SimNotifyOptions {
  mode?: SimNotifyMode;
  /** For 'late' (and any mode): wait this long before sending. */
  delayMs?: number;
  /** Send the same notification this many times, one after the other (default 1). */
  times?: number;
  /** Send `times` copies all at once instead of one after the other. */
  concurrent?: boolean;
}

export interface SimPayOptions {
  notify?: SimNotifyMode;
  delayMs?: number;
  /** Put a different amount.total into the notification (the transaction itself keeps its amount). */
  amountFen?: number;
  /** Put a different mchid into the notification. */
  mchid?: string;
  /** Put a different appid into the notification. */
  appid?: string;
  payerOpenid?: string;
}

export interface SimTransaction {
  outTradeNo: string;
  prepayId: string;
  transactionId: string | null;
  mchid: string;
  appid: string;
  description: string;
  notifyUrl: string;
  totalFen: number;
  payerOpenid: string;
  timeExpire: string | null;
  tradeState: TradeState;
  successTime: string | null;
  /** Sum of refunds not CLOSED/ABNORMAL, in fen. */
  refundedFen: number;
  createdAt: number;
}

export interface SimRefund {
  outRefundNo: string;
  outTradeNo: string;
  refundId: string;
  transactionId: string;
  status: RefundStatus;
  refundFen: number;
  totalFen: number;
  reason: string | null;
  notifyUrl: string | null;
  successTime: string | null;
  createdAt: number;
}

/** One delivery attempt of a notification to the merchant's notify_url. */
export interface SimNotificationRecord {
  /** The notification id (the same for replays and retries of one event). */
  id: string;
  eventType: string;
  kind: 'transaction' | 'refund';
  outTradeNo: string;
  outRefundNo: string | null;
  mode: SimNotifyMode;
  url: string;
  headers: Record<string, string>;
  body: string;
  /** What the merchant answered; null when it could not be reached. */
  status: number | null;
  responseBody: string;
  /** 200/204: WeChat counts the notification as delivered. */
  accepted: boolean;
  attempt: number;
  sentAt: number;
}

/** A fault injected into the next answer(s) of an endpoint. */
export type SimFault =
  | { status: number; code: string; message?: string }
  | { delayMs: number }
  /** A correct answer with a spoiled signature: 'badSignature', 'unsigned', 'unknownSerial'. */
  | { answer: 'badSignature' | 'unsigned' | 'unknownSerial' };

export type SimEndpoint = 'prepay' | 'query' | 'close' | 'refund' | 'queryRefund' | 'certificates';

export interface WechatpaySimulator {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  readonly merchant: SimMerchant;
  /** The simulator's WeChat Pay public key (公钥模式) and its id. */
  readonly publicKeyPem: string;
  readonly publicKeyId: string;
  /** Its platform certificate (平台证书模式) and serial (the same key pair, wrapped in X.509). */
  readonly platformCertificatePem: string;
  readonly platformCertificateSerial: string;
  verifierMode: WechatpayVerifier['mode'];
  /** How notifications are delivered (null: HTTP POST to the notify_url). */
  deliver: SimDeliver | null;
  /**
   * A complete config for createWechatpayClient. In platformCertificate mode no certificate is
   * given unless `withCertificates` is true, so the client downloads them.
   */
  clientConfig(
    over?: Partial<WechatpayConfig> & {
      mode?: WechatpayVerifier['mode'];
      withCertificates?: boolean;
    },
  ): WechatpayConfig;
  /**
   * The payer pays (trade_state SUCCESS) the transaction with this out_trade_no or prepay id, and
   * WeChat notifies the merchant as `notify` says. Resolves after a non-late delivery finished.
   */
  pay(outTradeNoOrPrepayId: string, opts?: SimPayOptions): Promise<SimTransaction>;
  /**
   * (Re)send the latest notification of a transaction (`{ outTradeNo }`, TRANSACTION.SUCCESS, only
   * once paid) or a refund (`{ outRefundNo }`, its current REFUND.* state) at any time.
   */
  notify(
    target: { outTradeNo: string } | { outRefundNo: string },
    opts?: SimNotifyOptions,
  ): Promise<SimNotificationRecord[]>;
  /** The next `count` (default 1) refund requests answer this error (e.g. NOT_ENOUGH 403, SYSTEM_ERROR 500). */
  failNextRefund(code: string, status: number, count?: number): void;
  /** The next accepted refund ends in this state instead of SUCCESS (REFUND.ABNORMAL / REFUND.CLOSED). */
  endNextRefund(status: 'ABNORMAL' | 'CLOSED'): void;
  /** Finish a PROCESSING refund now (SUCCESS by default) and notify. */
  settleRefund(outRefundNo: string, status?: 'SUCCESS' | 'ABNORMAL' | 'CLOSED'): Promise<SimRefund>;
  /** The next `count` answers of an endpoint get this fault. */
  failNext(endpoint: SimEndpoint, fault: SimFault, count?: number): void;
  /** A transaction closes on WeChat's side (as after time_expire). */
  expire(outTradeNo: string): void;
  transactions(): SimTransaction[];
  refunds(): SimRefund[];
  notifications(): SimNotificationRecord[];
  /** Requests received, oldest first (method, path, status answered). */
  requests(): { method: string; path: string; status: number }[];
  /** Wait for every scheduled notification, retry and refund completion to finish. */
  idle(): Promise<void>;
  /** Forget transactions, refunds, logs and faults (keys stay). */
  reset(): void;
  close(): Promise<void>;
}

interface KeyPairPem {
  privateKey: KeyObject;
  privateKeyPem: string;
  publicKeyPem: string;
}

async function newKeyPair(): Promise<KeyPairPem> {
  const { privateKey, publicKey } = await new Promise<{ privateKey: KeyObject; publicKey: KeyObject }>(
    (resolve, reject) =>
      generateKeyPair('rsa', { modulusLength: 2048 }, (err, publicKey, privateKey) =>
        err ? reject(err) : resolve({ publicKey, privateKey }),
      ),
  );
  return {
    privateKey,
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }) as string,
  };
}

/** WeChat Pay's key, a stranger's key (for forged signatures) and a default merchant key, per process. */
let sharedKeys: Promise<{ wechat: KeyPairPem; rogue: KeyPairPem; merchant: KeyPairPem }> | null = null;
function processKeys() {
  sharedKeys ??= Promise.all([newKeyPair(), newKeyPair(), newKeyPair()]).then(
    ([wechat, rogue, merchant]) => ({
      wechat,
      rogue,
      merchant,
    }),
  );
  return sharedKeys;
}

const certificateCache = new Map<string, string>();
/** A self-signed X.509 certificate for the key, with this serial (hex), made by the openssl CLI. */
function makeCertificate(privateKeyPem: string, serialHex: string): string {
  const cacheKey = `${serialHex}:${privateKeyPem}`;
  const cached = certificateCache.get(cacheKey);
  if (cached) return cached;
  const dir = mkdtempSync(join(tmpdir(), 'wechatpay-sim-'));
  try {
    const keyFile = join(dir, 'key.pem');
    writeFileSync(keyFile, privateKeyPem, { mode: 0o600 });
    const pem = execFileSync(
      process.env.OPENSSL_BIN ?? '/usr/bin/openssl',
      [
        'req',
        '-x509',
        '-new',
        '-key',
        keyFile,
        '-subj',
        '/C=CN/O=Tenpay.com/OU=Tenpay.com CA Center/CN=Tenpay.com Simulator',
        '-days',
        '1825',
        '-set_serial',
        `0x${serialHex}`,
        '-sha256',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    ).toString('utf8');
    certificateCache.set(cacheKey, pem);
    return pem;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const digits = (n: number) => Array.from(randomBytes(n), (b) => String(b % 10)).join('');
/** 40 upper-case hex digits starting 1-7 (a positive serial with no leading zero, as WeChat's). */
const serialHex = () =>
  `${1 + (randomBytes(1)[0]! % 7)}${randomBytes(20).toString('hex').toUpperCase().slice(1, 40)}`;
const alnum = (n: number) => {
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(randomBytes(n), (b) => abc[b % abc.length]).join('');
};

function shanghai(ms: number): string {
  return `${new Date(ms + 8 * 3600_000).toISOString().slice(0, 19)}+08:00`;
}

const OUT_TRADE_NO = /^[0-9A-Za-z_\-|*]{6,32}$/;
const OUT_REFUND_NO = /^[0-9A-Za-z_\-|*@]{1,64}$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)$/;

type Json = Record<string, unknown>;

class SimHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const TRADE_DESC: Record<TradeState, string> = {
  SUCCESS: '支付成功',
  REFUND: '转入退款',
  NOTPAY: '订单未支付',
  CLOSED: '订单已关闭',
  REVOKED: '已撤销',
  USERPAYING: '用户支付中',
  PAYERROR: '支付失败',
};
const REFUND_EVENT: Record<Exclude<RefundStatus, 'PROCESSING'>, { event: string; summary: string }> = {
  SUCCESS: { event: 'REFUND.SUCCESS', summary: '退款成功' },
  ABNORMAL: { event: 'REFUND.ABNORMAL', summary: '退款异常' },
  CLOSED: { event: 'REFUND.CLOSED', summary: '退款关闭' },
};

interface TxState extends SimTransaction {
  /** The TRANSACTION.SUCCESS notification id (one per payment, reused by replays). */
  eventId: string | null;
  /** pay()'s overrides of what the notification says. */
  notifyOverrides: { amountFen?: number; mchid?: string; appid?: string };
}

interface RefundState extends SimRefund {
  /** Notification id per final status. */
  eventIds: Partial<Record<RefundStatus, string>>;
}

export async function startWechatpaySimulator(
  opts: WechatpaySimulatorOptions = {},
): Promise<WechatpaySimulator> {
  const keys = await processKeys();
  const now = opts.now ?? Date.now;
  const refundDelay = opts.refundDelayMs ?? 50;
  const retryDelays = opts.notifyRetryDelaysMs ?? [];
  const merchant: SimMerchant = {
    mchid: '1900000109',
    appid: FAKE_WECHAT_APPID,
    apiV3Key: alnum(32),
    privateKeyPem: keys.merchant.privateKeyPem,
    publicKeyPem: keys.merchant.publicKeyPem,
    certSerial: serialHex(),
    ...opts.merchant,
  };
  const publicKeyId = `PUB_KEY_ID_0112${digits(26)}`;
  const certSerial = serialHex();
  let certPem: string | null = null;
  const platformCertificate = () => {
    certPem ??= makeCertificate(keys.wechat.privateKeyPem, certSerial);
    return certPem;
  };
  let verifierMode: WechatpayVerifier['mode'] = opts.verifierMode ?? 'publicKey';
  if (verifierMode === 'platformCertificate') platformCertificate();

  const txs = new Map<string, TxState>();
  const refunds = new Map<string, RefundState>();
  const notificationLog: SimNotificationRecord[] = [];
  const requestLog: { method: string; path: string; status: number }[] = [];
  const faults = new Map<SimEndpoint, SimFault[]>();
  const refundEndings: ('ABNORMAL' | 'CLOSED')[] = [];
  const pending = new Set<Promise<unknown>>();
  const timers = new Map<NodeJS.Timeout, () => void>();
  let closed = false;

  const answerSerial = () => (verifierMode === 'publicKey' ? publicKeyId : certSerial);

  /** Runs `fn` after `ms` in the background, tracked so idle() and close() know about it. */
  function later<T>(ms: number, fn: () => Promise<T> | T): Promise<T | undefined> {
    const p = new Promise<T | undefined>((resolve) => {
      const t = setTimeout(async () => {
        timers.delete(t);
        if (closed) return resolve(undefined);
        try {
          resolve(await fn());
        } catch {
          resolve(undefined);
        }
      }, ms);
      // close() cancels the timer and settles the promise, so nobody waits on it forever.
      timers.set(t, () => resolve(undefined));
    });
    pending.add(p);
    void p.finally(() => pending.delete(p));
    return p;
  }

  const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

  // ---- signing of answers and notifications -------------------------------------------------
  type Spoil = 'badSignature' | 'unsigned' | 'unknownSerial' | 'staleTimestamp';
  function signedHeaders(body: string, spoil?: Spoil): Record<string, string> {
    if (spoil === 'unsigned') return {};
    const timestamp = String(Math.floor(now() / 1000) - (spoil === 'staleTimestamp' ? 600 : 0));
    const nonce = nonceStr();
    const key = spoil === 'badSignature' ? keys.rogue.privateKey : keys.wechat.privateKey;
    const serial =
      spoil === 'unknownSerial'
        ? verifierMode === 'publicKey'
          ? `PUB_KEY_ID_0112${digits(26)}`
          : serialHex()
        : answerSerial();
    return {
      'wechatpay-timestamp': timestamp,
      'wechatpay-nonce': nonce,
      'wechatpay-signature': signResponse(timestamp, nonce, body, key),
      'wechatpay-serial': serial,
      'wechatpay-signature-type': SIGNATURE_SCHEMA,
    };
  }

  // ---- resources as WeChat writes them --------------------------------------------------------
  function transactionJson(tx: TxState, over: TxState['notifyOverrides'] = {}): Json {
    const total = over.amountFen ?? tx.totalFen;
    const paid = tx.tradeState === 'SUCCESS' || tx.tradeState === 'REFUND';
    return {
      appid: over.appid ?? tx.appid,
      mchid: over.mchid ?? tx.mchid,
      out_trade_no: tx.outTradeNo,
      ...(paid
        ? {
            transaction_id: tx.transactionId,
            trade_type: 'JSAPI',
            bank_type: 'OTHERS',
            attach: '',
            success_time: tx.successTime,
            payer: { openid: tx.payerOpenid },
            amount: { total, payer_total: total, currency: 'CNY', payer_currency: 'CNY' },
          }
        : { amount: { total, payer_currency: 'CNY' }, scene_info: { device_id: '' } }),
      trade_state: tx.tradeState,
      trade_state_desc: TRADE_DESC[tx.tradeState],
      promotion_detail: [],
    };
  }

  function refundAnswerJson(r: RefundState): Json {
    return {
      refund_id: r.refundId,
      out_refund_no: r.outRefundNo,
      transaction_id: r.transactionId,
      out_trade_no: r.outTradeNo,
      channel: 'ORIGINAL',
      user_received_account: '支付用户零钱',
      ...(r.successTime ? { success_time: r.successTime } : {}),
      create_time: shanghai(r.createdAt),
      status: r.status,
      funds_account: 'AVAILABLE',
      amount: {
        total: r.totalFen,
        refund: r.refundFen,
        from: [],
        payer_total: r.totalFen,
        payer_refund: r.refundFen,
        settlement_refund: r.refundFen,
        settlement_total: r.totalFen,
        discount_refund: 0,
        currency: 'CNY',
        refund_fee: 0,
      },
      promotion_detail: [],
    };
  }

  function refundResourceJson(r: RefundState): Json {
    return {
      mchid: merchant.mchid,
      transaction_id: r.transactionId,
      out_trade_no: r.outTradeNo,
      refund_id: r.refundId,
      out_refund_no: r.outRefundNo,
      refund_status: r.status,
      ...(r.successTime ? { success_time: r.successTime } : {}),
      user_received_account: '支付用户零钱',
      amount: { total: r.totalFen, refund: r.refundFen, payer_total: r.totalFen, payer_refund: r.refundFen },
    };
  }

  // ---- notifications ---------------------------------------------------------------------------
  interface Event {
    id: string;
    eventType: string;
    summary: string;
    kind: 'transaction' | 'refund';
    outTradeNo: string;
    outRefundNo: string | null;
    url: string;
    resource: Json;
  }

  function eventBody(ev: Event, mode: SimNotifyMode): string {
    const associatedData = ev.kind;
    const nonce = alnum(12);
    let ciphertext = aeadEncrypt({
      apiV3Key: merchant.apiV3Key,
      nonce,
      associatedData: mode === 'wrongAssociatedData' ? `${associatedData}-other` : associatedData,
      plaintext: JSON.stringify(ev.resource),
    });
    if (mode === 'tamperedCiphertext') {
      const bytes = Buffer.from(ciphertext, 'base64');
      bytes[0] = bytes[0]! ^ 0x01;
      ciphertext = bytes.toString('base64');
    }
    return JSON.stringify({
      id: ev.id,
      create_time: shanghai(now()),
      resource_type: 'encrypt-resource',
      event_type: ev.eventType,
      summary: ev.summary,
      resource: {
        original_type: ev.kind,
        algorithm: 'AEAD_AES_256_GCM',
        ciphertext,
        associated_data: associatedData,
        nonce,
      },
    });
  }

  async function deliver(ev: Event, mode: SimNotifyMode, attempt: number): Promise<SimNotificationRecord> {
    const body = eventBody(ev, mode);
    const spoil: Spoil | undefined =
      mode === 'badSignature' || mode === 'unknownSerial' || mode === 'staleTimestamp' ? mode : undefined;
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'Mozilla/4.0 (WechatPay simulator)',
      ...signedHeaders(body, spoil),
    };
    const record: SimNotificationRecord = {
      id: ev.id,
      eventType: ev.eventType,
      kind: ev.kind,
      outTradeNo: ev.outTradeNo,
      outRefundNo: ev.outRefundNo,
      mode,
      url: ev.url,
      headers,
      body,
      status: null,
      responseBody: '',
      accepted: false,
      attempt,
      sentAt: now(),
    };
    try {
      const custom = sim.deliver;
      const res = custom
        ? await custom({ url: ev.url, method: 'POST', headers, body })
        : await fetch(ev.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(5000) }).then(
            async (r) => ({ status: r.status, body: await r.text() }),
          );
      record.status = res.status;
      record.responseBody = res.body;
      record.accepted = res.status === 200 || res.status === 204;
    } catch (e) {
      record.responseBody = (e as Error).message;
    }
    notificationLog.push(record);
    // WeChat retries what was not accepted, on its schedule (15s, 15s, 30s, 3m, ... in production).
    const delay = retryDelays[attempt - 1];
    if (!record.accepted && delay !== undefined) void later(delay, () => deliver(ev, mode, attempt + 1));
    return record;
  }

  async function send(ev: Event, o: SimNotifyOptions = {}): Promise<SimNotificationRecord[]> {
    const mode = o.mode ?? 'normal';
    if (mode === 'never') return [];
    const times = Math.max(1, o.times ?? 1) * (mode === 'twice' ? 2 : 1);
    const run = async () => {
      if (o.concurrent || mode === 'twice')
        return Promise.all(Array.from({ length: times }, () => deliver(ev, mode, 1)));
      const out: SimNotificationRecord[] = [];
      for (let i = 0; i < times; i++) out.push(await deliver(ev, mode, 1));
      return out;
    };
    if (mode === 'late') {
      void later(o.delayMs ?? 1000, run);
      return [];
    }
    if (o.delayMs) {
      const p = (async () => {
        await sleep(o.delayMs!);
        return run();
      })();
      pending.add(p);
      void p.finally(() => pending.delete(p));
      return p;
    }
    const p = run();
    pending.add(p);
    void p.finally(() => pending.delete(p));
    return p;
  }

  function transactionEvent(tx: TxState, over = tx.notifyOverrides): Event {
    tx.eventId ??= randomUUID();
    return {
      id: tx.eventId,
      eventType: 'TRANSACTION.SUCCESS',
      summary: '支付成功',
      kind: 'transaction',
      outTradeNo: tx.outTradeNo,
      outRefundNo: null,
      url: tx.notifyUrl,
      resource: { ...transactionJson(tx, over), trade_state: 'SUCCESS', trade_state_desc: '支付成功' },
    };
  }

  function refundEvent(r: RefundState): Event | null {
    if (r.status === 'PROCESSING' || !r.notifyUrl) return null;
    const { event, summary } = REFUND_EVENT[r.status];
    r.eventIds[r.status] ??= randomUUID();
    return {
      id: r.eventIds[r.status]!,
      eventType: event,
      summary,
      kind: 'refund',
      outTradeNo: r.outTradeNo,
      outRefundNo: r.outRefundNo,
      url: r.notifyUrl,
      resource: refundResourceJson(r),
    };
  }

  // ---- state changes -----------------------------------------------------------------------------
  function findTx(ref: string): TxState | undefined {
    return txs.get(ref) ?? [...txs.values()].find((t) => t.prepayId === ref);
  }

  const copyTx = (tx: TxState): SimTransaction => {
    const { eventId: _e, notifyOverrides: _n, ...rest } = tx;
    return { ...rest };
  };
  const copyRefund = (r: RefundState): SimRefund => {
    const { eventIds: _e, ...rest } = r;
    return { ...rest };
  };

  function refundedFen(outTradeNo: string): number {
    let sum = 0;
    for (const r of refunds.values())
      if (r.outTradeNo === outTradeNo && r.status !== 'CLOSED' && r.status !== 'ABNORMAL') sum += r.refundFen;
    return sum;
  }

  async function finishRefund(r: RefundState, status: 'SUCCESS' | 'ABNORMAL' | 'CLOSED'): Promise<SimRefund> {
    if (r.status !== 'PROCESSING') throw new Error(`refund ${r.outRefundNo} is already ${r.status}`);
    r.status = status;
    if (status === 'SUCCESS') r.successTime = shanghai(now());
    const tx = txs.get(r.outTradeNo);
    if (tx) tx.refundedFen = refundedFen(tx.outTradeNo);
    const ev = refundEvent(r);
    if (ev) await send(ev);
    return copyRefund(r);
  }

  async function pay(ref: string, o: SimPayOptions = {}): Promise<SimTransaction> {
    const tx = findTx(ref);
    if (!tx) throw new Error(`no transaction ${ref}`);
    if (tx.tradeState === 'CLOSED') throw new Error(`transaction ${tx.outTradeNo} is closed`);
    if (tx.tradeState === 'NOTPAY' && tx.timeExpire && Date.parse(tx.timeExpire) < now())
      throw new Error(`transaction ${tx.outTradeNo} expired`);
    if (tx.tradeState === 'NOTPAY' || tx.tradeState === 'USERPAYING') {
      tx.tradeState = 'SUCCESS';
      tx.transactionId = `4200${digits(24)}`;
      tx.successTime = shanghai(now());
      if (o.payerOpenid) tx.payerOpenid = o.payerOpenid;
    }
    tx.notifyOverrides = {
      ...(o.amountFen !== undefined ? { amountFen: o.amountFen } : {}),
      ...(o.mchid !== undefined ? { mchid: o.mchid } : {}),
      ...(o.appid !== undefined ? { appid: o.appid } : {}),
    };
    await send(transactionEvent(tx), { mode: o.notify ?? 'normal', delayMs: o.delayMs });
    return copyTx(tx);
  }

  // ---- the merchant API ---------------------------------------------------------------------------
  function need(cond: unknown, message: string): asserts cond {
    if (!cond) throw new SimHttpError(400, 'PARAM_ERROR', message);
  }

  function prepay(body: Json): Json {
    const amount = (body.amount ?? {}) as Json;
    const payer = (body.payer ?? {}) as Json;
    need(
      typeof body.appid === 'string' && body.appid,
      '输入源“/body/appid”映射到值字段“公众号ID”字符串规则校验失败',
    );
    need(
      typeof body.mchid === 'string' && body.mchid,
      '输入源“/body/mchid”映射到值字段“直连商户号”字符串规则校验失败',
    );
    need(
      typeof body.description === 'string' && body.description.length >= 1 && body.description.length <= 127,
      '输入源“/body/description”映射到值字段“商品描述”字符串规则校验失败',
    );
    need(
      typeof body.out_trade_no === 'string' && OUT_TRADE_NO.test(body.out_trade_no),
      '输入源“/body/out_trade_no”映射到值字段“商户订单号”字符串规则校验失败',
    );
    need(
      typeof body.notify_url === 'string' && /^https?:\/\/[^\s]+$/.test(body.notify_url),
      '输入源“/body/notify_url”映射到值字段“通知地址”字符串规则校验失败',
    );
    need(
      body.time_expire === undefined ||
        (typeof body.time_expire === 'string' && RFC3339.test(body.time_expire)),
      '输入源“/body/time_expire”映射到值字段“交易结束时间”字符串规则校验失败',
    );
    need(
      typeof amount.total === 'number' && Number.isInteger(amount.total) && amount.total >= 1,
      '输入源“/body/amount/total”映射到值字段“总金额”整数规则校验失败',
    );
    need(amount.currency === undefined || amount.currency === 'CNY', '输入源“/body/amount/currency”校验失败');
    need(
      typeof payer.openid === 'string' && payer.openid,
      '输入源“/body/payer/openid”映射到值字段“用户标识”字符串规则校验失败',
    );
    if (body.mchid !== merchant.mchid) throw new SimHttpError(400, 'MCH_NOT_EXISTS', '商户号不存在');
    if (body.appid !== merchant.appid)
      throw new SimHttpError(400, 'APPID_MCHID_NOT_MATCH', 'appid和mch_id不匹配');
    const outTradeNo = body.out_trade_no as string;
    const existing = txs.get(outTradeNo);
    if (existing) {
      const same =
        existing.description === body.description &&
        existing.notifyUrl === body.notify_url &&
        existing.totalFen === amount.total &&
        existing.payerOpenid === payer.openid;
      if (existing.tradeState === 'SUCCESS' || existing.tradeState === 'REFUND')
        throw new SimHttpError(400, 'ORDERPAID', '该订单已支付');
      if (existing.tradeState === 'CLOSED') throw new SimHttpError(400, 'ORDER_CLOSED', '订单已关闭');
      if (!same) throw new SimHttpError(403, 'OUT_TRADE_NO_USED', '商户订单号重复');
      return { prepay_id: existing.prepayId };
    }
    const tx: TxState = {
      outTradeNo,
      prepayId: `wx${shanghai(now()).slice(0, 19).replace(/\D/g, '').slice(2)}${randomBytes(12).toString('hex').slice(0, 22)}`,
      transactionId: null,
      mchid: merchant.mchid,
      appid: merchant.appid,
      description: body.description as string,
      notifyUrl: body.notify_url as string,
      totalFen: amount.total as number,
      payerOpenid: payer.openid as string,
      timeExpire: (body.time_expire as string | undefined) ?? null,
      tradeState: 'NOTPAY',
      successTime: null,
      refundedFen: 0,
      createdAt: now(),
      eventId: null,
      notifyOverrides: {},
    };
    txs.set(outTradeNo, tx);
    return { prepay_id: tx.prepayId };
  }

  function query(outTradeNo: string, mchid: string | null): Json {
    need(mchid, '输入源“/query/mchid”映射到值字段“直连商户号”字符串规则校验失败');
    if (mchid !== merchant.mchid) throw new SimHttpError(400, 'MCH_NOT_EXISTS', '商户号不存在');
    const tx = txs.get(outTradeNo);
    if (!tx) throw new SimHttpError(404, 'ORDER_NOT_EXIST', '订单不存在');
    return transactionJson(tx);
  }

  function closeTx(outTradeNo: string, body: Json): null {
    need(
      typeof body.mchid === 'string' && body.mchid,
      '输入源“/body/mchid”映射到值字段“直连商户号”字符串规则校验失败',
    );
    if (body.mchid !== merchant.mchid) throw new SimHttpError(400, 'MCH_NOT_EXISTS', '商户号不存在');
    const tx = txs.get(outTradeNo);
    if (!tx) throw new SimHttpError(404, 'ORDER_NOT_EXIST', '订单不存在');
    if (tx.tradeState === 'SUCCESS' || tx.tradeState === 'REFUND')
      throw new SimHttpError(400, 'ORDERPAID', '订单已支付');
    tx.tradeState = 'CLOSED';
    return null;
  }

  function createRefund(body: Json): Json {
    const amount = (body.amount ?? {}) as Json;
    need(
      typeof body.out_refund_no === 'string' && OUT_REFUND_NO.test(body.out_refund_no),
      '输入源“/body/out_refund_no”映射到值字段“商户退款单号”字符串规则校验失败',
    );
    need(
      typeof body.out_trade_no === 'string' || typeof body.transaction_id === 'string',
      'out_trade_no 和 transaction_id 必须填一个',
    );
    need(
      typeof amount.refund === 'number' && Number.isInteger(amount.refund) && amount.refund >= 1,
      '输入源“/body/amount/refund”映射到值字段“退款金额”整数规则校验失败',
    );
    need(
      typeof amount.total === 'number' && Number.isInteger(amount.total) && amount.total >= 1,
      '输入源“/body/amount/total”映射到值字段“原订单金额”整数规则校验失败',
    );
    need(amount.currency === 'CNY', '输入源“/body/amount/currency”映射到值字段“退款币种”字符串规则校验失败');
    need(
      body.notify_url === undefined ||
        (typeof body.notify_url === 'string' && /^https?:\/\//.test(body.notify_url)),
      '输入源“/body/notify_url”映射到值字段“退款结果回调url”字符串规则校验失败',
    );
    const tx =
      typeof body.out_trade_no === 'string'
        ? txs.get(body.out_trade_no)
        : [...txs.values()].find((t) => t.transactionId === body.transaction_id);
    if (!tx) throw new SimHttpError(404, 'RESOURCE_NOT_EXISTS', '订单不存在');
    const outRefundNo = body.out_refund_no as string;
    const existing = refunds.get(outRefundNo);
    if (existing) {
      // WeChat answers the same refund for a repeated out_refund_no with the same request.
      if (existing.outTradeNo === tx.outTradeNo && existing.refundFen === amount.refund)
        return refundAnswerJson(existing);
      throw new SimHttpError(400, 'INVALID_REQUEST', '商户退款单号已存在，但退款信息不一致');
    }
    if (tx.tradeState !== 'SUCCESS' && tx.tradeState !== 'REFUND')
      throw new SimHttpError(400, 'INVALID_REQUEST', '订单未支付，不能退款');
    if (amount.total !== tx.totalFen)
      throw new SimHttpError(400, 'INVALID_REQUEST', '订单金额与原订单金额不一致');
    if (refundedFen(tx.outTradeNo) + (amount.refund as number) > tx.totalFen)
      throw new SimHttpError(400, 'INVALID_REQUEST', '申请退款金额超过订单可退金额');
    const r: RefundState = {
      outRefundNo,
      outTradeNo: tx.outTradeNo,
      refundId: `50${digits(27)}`,
      transactionId: tx.transactionId!,
      status: 'PROCESSING',
      refundFen: amount.refund as number,
      totalFen: tx.totalFen,
      reason: typeof body.reason === 'string' ? body.reason : null,
      notifyUrl: typeof body.notify_url === 'string' ? body.notify_url : null,
      successTime: null,
      createdAt: now(),
      eventIds: {},
    };
    refunds.set(outRefundNo, r);
    tx.tradeState = 'REFUND';
    tx.refundedFen = refundedFen(tx.outTradeNo);
    const ending = refundEndings.shift() ?? 'SUCCESS';
    if (refundDelay !== 'manual') void later(refundDelay, () => finishRefund(r, ending));
    else if (ending !== 'SUCCESS') refundEndings.unshift(ending);
    return refundAnswerJson(r);
  }

  function queryRefund(outRefundNo: string): Json {
    const r = refunds.get(outRefundNo);
    if (!r) throw new SimHttpError(404, 'RESOURCE_NOT_EXISTS', '退款单不存在');
    return refundAnswerJson(r);
  }

  function certificates(): Json {
    const nonce = alnum(12);
    return {
      data: [
        {
          serial_no: certSerial,
          effective_time: shanghai(now() - 86_400_000),
          expire_time: shanghai(now() + 5 * 365 * 86_400_000),
          encrypt_certificate: {
            algorithm: 'AEAD_AES_256_GCM',
            nonce,
            associated_data: 'certificate',
            ciphertext: aeadEncrypt({
              apiV3Key: merchant.apiV3Key,
              nonce,
              associatedData: 'certificate',
              plaintext: platformCertificate(),
            }),
          },
        },
      ],
    };
  }

  // ---- HTTP ------------------------------------------------------------------------------------------
  function send200(res: ServerResponse, status: number, body: string, headers: Record<string, string>) {
    res.writeHead(status, { 'request-id': randomUUID(), ...headers });
    res.end(body);
  }

  function answer(res: ServerResponse, status: number, json: Json | null, spoil?: Spoil) {
    const body = json === null ? '' : JSON.stringify(json);
    send200(res, status, body, {
      ...(json === null ? {} : { 'content-type': 'application/json; charset=utf-8' }),
      ...signedHeaders(body, spoil),
    });
  }

  function authenticate(req: IncomingMessage, rawUrl: string, body: string): void {
    const auth = parseAuthorization(req.headers.authorization);
    if (!auth) throw new SimHttpError(401, 'SIGN_ERROR', 'Authorization不合法');
    if (auth.mchid !== merchant.mchid) throw new SimHttpError(401, 'SIGN_ERROR', '商户号与签名不匹配');
    if (auth.serialNo !== merchant.certSerial)
      throw new SimHttpError(401, 'SIGN_ERROR', '商户证书序列号有误，请确认证书序列号是否正确');
    if (Math.abs(now() / 1000 - Number(auth.timestamp)) > 300)
      throw new SimHttpError(401, 'SIGN_ERROR', '请求时间戳与服务器时间相差过大');
    const message = requestMessage({
      method: req.method ?? 'GET',
      url: rawUrl,
      timestamp: auth.timestamp,
      nonce: auth.nonce,
      body,
    });
    if (!verifySha256WithRsa(message, auth.signature, merchant.publicKeyPem))
      throw new SimHttpError(401, 'SIGN_ERROR', '签名错误，请检查后再试');
  }

  function parseBody(text: string): Json {
    if (!text) return {};
    try {
      const v: unknown = JSON.parse(text);
      if (v && typeof v === 'object' && !Array.isArray(v)) return v as Json;
    } catch {
      // falls through
    }
    throw new SimHttpError(400, 'PARAM_ERROR', '请求体不是合法的JSON');
  }

  /** The merchant API: route -> endpoint name and handler. */
  function route(
    method: string,
    path: string,
    url: URL,
  ): { endpoint: SimEndpoint; run: (b: Json) => Json | null } | null {
    const m = /^\/v3\/pay\/transactions\/out-trade-no\/([^/]+)(\/close)?$/.exec(path);
    if (method === 'POST' && path === '/v3/pay/transactions/jsapi')
      return { endpoint: 'prepay', run: prepay };
    if (m && method === 'GET' && !m[2])
      return {
        endpoint: 'query',
        run: () => query(decodeURIComponent(m[1]!), url.searchParams.get('mchid')),
      };
    if (m && method === 'POST' && m[2])
      return { endpoint: 'close', run: (b) => closeTx(decodeURIComponent(m[1]!), b) };
    if (method === 'POST' && path === '/v3/refund/domestic/refunds')
      return { endpoint: 'refund', run: createRefund };
    const r = /^\/v3\/refund\/domestic\/refunds\/([^/]+)$/.exec(path);
    if (r && method === 'GET')
      return { endpoint: 'queryRefund', run: () => queryRefund(decodeURIComponent(r[1]!)) };
    if (method === 'GET' && path === '/v3/certificates')
      return { endpoint: 'certificates', run: certificates };
    return null;
  }

  async function handleApi(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    body: string,
  ): Promise<number> {
    const method = req.method ?? 'GET';
    const r = route(method, url.pathname, url);
    let spoil: Spoil | undefined;
    try {
      if (!r) throw new SimHttpError(404, 'NOT_FOUND', `${method} ${url.pathname} 不存在`);
      authenticate(req, req.url ?? url.pathname, body);
      const fault = faults.get(r.endpoint)?.shift();
      if (fault && 'delayMs' in fault) await sleep(fault.delayMs);
      if (fault && 'code' in fault)
        throw new SimHttpError(fault.status, fault.code, fault.message ?? fault.code);
      if (fault && 'answer' in fault) spoil = fault.answer;
      const json = r.run(parseBody(body));
      const status = json === null ? 204 : 200;
      // The certificate download is always signed with the platform certificate it carries.
      if (r.endpoint === 'certificates' && !spoil) {
        const saved = verifierMode;
        verifierMode = 'platformCertificate';
        answer(res, status, json);
        verifierMode = saved;
      } else answer(res, status, json, spoil);
      return status;
    } catch (e) {
      const err =
        e instanceof SimHttpError
          ? e
          : new SimHttpError(500, 'SYSTEM_ERROR', '系统错误，请使用相同参数稍后重新调用');
      answer(res, err.status, { code: err.code, message: err.message }, spoil);
      return err.status;
    }
  }

  /** The dev page: open transactions with a 支付 link, refunds, and the latest notification attempts. */
  function controlPage(): string {
    const yuan = (fen: number) => `${(fen / 100).toFixed(2)} 元`;
    const time = (ms: number) => shanghai(ms).slice(0, 19).replace('T', ' ');
    const txRows = [...txs.values()]
      .reverse()
      .map(
        (t) =>
          `<tr><td>${t.outTradeNo}</td><td>${t.description.replace(/[<>&"]/g, '')}</td><td>${yuan(t.totalFen)}</td>` +
          `<td>${TRADE_DESC[t.tradeState]}</td><td>${
            t.tradeState === 'NOTPAY'
              ? `<a href="/_sim/pay?outTradeNo=${encodeURIComponent(t.outTradeNo)}">支付</a>`
              : ''
          }</td></tr>`,
      )
      .join('');
    const refundRows = [...refunds.values()]
      .reverse()
      .map(
        (r) =>
          `<tr><td>${r.outRefundNo}</td><td>${r.outTradeNo}</td><td>${yuan(r.refundFen)}</td><td>${r.status}</td></tr>`,
      )
      .join('');
    const noteRows = notificationLog
      .slice(-20)
      .reverse()
      .map(
        (n) =>
          `<tr><td>${time(n.sentAt)}</td><td>${n.eventType}</td><td>${n.outRefundNo ?? n.outTradeNo}</td>` +
          `<td>${n.mode}</td><td>${n.status ?? '无法送达'}${n.accepted ? ' ✓' : ''}</td></tr>`,
      )
      .join('');
    const table = (head: string[], rows: string, empty: string) =>
      `<table border="1" cellpadding="6"><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr>${
        rows || `<tr><td colspan="${head.length}">${empty}</td></tr>`
      }</table>`;
    return (
      '<!doctype html><html lang="zh-CN"><meta charset="utf-8"><meta name="viewport" content="width=device-width">' +
      '<title>微信支付模拟器</title><body style="font-size:18px;font-family:sans-serif">' +
      `<h1>微信支付模拟器</h1><p>商户号 ${merchant.mchid} · <a href="/_sim/">刷新</a></p>` +
      `<h2>订单</h2>${table(['商户订单号', '描述', '金额', '状态', ''], txRows, '暂无订单')}` +
      `<h2>退款</h2>${table(['退款单号', '商户订单号', '金额', '状态'], refundRows, '暂无退款')}` +
      `<h2>最近的通知</h2>${table(['时间', '事件', '单号', '方式', '商户应答'], noteRows, '暂无通知')}` +
      '</body></html>'
    );
  }

  async function handleControl(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    url: URL,
    body: string,
  ): Promise<number> {
    const fromBrowser = (req.headers.accept ?? '').includes('text/html');
    const params: Json = { ...Object.fromEntries(url.searchParams), ...(body ? parseBody(body) : {}) };
    const num = (v: unknown) => (v === undefined || v === '' ? undefined : Number(v));
    const json = (status: number, data: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(data));
      return status;
    };
    try {
      const path = url.pathname.replace(/\/+$/, '') || '/_sim';
      if (path === '/_sim' && method === 'GET') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(controlPage());
        return 200;
      }
      if (path === '/_sim/pay') {
        const ref = String(
          params.outTradeNo ?? params.prepayId ?? params.out_trade_no ?? params.prepay_id ?? '',
        );
        const tx = await pay(ref, {
          notify: params.notify as SimNotifyMode | undefined,
          delayMs: num(params.delayMs),
          amountFen: num(params.amountFen),
          mchid: params.mchid as string | undefined,
          appid: params.appid as string | undefined,
          payerOpenid: params.payerOpenid as string | undefined,
        });
        // A click on the page's 支付 link goes back to the page; curl and tests get the JSON.
        if (method === 'GET' && fromBrowser) {
          res.writeHead(303, { location: '/_sim/' });
          res.end();
          return 303;
        }
        return json(200, tx);
      }
      if (path === '/_sim/notify' && method === 'POST') {
        const target = params.outRefundNo
          ? { outRefundNo: String(params.outRefundNo) }
          : { outTradeNo: String(params.outTradeNo ?? '') };
        return json(
          200,
          await sim.notify(target, {
            mode: params.mode as SimNotifyMode | undefined,
            times: num(params.times),
            concurrent: params.concurrent === true || params.concurrent === 'true',
            delayMs: num(params.delayMs),
          }),
        );
      }
      if (path === '/_sim/fail-next-refund' && method === 'POST') {
        sim.failNextRefund(String(params.code), Number(params.status), num(params.count));
        return json(200, { ok: true });
      }
      if (path === '/_sim/end-next-refund' && method === 'POST') {
        sim.endNextRefund(params.status === 'CLOSED' ? 'CLOSED' : 'ABNORMAL');
        return json(200, { ok: true });
      }
      if (path === '/_sim/settle-refund' && method === 'POST')
        return json(
          200,
          await sim.settleRefund(String(params.outRefundNo), params.status as 'SUCCESS' | undefined),
        );
      if (path === '/_sim/transactions') return json(200, sim.transactions());
      if (path === '/_sim/refunds') return json(200, sim.refunds());
      if (path === '/_sim/notifications') return json(200, sim.notifications());
      return json(404, { error: 'not found' });
    } catch (e) {
      return json(400, { error: (e as Error).message });
    }
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const method = req.method ?? 'GET';
      // Logged on arrival (status 0 until answered), so the log is complete when the client has its answer.
      const entry = { method, path: url.pathname, status: 0 };
      requestLog.push(entry);
      entry.status = url.pathname.startsWith('/_sim')
        ? await handleControl(req, res, method, url, body)
        : await handleApi(req, res, url, body);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${opts.host ?? '127.0.0.1'}:${port}`;

  const sim: WechatpaySimulator = {
    url,
    merchant,
    publicKeyPem: keys.wechat.publicKeyPem,
    publicKeyId,
    get platformCertificatePem() {
      return platformCertificate();
    },
    platformCertificateSerial: certSerial,
    deliver: opts.deliver ?? null,
    get verifierMode() {
      return verifierMode;
    },
    set verifierMode(mode) {
      if (mode === 'platformCertificate') platformCertificate();
      verifierMode = mode;
    },
    clientConfig(over = {}) {
      const { mode, withCertificates, ...rest } = over;
      // Naming a mode is the merchant choosing it on the merchant platform: WeChat then signs that way.
      if (mode) sim.verifierMode = mode;
      const verifier: WechatpayVerifier =
        verifierMode === 'publicKey'
          ? { mode: 'publicKey', publicKeyId, publicKeyPem: keys.wechat.publicKeyPem }
          : { mode: 'platformCertificate', certificatesPem: withCertificates ? [platformCertificate()] : [] };
      return {
        baseUrl: url,
        mchid: merchant.mchid,
        appid: merchant.appid,
        merchantPrivateKeyPem: merchant.privateKeyPem,
        merchantCertSerial: merchant.certSerial,
        apiV3Key: merchant.apiV3Key,
        verifier,
        ...rest,
      };
    },
    pay,
    async notify(target, o = {}) {
      if ('outTradeNo' in target) {
        const tx = txs.get(target.outTradeNo);
        if (!tx) throw new Error(`no transaction ${target.outTradeNo}`);
        if (tx.tradeState !== 'SUCCESS' && tx.tradeState !== 'REFUND')
          throw new Error(`transaction ${tx.outTradeNo} is not paid`);
        return send(transactionEvent(tx, {}), o);
      }
      const r = refunds.get(target.outRefundNo);
      if (!r) throw new Error(`no refund ${target.outRefundNo}`);
      const ev = refundEvent(r);
      if (!ev)
        throw new Error(
          `refund ${r.outRefundNo} has nothing to notify (${r.status}, notify_url ${r.notifyUrl})`,
        );
      return send(ev, o);
    },
    failNextRefund(code, status, count = 1) {
      sim.failNext('refund', { status, code }, count);
    },
    endNextRefund(status) {
      refundEndings.push(status);
    },
    async settleRefund(outRefundNo, status = 'SUCCESS') {
      const r = refunds.get(outRefundNo);
      if (!r) throw new Error(`no refund ${outRefundNo}`);
      return finishRefund(r, status);
    },
    failNext(endpoint, fault, count = 1) {
      const list = faults.get(endpoint) ?? [];
      for (let i = 0; i < count; i++) list.push(fault);
      faults.set(endpoint, list);
    },
    expire(outTradeNo) {
      const tx = txs.get(outTradeNo);
      if (tx && (tx.tradeState === 'NOTPAY' || tx.tradeState === 'USERPAYING')) tx.tradeState = 'CLOSED';
    },
    transactions: () => [...txs.values()].map(copyTx),
    refunds: () => [...refunds.values()].map(copyRefund),
    notifications: () => notificationLog.map((n) => ({ ...n })),
    requests: () => requestLog.map((r) => ({ ...r })),
    async idle() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
    reset() {
      txs.clear();
      refunds.clear();
      notificationLog.length = 0;
      requestLog.length = 0;
      faults.clear();
      refundEndings.length = 0;
    },
    async close() {
      closed = true;
      for (const [t, settle] of timers) {
        clearTimeout(t);
        settle();
      }
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return sim;
}
