import { Text } from '@tarojs/components';
import { Page } from '../components/Page';

// Placeholder until this page is built (issue 12).
export default function CommunityactivityPage() {
  return (
    <Page name="communityActivity">
      <Text>活动详情</Text>
    </Page>
  );
}
