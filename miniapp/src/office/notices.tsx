import { Text } from '@tarojs/components';
import { Page } from '../components/Page';

// Placeholder until this page is built (issue 12).
export default function OfficenoticesPage() {
  return (
    <Page name="officeNotices">
      <Text>发布公告</Text>
    </Page>
  );
}
