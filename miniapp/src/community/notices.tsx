import { Image, Text, View } from '@tarojs/components';
import { type NoticeItem, PAGES } from 'shared';
import { call } from '../api';
import { imageSrc } from '../api/upload';
import { useCursorList } from '../hooks/use-cursor-list';
import { usePullRefresh } from '../hooks/use-pull-refresh';
import { MoreButton } from '../market/MoreButton';
import { shortTime } from './labels';
import { Empty, MemberPage, open, Tag } from './ui';
import '../components/image-cover.scss';
import './community.scss';
import './community-elder.scss';
import { tappable } from '../components/a11y';

/** 通知公告: pinned first, then newest; a red dot on the ones not opened yet. */
export default function CommunityNoticesPage() {
  const list = useCursorList((cursor) => call('communityNotices', { query: { cursor, limit: 20 } }), {
    refreshOnShow: true,
  });
  usePullRefresh(list.reload);

  return (
    <MemberPage name="communityNotices" state={list}>
      {list.data && list.items.length === 0 ? (
        <Empty text="社区还没有发布公告，有新公告时会在这里显示。" testId="notices-empty" />
      ) : null}
      {list.items.map((n) => (
        <NoticeRow key={n.id} n={n} />
      ))}
      <MoreButton list={list} />
    </MemberPage>
  );
}

function NoticeRow({ n }: { n: NoticeItem }) {
  const unread = n.readAt === null;
  return (
    <View
      {...tappable()}
      className={`card cm-notice${unread ? ' cm-notice--unread' : ''}`}
      onClick={() => open(`${PAGES.communityNotice}?id=${n.id}`)}
      data-testid={`notice-${n.id}`}
      data-unread={unread ? 'true' : undefined}
    >
      <View className="cm-notice__main">
        <View className="cm-notice__head">
          {unread ? <Text className="dot" aria-label="未读" data-testid="notice-unread" /> : null}
          {n.pinned ? <Tag text="置顶" tone="rejected" testId="notice-pinned" /> : null}
          <Text className="cm-notice__title">{n.title}</Text>
        </View>
        <Text className="muted cm-notice__excerpt">{n.excerpt}</Text>
        <Text className="muted">
          {`${shortTime(n.publishedAt)}${n.editedAt ? ' · 已修改' : ''}${n.imageCount ? ` · ${n.imageCount} 张图片` : ''}${unread ? ' · 未读' : ''}`}
        </Text>
      </View>
      {n.thumbUrl ? (
        <Image
          className="cm-notice__thumb img-cover"
          src={imageSrc(n.thumbUrl)}
          mode="aspectFill"
          ariaLabel="公告配图"
        />
      ) : null}
    </View>
  );
}
