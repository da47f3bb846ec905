import { Text, View } from '@tarojs/components';
import { formatDisplayTime } from 'shared';
import { call } from '../api';
import { Page } from '../components/Page';
import { useApi } from '../hooks/use-api';
import { auditActionLabel, familyMemberLabel } from './audit-labels';
import { EmptyNote } from './EmptyNote';
import './family.scss';

/** 代办记录: what family members did on my behalf (or, while acting, on the elder's), newest first. */
export default function AuditPage() {
  const state = useApi(() => call('proxyAudit'), { refreshOnShow: true });

  return (
    <Page name="family-audit" state={state}>
      {state.data ? (
        <View className="card" data-testid="audit-list">
          <Text className="card__title">家属代办了哪些事</Text>
          {state.data.items.length === 0 ? <EmptyNote text="暂无代办记录" /> : null}
          {state.data.items.map((entry) => (
            <View key={entry.id} className="audit-item" data-testid="audit-item">
              <Text className="audit-item__what">
                {`${familyMemberLabel(entry.actorName, entry.relationship)} ${auditActionLabel(entry.action)}`}
              </Text>
              <Text className="muted">{formatDisplayTime(entry.at)}</Text>
            </View>
          ))}
        </View>
      ) : null}
    </Page>
  );
}
