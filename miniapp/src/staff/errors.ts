import { describeError } from '../api/errors';

/** What the staff forms (locker banks, delivery schedules) call their fields, by path without `body.`. */
const STAFF_FIELDS: Record<string, string> = {
  compoundId: '请选择您负责的小区',
  name: '请填写名称（40 字以内）',
  location: '请填写位置（100 字以内）',
  compartments: '格口设置有误',
  communityId: '请选择您负责的社区',
  cutoffLocal: '截单时间格式不对',
  deliveryLocal: '送达时间需晚于截单时间（或选择次日送达）',
  weekdays: '请至少选择一天',
  closedDates: '休息日期格式不对',
};

export function staffErrorText(err: unknown): string {
  return describeError(err, { fields: STAFF_FIELDS });
}
