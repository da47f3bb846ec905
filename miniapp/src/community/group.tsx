import { Text } from '@tarojs/components';
import { Page } from '../components/Page';

// Placeholder until this page is built (issue 12).
export default function CommunitygroupPage() {
  return (
    <Page name="communityGroup">
      <Text>小组详情</Text>
    </Page>
  );
}
