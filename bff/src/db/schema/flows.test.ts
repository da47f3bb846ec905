import {
  batchFlow,
  compartmentFlow,
  membershipFlow,
  merchantFlow,
  orderFlow,
  paymentFlow,
  proxyLinkFlow,
  refundFlow,
} from 'shared';
import { describe, expect, it } from 'vitest';
import { wechatDeliveryFlow } from '../../modules/notifications/delivery-flow';
import {
  batchStatusEnum,
  compartmentStateEnum,
  consentStatusEnum,
  deliveryStatusEnum,
  membershipStatusEnum,
  merchantStatusEnum,
  orderStatusEnum,
  paymentStatusEnum,
  refundStatusEnum,
} from '.';

describe('database enums hold exactly the states of their flows', () => {
  it.each([
    [membershipStatusEnum.enumValues, membershipFlow.states],
    [consentStatusEnum.enumValues, proxyLinkFlow.states],
    [deliveryStatusEnum.enumValues, wechatDeliveryFlow.states],
    [merchantStatusEnum.enumValues, merchantFlow.states],
    [orderStatusEnum.enumValues, orderFlow.states],
    [paymentStatusEnum.enumValues, paymentFlow.states],
    [refundStatusEnum.enumValues, refundFlow.states],
    [batchStatusEnum.enumValues, batchFlow.states],
    [compartmentStateEnum.enumValues, compartmentFlow.states],
  ])('%j', (columnValues, flowStates) => {
    expect([...columnValues].sort()).toEqual([...flowStates].sort());
  });
});
