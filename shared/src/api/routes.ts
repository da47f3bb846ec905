import { z } from 'zod';
import { DevLoginBody, RefreshBody, TokenPair, WechatLoginBody } from '../contracts/auth';
import { CareBooking } from '../contracts/care';
import { Ok } from '../contracts/common';
import {
  Availability,
  AvailabilityQuery,
  Batch,
  BatchList,
  BatchManifest,
  Compartment,
  CompartmentProblemBody,
  CompartmentProblemResult,
  CreateLockerBankBody,
  CreateScheduleBody,
  DeliverySchedule,
  DeliveryWindow,
  DeliveryWindowList,
  DeliveryWindowQuery,
  DeviceSecret,
  DropBody,
  DropResult,
  LockerBank,
  LockerBankList,
  LockerBankWithSecret,
  Opened,
  OpenLockerBody,
  PickupBody,
  RetrieveBody,
  StaffBatchQuery,
  StaffOverdueList,
  StaffWindows,
  UpdateCompartmentBody,
  UpdateLockerBankBody,
} from '../contracts/lockers';
import {
  ApplyMerchantBody,
  CreateProductBody,
  Merchant,
  MerchantList,
  MerchantProduct,
  MerchantProductList,
  MerchantQuery,
  ProductCategoryList,
  ProductCategoryQuery,
  ProductPage,
  ProductQuery,
  StaffMerchantList,
  StaffMerchantQuery,
  UpdateMerchantBody,
  UpdateProductBody,
} from '../contracts/market';
import { Me, Membership, UpdateMeBody } from '../contracts/me';
import {
  CreateMembershipBody,
  MembershipList,
  RejectMembershipBody,
  ReviewMembershipBody,
  StaffMembershipList,
  StaffMembershipQuery,
} from '../contracts/memberships';
import {
  MarkReadBody,
  NotificationPage,
  NotificationQuery,
  SubscribeTemplates,
  SubscriptionGrantBody,
  SubscriptionQuota,
} from '../contracts/notifications';
import {
  CreateOrderBody,
  IdempotencyKey,
  MerchantOrder,
  MerchantOrderPage,
  MerchantOrderQuery,
  MerchantStats,
  MerchantStatsQuery,
  NoteBody,
  Order,
  OrderPage,
  OrderQuery,
  PayResponse,
  ReasonBody,
  RefundRequestBody,
  VerifyPickupBody,
} from '../contracts/orders';
import { StaffPaymentRefund, StaffPaymentRefundList, StaffPaymentRefundQuery } from '../contracts/payments';
import { CommunityList, CommunityTree } from '../contracts/places';
import {
  AuditList,
  CreateProxyLinkBody,
  ProxyLink,
  ProxyLinkList,
  RecordConsentBody,
  StaffProxyLinkQuery,
} from '../contracts/proxies';
import { Upload, UploadFileQuery, UploadList, UploadQuery } from '../contracts/uploads';
import { careApi } from './care-routes';
import { communityApi } from './community-routes';
import { homeApi } from './home-routes';
import { neighborApi } from './neighbor-routes';
import { requestApi } from './request-routes';
import type { RouteDef } from './route-def';
import { volunteerApi } from './volunteer-routes';

export type { RouteDef } from './route-def';

const Empty = z.object({}).strict();

