import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import { PAGES, POLL_STATUS_LABELS } from 'shared';
import { call } from '../api';
import { ToggleButtons } from '../components/ToggleButtons';
import { useApi } from '../hooks/use-api';
import { usePullRefresh } from '../hooks/use-pull-refresh';
import { countdownText, statusTone } from './poll-model';
import { Empty, MemberPage, open, Tag } from './ui';
import '../common/care-console.scss';
import '../common/care-console-elder.scss';
import './community.scss';
import './community-elder.scss';
import { tappable } from '../components/a11y';

type Tab = 'current' | 'closed';
const TABS = [
  { value: 'current' as const, label: '进行中' },
  { value: 'closed' as const, label: '已结束' },
];

/** 议事: the community's polls, open and upcoming ones apart from the closed. One vote per household. */
export default function CommunityPollsPage() {
  const state = useApi(() => call('communityPolls'), { refreshOnShow: true });
  const [tab, setTab] = useState<Tab>('current');
  usePullRefresh(state.reload);
  const items = (state.data?.items ?? []).filter((p) => (tab === 'closed') === (p.status === 'closed'));

  return (
    <MemberPage name="communityPolls" state={state}>
      <ToggleButtons options={TABS} selected={[tab]} onToggle={setTab} testId="polls-tab" />
      <View className="cm-gap" />
      {state.data && items.length === 0 ? (
        <Empty
          text={tab === 'current' ? '现在没有进行中的议事，社区发起后会在这里显示。' : '还没有已结束的议事。'}
          testId="polls-empty"
        />
      ) : null}
      {items.map((p) => (
        <View
          {...tappable()}
          key={p.id}
          className="card stack"
          onClick={() => open(`${PAGES.communityPoll}?id=${p.id}`)}
          data-testid={`poll-${p.id}`}
        >
          <View className="cc-head">
            <Text className="card__title">{p.question}</Text>
            <Tag text={POLL_STATUS_LABELS[p.status]} tone={statusTone(p.status)} />
          </View>
          <Text className="cc-line">{countdownText(p)}</Text>
          <Text className="muted" data-testid="poll-mine">
            {p.myHousehold?.voted ? '您家已投票' : p.canVote ? '您家还没有投票，点击参与' : '查看详情'}
          </Text>
        </View>
      ))}
    </MemberPage>
  );
}
