import {
  batchFlow,
  compartmentFlow,
  deliveryWindowFlow,
  lockerAssignmentFlow,
  lockerBankFlow,
  membershipFlow,
  merchantFlow,
  orderFlow,
  paymentFlow,
  proxyLinkFlow,
  refundFlow,
  wechatDeliveryFlow,
} from 'shared';
import { describe, expect, it } from 'vitest';
import {
  assignmentStatusEnum,
  bankStatusEnum,
  batchStatusEnum,
  compartmentStateEnum,
  consentStatusEnum,
  deliveryStatusEnum,
  membershipStatusEnum,
  merchantStatusEnum,
  orderStatusEnum,
  paymentStatusEnum,
  refundStatusEnum,
  windowStatusEnum,
} from '.';

describe('database enums hold exactly the states of their flows', () => {
  it.each([
    [membershipStatusEnum.enumValues, membershipFlow.states],
    [consentStatusEnum.enumValues, proxyLinkFlow.states],
    [deliveryStatusEnum.enumValues, wechatDeliveryFlow.states],
    [bankStatusEnum.enumValues, lockerBankFlow.states],
    [windowStatusEnum.enumValues, deliveryWindowFlow.states],
    [assignmentStatusEnum.enumValues, lockerAssignmentFlow.states],
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
