import { Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { useState } from 'react';
import { REQUEST_CATEGORY_LABELS, REQUEST_STATUS_LABELS, type RequestStats } from 'shared';
import { call } from '../api';
import { barWidths, currentMonth, monthText, rateText, shiftMonth } from '../common/request-model';
import { Btn } from '../components/Btn';
import { AsyncContent, Page } from '../components/Page';
import { useApi } from '../hooks/use-api';
import { usePullRefresh } from '../hooks/use-pull-refresh';
import { loadStaffCommunity } from './request-community';
import '../common/care-console.scss';
import '../common/care-console-elder.scss';
import './requests.scss';
import './requests-elder.scss';

/** The community to show: the one asked for, else the reader's own household's, else the one they staff. */
async function statsCommunity(asked: string | undefined): Promise<string | null> {
  if (asked) return asked;
  const me = await call('me');
  const home = me.memberships.find((m) => m.status === 'approved');
  if (home) return home.communityId;
  return me.roles.includes('staff') ? ((await loadStaffCommunity())?.id ?? null) : null;
}

/**
 * 诉求统计 (?id=community): a month's requests by category, how many were answered and resolved in
 * time, and the residents' average rating. Public to every signed-in person (政务公开).
 */
export default function OfficeStatsPage() {
  const { id: asked } = useRouter().params;
  const community = useApi(() => statsCommunity(asked), { key: asked ?? '' });
  const thisMonth = currentMonth();
  const [month, setMonth] = useState(thisMonth);
  const id = community.data ?? null;
  const stats = useApi(
    () => (id ? call('requestStats', { params: { id }, query: { month } }) : Promise.resolve(null)),
    { key: `${id ?? ''}-${month}` },
  );
  usePullRefresh(stats.reload);

  return (
    <Page name="officeStats" state={community}>
      {community.data === null ? (
        <View className="card">
          <Text className="muted">认证住户后可以查看本社区的诉求办理情况</Text>
        </View>
      ) : null}
      {id ? (
        <>
          <View className="card rqo-month" data-testid="stats-month">
            <Btn
              variant="ghost small"
              onClick={() => setMonth(shiftMonth(month, -1))}
              testId="stats-month-prev"
            >
              ‹ 上月
            </Btn>
            <Text className="rqo-month__label" data-testid="stats-month-label">
              {monthText(month)}
            </Text>
            <Btn
              variant="ghost small"
              disabled={month >= thisMonth}
              onClick={() => setMonth(shiftMonth(month, 1))}
              testId="stats-month-next"
            >
              下月 ›
            </Btn>
          </View>
          <AsyncContent state={stats}>{stats.data ? <StatsBody s={stats.data} /> : null}</AsyncContent>
        </>
      ) : null}
    </Page>
  );
}

function StatsBody({ s }: { s: RequestStats }) {
  const widths = barWidths(s.byCategory.map((c) => c.count));
  const rating = s.averageRating === null ? '—' : `${s.averageRating.toFixed(1)} 星`;
  return (
    <>
      <View className="card stack" data-testid="stats-figures">
        <Text className="card__title">{`${s.communityName} · ${monthText(s.month)}`}</Text>
        <View className="rqo-figures">
          <Figure value={String(s.total)} label="诉求总数" testId="stats-total" />
          <Figure value={rating} label={`平均评分（${s.ratedCount} 人评价）`} testId="stats-rating" />
          <Figure
            value={rateText(s.responseOnTimeRate)}
            label={`按时响应率（计 ${s.responseCounted} 件）`}
            testId="stats-response-rate"
          />
          <Figure
            value={rateText(s.resolutionOnTimeRate)}
            label={`按时办结率（计 ${s.resolutionCounted} 件）`}
            testId="stats-resolution-rate"
          />
        </View>
      </View>

      <View className="card stack" data-testid="stats-by-category">
        <Text className="card__title">按类别</Text>
        {s.total === 0 ? <Text className="muted">这个月还没有诉求</Text> : null}
        <View className="rqo-bars">
          {s.byCategory.map((c, i) => (
            <Bar
              key={c.category}
              label={REQUEST_CATEGORY_LABELS[c.category]}
              value={`${c.count} 件`}
              width={widths[i] ?? 0}
              testId={`stats-category-${c.category}`}
            />
          ))}
        </View>
      </View>

      <View className="card stack" data-testid="stats-on-time">
        <Text className="card__title">按时率</Text>
        <View className="rqo-bars">
          <Bar
            label="按时响应"
            value={rateText(s.responseOnTimeRate)}
            width={Math.round((s.responseOnTimeRate ?? 0) * 100)}
            rate
          />
          <Bar
            label="按时办结"
            value={rateText(s.resolutionOnTimeRate)}
            width={Math.round((s.resolutionOnTimeRate ?? 0) * 100)}
            rate
          />
        </View>
      </View>

      {s.byStatus.some((x) => x.count > 0) ? (
        <View className="card stack" data-testid="stats-by-status">
          <Text className="card__title">办理状态</Text>
          {s.byStatus
            .filter((x) => x.count > 0)
            .map((x) => (
              <View key={x.status} className="cc-table-row">
                <Text className="cc-table-row__main">{REQUEST_STATUS_LABELS[x.status]}</Text>
                <Text className="cc-strong">{`${x.count} 件`}</Text>
              </View>
            ))}
        </View>
      ) : null}
    </>
  );
}

function Figure({ value, label, testId }: { value: string; label: string; testId: string }) {
  return (
    <View className="rqo-figure" data-testid={testId}>
      <Text className="rqo-figure__value">{value}</Text>
      <Text className="rqo-figure__label">{label}</Text>
    </View>
  );
}

/** One bar drawn with Views: the label and value above, the bar below (its width a percentage). */
function Bar({
  label,
  value,
  width,
  rate,
  testId,
}: {
  label: string;
  value: string;
  width: number;
  rate?: boolean;
  testId?: string;
}) {
  return (
    <View className="rqo-bar" data-testid={testId}>
      <View className="rqo-bar__head">
        <Text className="rqo-bar__label">{label}</Text>
        <Text className="rqo-bar__value">{value}</Text>
      </View>
      <View className="rqo-bar__track" aria-hidden="true">
        <View
          className={`rqo-bar__fill${rate ? ' rqo-bar__fill--rate' : ''}`}
          style={{ width: `${width}%` }}
        />
      </View>
    </View>
  );
}
