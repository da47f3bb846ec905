import { ApiError, describeError } from '../api/errors';

/** The care pages' own sentences where the registry's (error-text.ts) is too general for the action. */
export const describeCareError = (err: unknown) =>
  describeError(err, {
    codes: {
      SLOT_TAKEN: '这个时间约不上了：可能刚被别人约走，或长者这时已有其他预约，请换一个时间',
      CARE_NOTICE_TOO_SHORT: '离服务开始太近了，请选择更晚的时间',
      PAYMENT_EXPIRED: '已超过支付时限，这个预约将自动取消，请重新预约',
    },
  });

export const isSlotTaken = (err: unknown) => err instanceof ApiError && err.code === 'SLOT_TAKEN';
