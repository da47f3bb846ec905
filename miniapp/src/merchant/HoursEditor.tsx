import { Picker, Text, View } from '@tarojs/components';
import {
  addPeriod,
  copyToAllDays,
  isOvernight,
  removePeriod,
  setDayClosed,
  setPeriodTime,
  WEEKDAY_LABELS,
  type Week,
} from '../common/hours-model';
import { tappable } from '../components/a11y';
import { Btn } from '../components/Btn';

/** A time field: the system time wheel on weapp and H5, shown large like our inputs. */
export function TimeField({
  value,
  onChange,
  testId,
}: {
  value: string;
  onChange: (value: string) => void;
  testId?: string;
}) {
  return (
    <View className="m-time-wrap">
      <Picker
        mode="time"
        value={value === '24:00' ? '23:59' : value}
        onChange={(e) => onChange(String(e.detail.value))}
      >
        <View className="input m-time" data-testid={testId} {...tappable()}>
          <Text>{value}</Text>
        </View>
      </Picker>
    </View>
  );
}

interface Props {
  week: Week;
  onChange: (week: Week) => void;
  /** Problems per weekday (from validateWeek). */
  problems: Record<number, string>;
}

/** 每周营业时间: per weekday 休息 or one or more periods; 应用到每天 copies a day to the week. */
export function HoursEditor({ week, onChange, problems }: Props) {
  return (
    <View data-testid="hours-editor">
      <Btn variant="ghost small" onClick={() => onChange(copyToAllDays(week, 1))} testId="hours-copy-monday">
        按周一的时间设置每天
      </Btn>
      {week.map((d) => {
        const closed = d.periods.length === 0;
        return (
          <View key={d.day} className="m-day stack" data-testid={`day-${d.day}`}>
            <View className="row">
              <Text className="m-day__name">{WEEKDAY_LABELS[d.day]}</Text>
              <View className="choice-list">
                <View
                  {...tappable({ pressed: !closed })}
                  className={`choice${closed ? '' : ' choice--selected'}`}
                  onClick={() => onChange(setDayClosed(week, d.day, false))}
                >
                  营业
                </View>
                <View
                  {...tappable({ pressed: closed })}
                  className={`choice${closed ? ' choice--selected' : ''}`}
                  onClick={() => onChange(setDayClosed(week, d.day, true))}
                  data-testid={`day-${d.day}-closed`}
                >
                  休息
                </View>
              </View>
            </View>
            {d.periods.map((p, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: periods have no identity; the rows hold no state
              <View key={`${d.day}-${i}`} className="stack">
                <View className="m-period">
                  <TimeField
                    value={p.open}
                    onChange={(v) => onChange(setPeriodTime(week, d.day, i, 'open', v))}
                    testId={`day-${d.day}-${i}-open`}
                  />
                  <Text>至</Text>
                  <TimeField
                    value={p.close}
                    onChange={(v) => onChange(setPeriodTime(week, d.day, i, 'close', v))}
                    testId={`day-${d.day}-${i}-close`}
                  />
                  {d.periods.length > 1 ? (
                    <Btn variant="ghost small" onClick={() => onChange(removePeriod(week, d.day, i))}>
                      删除
                    </Btn>
                  ) : null}
                </View>
                {isOvernight(p) ? <Text className="muted">跨夜营业，次日 {p.close} 打烊</Text> : null}
              </View>
            ))}
            {problems[d.day] ? <Text className="field__error">{problems[d.day]}</Text> : null}
            {closed ? null : (
              <View className="m-actions m-actions--start">
                <Btn variant="ghost small" onClick={() => onChange(addPeriod(week, d.day))}>
                  增加时段
                </Btn>
              </View>
            )}
          </View>
        );
      })}
      {problems[0] ? <Text className="field__error">{problems[0]}</Text> : null}
    </View>
  );
}
