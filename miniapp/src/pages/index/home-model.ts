import { formatDisplayTime, type HomeStaffQueue, PAGES, type Role } from 'shared';

/**
 * What 首页 offers each person, as data: tested apart from the components (home-model.test.ts).
 * `tab` entries are tab-bar pages (switchTab), the rest are sub-pages (navigateTo).
 */
export interface HomeEntry {
  key: string;
  label: string;
  hint: string;
  url: string;
  tab?: boolean;
  testId: string;
}

/** 「1小时05分」「3天2小时」「04:59」: how long until the cut-off, as big as it needs to be. */
export function countdownText(seconds: number): string {
  if (seconds <= 0) return '已截单';
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  if (days > 0) return `${days}天${hours}小时`;
  if (hours > 0) return `${hours}小时${String(minutes).padStart(2, '0')}分`;
  const s = seconds % 60;
  return `${String(minutes).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}

/** People who work here and do not live here by that role: never asked to verify a household or open a shop. */
const NOT_HOUSEHOLD_ROLES: readonly Role[] = ['staff', 'caregiver', 'operator'];

/** Whether to offer 住户认证 (and 我要开店) to this person. */
export function offersHousehold(roles: readonly Role[]): boolean {
  return !roles.some((r) => NOT_HOUSEHOLD_ROLES.includes(r));
}

/**
 * An elder's (and a family member acting for one) four big entries: shop, collect, book a
 * service, ask for help. Collecting opens the waiting order when there is one.
 */
export function elderEntries(lockerOrderId: string | null): HomeEntry[] {
  return [
    {
      key: 'market',
      label: '买菜',
      hint: '生鲜送到柜',
      url: PAGES.market,
      tab: true,
      testId: 'home-entry-market',
    },
    lockerOrderId
      ? {
          key: 'pickup',
          label: '取件',
          hint: '看取件码',
          url: `${PAGES.orderDetail}?id=${lockerOrderId}`,
          testId: 'home-entry-pickup',
        }
      : {
          key: 'pickup',
          label: '取件',
          hint: '我的订单',
          url: PAGES.orders,
          tab: true,
          testId: 'home-entry-pickup',
        },
    { key: 'care', label: '预约服务', hint: '助浴 助洁 助医', url: PAGES.care, testId: 'home-care-catalog' },
    { key: 'help', label: '求助', hint: '一键呼叫邻里', url: PAGES.help, testId: 'home-help-open' },
  ];
}

/** Everyone else's quick entries: what exists now, for what this person is. */
export function residentEntries(o: {
  roles: readonly Role[];
  verified: boolean;
  acting: boolean;
}): HomeEntry[] {
  const out: HomeEntry[] = [
    {
      key: 'market',
      label: '买菜',
      hint: '生鲜、到柜',
      url: PAGES.market,
      tab: true,
      testId: 'home-entry-market',
    },
    {
      key: 'neighbors',
      label: '邻里',
      hint: '动态、闲置',
      url: PAGES.neighbors,
      tab: true,
      testId: 'home-entry-neighbors',
    },
    { key: 'care', label: '养老服务', hint: '助浴 助洁 助餐', url: PAGES.care, testId: 'home-care-catalog' },
  ];
  if (o.verified) {
    out.push({
      key: 'request',
      label: '有事找社区',
      hint: '报修、求助、建议',
      url: PAGES.requestNew,
      testId: 'home-request-new',
    });
    out.push({
      key: 'activities',
      label: '社区活动',
      hint: '报名、签到',
      url: PAGES.communityActivities,
      testId: 'home-entry-activities',
    });
  }
  // A volunteer's own desk; anyone else may offer to help. Not while acting for an elder.
  if (!o.acting)
    out.push(
      o.roles.includes('volunteer')
        ? {
            key: 'volunteer',
            label: '志愿服务',
            hint: '接单、时间银行',
            url: PAGES.volunteerHome,
            testId: 'home-volunteer-home',
          }
        : {
            key: 'volunteer',
            label: '成为志愿者',
            hint: '帮帮身边老人',
            url: PAGES.volunteerApply,
            testId: 'home-volunteer-apply',
          },
    );
  return out;
}

/** Each staff queue: what it is called on 首页 and where it is worked. */
export const STAFF_QUEUES: Record<HomeStaffQueue, { label: string; url: string }> = {
  memberships: { label: '住户认证待审核', url: PAGES.staffMemberships },
  merchants: { label: '商家入驻待审核', url: PAGES.staffMerchants },
  overdueLockers: { label: '生鲜柜超时未取', url: PAGES.staffBatches },
  proxyConsents: { label: '家属代办待确认', url: PAGES.staffProxyLinks },
  careProviders: { label: '服务机构待审核', url: PAGES.staffCareProviders },
  volunteers: { label: '志愿者待审核', url: PAGES.staffVolunteers },
  moderation: { label: '邻里内容待审核', url: PAGES.officeModeration },
  requests: { label: '居民诉求待派单', url: PAGES.officeRequests },
};

/** The queues with work first (largest first), then the empty ones in their fixed order. */
export function sortQueues<Q extends { key: HomeStaffQueue; count: number }>(queues: readonly Q[]): Q[] {
  const order = Object.keys(STAFF_QUEUES);
  return [...queues].sort(
    (a, b) =>
      Number(b.count > 0) - Number(a.count > 0) ||
      b.count - a.count ||
      order.indexOf(a.key) - order.indexOf(b.key),
  );
}

/** 「12 条」「50+ 条」 */
export const countText = (n: number, more = false) => `${n}${more ? '+' : ''} 条`;

/** 「今天 18:00」「明天 12:00」「12月3日 12:00」 in Asia/Shanghai, as people say it. */
export function dayTime(iso: string, now: Date = new Date()): string {
  const [date, time] = formatDisplayTime(iso).split(' ');
  const today = formatDisplayTime(now).slice(0, 10);
  const tomorrow = formatDisplayTime(new Date(now.getTime() + 86_400_000)).slice(0, 10);
  if (date === today) return `今天 ${time}`;
  if (date === tomorrow) return `明天 ${time}`;
  const [, m, d] = (date ?? '').split('-');
  return `${Number(m)}月${Number(d)}日 ${time}`;
}
