import { call } from '../api';
import { Page } from '../components/Page';
import { useApi } from '../hooks/use-api';
import { HouseholdPicker } from './HouseholdPicker';
import { MyRequests } from './MyRequests';

/** 我的住户认证: ask to be recognised as a resident of a household, and follow my requests. */
export default function MembershipPage() {
  const state = useApi(
    async () => {
      const [communities, mine] = await Promise.all([call('communities'), call('myMemberships')]);
      return { communities: communities.items, memberships: mine.items };
    },
    { refreshOnShow: true },
  );

  return (
    <Page name="membership" state={state}>
      {state.data ? (
        <>
          <MyRequests items={state.data.memberships} />
          <HouseholdPicker communities={state.data.communities} onSubmitted={state.reload} />
        </>
      ) : null}
    </Page>
  );
}
