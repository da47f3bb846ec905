import { Text, View } from '@tarojs/components';
import type { HomeCourier, HomeMerchant, HomeStaff } from 'shared';
import { PAGES } from 'shared';
import { tappable } from '../../components/a11y';
import { BatchStatusTag } from '../../components/BatchStatusTag';
import { Btn } from '../../components/Btn';
import { useCountdown } from '../../market/use-countdown';
import { countdownText, countText, dayTime, STAFF_QUEUES, sortQueues } from './home-model';
import { open } from './ResidentHome';

const SHOP_STATUS_TEXT = { pending: '审核中', open: '营业中', paused: '暂停营业', closed: '已关闭' } as const;

/** The shop's day: what to accept and pack (by the next cut-off), refunds waiting, low stock. */
export function ShopDesk({ shop: m }: { shop: HomeMerchant }) {
  const left = useCountdown(m.nextCutoff?.cutoffAt ?? null);
  const tiles = [
    { key: 'accept', label: '待接单', n: m.toAccept },
    { key: 'pack', label: '待备货', n: m.toPack },
    { key: 'refund', label: '退款申请', n: m.refundRequests },
  ];
  return (
    <View className="card stack" data-testid="home-merchant">
      <View className="row">
        <Text className="card__title">{m.shop.name}</Text>
        <Text className={m.shop.status === 'open' ? 'tag tag--approved' : 'tag tag--pending'}>
          {SHOP_STATUS_TEXT[m.shop.status]}
        </Text>
      </View>
      <View className="home-tiles">
        {tiles.map((t) => (
          <View
            key={t.key}
            className={`home-tiles__item${t.n > 0 ? ' home-tiles__item--due' : ''}`}
            onClick={open(PAGES.merchantOrders)}
            {...tappable()}
            data-testid={`home-merchant-${t.key}`}
          >
            <Text className="home-tiles__n">{String(t.n)}</Text>
            <Text className="home-tiles__label">{t.label}</Text>
          </View>
        ))}
      </View>
      {m.nextCutoff ? (
        <View className="home-cutoff" data-testid="home-merchant-cutoff">
          <Text>{`${dayTime(m.nextCutoff.cutoffAt)} 截单${left ? `（还剩 ${countdownText(left)}）` : ''}`}</Text>
          <Text className="muted">
            {`截单前还需接单 ${m.nextCutoff.toAccept} 单、备货 ${m.nextCutoff.toPack} 单，${dayTime(m.nextCutoff.deliverAt)} 送到柜`}
          </Text>
        </View>
      ) : null}
      {m.lowStockCount > 0 ? (
        <View
          className="home-lowstock"
          onClick={open(PAGES.merchantProducts)}
          {...tappable()}
          data-testid="home-merchant-lowstock"
        >
          <Text className="home-lowstock__title">{`库存不足 ${m.lowStockCount} 件，去补货 ›`}</Text>
          <Text className="muted">
            {m.lowStock.map((p) => `${p.name} 剩 ${p.stock}${p.unit}`).join('、')}
            {m.lowStockCount > m.lowStock.length ? ' 等' : ''}
          </Text>
        </View>
      ) : null}
      <View>
        <Btn onClick={open(PAGES.merchantOrders)} testId="home-merchant-desk">
          进入商家工作台
        </Btn>
      </View>
    </View>
  );
}

/** The courier's day: each batch not done (and those done today), its state, drops left. */
export function CourierToday({ courier }: { courier: HomeCourier }) {
  return (
    <View className="card" data-testid="home-courier">
      <Text className="card__title">今日配送</Text>
      {courier.batches.length === 0 ? (
        <Text className="muted">今天还没有配送批次，截单后会出现在这里。</Text>
      ) : null}
      {courier.batches.map((b) => {
        const left = b.orderCount - b.droppedCount;
        return (
          <View
            key={b.id}
            className="link-row"
            onClick={open(`${PAGES.courierBatch}?id=${b.id}`)}
            {...tappable()}
            data-testid={`home-batch-${b.id}`}
          >
            <View className="home-orders__main">
              <Text>{`${dayTime(b.deliverAt)} 送达 · ${b.bankCount} 个柜点`}</Text>
              <Text className="muted" data-testid="home-batch-left">
                {b.status === 'done'
                  ? `已投完 ${b.orderCount} 单`
                  : `还剩 ${left} 单未投柜（共 ${b.orderCount} 单）`}
              </Text>
            </View>
            <BatchStatusTag status={b.status} />
          </View>
        );
      })}
      <View
        className="link-row"
        onClick={open(PAGES.courierBatches)}
        {...tappable()}
        data-testid="home-courier-all"
      >
        <Text>全部配送批次</Text>
        <Text className="muted">›</Text>
      </View>
    </View>
  );
}

/** What waits on the staff member, queue by queue, the busy ones first. */
export function StaffQueues({ staff }: { staff: HomeStaff }) {
  const queues = sortQueues(staff.queues);
  const busy = queues.filter((q) => q.count > 0).length;
  return (
    <View className="card" data-testid="home-staff">
      <View className="row">
        <Text className="card__title">待我处理</Text>
        <Text className="muted">{busy > 0 ? `${busy} 类事项` : '都处理完了'}</Text>
      </View>
      {queues.map((q) => (
        <View
          key={q.key}
          className="link-row"
          onClick={open(STAFF_QUEUES[q.key].url)}
          {...tappable()}
          data-testid={`home-queue-${q.key}`}
        >
          <Text>{STAFF_QUEUES[q.key].label}</Text>
          {q.count > 0 ? (
            <Text className="badge" data-testid="home-queue-count">
              {countText(q.count, q.more)}
            </Text>
          ) : (
            <Text className="muted">暂无 ›</Text>
          )}
        </View>
      ))}
    </View>
  );
}
