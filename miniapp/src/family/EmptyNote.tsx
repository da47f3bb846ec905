import { Empty } from '@nutui/nutui-react-taro';
import '@nutui/nutui-react-taro/dist/es/packages/empty/style/css';
import { View } from '@tarojs/components';

/** An empty list: NutUI's Empty without its remote picture (offline-safe, lighter for elders). */
export function EmptyNote({ text }: { text: string }) {
  return <Empty className="empty-note" size="small" image={<View />} description={text} />;
}
