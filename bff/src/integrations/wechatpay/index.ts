/** The WeChat Pay v3 integration: the face (api.ts), the client, key loading, and the simulator. */
export type * from './api';
export {
  createWechatpayClient,
  INVALID_SIGNATURE_CODE,
  isRetryableStatus,
  MALFORMED_ANSWER_CODE,
  TRANSPORT_CODE,
  toShanghaiRfc3339,
  WechatpayError,
  WechatpayNotificationError,
} from './client';
export { loadPem } from './keys';
export { paySignMessage, signPayment, verifySha256WithRsa } from './sign';
export {
  type SimDeliver,
  type SimMerchant,
  type SimNotificationRecord,
  type SimNotifyMode,
  type SimRefund,
  type SimTransaction,
  startWechatpaySimulator,
  WECHATPAY_NOTIFY_RETRY_DELAYS_MS,
  type WechatpaySimulator,
  type WechatpaySimulatorOptions,
} from './simulator';
