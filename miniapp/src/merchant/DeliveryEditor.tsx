import { View } from '@tarojs/components';
import { type DeliveryDraft, MODE_OPTIONS, toggleMode } from './delivery-model';
import { Chips, Field, NumberInput } from './ui';

/** 配送方式: which modes, and for 送货上门 how far and for what fee. */
export function DeliveryEditor({
  draft,
  onChange,
  errors,
}: {
  draft: DeliveryDraft;
  onChange: (draft: DeliveryDraft) => void;
  errors: Record<string, string>;
}) {
  return (
    <View className="stack">
      <Field label="配送方式（可多选）" error={errors.delivery}>
        <Chips
          options={MODE_OPTIONS}
          selected={draft.modes}
          onToggle={(m) => onChange(toggleMode(draft, m))}
          testId="delivery-modes"
        />
      </Field>
      {draft.modes.includes('home') ? (
        <View className="m-quick">
          <Field label="配送范围（米）" error={errors.radiusM}>
            <NumberInput
              kind="count"
              maxLength={5}
              placeholder="如 3000"
              value={draft.radiusM}
              onChange={(v) => onChange({ ...draft, radiusM: v })}
              invalid={Boolean(errors.radiusM)}
              testId="delivery-radius"
            />
          </Field>
          <Field label="配送费（元）" error={errors.fee}>
            <NumberInput
              kind="money"
              placeholder="如 3"
              value={draft.fee}
              onChange={(v) => onChange({ ...draft, fee: v })}
              invalid={Boolean(errors.fee)}
              testId="delivery-fee"
            />
          </Field>
        </View>
      ) : null}
    </View>
  );
}
