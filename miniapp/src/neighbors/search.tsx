import { Text } from '@tarojs/components';
import { Page } from '../components/Page';

// Placeholder until this page is built (issue 12).
export default function NeighborsearchPage() {
  return (
    <Page name="neighborSearch">
      <Text>搜索动态</Text>
    </Page>
  );
}
