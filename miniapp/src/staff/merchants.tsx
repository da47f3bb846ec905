import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import type { MerchantStatus } from 'shared';
import { call } from '../api';
import { MERCHANT_STATUS_TEXT } from '../common/merchant-labels';
import { tappable } from '../components/a11y';
import { AsyncContent, Page } from '../components/Page';
import { useApi } from '../hooks/use-api';
import { MerchantReviewCard } from './MerchantReviewCard';

const FILTERS: MerchantStatus[] = ['pending', 'open', 'paused'];

/** 商家审核: shops applying to serve my communities; staff check them and 审核通过. */
export default function StaffMerchantsPage() {
  const [status, setStatus] = useState<MerchantStatus>('pending');
  const list = useApi(() => call('staffMerchants', { query: { status } }), {
    key: status,
    refreshOnShow: true,
  });
  const communities = useApi(() => call('communities'));
  const names = new Map((communities.data?.items ?? []).map((c) => [c.id, c.name]));

  return (
    <Page name="staff-merchants">
      <View className="choice-list filter-bar" data-testid="staff-merchant-filter">
        {FILTERS.map((s) => (
          <View
            {...tappable({ pressed: s === status })}
            key={s}
            className={`choice${s === status ? ' choice--selected' : ''}`}
            onClick={() => setStatus(s)}
          >
            {s === 'pending' ? '待审核' : MERCHANT_STATUS_TEXT[s]}
          </View>
        ))}
      </View>
      <AsyncContent state={list}>
        {list.data?.items.length === 0 ? (
          <View className="card">
            <Text className="muted">{status === 'pending' ? '暂无待审核的商家' : '暂无商家'}</Text>
          </View>
        ) : null}
        {list.data?.items.map((shop) => (
          <MerchantReviewCard key={shop.id} shop={shop} communityNames={names} onVerified={list.reload} />
        ))}
      </AsyncContent>
    </Page>
  );
}
