import { Text, View } from '@tarojs/components';
import { Btn } from '../components/Btn';

/** 加载更多 while there are more pages, with the reason when it failed. */
export function MoreButton({
  list,
}: {
  list: { hasMore: boolean; loadingMore: boolean; moreError: string | null; loadMore: () => Promise<void> };
}) {
  if (!list.hasMore && !list.moreError) return null;
  return (
    <View className="more stack">
      {list.moreError ? <Text className="error-text">{`加载失败：${list.moreError}`}</Text> : null}
      {list.hasMore ? (
        <Btn
          variant="ghost"
          disabled={list.loadingMore}
          onClick={() => void list.loadMore()}
          testId="load-more"
        >
          {list.loadingMore ? '加载中…' : '加载更多'}
        </Btn>
      ) : null}
    </View>
  );
}
