import { describeError } from '../api/errors';

/** The request pages' own sentences for the fields a VALIDATION_FAILED points at. */
export const describeRequestError = (err: unknown) =>
  describeError(err, {
    fields: {
      category: '请选择要反映的类别',
      text: '请写一下具体情况（500 字以内）',
      location: '位置请在 80 字以内',
      photos: '照片有误，请删除后重新添加（最多 9 张）',
      householdId: '请选择是哪一户的事',
      stars: '请点星星打分（1 到 5 星）',
      reason: '请写明原因',
      note: '请写明处理情况（500 字以内）',
      'handler.userId': '请选择本社区的工作人员',
      'handler.merchantId': '请选择为本社区提供上门服务的商家',
      leadStaffId: '请选择本社区的工作人员作为督办负责人',
      limits: '时限有误：解决时限不能短于响应时限',
    },
  });
