import { useRouter } from '@tarojs/taro';
import { useState } from 'react';
import type { CommunityActivity } from 'shared';
import { call } from '../api';
import { Page } from '../components/Page';
import { useApi } from '../hooks/use-api';
import { usePullRefresh } from '../hooks/use-pull-refresh';
import { ActivityCard } from './ActivityCard';
import { goneText } from './errors';
import { withCopy } from './ui';
import '../common/care-console.scss';
import '../common/care-console-elder.scss';
import './community.scss';
import './community-elder.scss';

/** One 社区活动: places, the waitlist position, 报名 / 取消报名 / 签到. Reminders and promotions come as messages. */
export default function CommunityActivityPage() {
  const id = useRouter().params.id ?? '';
  const state = useApi(() => call('communityActivity', { params: { id } }), { key: id, refreshOnShow: true });
  const [changed, setChanged] = useState<{ base: unknown; a: CommunityActivity } | null>(null);
  usePullRefresh(state.reload);
  const a = changed && changed.base === state.data ? changed.a : state.data;
  return (
    <Page name="communityActivity" state={withCopy(state, goneText('活动'))}>
      {a ? <ActivityCard a={a} full onChanged={(next) => setChanged({ base: state.data, a: next })} /> : null}
    </Page>
  );
}
