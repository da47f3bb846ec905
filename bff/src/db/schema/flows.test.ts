import { membershipFlow, proxyLinkFlow } from 'shared';
import { describe, expect, it } from 'vitest';
import { wechatDeliveryFlow } from '../../modules/notifications/delivery-flow';
import { deliveryStatusEnum } from './notifications';
import { membershipStatusEnum } from './places';
import { consentStatusEnum } from './proxies';

describe('database enums hold exactly the states of their flows', () => {
  it.each([
    [membershipStatusEnum.enumValues, membershipFlow.states],
    [consentStatusEnum.enumValues, proxyLinkFlow.states],
    [deliveryStatusEnum.enumValues, wechatDeliveryFlow.states],
  ])('%j', (columnValues, flowStates) => {
    expect([...columnValues].sort()).toEqual([...flowStates].sort());
  });
});
