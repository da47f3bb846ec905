import { Text } from '@tarojs/components';
import { Page } from '../components/Page';

// Placeholder until this page is built (issue 12).
export default function CommunitypollsPage() {
  return (
    <Page name="communityPolls">
      <Text>社区议事</Text>
    </Page>
  );
}
