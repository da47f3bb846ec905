import { Text } from '@tarojs/components';
import { Page } from '../components/Page';

// Placeholder until this page is built (issue 12).
export default function OfficepollsPage() {
  return (
    <Page name="officePolls">
      <Text>议事管理</Text>
    </Page>
  );
}
