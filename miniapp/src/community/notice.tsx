import { Text } from '@tarojs/components';
import { Page } from '../components/Page';

// Placeholder until this page is built (issue 12).
export default function CommunitynoticePage() {
  return (
    <Page name="communityNotice">
      <Text>公告详情</Text>
    </Page>
  );
}
