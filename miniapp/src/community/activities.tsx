import { Text } from '@tarojs/components';
import { Page } from '../components/Page';

// Placeholder until this page is built (issue 12).
export default function CommunityactivitiesPage() {
  return (
    <Page name="communityActivities">
      <Text>社区活动</Text>
    </Page>
  );
}
