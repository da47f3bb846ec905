import { Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { useState } from 'react';
import type { Group } from 'shared';
import { call } from '../api';
import { AsyncContent, Page } from '../components/Page';
import { useApi } from '../hooks/use-api';
import { usePullRefresh } from '../hooks/use-pull-refresh';
import { ActivityCard } from './ActivityCard';
import { goneText } from './errors';
import { GroupCard } from './GroupCard';
import { Empty, withCopy } from './ui';
import '../common/care-console.scss';
import '../common/care-console-elder.scss';
import './community.scss';
import './community-elder.scss';

/** One interest group: who is in it, 加入 / 退出, and its activities. */
export default function CommunityGroupPage() {
  const id = useRouter().params.id ?? '';
  const state = useApi(() => call('communityGroup', { params: { id } }), { key: id });
  const activities = useApi(() => call('communityActivities', { query: { groupId: id } }), {
    key: id,
    refreshOnShow: true,
  });
  const [changed, setChanged] = useState<{ base: unknown; g: Group } | null>(null);
  usePullRefresh(state.reload, activities.reload);
  const g = changed && changed.base === state.data ? changed.g : state.data;

  return (
    <Page name="communityGroup" state={withCopy(state, goneText('小组'))}>
      {g ? (
        <>
          <GroupCard g={g} full onChanged={(next) => setChanged({ base: state.data, g: next })} />
          <View className="cm-section">
            <Text className="card__title">小组活动</Text>
          </View>
          <AsyncContent state={activities}>
            {activities.data?.items.length === 0 ? (
              <Empty text="这个小组近期没有活动。" testId="group-activities-empty" />
            ) : null}
            {activities.data?.items.map((a) => (
              <ActivityCard key={a.id} a={a} onChanged={() => void activities.reload()} />
            ))}
          </AsyncContent>
        </>
      ) : null}
    </Page>
  );
}
