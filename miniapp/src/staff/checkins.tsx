import { Text, View } from '@tarojs/components';
import { call } from '../api';
import { dayTitle, localTime, localToday } from '../common/care-console';
import { AsyncContent, Page } from '../components/Page';
import { useApi } from '../hooks/use-api';
import { usePoll } from '../hooks/use-poll';
import { usePullRefresh } from '../hooks/use-pull-refresh';
import { boardSummary, CHECKIN_STATE_LABELS, CHECKIN_TONE, sortBoard } from './volunteer-model';
import '../common/care-console.scss';
import '../common/care-console-elder.scss';
import './volunteer-staff.scss';
import './volunteer-staff-elder.scss';

/** 每日报平安: today's board — who has tapped 我很好, who is still due, who is late and who was alerted. */
export default function StaffCheckinsPage() {
  const board = useApi(() => call('staffCheckinBoard'), { refreshOnShow: true });
  usePullRefresh(board.reload);
  // The board moves as due times pass: look again every minute while it is open.
  usePoll(board.reload, 60_000);
  const items = sortBoard(board.data?.items ?? []);

  return (
    <Page name="staff-checkins">
      <AsyncContent state={board}>
        {board.data ? (
          <>
            <Text className="card__title">{dayTitle(board.data.date, localToday())}</Text>
            <Text className="muted cc-summary" data-testid="staff-checkin-summary">
              {boardSummary(items)}
            </Text>
          </>
        ) : null}
        {items.map((i) => (
          <View key={i.elderId} className="card stack cc-card" data-testid={`staff-checkin-${i.elderId}`}>
            <View className="cc-head">
              <Text className="card__title">{i.elderName}</Text>
              <Text className={`tag tag--${CHECKIN_TONE[i.state]}`}>{CHECKIN_STATE_LABELS[i.state]}</Text>
            </View>
            {i.address ? <Text className="cc-line">{i.address}</Text> : null}
            <Text className="muted">
              {i.mode === 'weekly_visit'
                ? '每周志愿者探访'
                : `每日报平安${i.dueAt ? ` · ${localTime(i.dueAt)} 前` : ''}${i.checkedInAt ? ` · ${localTime(i.checkedInAt)} 已报` : ''}`}
            </Text>
            {i.state === 'alerted_staff' ? (
              <Text className="cc-warn">家属未能确认老人平安，请尽快电话联系或上门查看</Text>
            ) : null}
          </View>
        ))}
      </AsyncContent>
    </Page>
  );
}
