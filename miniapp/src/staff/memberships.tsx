import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import type { MembershipStatus } from 'shared';
import { call } from '../api';
import { tappable } from '../components/a11y';
import { AsyncContent, Page } from '../components/Page';
import { MEMBERSHIP_STATUS_TEXT } from '../components/StatusTag';
import { useApi } from '../hooks/use-api';
import { ReviewCard } from './ReviewCard';

const FILTERS: MembershipStatus[] = ['pending', 'approved', 'rejected'];

/** 居民审核: staff approve or reject residents' household requests. */
export default function StaffMembershipsPage() {
  const [status, setStatus] = useState<MembershipStatus>('pending');
  const list = useApi(() => call('staffMemberships', { query: { status } }), {
    key: status,
    refreshOnShow: true,
  });

  return (
    <Page name="staff-memberships">
      <View className="choice-list filter-bar" data-testid="staff-filter">
        {FILTERS.map((s) => (
          <View
            {...tappable({ pressed: s === status })}
            key={s}
            className={`choice${s === status ? ' choice--selected' : ''}`}
            onClick={() => setStatus(s)}
          >
            {`${MEMBERSHIP_STATUS_TEXT[s]}列表`}
          </View>
        ))}
      </View>
      <AsyncContent state={list}>
        {list.data?.items.length === 0 ? (
          <View className="card">
            <Text className="muted">{status === 'pending' ? '暂无待审核的申请' : '暂无记录'}</Text>
          </View>
        ) : null}
        {list.data?.items.map((item) => (
          <ReviewCard key={item.id} item={item} onReviewed={list.reload} />
        ))}
      </AsyncContent>
    </Page>
  );
}
