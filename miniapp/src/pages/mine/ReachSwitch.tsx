import { Cell, Switch } from '@nutui/nutui-react-taro';
import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { Me } from 'shared';
import { call, errorMessage } from '../../api';
import { switchA11y } from '../../components/a11y';
import { Btn } from '../../components/Btn';
import { useAction } from '../../hooks/use-action';

type Reach = Me['user']['reachableCompartments'];

const TITLE = '优先分配不用弯腰、不用踮脚的格口';

/** Why the switch stands where it does: the person's own choice, or the automatic rule. */
export function reachHint(r: Reach): string {
  if (r.choice === null)
    return r.on
      ? '已按年龄自动开启；格口不够时会放在其他层，并在订单里说明'
      : '80 岁以上或家人代下单时自动开启；格口不够时会放在其他层';
  return r.on ? '您已开启；格口不够时会放在其他层，并在订单里说明' : '您已关闭，生鲜柜格口按先到先得分配';
}

/**
 * 我的 → 生鲜柜格口: the person asks for compartments at hand height (stored per person on the BFF,
 * so it follows them to another phone); 恢复自动 hands the choice back to the age rule.
 */
export function ReachSwitch({ value, onSaved }: { value: Reach; onSaved: () => Promise<void> }) {
  const { busy, error, run } = useAction((err) => `保存失败：${errorMessage(err)}`);

  const save = (next: boolean | null) =>
    run(async () => {
      await call('updateMe', { body: { reachableCompartments: next } });
      await onSaved();
      void Taro.showToast({ title: next === null ? '已恢复自动' : next ? '已开启' : '已关闭', icon: 'none' });
    });

  return (
    // NutUI's Cell always listens for taps; the switch in it is the control (data-tap-passive).
    <View data-testid="reach-setting" data-tap-passive>
      <Cell
        className="mine-row"
        title={
          <View>
            <Text>{TITLE}</Text>
            <Text className="muted" data-testid="reach-hint">
              {busy ? '保存中…' : reachHint(value)}
            </Text>
          </View>
        }
        extra={
          <View data-testid="reach-switch">
            <Switch
              checked={value.on}
              disabled={busy}
              onChange={(on) => void save(on)}
              ariaLabel={TITLE}
              {...switchA11y(value.on)}
            />
          </View>
        }
        align="center"
      />
      {value.choice !== null ? (
        <View className="l-actions">
          <Btn variant="ghost small" disabled={busy} onClick={() => void save(null)} testId="reach-auto">
            恢复自动
          </Btn>
        </View>
      ) : null}
      {error ? (
        <Text className="error-text" data-testid="reach-error">
          {error}
        </Text>
      ) : null}
    </View>
  );
}
