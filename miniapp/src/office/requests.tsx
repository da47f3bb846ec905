import { Text } from '@tarojs/components';
import { Page } from '../components/Page';

// Placeholder until this page is built (issue 12).
export default function OfficerequestsPage() {
  return (
    <Page name="officeRequests">
      <Text>诉求派单</Text>
    </Page>
  );
}
