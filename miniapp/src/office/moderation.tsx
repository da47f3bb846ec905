import { Text } from '@tarojs/components';
import { Page } from '../components/Page';

// Placeholder until this page is built (issue 12).
export default function OfficemoderationPage() {
  return (
    <Page name="officeModeration">
      <Text>内容审核</Text>
    </Page>
  );
}
