import { Text } from '@tarojs/components';
import { Page } from '../components/Page';

// Placeholder until this page is built (issue 12).
export default function RequestsPage() {
  return (
    <Page name="requests">
      <Text>我的诉求</Text>
    </Page>
  );
}
