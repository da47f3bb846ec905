import {
  activitySignupFlow,
  batchFlow,
  compartmentFlow,
  deliveryWindowFlow,
  emergencyFlow,
  helpTaskFlow,
  lockerAssignmentFlow,
  lockerBankFlow,
  membershipFlow,
  merchantFlow,
  orderFlow,
  paymentFlow,
  proxyLinkFlow,
  refundFlow,
  taskHoursFlow,
  volunteerFlow,
  wechatDeliveryFlow,
} from 'shared';
import { describe, expect, it } from 'vitest';
import {
  activitySignupStatusEnum,
  assignmentStatusEnum,
  bankStatusEnum,
  batchStatusEnum,
  compartmentStateEnum,
  consentStatusEnum,
  deliveryStatusEnum,
  emergencyStatusEnum,
  helpTaskStatusEnum,
  membershipStatusEnum,
  merchantStatusEnum,
  orderStatusEnum,
  paymentStatusEnum,
  refundStatusEnum,
  taskHoursStatusEnum,
  volunteerStatusEnum,
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
    [volunteerStatusEnum.enumValues, volunteerFlow.states],
    [helpTaskStatusEnum.enumValues, helpTaskFlow.states],
    [taskHoursStatusEnum.enumValues, taskHoursFlow.states],
    [emergencyStatusEnum.enumValues, emergencyFlow.states],
    [activitySignupStatusEnum.enumValues, activitySignupFlow.states],
  ])('%j', (columnValues, flowStates) => {
    expect([...columnValues].sort()).toEqual([...flowStates].sort());
  });
});
