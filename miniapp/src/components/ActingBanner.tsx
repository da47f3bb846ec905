import { Text, View } from '@tarojs/components';
import { stopActingFor } from '../session/session';
import { useActingFor } from '../session/use-acting-for';
import { Btn } from './Btn';

/** While acting for an elder, every page says so and offers the way out. */
export function ActingBanner() {
  const acting = useActingFor();
  if (!acting) return null;
  return (
    <View className="acting-banner" data-testid="acting-banner">
      <Text className="acting-banner__text">{`正在为 ${acting.name} 代办`}</Text>
      <Btn variant="ghost small" onClick={() => void stopActingFor()} testId="acting-exit">
        退出代办
      </Btn>
    </View>
  );
}
