import { ApiError, errorMessage } from '../api/errors';

/** The refusals a courier or staff member can meet on the locker routes, in words. */
const CODE_TEXT: Record<string, string> = {
  BATCH_STATE_CHANGED: '这个批次的状态已变化，请刷新',
  BATCH_NOT_STARTED: '请先点「开始配送」再确认投递',
  NOT_IN_MANIFEST: '这个格口没有待投递的订单，请刷新清单',
  COMPARTMENT_TAKEN: '格口刚被占用，请刷新后重试',
  COMPARTMENT_IN_USE: '这个格口有订单正在使用，暂时不能停用',
  ORDER_STATE_CHANGED: '订单状态已变化，请刷新',
  NOT_OVERDUE: '这个订单不需要取回了，请刷新清单',
  WINDOW_CLOSED: '这个配送时段已经截单了',
  NOT_FOUND: '没有找到，可能已被处理，请刷新',
  FORBIDDEN: '没有权限进行此操作',
  RATE_LIMITED: '操作太频繁，请稍后再试',
  SERVICE_UNAVAILABLE: '系统繁忙，请稍后重试',
  NETWORK_ERROR: '网络连接失败，请检查网络后重试',
};

/** Field errors of the staff forms, by path without `body.`. */
const FIELD_TEXT: Record<string, string> = {
  compoundId: '请选择您负责的小区',
  name: '请填写名称（40 字以内）',
  location: '请填写位置（100 字以内）',
  compartments: '格口设置有误',
  communityId: '请选择您负责的社区',
  cutoffLocal: '截单时间格式不对',
  deliveryLocal: '送达时间需晚于截单时间（或选择次日送达）',
  weekdays: '请至少选择一天',
  closedDates: '休息日期格式不对',
  reason: '请填写故障原因',
};

export function lockerErrorText(err: unknown): string {
  if (err instanceof ApiError) {
    if (CODE_TEXT[err.code]) return CODE_TEXT[err.code]!;
    if (err.code === 'VALIDATION_FAILED' || err.code === 'VALIDATION_ERROR') {
      const texts = err.details
        .map((d) => FIELD_TEXT[d.path.replace(/^body\./, '').split('.')[0] ?? ''])
        .filter((t): t is string => !!t);
      return texts.length ? [...new Set(texts)].join('；') : '填写的内容有误，请检查后再提交';
    }
  }
  return errorMessage(err);
}
