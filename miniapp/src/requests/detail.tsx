import { Text } from '@tarojs/components';
import { Page } from '../components/Page';

// Placeholder until this page is built (issue 12).
export default function RequestdetailPage() {
  return (
    <Page name="requestDetail">
      <Text>诉求详情</Text>
    </Page>
  );
}
