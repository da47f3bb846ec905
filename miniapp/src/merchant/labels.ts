import type { MerchantStatus } from 'shared';

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

export const REFUND_STATUS_TEXT = { requested: '待处理', approved: '已同意', rejected: '已拒绝' } as const;
