import { Text } from '@tarojs/components';
import { Page } from '../components/Page';

// Placeholder until this page is built (issue 12).
export default function MerchantrequestsPage() {
  return (
    <Page name="merchantRequests">
      <Text>上门报修</Text>
    </Page>
  );
}
