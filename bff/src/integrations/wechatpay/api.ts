/**
 * The face of the WeChat Pay v3 integration (JSAPI for mini-programs): what the payments module
 * may use. The protocol lives beside it (signing, AEAD, the HTTP client, notification parsing) and
 * the loopback simulator in `simulator.ts`. Nothing here knows about Linli's tables.
 *
 * Amounts are integer fen; `outTradeNo` / `outRefundNo` are ours (a payment's / refund's uuid
 * without hyphens: WeChat allows 6-32 of [0-9A-Za-z_-|*]).
 */

/** How WeChat Pay's answers and notifications are verified, chosen by config. */
export type WechatpayVerifier =
  /** The WeChat Pay public key (merchant platform 公钥模式); `Wechatpay-Serial` carries its id `PUB_KEY_ID_...`. */
  | { mode: 'publicKey'; publicKeyId: string; publicKeyPem: string }
  /**
   * Platform certificates (平台证书模式), looked up by `Wechatpay-Serial`: the ones given here, and
   * those downloaded (GET /v3/certificates, decrypted with the APIv3 key) when a serial is unknown.
   */
  | { mode: 'platformCertificate'; certificatesPem?: string[] };

export interface WechatpayConfig {
  /** https://api.mch.weixin.qq.com in production; the simulator's url in dev and tests. */
  baseUrl: string;
  mchid: string;
  appid: string;
  /** The merchant API private key (apiclient_key.pem) and its certificate's serial number. */
  merchantPrivateKeyPem: string;
  merchantCertSerial: string;
  /** The APIv3 key: 32 bytes of ASCII, the AES-256-GCM key of notifications and certificates. */
  apiV3Key: string;
  verifier: WechatpayVerifier;
  /** Notifications older or newer than this (seconds) are refused; WeChat's own advice is 5 minutes. */
  maxClockSkewSeconds?: number;
  timeoutMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
}

/** What `wx.requestPayment` takes, signed with the merchant key (signType RSA). */
export interface RequestPaymentParams {
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: 'RSA';
  paySign: string;
}

/** trade_state as WeChat reports it. */
export type TradeState = 'SUCCESS' | 'REFUND' | 'NOTPAY' | 'CLOSED' | 'REVOKED' | 'USERPAYING' | 'PAYERROR';

export interface Transaction {
  outTradeNo: string;
  transactionId: string | null;
  tradeState: TradeState;
  mchid: string;
  appid: string;
  /** amount.total, in fen. */
  totalFen: number;
  payerOpenid: string | null;
  successTime: string | null;
}

/** Refund status as WeChat reports it. */
export type RefundStatus = 'SUCCESS' | 'CLOSED' | 'PROCESSING' | 'ABNORMAL';

export interface Refund {
  outRefundNo: string;
  outTradeNo: string;
  refundId: string;
  status: RefundStatus;
  refundFen: number;
  totalFen: number;
  successTime: string | null;
}

/**
 * An error answered by WeChat Pay (`{ code, message }` with a 4xx/5xx status) or a transport
 * failure (status 0, code 'TRANSPORT'). `retryable` says whether the same call may succeed later
 * (SYSTEM_ERROR, FREQUENCY_LIMITED, NOT_ENOUGH, 5xx, transport).
 */
export interface WechatpayErrorShape extends Error {
  readonly status: number;
  readonly code: string;
  readonly retryable: boolean;
}

export interface WechatpayClient {
  /** POST /v3/pay/transactions/jsapi, then the signed parameters for wx.requestPayment. */
  jsapiPrepay(input: {
    outTradeNo: string;
    description: string;
    notifyUrl: string;
    totalFen: number;
    payerOpenid: string;
    /** time_expire (RFC 3339, +08:00). */
    expiresAt?: Date;
  }): Promise<{ prepayId: string; requestPayment: RequestPaymentParams }>;
  /** Signs wx.requestPayment's parameters again for an existing prepay id (valid 2 hours). */
  requestPaymentParams(prepayId: string): RequestPaymentParams;
  /** GET /v3/pay/transactions/out-trade-no/{outTradeNo}?mchid=...; null when WeChat has no such order. */
  queryByOutTradeNo(outTradeNo: string): Promise<Transaction | null>;
  /** POST /v3/pay/transactions/out-trade-no/{outTradeNo}/close; closing a closed or unknown order is fine. */
  close(outTradeNo: string): Promise<void>;
  /** POST /v3/refund/domestic/refunds; WeChat answers the same refund for a repeated outRefundNo. */
  refund(input: {
    outTradeNo: string;
    outRefundNo: string;
    refundFen: number;
    totalFen: number;
    reason?: string;
    notifyUrl: string;
  }): Promise<Refund>;
  /** GET /v3/refund/domestic/refunds/{outRefundNo}; null when unknown. */
  queryRefund(outRefundNo: string): Promise<Refund | null>;
  /**
   * Verifies and decrypts a notification (headers as received, the raw body bytes as text).
   * Throws a `WechatpayNotificationError` for a bad signature, unknown serial, stale timestamp or a
   * resource that fails to decrypt; never returns unverified data.
   */
  parseNotification(
    headers: Record<string, string | string[] | undefined>,
    rawBody: string,
  ): Promise<WechatpayNotification>;
}

export type WechatpayNotification =
  | { id: string; eventType: 'TRANSACTION.SUCCESS'; transaction: Transaction }
  | {
      id: string;
      eventType: 'REFUND.SUCCESS' | 'REFUND.ABNORMAL' | 'REFUND.CLOSED';
      refund: Refund;
    }
  | { id: string; eventType: string; resource: unknown };

/** What went wrong with a notification; the route answers 4xx with WeChat's FAIL body so WeChat retries. */
export type WechatpayNotificationProblem =
  | 'MISSING_HEADERS'
  | 'UNKNOWN_SERIAL'
  | 'BAD_SIGNATURE'
  | 'STALE_TIMESTAMP'
  | 'DECRYPT_FAILED'
  | 'MALFORMED';
