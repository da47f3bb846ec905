import { Text } from '@tarojs/components';
import { Page } from '../components/Page';

// Placeholder until this page is built (issue 12).
export default function CommunitypollPage() {
  return (
    <Page name="communityPoll">
      <Text>议事投票</Text>
    </Page>
  );
}
