import type { CareBooking } from 'shared';
import { describe, expect, it } from 'vitest';
import {
  bookingActions,
  freeCancelText,
  paymentText,
  priceSplitText,
  voucherHintText,
} from './booking-model';
import {
  accessFieldLabel,
  accessReads,
  accessRoleLabel,
  durationText,
  eligibilityNote,
  weekdaysText,
} from './labels';

const visit = {
  clockInAt: null,
  clockOutAt: null,
  clockInDistanceM: null,
  clockOutDistanceM: null,
  locationFlagged: false,
  checklist: [],
  notes: '',
  summary: '',
  photos: [],
  rating: null,
  ratingComment: null,
} satisfies CareBooking['visit'];

describe('price split text', () => {
  it('says what the voucher pays and what is left', () => {
    expect(priceSplitText({ priceFen: 8000, voucherFen: 4000, selfPayFen: 4000 })).toBe(
      '服务券抵扣 ¥40，自付 ¥40',
    );
    expect(priceSplitText({ priceFen: 8050, voucherFen: 0, selfPayFen: 8050 })).toBe('自付 ¥80.5');
    expect(priceSplitText({ priceFen: 3000, voucherFen: 3000, selfPayFen: 0 })).toBe('服务券全额抵扣 ¥30');
    expect(priceSplitText({ priceFen: 0, voucherFen: 0, selfPayFen: 0 })).toBe('免费服务');
  });

  it('before booking shows only the most the voucher may cover, for eligible elders and subsidised items', () => {
    const item = { priceFen: 8000, subsidised: true, voucherPercent: 50 };
    expect(voucherHintText(item, true)).toBe('服务券最多抵扣 50%');
    expect(voucherHintText(item, false)).toBeNull();
    expect(voucherHintText({ ...item, subsidised: false }, true)).toBeNull();
    expect(voucherHintText({ ...item, voucherPercent: 0 }, true)).toBeNull();
  });

  it('tells whether the self-pay part is still due', () => {
    const due = { selfPayFen: 4000, paid: false, status: 'confirmed', payBy: null } as const;
    const today = '2026-06-03';
    expect(paymentText(due, today)).toBe('待支付 ¥40');
    expect(paymentText({ ...due, paid: true }, today)).toBe('自付部分已支付 ¥40');
    expect(paymentText({ ...due, selfPayFen: 0 }, today)).toBeNull();
    expect(paymentText({ ...due, status: 'cancelled' }, today)).toBeNull();
  });

  it('gives the pay deadline in local time while the booking can still be paid', () => {
    // 06:30 UTC is 14:30 in Shanghai.
    const due = {
      selfPayFen: 4000,
      paid: false,
      status: 'requested',
      payBy: '2026-06-03T06:30:00.000Z',
    } as const;
    expect(paymentText(due, '2026-06-03')).toBe('待支付 ¥40，请在今天 周三 14:30前支付，逾期预约将自动取消');
    expect(paymentText(due, '2026-06-02')).toMatch(/^待支付 ¥40，请在明天 周三 14:30前支付/);
    // Already being served: the deadline no longer applies.
    expect(paymentText({ ...due, status: 'in_service' }, '2026-06-03')).toBe('待支付 ¥40');
  });
});

describe('free-cancel text', () => {
  // Deadline 2026-06-03 09:00 in Shanghai.
  const b = { freeCancelUntil: '2026-06-03T01:00:00Z' };

  it('names the local deadline while cancelling is still free', () => {
    expect(freeCancelText(b, new Date('2026-06-01T02:00:00Z'), '2026-06-01')).toBe(
      '在后天 周三 09:00前取消免费，之后记为临时取消',
    );
    expect(freeCancelText(b, new Date('2026-06-02T02:00:00Z'), '2026-06-02')).toBe(
      '在明天 周三 09:00前取消免费，之后记为临时取消',
    );
  });

  it('warns once the deadline has passed (from the deadline itself on)', () => {
    expect(freeCancelText(b, new Date('2026-06-03T01:00:00Z'), '2026-06-03')).toBe(
      '已过免费取消时间，现在取消将记为临时取消',
    );
  });
});

describe('booking actions', () => {
  const base = { status: 'confirmed' as const, selfPayFen: 4000, paid: false, visit };

  it('lets the family pay, cancel and move a live booking, and rate a completed one once', () => {
    expect(bookingActions(base)).toEqual({ pay: true, cancel: true, reschedule: true, rate: false });
    expect(bookingActions({ ...base, status: 'requested', paid: true })).toEqual({
      pay: false,
      cancel: true,
      reschedule: true,
      rate: false,
    });
    expect(bookingActions({ ...base, status: 'in_service' })).toEqual({
      pay: false,
      cancel: false,
      reschedule: false,
      rate: false,
    });
    expect(bookingActions({ ...base, status: 'completed' }).rate).toBe(true);
    expect(bookingActions({ ...base, status: 'completed', visit: { ...visit, rating: 5 } }).rate).toBe(false);
    expect(bookingActions({ ...base, status: 'cancelled' }).cancel).toBe(false);
  });
});

describe('care labels', () => {
  it('explains why the subsidised list is closed', () => {
    expect(eligibilityNote({ eligible: true, minAge: 80, age: 86 })).toBeNull();
    expect(eligibilityNote({ eligible: false, minAge: 80, age: 72 })).toBe(
      '未满80岁不可预约补贴服务（当前72岁），可预约自费服务',
    );
    expect(eligibilityNote({ eligible: false, minAge: 80, age: null })).toMatch(/^尚未登记出生日期/);
  });

  it('never shows a raw token for an access-log field or role', () => {
    expect(accessFieldLabel('健康情况')).toBe('健康情况');
    expect(accessFieldLabel('health_notes')).toBe('健康情况');
    expect(accessFieldLabel('something_new')).toBe('个人信息');
    expect(accessRoleLabel('护理员')).toBe('护理员');
    expect(accessRoleLabel('caregiver')).toBe('护理员');
    expect(accessRoleLabel('')).toBe('家属');
  });

  it('folds the rows of one read into one line, newest first', () => {
    const at1 = '2026-06-01T02:00:00.000Z';
    const at2 = '2026-06-01T03:00:00.000Z';
    const row = (
      id: string,
      at: string,
      field: string,
      readerName = '刘晓明',
      reason = '家属查看长者档案',
    ) => ({
      id,
      readerName,
      readerRole: '家属',
      field,
      reason,
      at,
    });
    const reads = accessReads([
      row('1', at1, '住址'),
      row('2', at1, '健康情况'),
      row('3', at1, '住址'),
      row('4', at2, '住址', '陈护理', '上门服务 C1'),
      row('5', at1, '电话', '刘晓明', '家属修改长者档案'),
    ]);
    expect(reads.map((r) => r.text)).toEqual([
      '陈护理（家属）查看了住址',
      '刘晓明（家属）查看了住址、健康情况',
      '刘晓明（家属）查看了电话',
    ]);
    expect(reads[0]).toMatchObject({ id: '4', reason: '上门服务 C1', at: at2 });
  });

  it('writes durations and weekdays as people say them', () => {
    expect(durationText(45)).toBe('45分钟');
    expect(durationText(60)).toBe('1小时');
    expect(durationText(90)).toBe('1.5小时');
    expect(weekdaysText([1, 2, 3, 4, 5])).toBe('工作日');
    expect(weekdaysText([3, 1])).toBe('周一、周三');
    expect(weekdaysText([1, 2, 3, 4, 5, 6, 7])).toBe('每天');
  });
});
