import { Text } from '@tarojs/components';
import { Page } from '../components/Page';

// Placeholder until this page is built (issue 12).
export default function OfficestatsPage() {
  return (
    <Page name="officeStats">
      <Text>诉求统计</Text>
    </Page>
  );
}
