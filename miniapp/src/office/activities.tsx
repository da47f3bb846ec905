import { Text } from '@tarojs/components';
import { Page } from '../components/Page';

// Placeholder until this page is built (issue 12).
export default function OfficeactivitiesPage() {
  return (
    <Page name="officeActivities">
      <Text>社区活动管理</Text>
    </Page>
  );
}
