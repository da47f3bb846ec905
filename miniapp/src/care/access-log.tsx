import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { formatDisplayTime, PAGES } from 'shared';
import { call } from '../api';
import { Btn } from '../components/Btn';
import { Page } from '../components/Page';
import { useApi } from '../hooks/use-api';
import { usePullRefresh } from '../hooks/use-pull-refresh';
import { accessReads } from './labels';
import { Empty } from './ui';
import './care.scss';
import './care-elder.scss';

/** 信息查看记录: who read the elder's address, phone or health notes, when and why, newest first. */
export default function CareAccessLogPage() {
  const state = useApi(() => call('careAccessLog'), { refreshOnShow: true });
  usePullRefresh(state.reload);
  const items = accessReads(state.data?.items ?? []);

  return (
    <Page name="care-access-log" state={state}>
      {state.data ? (
        <View className="card" data-testid="care-access-list">
          <Text className="card__title">谁查看了长者信息</Text>
          <Text className="muted">除长者本人外，任何人查看住址、电话、健康状况都会记录在这里。</Text>
          {items.length === 0 ? <Empty text="暂无查看记录" /> : null}
          {items.map((e) => (
            <View key={e.id} className="care-list-item" data-testid="care-access-item">
              <Text className="care-line">{e.text}</Text>
              <Text className="muted">{`原因：${e.reason}`}</Text>
              <Text className="muted">{formatDisplayTime(e.at)}</Text>
            </View>
          ))}
        </View>
      ) : null}
      {/* What family members did for the elder (代办记录) sits next door: one place to look. */}
      <Btn
        variant="ghost"
        onClick={() => void Taro.navigateTo({ url: PAGES.familyAudit })}
        testId="care-go-audit"
      >
        查看代办记录
      </Btn>
    </Page>
  );
}
