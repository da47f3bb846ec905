import { View } from '@tarojs/components';
import { useState } from 'react';
import type { Group } from 'shared';
import { call } from '../api';
import { ToggleButtons } from '../components/ToggleButtons';
import { useApi } from '../hooks/use-api';
import { usePullRefresh } from '../hooks/use-pull-refresh';
import { GroupCard } from './GroupCard';
import { Empty, MemberPage } from './ui';
import '../common/care-console.scss';
import '../common/care-console-elder.scss';
import './community.scss';
import './community-elder.scss';

const TABS = [
  { value: 'all' as const, label: '全部小组' },
  { value: 'mine' as const, label: '我加入的' },
];

/** 兴趣小组: join or leave; a group's page lists its activities. */
export default function CommunityGroupsPage() {
  const [tab, setTab] = useState<'all' | 'mine'>('all');
  const state = useApi(
    () => call('communityGroups', { query: { mine: tab === 'mine' ? 'true' : undefined } }),
    {
      key: tab,
      refreshOnShow: true,
    },
  );
  const [changed, setChanged] = useState<{ base: unknown; items: Map<string, Group> } | null>(null);
  usePullRefresh(state.reload);
  const overrides = changed && changed.base === state.data ? changed.items : null;
  const items = (state.data?.items ?? []).map((g) => overrides?.get(g.id) ?? g);
  const onChanged = (next: Group) =>
    setChanged((prev) => {
      const map = new Map(prev && prev.base === state.data ? prev.items : []);
      map.set(next.id, next);
      return { base: state.data, items: map };
    });

  return (
    <MemberPage name="communityGroups" state={state}>
      <ToggleButtons options={TABS} selected={[tab]} onToggle={setTab} testId="groups-tab" />
      <View className="cm-gap" />
      {state.data && items.length === 0 ? (
        <Empty
          text={tab === 'mine' ? '您还没有加入兴趣小组。' : '社区还没有兴趣小组。'}
          testId="groups-empty"
        />
      ) : null}
      {items.map((g) => (
        <GroupCard key={g.id} g={g} onChanged={onChanged} />
      ))}
    </MemberPage>
  );
}