export const api = {
  ...careApi,
  ...volunteerApi,
  ...neighborApi,
  ...communityApi,
  ...requestApi,
  ...homeApi,
  wechatLogin: {
    method: 'POST',
    path: '/v1/auth/wechat',
    body: WechatLoginBody,
    response: TokenPair,
    auth: false,
  },
  devLogin: {
    method: 'POST',
    path: '/v1/auth/dev-login',
    body: DevLoginBody,
    response: TokenPair,
    auth: false,
  },
  refresh: { method: 'POST', path: '/v1/auth/refresh', body: RefreshBody, response: TokenPair, auth: false },
  logout: { method: 'POST', path: '/v1/auth/logout', body: RefreshBody, response: Ok },
  me: { method: 'GET', path: '/v1/me', response: Me, proxy: true },
  updateMe: { method: 'PATCH', path: '/v1/me', body: UpdateMeBody, response: Me },

  communities: { method: 'GET', path: '/v1/communities', response: CommunityList },
  community: { method: 'GET', path: '/v1/communities/:id', response: CommunityTree },

  myMemberships: { method: 'GET', path: '/v1/memberships', response: MembershipList, proxy: true },
  requestMembership: {
    method: 'POST',
    path: '/v1/memberships',
    body: CreateMembershipBody,
    response: Membership,
    proxy: true,
  },
  staffMemberships: {
    method: 'GET',
    path: '/v1/staff/memberships',
    query: StaffMembershipQuery,
    response: StaffMembershipList,
  },
  approveMembership: {
    method: 'POST',
    path: '/v1/staff/memberships/:id/approve',
    body: ReviewMembershipBody,
    response: Membership,
  },
  rejectMembership: {
    method: 'POST',
    path: '/v1/staff/memberships/:id/reject',
    body: RejectMembershipBody,
    response: Membership,
  },

  proxyLinks: { method: 'GET', path: '/v1/proxy-links', response: ProxyLinkList },
  requestProxyLink: {
    method: 'POST',
    path: '/v1/proxy-links',
    body: CreateProxyLinkBody,
    response: ProxyLink,
  },
  consentProxyLink: { method: 'POST', path: '/v1/proxy-links/:id/consent', body: Empty, response: ProxyLink },
  revokeProxyLink: { method: 'POST', path: '/v1/proxy-links/:id/revoke', body: Empty, response: ProxyLink },
  staffProxyLinks: {
    method: 'GET',
    path: '/v1/staff/proxy-links',
    query: StaffProxyLinkQuery,
    response: ProxyLinkList,
  },
  /** What family members did on my behalf (or, with X-On-Behalf-Of, on the elder's). */
  proxyAudit: { method: 'GET', path: '/v1/proxy-links/audit', response: AuditList, proxy: true },
  staffRecordConsent: {
    method: 'POST',
    path: '/v1/staff/proxy-links/:id/consent',
    body: RecordConsentBody,
    response: ProxyLink,
  },

  notifications: {
    method: 'GET',
    path: '/v1/notifications',
    query: NotificationQuery,
    response: NotificationPage,
    proxy: true,
  },
  markNotificationsRead: {
    method: 'POST',
    path: '/v1/notifications/read',
    body: MarkReadBody,
    response: Ok,
    proxy: true,
  },
  grantSubscriptions: {
    method: 'POST',
    path: '/v1/notifications/subscriptions',
    body: SubscriptionGrantBody,
    response: SubscriptionQuota,
  },
  /** Which template ids the mini-program should ask the user to subscribe to. */
  subscribeTemplates: { method: 'GET', path: '/v1/notifications/templates', response: SubscribeTemplates },
  subscriptionQuota: { method: 'GET', path: '/v1/notifications/subscriptions', response: SubscriptionQuota },

  merchants: { method: 'GET', path: '/v1/merchants', query: MerchantQuery, response: MerchantList },
  merchant: { method: 'GET', path: '/v1/merchants/:id', response: Merchant },
  products: { method: 'GET', path: '/v1/products', query: ProductQuery, response: ProductPage },
  productCategories: {
    method: 'GET',
    path: '/v1/product-categories',
    query: ProductCategoryQuery,
    response: ProductCategoryList,
  },
  /** Open a shop: it waits for staff to verify it. */
  applyMerchant: { method: 'POST', path: '/v1/merchants', body: ApplyMerchantBody, response: Merchant },

  createOrder: {
    method: 'POST',
    path: '/v1/orders',
    headers: z.looseObject({ 'idempotency-key': IdempotencyKey }),
    body: CreateOrderBody,
    response: Order,
    proxy: true,
  },
  orders: { method: 'GET', path: '/v1/orders', query: OrderQuery, response: OrderPage, proxy: true },
  order: { method: 'GET', path: '/v1/orders/:id', response: Order, proxy: true },
  cancelOrder: { method: 'POST', path: '/v1/orders/:id/cancel', body: Empty, response: Order, proxy: true },
  payOrder: { method: 'POST', path: '/v1/orders/:id/pay', body: Empty, response: PayResponse, proxy: true },
  /** devpay only: stands in for the provider's callback; refused in production. */
  devConfirmPayment: {
    method: 'POST',
    path: '/v1/payments/:id/dev-confirm',
    body: Empty,
    /** What was paid for, as its owner sees it: an order or a care booking. */
    response: z.union([Order, CareBooking]),
    proxy: true,
  },
  requestRefund: {
    method: 'POST',
    path: '/v1/orders/:id/refund-request',
    body: RefundRequestBody,
    response: Order,
    proxy: true,
  },

  /** Multipart: one part named `file` per image; the bytes decide the type, not the name. */
  createUploads: {
    method: 'POST',
    path: '/v1/uploads',
    query: UploadQuery,
    response: UploadList,
    proxy: true,
  },
  upload: { method: 'GET', path: '/v1/uploads/:id', response: Upload, proxy: true },
  deleteUpload: { method: 'DELETE', path: '/v1/uploads/:id', response: Ok, proxy: true },
  /** The image bytes behind a URL the BFF handed out: its signature is the permission. */
  uploadFile: {
    method: 'GET',
    path: '/v1/uploads/:id/file',
    query: UploadFileQuery,
    response: z.unknown(),
    auth: false,
  },

  myShop: { method: 'GET', path: '/v1/merchant/profile', response: Merchant },
  updateMyShop: {
    method: 'PATCH',
    path: '/v1/merchant/profile',
    body: UpdateMerchantBody,
    response: Merchant,
  },
  merchantOrders: {
    method: 'GET',
    path: '/v1/merchant/orders',
    query: MerchantOrderQuery,
    response: MerchantOrderPage,
  },
  merchantOrder: { method: 'GET', path: '/v1/merchant/orders/:id', response: MerchantOrder },
  acceptOrder: {
    method: 'POST',
    path: '/v1/merchant/orders/:id/accept',
    body: Empty,
    response: MerchantOrder,
  },
  rejectOrder: {
    method: 'POST',
    path: '/v1/merchant/orders/:id/reject',
    body: ReasonBody,
    response: MerchantOrder,
  },
  packOrder: { method: 'POST', path: '/v1/merchant/orders/:id/pack', body: Empty, response: MerchantOrder },
  verifyPickup: {
    method: 'POST',
    path: '/v1/merchant/orders/verify-pickup',
    body: VerifyPickupBody,
    response: MerchantOrder,
  },
  merchantProducts: { method: 'GET', path: '/v1/merchant/products', response: MerchantProductList },
  createProduct: {
    method: 'POST',
    path: '/v1/merchant/products',
    body: CreateProductBody,
    response: MerchantProduct,
  },
  updateProduct: {
    method: 'PATCH',
    path: '/v1/merchant/products/:id',
    body: UpdateProductBody,
    response: MerchantProduct,
  },
  approveRefund: {
    method: 'POST',
    path: '/v1/merchant/refunds/:id/approve',
    body: NoteBody,
    response: MerchantOrder,
  },
  rejectRefund: {
    method: 'POST',
    path: '/v1/merchant/refunds/:id/reject',
    body: ReasonBody,
    response: MerchantOrder,
  },
  merchantStats: {
    method: 'GET',
    path: '/v1/merchant/stats',
    query: MerchantStatsQuery,
    response: MerchantStats,
  },

  staffMerchants: {
    method: 'GET',
    path: '/v1/staff/merchants',
    query: StaffMerchantQuery,
    response: StaffMerchantList,
  },
  verifyMerchant: { method: 'POST', path: '/v1/staff/merchants/:id/verify', body: Empty, response: Merchant },
  /** Refunds the provider has not carried out (failed or abnormal), of what the staff member's communities bought. */
  staffPaymentRefunds: {
    method: 'GET',
    path: '/v1/staff/payment-refunds',
    query: StaffPaymentRefundQuery,
    response: StaffPaymentRefundList,
  },
  /** Asks the provider again (the same out_refund_no, so it never pays out twice). */
  retryPaymentRefund: {
    method: 'POST',
    path: '/v1/staff/payment-refunds/:id/retry',
    body: Empty,
    response: StaffPaymentRefund,
  },

  deliveryWindows: {
    method: 'GET',
    path: '/v1/delivery-windows',
    query: DeliveryWindowQuery,
    response: DeliveryWindowList,
  },
  lockerAvailability: {
    method: 'GET',
    path: '/v1/lockers/availability',
    query: AvailabilityQuery,
    response: Availability,
    proxy: true,
  },
  /** Free extensions only; a fee is paid first through payLockerExtension, and the payment extends. */
  extendLocker: { method: 'POST', path: '/v1/orders/:id/extend', body: Empty, response: Order, proxy: true },
  payLockerExtension: {
    method: 'POST',
    path: '/v1/orders/:id/extend/pay',
    body: Empty,
    response: PayResponse,
    proxy: true,
  },
  /** The resident at the bank opens their compartments from the app. */
  openLocker: {
    method: 'POST',
    path: '/v1/lockers/:id/open',
    body: OpenLockerBody,
    response: Opened,
    proxy: true,
  },
  /** The locker panel: authenticated by the bank's device signature, not a user token. */
  devicePickup: {
    method: 'POST',
    path: '/v1/devices/lockers/:id/pickup',
    headers: z.looseObject({
      'x-device-timestamp': z.string().regex(/^\d{13}$/, 'must be unix milliseconds'),
      'x-device-signature': z.string().regex(/^[0-9a-f]{64}$/, 'must be a hex HMAC-SHA256'),
    }),
    body: PickupBody,
    response: Opened,
    auth: false,
  },

  courierBatches: { method: 'GET', path: '/v1/courier/batches', response: BatchList },
  courierBatch: { method: 'GET', path: '/v1/courier/batches/:id', response: BatchManifest },
  startBatch: { method: 'POST', path: '/v1/courier/batches/:id/start', body: Empty, response: Batch },
  dropOrder: { method: 'POST', path: '/v1/courier/batches/:id/drops', body: DropBody, response: DropResult },
  /** An overdue order taken out of its locker on this run: returned to the merchant. */
  retrieveOrder: {
    method: 'POST',
    path: '/v1/courier/batches/:id/retrievals',
    body: RetrieveBody,
    response: Opened,
  },
  compartmentProblem: {
    method: 'POST',
    path: '/v1/courier/batches/:id/compartment-problem',
    body: CompartmentProblemBody,
    response: CompartmentProblemResult,
  },

  staffLockerBanks: { method: 'GET', path: '/v1/staff/locker-banks', response: LockerBankList },
  createLockerBank: {
    method: 'POST',
    path: '/v1/staff/locker-banks',
    body: CreateLockerBankBody,
    response: LockerBankWithSecret,
  },
  updateLockerBank: {
    method: 'PATCH',
    path: '/v1/staff/locker-banks/:id',
    body: UpdateLockerBankBody,
    response: LockerBank,
  },
  rotateDeviceSecret: {
    method: 'POST',
    path: '/v1/staff/locker-banks/:id/device-secret',
    body: Empty,
    response: DeviceSecret,
  },
  updateCompartment: {
    method: 'PATCH',
    path: '/v1/staff/compartments/:id',
    body: UpdateCompartmentBody,
    response: Compartment,
  },
  staffDeliveryWindows: { method: 'GET', path: '/v1/staff/delivery-windows', response: StaffWindows },
  createDeliverySchedule: {
    method: 'POST',
    path: '/v1/staff/delivery-windows',
    body: CreateScheduleBody,
    response: DeliverySchedule,
  },
  /** Close now and build the batch at once: the same job the scheduler runs at cut-off. */
  closeDeliveryWindow: {
    method: 'POST',
    path: '/v1/staff/delivery-windows/:id/close',
    body: Empty,
    response: DeliveryWindow,
  },
  staffBatches: { method: 'GET', path: '/v1/staff/batches', query: StaffBatchQuery, response: BatchList },
  staffOverdueOrders: { method: 'GET', path: '/v1/staff/overdue-orders', response: StaffOverdueList },
} as const satisfies Record<string, RouteDef>;

export type Api = typeof api;

/** Routes that accept X-On-Behalf-Of. */
export const PROXY_ROUTES: ReadonlySet<RouteName> = new Set(
  (Object.keys(api) as RouteName[]).filter((n) => (api[n] as RouteDef).proxy === true),
);
export type RouteName = keyof Api;
export type RouteBody<N extends RouteName> = Api[N] extends { body: infer B extends z.ZodType }
  ? z.input<B>
  : never;
export type RouteQuery<N extends RouteName> = Api[N] extends { query: infer Q extends z.ZodType }
  ? z.input<Q>
  : never;
export type RouteResponse<N extends RouteName> = z.infer<Api[N]['response']>;
