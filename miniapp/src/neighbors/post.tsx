import { Text } from '@tarojs/components';
import { Page } from '../components/Page';

// Placeholder until this page is built (issue 12).
export default function NeighborpostPage() {
  return (
    <Page name="neighborPost">
      <Text>动态详情</Text>
    </Page>
  );
}
