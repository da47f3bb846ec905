import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import { MEAL_CUTOFF_LOCAL, MEAL_KIND_LABELS, MEAL_KINDS, type MealKind } from 'shared';
import { call } from '../api';
import { localToday } from '../common/care-console';
import { DaySwitcher } from '../components/DaySwitcher';
import { AsyncContent, Page } from '../components/Page';
import { ToggleButtons } from '../components/ToggleButtons';
import { useApi } from '../hooks/use-api';
import { usePullRefresh } from '../hooks/use-pull-refresh';
import { NoProvider, ProviderHeader, useMyProvider, VerifiedOnly } from './use-provider';

/** 助餐名单: a meal's counts, dietary notes and delivery addresses by compound (made at cut-off). */
export default function ProviderMealsPage() {
  const provider = useMyProvider();
  const [date, setDate] = useState(localToday());
  const [meal, setMeal] = useState<MealKind>('lunch');
  const list = useApi(() => call('providerMealList', { query: { date, meal } }), { key: `${date}-${meal}` });
  usePullRefresh(list.reload);
  const m = list.data;

  return (
    <Page name="provider-meals" state={provider}>
      {provider.data === null ? <NoProvider /> : null}
      {provider.data && !provider.data.servesMeals ? (
        <>
          <ProviderHeader provider={provider.data} />
          <View className="card">
            <Text className="muted">
              本机构没有开通助餐服务，这里没有助餐名单。如需为老人提供助餐，请联系社区开通。
            </Text>
          </View>
        </>
      ) : null}
      {provider.data?.servesMeals ? (
        <VerifiedOnly provider={provider.data}>
          <DaySwitcher date={date} onChange={setDate} />
          <View className="filter-bar">
            <ToggleButtons
              options={MEAL_KINDS.map((k) => ({ value: k, label: MEAL_KIND_LABELS[k] }))}
              selected={[meal]}
              onToggle={setMeal}
              testId="meal-kind"
            />
          </View>
          <AsyncContent state={list}>
            {m ? (
              <>
                <View className="card stack cc-card" data-testid="meal-counts">
                  <Text className={m.closed ? 'cc-ok' : 'cc-warn'}>
                    {m.closed
                      ? '已截单，名单已确定'
                      : `当天 ${MEAL_CUTOFF_LOCAL[m.meal]} 截单，之前名单可能还会变化`}
                  </Text>
                  <View className="cc-figures">
                    <View className="cc-figure">
                      <Text className="cc-figure__value" data-testid="meal-total">
                        {m.dineIn + m.delivered}
                      </Text>
                      <Text className="cc-figure__label">合计份数</Text>
                    </View>
                    <View className="cc-figure">
                      <Text className="cc-figure__value">{m.dineIn}</Text>
                      <Text className="cc-figure__label">堂食</Text>
                    </View>
                    <View className="cc-figure">
                      <Text className="cc-figure__value">{m.delivered}</Text>
                      <Text className="cc-figure__label">送餐上门</Text>
                    </View>
                  </View>
                </View>
                <View className="card stack cc-card" data-testid="meal-diets">
                  <Text className="card__title">饮食注意</Text>
                  {m.dietaryNotes.length === 0 ? <Text className="muted">无特别要求</Text> : null}
                  {m.dietaryNotes.map((d) => (
                    <View key={`${d.elderName}-${d.note}`} className="cc-table-row">
                      <Text className="cc-line cc-strong">{d.elderName}</Text>
                      <Text className="cc-line">{d.note}</Text>
                    </View>
                  ))}
                </View>
                {m.byCompound.map((c) => (
                  <View key={c.compoundName} className="card stack cc-card" data-testid="meal-compound">
                    <Text className="card__title">{`送餐：${c.compoundName}（${c.items.length} 份）`}</Text>
                    {c.items.map((i) => (
                      <View key={`${i.elderName}-${i.address}`} className="stack cc-card">
                        <Text className="cc-line cc-strong">{i.elderName}</Text>
                        <Text className="cc-line">{i.address}</Text>
                        {i.dietaryNotes ? <Text className="muted">{i.dietaryNotes}</Text> : null}
                      </View>
                    ))}
                  </View>
                ))}
                {m.dineIn + m.delivered === 0 ? (
                  <View className="card">
                    <Text className="muted">{`这一天的${MEAL_KIND_LABELS[meal]}没有人订`}</Text>
                  </View>
                ) : null}
              </>
            ) : null}
          </AsyncContent>
        </VerifiedOnly>
      ) : null}
    </Page>
  );
}
