import { Text } from '@tarojs/components';
import { Page } from '../components/Page';

// Placeholder until this page is built (issue 12).
export default function RequestnewPage() {
  return (
    <Page name="requestNew">
      <Text>我要反映</Text>
    </Page>
  );
}
