import { Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { call } from '../api';
import { Page } from '../components/Page';
import { PhotoGrid } from '../components/PhotoPicker';
import { useApi } from '../hooks/use-api';
import { goneText } from './errors';
import { shortTime } from './labels';
import { Tag, withCopy } from './ui';
import '../components/image-cover.scss';
import './community.scss';
import './community-elder.scss';

/** One notice in full. Opening it is the read receipt: the BFF records it with this GET. */
export default function CommunityNoticePage() {
  const id = useRouter().params.id ?? '';
  const state = useApi(() => call('communityNotice', { params: { id } }), { key: id });
  const n = state.data;

  return (
    <Page name="communityNotice" state={withCopy(state, goneText('公告'))}>
      {n ? (
        <View className="card stack" data-testid="notice-detail">
          <View className="cm-notice__head">
            {n.pinned ? <Tag text="置顶" tone="rejected" /> : null}
            <Text className="cm-title" data-testid="notice-title">
              {n.title}
            </Text>
          </View>
          <Text className="muted">
            {`发布于 ${shortTime(n.publishedAt)}${n.editedAt ? `，${shortTime(n.editedAt)} 修改` : ''}`}
          </Text>
          <Text className="cm-body" data-testid="notice-body">
            {n.body}
          </Text>
          <View className="img-covers">
            <PhotoGrid photos={n.images} label="公告图片" testId="notice-images" />
          </View>
        </View>
      ) : null}
    </Page>
  );
}
