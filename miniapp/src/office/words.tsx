import { Text } from '@tarojs/components';
import { Page } from '../components/Page';

// Placeholder until this page is built (issue 12).
export default function OfficewordsPage() {
  return (
    <Page name="officeWords">
      <Text>敏感词</Text>
    </Page>
  );
}
