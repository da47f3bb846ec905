import { defineMachine } from 'shared';

/**
 * A WeChat subscribe-message delivery. `claim` may also take over a `sending` row whose lease ran
 * out (its worker died mid-send); the service checks the lease before it fires that event.
 */
export const wechatDeliveryFlow = defineMachine({
  name: 'wechat_delivery',
  states: ['pending', 'sending', 'sent', 'no_quota', 'no_openid', 'failed'],
  transitions: {
    claim: { from: ['pending', 'sending'], to: 'sending' },
    noQuota: { from: ['pending', 'sending'], to: 'no_quota' },
    noOpenid: { from: ['pending', 'sending'], to: 'no_openid' },
    deliver: { from: ['sending'], to: 'sent' },
    retry: { from: ['sending'], to: 'pending' },
    fail: { from: ['sending'], to: 'failed' },
  },
});

export type DeliveryEvent = keyof typeof wechatDeliveryFlow.transitions;
