import { Text, View } from '@tarojs/components';
import {
  addPeriod,
  copyToAllDays,
  removePeriod,
  setDayClosed,
  setPeriodTime,
  WEEKDAY_LABELS,
  type Week,
} from '../common/hours-model';
import { Btn } from '../components/Btn';
import { TimeField } from '../components/TimeField';

/**
 * 每周工作时间: per weekday 休息 or one or more shifts. The pure week operations are the shops'
 * (common/hours-model.ts); the rules differ (no overnight shifts, see caregiver-model.ts).
 */
export function ShiftEditor({
  week,
  onChange,
  problems,
}: {
  week: Week;
  onChange: (week: Week) => void;
  problems: Record<number, string>;
}) {
  return (
    <View className="stack cc-card" data-testid="shift-editor">
      <Btn variant="ghost small" onClick={() => onChange(copyToAllDays(week, 1))} testId="shift-copy-monday">
        按周一的时间设置每天
      </Btn>
      {week.map((d) => {
        const off = d.periods.length === 0;
        const name = WEEKDAY_LABELS[d.day]!;
        return (
          <View key={d.day} className="stack cc-card cc-shift-day" data-testid={`shift-day-${d.day}`}>
            <View className="cc-head cc-head--center">
              <Text className="cc-line cc-strong cc-nowrap">{name}</Text>
              <Btn
                variant="ghost small"
                onClick={() => onChange(setDayClosed(week, d.day, !off))}
                testId={`shift-day-${d.day}-toggle`}
              >
                {off ? `${name}休息，点此上班` : `设为${name}休息`}
              </Btn>
            </View>
            {d.periods.map((p, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: periods have no identity; the rows hold no state
              <View key={`${d.day}-${i}`} className="cc-period">
                <TimeField
                  value={p.open}
                  label={`${name}第${i + 1}段上班时间`}
                  onChange={(v) => onChange(setPeriodTime(week, d.day, i, 'open', v))}
                  testId={`shift-${d.day}-${i}-open`}
                />
                <Text>至</Text>
                <TimeField
                  value={p.close}
                  label={`${name}第${i + 1}段下班时间`}
                  onChange={(v) => onChange(setPeriodTime(week, d.day, i, 'close', v))}
                  testId={`shift-${d.day}-${i}-close`}
                />
                {d.periods.length > 1 ? (
                  <Btn variant="ghost small" onClick={() => onChange(removePeriod(week, d.day, i))}>
                    删除
                  </Btn>
                ) : null}
              </View>
            ))}
            {problems[d.day] ? <Text className="field__error">{problems[d.day]}</Text> : null}
            {off ? null : (
              <Btn variant="ghost small" onClick={() => onChange(addPeriod(week, d.day))}>
                {`${name}增加时段`}
              </Btn>
            )}
          </View>
        );
      })}
      {problems[0] ? <Text className="field__error">{problems[0]}</Text> : null}
    </View>
  );
}
