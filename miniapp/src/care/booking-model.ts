import {
  CARE_BOOKING_STATUS_LABELS,
  type CareBooking,
  type CareBookingStatus,
  can,
  careBookingFlow,
  DISPLAY_TZ,
  formatDisplayTime,
  formatYuan,
} from 'shared';
import { dayLabel, localDateOf } from './slots-model';

/** Before booking: the voucher share is known only once the BFF has split the price. */
export function voucherHintText(
  item: { priceFen: number; subsidised: boolean; voucherPercent: number },
  eligible: boolean,
): string | null {
  if (!item.subsidised || !eligible || item.voucherPercent <= 0 || item.priceFen <= 0) return null;
  return `服务券最多抵扣 ${Math.min(item.voucherPercent, 100)}%`;
}

/** A booking's split, in one line: what the voucher pays and what is left to pay. */
export function priceSplitText(b: Pick<CareBooking, 'priceFen' | 'voucherFen' | 'selfPayFen'>): string {
  if (b.priceFen === 0) return '免费服务';
  if (b.voucherFen === 0) return `自付 ${formatYuan(b.selfPayFen)}`;
  if (b.selfPayFen === 0) return `服务券全额抵扣 ${formatYuan(b.voucherFen)}`;
  return `服务券抵扣 ${formatYuan(b.voucherFen)}，自付 ${formatYuan(b.selfPayFen)}`;
}

/** 6月4日 周三 09:00 (今天/明天 when near). */
export function instantText(iso: string, today: string, tz: string = DISPLAY_TZ): string {
  return `${dayLabel(localDateOf(iso, tz), today)} ${formatDisplayTime(iso, tz).slice(11)}`;
}

/**
 * The cancel policy as the family reads it before tapping 取消预约: free until the deadline, a
 * late cancel after it (recorded against the elder).
 */
export function freeCancelText(
  b: Pick<CareBooking, 'freeCancelUntil'>,
  now: Date,
  today: string,
  tz: string = DISPLAY_TZ,
): string {
  if (now.getTime() < Date.parse(b.freeCancelUntil))
    return `在${instantText(b.freeCancelUntil, today, tz)}前取消免费，之后记为临时取消`;
  return '已过免费取消时间，现在取消将记为临时取消';
}

export interface BookingActions {
  pay: boolean;
  cancel: boolean;
  reschedule: boolean;
  rate: boolean;
}

/** What the family may do with a booking now. */
export function bookingActions(
  b: Pick<CareBooking, 'status' | 'selfPayFen' | 'paid' | 'visit'>,
): BookingActions {
  const changeable = can(careBookingFlow, b.status, 'cancel');
  return {
    pay: changeable && b.selfPayFen > 0 && !b.paid,
    cancel: changeable,
    reschedule: changeable,
    rate: b.status === 'completed' && b.visit.rating === null,
  };
}

/** The tag colour class of a status (tag--pending/approved/rejected from app.scss, or neutral). */
export function statusTone(status: CareBookingStatus): 'pending' | 'approved' | 'rejected' | 'neutral' {
  switch (status) {
    case 'requested':
      return 'pending';
    case 'confirmed':
    case 'in_service':
    case 'completed':
      return 'approved';
    case 'no_show':
      return 'rejected';
    default:
      return 'neutral';
  }
}

export const statusText = (status: CareBookingStatus) => CARE_BOOKING_STATUS_LABELS[status];

/**
 * Whether the self-pay part is still due, and until when: an unpaid booking is cancelled at its
 * deadline, so the family reads the time before it is too late.
 */
export function paymentText(
  b: Pick<CareBooking, 'selfPayFen' | 'paid' | 'status' | 'payBy'>,
  today: string,
  tz: string = DISPLAY_TZ,
): string | null {
  if (b.selfPayFen <= 0) return null;
  if (b.paid) return `自付部分已支付 ${formatYuan(b.selfPayFen)}`;
  if (b.status === 'cancelled') return null;
  const due = `待支付 ${formatYuan(b.selfPayFen)}`;
  if (!b.payBy || !can(careBookingFlow, b.status, 'cancel')) return due;
  return `${due}，请在${instantText(b.payBy, today, tz)}前支付，逾期预约将自动取消`;
}
