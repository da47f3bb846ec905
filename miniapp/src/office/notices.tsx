import { Switch, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import type { StaffNotice } from 'shared';
import { call } from '../api';
import { describeError } from '../api/errors';
import { confirm } from '../common/confirm';
import { Btn } from '../components/Btn';
import { Field } from '../components/Field';
import { AsyncContent, Page } from '../components/Page';
import { type ChosenPhoto, PhotoPicker } from '../components/PhotoPicker';
import { TextArea } from '../components/TextArea';
import { TextInput } from '../components/TextInput';
import { useAction } from '../hooks/use-action';
import { useCursorList } from '../hooks/use-cursor-list';
import { usePullRefresh } from '../hooks/use-pull-refresh';
import { MoreButton } from '../market/MoreButton';
import { officeTime } from './activities-fields';
import {
  householdsText,
  NOTICE_MAX_IMAGES,
  type NoticeErrors,
  noticeDraft,
  readRateText,
  unreadCount,
} from './notices-model';
import '../common/care-console.scss';
import '../common/care-console-elder.scss';
import './community.scss';
import './community-elder.scss';

const noticeError = (err: unknown) =>
  describeError(err, {
    fields: {
      title: '标题请在 60 字以内',
      body: '内容请在 5000 字以内',
      imageIds: '图片最多 9 张，请重新上传',
    },
  });

/** 通知公告 for staff: publish with images, pin, edit, withdraw, and who has read each one. */
export default function OfficeNoticesPage() {
  const list = useCursorList((cursor) => call('staffNotices', { query: { cursor, limit: 20 } }), {
    refreshOnShow: true,
  });
  const [creating, setCreating] = useState(false);
  usePullRefresh(list.reload);

  return (
    <Page name="officeNotices">
      {creating ? (
        <NoticeEditor
          onClose={() => setCreating(false)}
          onSaved={async () => {
            setCreating(false);
            await list.reload();
          }}
        />
      ) : (
        <View className="filter-bar">
          <Btn onClick={() => setCreating(true)} testId="office-notice-new">
            发布公告
          </Btn>
        </View>
      )}
      <AsyncContent state={list}>
        {list.items.length === 0 ? (
          <View className="card">
            <Text className="muted">还没有发布过公告</Text>
          </View>
        ) : null}
        {list.items.map((n) => (
          <NoticeCard key={n.id} n={n} onChanged={list.reload} />
        ))}
        <MoreButton list={list} />
      </AsyncContent>
    </Page>
  );
}

/** New (no `notice`) or edit: title, text, images; 置顶 only when new (pinning is its own button after). */
function NoticeEditor({
  notice,
  onClose,
  onSaved,
}: {
  notice?: StaffNotice;
  onClose: () => void;
  onSaved: () => Promise<void>;
}) {
  const [title, setTitle] = useState(notice?.title ?? '');
  const [body, setBody] = useState(notice?.body ?? '');
  const [pinned, setPinned] = useState(false);
  const [photos, setPhotos] = useState<ChosenPhoto[]>(notice?.images ?? []);
  const [uploading, setUploading] = useState(false);
  const [errors, setErrors] = useState<NoticeErrors>({});
  const action = useAction(noticeError);

  const submit = () => {
    const built = noticeDraft({ title, body, imageIds: photos.map((p) => p.id), pinned });
    if (!built.ok) {
      setErrors(built.errors);
      return;
    }
    setErrors({});
    const d = built.draft;
    void action.run(async () => {
      if (notice)
        await call('updateNotice', {
          params: { id: notice.id },
          body: { title: d.title, body: d.body, imageIds: d.imageIds },
        });
      else await call('createNotice', { body: d });
      void Taro.showToast({ title: notice ? '已保存' : '已发布', icon: 'success' });
      await onSaved();
    });
  };

  return (
    <View className="card stack cc-card" data-testid="office-notice-form">
      <Text className="card__title">{notice ? '修改公告' : '发布公告'}</Text>
      <Field label="标题" error={errors.title}>
        <TextInput
          value={title}
          onChange={setTitle}
          placeholder="如：12 月 3 日停水通知"
          maxLength={60}
          testId="office-notice-title"
        />
      </Field>
      <Field label="内容" error={errors.body}>
        <TextArea
          value={body}
          onChange={setBody}
          placeholder="写清时间、范围和注意事项"
          maxLength={5000}
          testId="office-notice-body"
        />
      </Field>
      <Field label="图片" error={errors.images}>
        <PhotoPicker
          photos={photos}
          onChange={setPhotos}
          onBusy={setUploading}
          max={NOTICE_MAX_IMAGES}
          purpose="notice"
          hint="居民都能看到"
          testId="office-notice-photos"
        />
      </Field>
      {notice ? null : (
        <View className="row of-switch">
          <Text>置顶（显示在公告列表最上方）</Text>
          <Switch
            checked={pinned}
            onChange={(e) => setPinned(e.detail.value)}
            data-testid="office-notice-pinned"
          />
        </View>
      )}
      {action.error ? <Text className="state__message">{action.error}</Text> : null}
      <View className="cc-actions">
        <Btn disabled={action.busy || uploading} onClick={submit} testId="office-notice-submit">
          {action.busy ? '提交中…' : notice ? '保存修改' : '发布'}
        </Btn>
        <Btn variant="ghost" onClick={onClose} testId="office-notice-close">
          取消
        </Btn>
      </View>
    </View>
  );
}

function NoticeCard({ n, onChanged }: { n: StaffNotice; onChanged: () => Promise<void> }) {
  const [editing, setEditing] = useState(false);
  const [showUnread, setShowUnread] = useState(false);
  const action = useAction(noticeError);
  const withdrawn = n.withdrawnAt !== null;

  const pin = () =>
    void action.run(async () => {
      await call('pinNotice', { params: { id: n.id }, body: { pinned: !n.pinned } });
      await onChanged();
    }, 'pin');

  const withdraw = async () => {
    const ok = await confirm('撤回公告', `撤回「${n.title}」？居民将不再看到这条公告。`, {
      confirmText: '撤回',
    });
    if (!ok) return;
    await action.run(async () => {
      await call('withdrawNotice', { params: { id: n.id }, body: {} });
      await onChanged();
    }, 'withdraw');
  };

  if (editing)
    return (
      <NoticeEditor
        notice={n}
        onClose={() => setEditing(false)}
        onSaved={async () => {
          setEditing(false);
          await onChanged();
        }}
      />
    );

  return (
    <View className="card stack cc-card" data-testid={`office-notice-${n.id}`}>
      <View className="cc-head">
        <Text className="card__title">{n.title}</Text>
        {withdrawn ? (
          <Text className="tag tag--muted">已撤回</Text>
        ) : n.pinned ? (
          <Text className="tag tag--rejected">置顶</Text>
        ) : null}
      </View>
      <Text className="muted">
        {`${n.authorName} 发布于 ${officeTime(n.publishedAt)}${n.editedAt ? ' · 已修改' : ''}${n.images.length ? ` · ${n.images.length} 张图片` : ''}`}
      </Text>
      <Text className="cc-line cc-strong" data-testid="office-notice-rate">
        {readRateText(n.stats)}
      </Text>
      {householdsText(n.stats) ? <Text className="muted">{householdsText(n.stats)}</Text> : null}
      {action.error ? <Text className="state__message">{action.error}</Text> : null}
      {withdrawn ? null : (
        <View className="cc-actions">
          <Btn variant="ghost small" disabled={action.busy} onClick={pin} testId="office-notice-pin">
            {action.runningKey === 'pin' ? '提交中…' : n.pinned ? '取消置顶' : '置顶'}
          </Btn>
          <Btn variant="ghost small" onClick={() => setEditing(true)} testId="office-notice-edit">
            修改
          </Btn>
          <Btn variant="ghost small" onClick={() => setShowUnread((v) => !v)} testId="office-notice-unread">
            {showUnread ? '收起未读名单' : `未读名单（${unreadCount(n.stats)}）`}
          </Btn>
          <Btn
            variant="danger small"
            disabled={action.busy}
            onClick={() => void withdraw()}
            testId="office-notice-withdraw"
          >
            撤回
          </Btn>
        </View>
      )}
      {showUnread ? <UnreadList id={n.id} /> : null}
    </View>
  );
}

/** Who has not opened the notice yet (names masked), by household address: to knock on doors. */
function UnreadList({ id }: { id: string }) {
  const list = useCursorList(
    (cursor) => call('noticeUnread', { params: { id }, query: { cursor, limit: 50 } }),
    {
      key: id,
    },
  );
  return (
    <View className="stack of-unread" data-testid="office-notice-unread-list">
      <AsyncContent state={list}>
        {list.items.length === 0 ? <Text className="muted">所有居民都已读</Text> : null}
        {list.items.map((u, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: masked names repeat within a household; rows have no id
          <View key={`${u.address}-${u.name}-${i}`} className="row">
            <Text>{u.name}</Text>
            <Text className="muted">{u.address}</Text>
          </View>
        ))}
        <MoreButton list={list} />
      </AsyncContent>
    </View>
  );
}
