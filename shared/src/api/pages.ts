/**
 * Mini-program pages that the BFF may link to (notification links, subscribe-message pages). One
 * list so a moved page breaks the build instead of a tap.
 */
export const PAGES = {
  home: '/pages/index/index',
  market: '/pages/market/index',
  orders: '/pages/orders/index',
  mine: '/pages/mine/index',
  login: '/pages/login/index',
  membership: '/membership/index',
  inbox: '/inbox/index',
  staffMemberships: '/staff/memberships',
  staffProxyLinks: '/staff/proxy-links',
  family: '/family/index',
  familyAudit: '/family/audit',
  shop: '/shop/index',
  cart: '/shop/cart',
  orderDetail: '/shop/order',
  merchantOrders: '/merchant/orders',
  merchantProducts: '/merchant/products',
  merchantHours: '/merchant/hours',
  merchantStats: '/merchant/stats',
  merchantApply: '/merchant/apply',
  courierBatches: '/courier/batches',
  courierBatch: '/courier/batch',
  staffLockers: '/staff/lockers',
  staffWindows: '/staff/windows',
  staffBatches: '/staff/batches',
  staffMerchants: '/staff/merchants',
  care: '/care/index',
  careItem: '/care/item',
  careBooking: '/care/booking',
  careDashboard: '/care/dashboard',
  careMeals: '/care/meals',
  careProfile: '/care/profile',
  careAccessLog: '/care/access-log',
  caregiverVisits: '/caregiver/visits',
  caregiverVisit: '/caregiver/visit',
  providerApply: '/provider/apply',
  providerHome: '/provider/index',
  providerCaregivers: '/provider/caregivers',
  providerCaregiver: '/provider/caregiver',
  providerBookings: '/provider/bookings',
  providerMeals: '/provider/meals',
  staffCareProviders: '/staff/care-providers',
  staffCareCatalog: '/staff/care-catalog',
  staffCareBookings: '/staff/care-bookings',
  staffCareReports: '/staff/care-reports',
} as const;

export const TAB_PAGES: readonly string[] = [PAGES.home, PAGES.market, PAGES.orders, PAGES.mine];

/** WeChat's subscribe-message `page` field has no leading slash. */
export const wechatPage = (path: string) => path.replace(/^\//, '');
