import { Text } from '@tarojs/components';
import { Page } from '../components/Page';

// Placeholder until this page is built (issue 12).
export default function CommunitygroupsPage() {
  return (
    <Page name="communityGroups">
      <Text>兴趣小组</Text>
    </Page>
  );
}
