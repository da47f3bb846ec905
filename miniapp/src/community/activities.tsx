import { call } from '../api';
import { useApi } from '../hooks/use-api';
import { usePullRefresh } from '../hooks/use-pull-refresh';
import { ActivityCard } from './ActivityCard';
import { Empty, MemberPage } from './ui';
import '../common/care-console.scss';
import '../common/care-console-elder.scss';
import './community.scss';
import './community-elder.scss';

/** 社区活动: from a week back, soonest first; tap one to sign up. */
export default function CommunityActivitiesPage() {
  const state = useApi(() => call('communityActivities', { query: {} }), { refreshOnShow: true });
  usePullRefresh(state.reload);
  const items = state.data?.items ?? [];
  return (
    <MemberPage name="communityActivities" state={state}>
      {state.data && items.length === 0 ? (
        <Empty text="近期没有社区活动，社区发布后会在这里显示。" testId="activities-empty" />
      ) : null}
      {items.map((a) => (
        <ActivityCard key={a.id} a={a} onChanged={() => void state.reload()} />
      ))}
    </MemberPage>
  );
}
