import { Text, View } from '@tarojs/components';
import { Btn } from '../components/Btn';
import { ELDER_AUTO_NOTE } from './elder-decision';
import { elderStore, useElderNote } from './use-elder-mode';

/** While the app turned elder mode on by itself: one line saying so and where to turn it off. */
export function ElderNote() {
  const visible = useElderNote();
  if (!visible) return null;
  return (
    <View className="elder-note" data-testid="elder-note" role="status">
      <Text className="elder-note__text">{ELDER_AUTO_NOTE}</Text>
      <Btn variant="ghost small" onClick={elderStore.dismissNote} testId="elder-note-ok">
        知道了
      </Btn>
    </View>
  );
}
