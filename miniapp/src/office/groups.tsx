import { Text } from '@tarojs/components';
import { Page } from '../components/Page';

// Placeholder until this page is built (issue 12).
export default function OfficegroupsPage() {
  return (
    <Page name="officeGroups">
      <Text>兴趣小组管理</Text>
    </Page>
  );
}
