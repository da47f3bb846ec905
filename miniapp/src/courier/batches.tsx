import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { PAGES } from 'shared';
import { call } from '../api';
import { BatchStatusTag } from '../components/BatchStatusTag';
import { Page } from '../components/Page';
import { useApi } from '../hooks/use-api';
import { usePullRefresh } from '../hooks/use-pull-refresh';
import { dayTime } from '../lockers/labels';
import '../market/market.scss';
import '../market/market-elder.scss';
import '../lockers/lockers.scss';
import '../lockers/lockers-elder.scss';
import { tappable } from '../components/a11y';

/** 配送批次: the courier's batches, newest first; tap one for its pick and drop lists. */
export default function CourierBatchesPage() {
  const list = useApi(() => call('courierBatches'), { refreshOnShow: true });
  usePullRefresh(list.reload);

  return (
    <Page name="courier-batches" state={list}>
      {list.data?.items.length === 0 ? (
        <View className="card">
          <Text className="muted">暂无配送批次。截单后系统会自动生成批次。</Text>
        </View>
      ) : null}
      {list.data?.items.map((b) => (
        <View
          {...tappable()}
          key={b.id}
          className="card stack"
          onClick={() => void Taro.navigateTo({ url: `${PAGES.courierBatch}?id=${b.id}` })}
          data-testid={`courier-batch-${b.id}`}
        >
          <View className="row">
            <Text className="card__title merchant-card__name">{`${dayTime(b.deliverAt)} 送达`}</Text>
            <BatchStatusTag status={b.status} />
          </View>
          <Text className="muted">{`${dayTime(b.cutoffAt)} 截单`}</Text>
          <Text className="l-line">{`${b.orderCount} 单 · ${b.bankCount} 个生鲜柜 · 已投递 ${b.droppedCount} 单`}</Text>
          <Text className="link-text">查看清单 ›</Text>
        </View>
      ))}
    </Page>
  );
}
