import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { PAGES } from 'shared';
import { Btn } from '../components/Btn';

/**
 * Home services (水电维修, 管道疏通, ...) are not goods in a cart: they are asked for as a visit
 * through 报修 (the resident-requests module, handled by 邻里快修 and the office).
 */
export function ServiceEntry({ testId = 'service-entry' }: { testId?: string }) {
  const open = () => void Taro.navigateTo({ url: `${PAGES.requestNew}?category=repair` });
  return (
    <View className="card service-entry" data-testid={testId}>
      <View className="service-entry__body">
        <Text className="service-entry__title">家政维修</Text>
        <Text className="muted">水电、管道、门锁、家电，师傅上门</Text>
      </View>
      <Btn variant="small" onClick={open} testId={`${testId}-go`}>
        预约上门
      </Btn>
    </View>
  );
}
