import { type DeliveryModes, formatYuan, type MerchantStatus } from 'shared';

/** How a shop is described to the people who run it and the staff who review it. */
export const MERCHANT_STATUS_TEXT: Record<MerchantStatus, string> = {
  pending: '待审核',
  open: '营业中',
  paused: '暂停营业',
  closed: '已关闭',
};

/** Tag colours from app.scss: pending amber, approved green, rejected red. */
export const MERCHANT_STATUS_TAG: Record<MerchantStatus, string> = {
  pending: 'tag tag--pending',
  open: 'tag tag--approved',
  paused: 'tag tag--pending',
  closed: 'tag tag--rejected',
};

/** 「到店自提、送货上门（3000 米内，配送费 ¥2）」: exact figures, as the shop entered them. */
export function describeDelivery(d: DeliveryModes): string {
  const parts: string[] = [];
  if (d.shopPickup) parts.push('到店自提');
  if (d.home) parts.push(`送货上门（${d.home.radiusM} 米内，配送费 ${formatYuan(d.home.feeFen)}）`);
  if (d.locker) parts.push('生鲜柜');
  return parts.join('、') || '未设置';
}
