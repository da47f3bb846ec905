import { Text } from '@tarojs/components';
import { Page } from '../components/Page';

// Placeholder until this page is built (issue 12).
export default function OfficealertsPage() {
  return (
    <Page name="officeAlerts">
      <Text>紧急通知</Text>
    </Page>
  );
}
