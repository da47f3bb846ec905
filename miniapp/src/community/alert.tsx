import { Text } from '@tarojs/components';
import { Page } from '../components/Page';

// Placeholder until this page is built (issue 12).
export default function CommunityalertPage() {
  return (
    <Page name="communityAlert">
      <Text>紧急通知</Text>
    </Page>
  );
}
