import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { PAGES, type Visit } from 'shared';
import { call } from '../api';
import { bookingStatusText, bookingTagClass, visitWhen } from '../common/care-console';
import { Btn } from '../components/Btn';
import { AsyncContent, Page } from '../components/Page';
import { ToggleButtons } from '../components/ToggleButtons';
import { useApi } from '../hooks/use-api';
import { usePullRefresh } from '../hooks/use-pull-refresh';
import { clockNote } from './visit-model';
import '../common/care-console.scss';
import '../common/care-console-elder.scss';

type Scope = 'today' | 'upcoming' | 'past';
const SCOPES: { value: Scope; label: string }[] = [
  { value: 'today', label: '今天' },
  { value: 'upcoming', label: '即将上门' },
  { value: 'past', label: '已结束' },
];
const EMPTY: Record<Scope, string> = {
  today: '今天没有上门服务',
  upcoming: '暂无即将进行的上门服务',
  past: '暂无已结束的上门服务',
};

function VisitCard({ v }: { v: Visit }) {
  const open = () => void Taro.navigateTo({ url: `${PAGES.caregiverVisit}?id=${v.bookingId}` });
  const note = clockNote(v.visit.clockInDistanceM, v.visit.locationFlagged);
  return (
    <View className="card stack cc-card" data-testid={`visit-${v.bookingId}`}>
      <View className="cc-head">
        <Text className="card__title">{visitWhen(v.startsAt, v.endsAt)}</Text>
        <Text className={bookingTagClass(v.status)}>{bookingStatusText(v.status)}</Text>
      </View>
      <Text className="cc-line cc-strong">{v.itemName}</Text>
      <Text className="cc-line">{`${v.elderName} · ${v.compoundName}`}</Text>
      <Text className="muted">{`地址：${v.address}`}</Text>
      {v.visit.locationFlagged && note ? <Text className="cc-warn">{note}</Text> : null}
      <Btn variant="ghost" onClick={open} testId={`visit-open-${v.bookingId}`}>
        {v.status === 'in_service' ? '继续服务' : '查看详情'}
      </Btn>
    </View>
  );
}

/** 今日上门: the caregiver's visits today, coming up and past; tap one to clock in and record it. */
export default function CaregiverVisitsPage() {
  const [scope, setScope] = useState<Scope>('today');
  const list = useApi(() => call('caregiverVisits', { query: { scope } }), {
    key: scope,
    refreshOnShow: true,
  });
  usePullRefresh(list.reload);

  return (
    <Page name="caregiver-visits">
      <View className="filter-bar">
        <ToggleButtons options={SCOPES} selected={[scope]} onToggle={setScope} testId="visit-scope" />
      </View>
      <AsyncContent state={list}>
        {list.data?.items.length === 0 ? (
          <View className="card stack cc-card" data-testid="visits-empty">
            <Text className="muted">{EMPTY[scope]}</Text>
            {scope === 'today' ? (
              <Btn variant="ghost" onClick={() => setScope('upcoming')} testId="visits-see-upcoming">
                看看即将上门的服务
              </Btn>
            ) : null}
          </View>
        ) : null}
        {list.data?.items.map((v) => (
          <VisitCard key={v.bookingId} v={v} />
        ))}
      </AsyncContent>
    </Page>
  );
}
