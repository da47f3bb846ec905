import { Text } from '@tarojs/components';
import { Page } from '../components/Page';

// Placeholder until this page is built (issue 12).
export default function OfficerequestPage() {
  return (
    <Page name="officeRequest">
      <Text>诉求处理</Text>
    </Page>
  );
}
