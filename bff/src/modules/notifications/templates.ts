/**
 * WeChat subscribe-message templates we send. The ids are the ones configured in the WeChat
 * console; the fields follow each template's keyword list.
 */
export const TEMPLATES = {
  /** 审核结果通知: thing1 申请事项, phrase2 审核结果, time3 审核时间 */
  reviewResult: 'tmpl_review_result',
} as const;
