import { Text } from '@tarojs/components';
import type { MembershipStatus } from 'shared';

export const MEMBERSHIP_STATUS_TEXT: Record<MembershipStatus, string> = {
  pending: '待审核',
  approved: '已通过',
  rejected: '已驳回',
};

export function StatusTag({ status }: { status: MembershipStatus }) {
  return <Text className={`tag tag--${status}`}>{MEMBERSHIP_STATUS_TEXT[status]}</Text>;
}
