import { Text } from '@tarojs/components';
import { Page } from '../components/Page';

// Placeholder until this page is built (issue 12).
export default function CommunitynoticesPage() {
  return (
    <Page name="communityNotices">
      <Text>通知公告</Text>
    </Page>
  );
}
