import { Text } from '@tarojs/components';
import { Page } from '../../components/Page';

// Placeholder until this page is built (issue 12).
export default function NeighborsPage() {
  return (
    <Page name="neighbors">
      <Text>邻里</Text>
    </Page>
  );
}
