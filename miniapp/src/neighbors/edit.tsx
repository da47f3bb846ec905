import { Text } from '@tarojs/components';
import { Page } from '../components/Page';

// Placeholder until this page is built (issue 12).
export default function NeighboreditPage() {
  return (
    <Page name="neighborEdit">
      <Text>发动态</Text>
    </Page>
  );
}
