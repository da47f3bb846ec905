import { Text, View } from '@tarojs/components';
import { useMemo, useState } from 'react';
import type { RouteResponse } from 'shared';
import { call } from '../api';
import { AsyncContent } from '../components/Page';
import { useApi } from '../hooks/use-api';
import { groupSlotsByDay, nextDays, slotTimeText } from './slots-model';
import { ChipBtn } from './ui';

export type Slot = RouteResponse<'careSlots'>['items'][number];

export const SLOT_DAYS = 14;

/**
 * 选择时间: the next 14 days as chips, the chosen day's free slots under them (local time). The
 * parent bumps `reloadKey` to fetch the slots again (after 409 SLOT_TAKEN, say).
 */
export function SlotPicker({
  itemId,
  today,
  selected,
  onSelect,
  reloadKey,
}: {
  itemId: string;
  today: string;
  selected: Slot | null;
  onSelect: (slot: Slot | null) => void;
  reloadKey: number;
}) {
  const days = useMemo(() => nextDays(today, SLOT_DAYS), [today]);
  const state = useApi(
    () => call('careSlots', { params: { id: itemId }, query: { date: today, days: SLOT_DAYS } }),
    { key: `${itemId}:${today}:${reloadKey}` },
  );
  const grouped = useMemo(
    () =>
      groupSlotsByDay(
        state.data?.items ?? [],
        days.map((d) => d.date),
      ),
    [state.data, days],
  );
  // Until someone picks, the first day with a free slot is shown (today is often full).
  const [pickedDay, setPickedDay] = useState<string | null>(null);
  const firstFree = days.find((d) => (grouped.get(d.date)?.length ?? 0) > 0)?.date ?? days[0]!.date;
  const day = pickedDay ?? firstFree;
  const slots = grouped.get(day) ?? [];

  return (
    <View className="card stack care-card" data-testid="care-slot-picker">
      <Text className="card__title">选择时间</Text>
      <View className="care-chips care-chips--scroll" data-testid="care-days">
        {days.map((d) => (
          <ChipBtn
            key={d.date}
            selected={d.date === day}
            onClick={() => {
              setPickedDay(d.date);
              onSelect(null);
            }}
            testId={`care-day-${d.date}`}
          >
            {`${d.label}${state.data && !(grouped.get(d.date)?.length ?? 0) ? '（无空位）' : ''}`}
          </ChipBtn>
        ))}
      </View>
      <AsyncContent state={state}>
        {slots.length === 0 ? (
          <Text className="muted" data-testid="care-no-slots">
            这一天已约满或不提供服务，请换一天
          </Text>
        ) : (
          <View className="care-slots" data-testid="care-slots">
            {slots.map((s) => (
              <ChipBtn
                key={s.startsAt}
                selected={selected?.startsAt === s.startsAt}
                onClick={() => onSelect(s)}
                testId="care-slot"
              >
                {slotTimeText(s)}
              </ChipBtn>
            ))}
          </View>
        )}
      </AsyncContent>
      <Text className="muted">时间均为北京时间</Text>
    </View>
  );
}
