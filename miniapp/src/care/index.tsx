import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { type CareItem, formatYuan, PAGES } from 'shared';
import { call } from '../api';
import { Btn } from '../components/Btn';
import { Page } from '../components/Page';
import { useApi } from '../hooks/use-api';
import { usePullRefresh } from '../hooks/use-pull-refresh';
import { voucherHintText } from './booking-model';
import { bookable, durationText, type Eligibility, eligibilityNote } from './labels';
import { ChipBtn, Empty } from './ui';
import './care.scss';
import './care-elder.scss';

/** 居家养老服务: the catalogue by category, the elder's standing, and the ways into bookings, meals and the profile. */
export default function CareIndexPage() {
  const state = useApi(() => call('careCatalog'), { refreshOnShow: true });
  const [picked, setPicked] = useState<string | null>(null);
  usePullRefresh(state.reload);

  const categories = (state.data?.categories ?? [])
    .map((c) => ({ ...c, items: c.items.filter((i) => i.active) }))
    .sort((a, b) => a.sort - b.sort);
  const current = categories.find((c) => c.id === picked) ?? categories[0];
  const eligibility = state.data?.eligibility;
  const note = eligibility ? eligibilityNote(eligibility) : null;

  return (
    <Page name="care" state={state}>
      <View className="care-entries" data-testid="care-entries">
        <Btn
          variant="ghost"
          onClick={() => void Taro.navigateTo({ url: PAGES.careDashboard })}
          testId="care-go-dashboard"
        >
          我的预约
        </Btn>
        <Btn
          variant="ghost"
          onClick={() => void Taro.navigateTo({ url: PAGES.careMeals })}
          testId="care-go-meals"
        >
          食堂订餐
        </Btn>
        <Btn
          variant="ghost"
          onClick={() => void Taro.navigateTo({ url: PAGES.careProfile })}
          testId="care-go-profile"
        >
          长者档案
        </Btn>
      </View>
      {note ? (
        <Text className="care-note" data-testid="care-eligibility">
          {note}
        </Text>
      ) : null}
      {state.data ? (
        categories.length === 0 ? (
          <View className="card">
            <Empty text="本社区暂未开通居家养老服务" />
          </View>
        ) : (
          <>
            <View className="care-tabs" data-testid="care-categories">
              {categories.map((c) => (
                <ChipBtn
                  key={c.id}
                  selected={c.id === current?.id}
                  onClick={() => setPicked(c.id)}
                  testId={`care-category-${c.code}`}
                >
                  {c.name}
                </ChipBtn>
              ))}
            </View>
            <View data-testid="care-items">
              {current?.items.length === 0 ? (
                <View className="card">
                  <Empty text="这一类暂无可预约的服务" />
                </View>
              ) : null}
              {current?.items.map((item) => (
                <ItemCard key={item.id} item={item} eligibility={eligibility!} />
              ))}
            </View>
          </>
        )
      ) : null}
    </Page>
  );
}

function ItemCard({ item, eligibility }: { item: CareItem; eligibility: Eligibility }) {
  const hint = voucherHintText(item, eligibility.eligible);
  const open = bookable(item, eligibility);
  return (
    <View className="card stack care-card" data-testid={`care-item-${item.code}`}>
      <View className="care-row">
        <Text className="care-item__name care-row__main">{item.name}</Text>
        <Text className="care-price">{item.priceFen > 0 ? formatYuan(item.priceFen) : '免费'}</Text>
      </View>
      {item.description ? <Text className="muted">{item.description}</Text> : null}
      <View className="care-item__meta">
        <Text className="care-badge care-badge--off">{`约${durationText(item.durationMin)}`}</Text>
        {hint ? <Text className="care-badge">可用服务券</Text> : null}
        {item.needsConfirmation ? <Text className="care-badge care-badge--confirm">需机构确认</Text> : null}
        {item.subsidised && !eligibility.eligible ? (
          <Text className="care-badge care-badge--off">{`限${eligibility.minAge}岁以上`}</Text>
        ) : null}
      </View>
      <Btn
        variant={open ? '' : 'ghost'}
        disabled={!open}
        onClick={() => void Taro.navigateTo({ url: `${PAGES.careItem}?id=${item.id}` })}
        testId={`care-book-${item.code}`}
      >
        {open ? `预约${item.name}` : '暂不可预约'}
      </Btn>
    </View>
  );
}
