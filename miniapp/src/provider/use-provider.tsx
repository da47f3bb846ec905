import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { ReactNode } from 'react';
import { CARE_PROVIDER_STATUS_LABELS, type Caregiver, type CareProvider, PAGES } from 'shared';
import { ApiError, call } from '../api';
import { localDate } from '../common/care-console';
import { summarizeWeek } from '../common/hours-model';
import { Btn } from '../components/Btn';
import { useApi } from '../hooks/use-api';
import '../common/care-console.scss';
import '../common/care-console-elder.scss';

/** My care provider, or null when I have not applied (the BFF answers 404). */
export async function loadMyProvider(): Promise<CareProvider | null> {
  try {
    return await call('myCareProvider');
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}

export function useMyProvider() {
  return useApi(loadMyProvider, { refreshOnShow: true });
}

/**
 * The days with requests waiting for 确认, soonest first, whatever day they are for: a request for
 * next week is as urgent to confirm as one for today (it lapses on the confirmation timeout).
 */
export function useWaitingRequests(verified: boolean) {
  return useApi(
    async () => {
      if (!verified) return [];
      const { items } = await call('providerBookings', { query: { waiting: 'true' } });
      const byDay = new Map<string, number>();
      for (const b of items) byDay.set(localDate(b.startsAt), (byDay.get(localDate(b.startsAt)) ?? 0) + 1);
      return [...byDay].map(([date, count]) => ({ date, count }));
    },
    { key: verified, refreshOnShow: true },
  );
}

export const providerTagClass = (status: CareProvider['status']) =>
  `tag tag--${status === 'verified' ? 'approved' : status === 'pending' ? 'pending' : 'rejected'}`;

/** Instead of a console page when there is no provider: the way to apply. */
export function NoProvider() {
  return (
    <View className="card stack cc-card" data-testid="no-provider">
      <Text className="card__title">您还没有服务机构</Text>
      <Text className="muted">提交机构申请，社区审核通过后即可添加护理员、接待老人的预约。</Text>
      <Btn onClick={() => void Taro.redirectTo({ url: PAGES.providerApply })} testId="go-provider-apply">
        申请成为服务机构
      </Btn>
    </View>
  );
}

/** The provider's name and status on top of a console page, with what the status means. */
export function ProviderHeader({ provider }: { provider: CareProvider }) {
  return (
    <View className="card stack cc-card" data-testid="provider-header">
      <View className="cc-head">
        <Text className="card__title">{provider.name}</Text>
        <Text className={providerTagClass(provider.status)} data-testid="provider-status">
          {CARE_PROVIDER_STATUS_LABELS[provider.status]}
        </Text>
      </View>
      {provider.status === 'pending' ? (
        <Text className="cc-warn">机构正在等待社区审核，通过后老人和家属才能预约您的服务。</Text>
      ) : null}
      {provider.status === 'rejected' ? (
        <Text className="cc-warn">{`审核未通过${provider.reviewNote ? `：${provider.reviewNote}` : ''}。如有疑问请联系社区。`}</Text>
      ) : null}
      {provider.status === 'suspended' ? (
        <Text className="cc-warn">机构已被暂停接单，如有疑问请联系社区。</Text>
      ) : null}
    </View>
  );
}

/** A console page's body, once the provider is verified; its header and why not, before that. */
export function VerifiedOnly({ provider, children }: { provider: CareProvider; children: ReactNode }) {
  if (provider.status === 'verified') return <>{children}</>;
  return (
    <>
      <ProviderHeader provider={provider} />
      <View className="card">
        <Text className="muted">审核通过后才能管理护理员、确认预约和查看助餐名单。</Text>
      </View>
    </>
  );
}

/** Working hours in the shops' one-line summary (the same week shape). */
export const shiftSummary = (c: Pick<Caregiver, 'hours'>) =>
  summarizeWeek(c.hours.map((h) => ({ day: h.weekday, open: h.start, close: h.end }))).replace(
    '暂未设置营业时间',
    '暂未设置工作时间',
  );

/** The compounds of the provider's community: what its caregivers may serve. */
export function useCompounds(provider: CareProvider | null | undefined) {
  return useApi(
    async () =>
      provider ? (await call('community', { params: { id: provider.communityId } })).compounds : [],
    { key: provider?.communityId ?? '' },
  );
}
