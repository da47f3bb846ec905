import type { SubscribeTemplates } from 'shared';
import type { Config } from '../../config';

/**
 * Domain code names a subscribe message by purpose; the template id is the one configured in the
 * WeChat console for this deployment. Fields follow each template's keyword list:
 * - reviewResult (审核结果通知): thing1 申请事项, phrase2 审核结果, time3 审核时间
 * - orderStatus (订单状态通知): thing1 订单内容, phrase2 订单状态, time3 更新时间
 */
export type TemplatePurpose = keyof SubscribeTemplates;

export function templateIds(config: Config): SubscribeTemplates {
  return {
    reviewResult: config.WECHAT_TEMPLATE_REVIEW_RESULT,
    orderStatus: config.WECHAT_TEMPLATE_ORDER_STATUS,
  };
}
