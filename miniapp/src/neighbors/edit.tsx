import { Image, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useEffect, useRef, useState } from 'react';
import {
  formatDisplayTime,
  MERCHANT_CATEGORY_LABELS,
  PAGES,
  POST_TITLE_MAX_CHARS,
  POST_TOPIC_LABELS,
  POST_TOPICS,
  type Post,
  type PostTopic,
  type Standing,
} from 'shared';
import { call } from '../api';
import { describeError } from '../api/errors';
import { taroStorage } from '../api/storage';
import { chooseImages, imageSrc, uploadImages } from '../api/upload';
import { Btn } from '../components/Btn';
import { Field, FieldError } from '../components/Field';
import { ErrorState, LoadingState, Page } from '../components/Page';
import { TextArea } from '../components/TextArea';
import { TextInput } from '../components/TextInput';
import { ToggleButtons } from '../components/ToggleButtons';
import { useApi } from '../hooks/use-api';
import { homeCommunity } from '../pages/neighbors/feed-model';
import { markFeedStale } from '../pages/neighbors/feed-store';
import {
  type DraftImage,
  draftImages,
  type EditorValues,
  editorProblems,
  type FieldErrors,
  fromDraft,
  imageIds,
  queued,
  retrying,
  roomForImages,
  serverFieldErrors,
  settled,
  textCount,
  toDraft,
  uploadProgress,
} from './edit-model';
import '../common/care-console.scss';
import '../common/care-console-elder.scss';
import '../pages/neighbors/neighbors.scss';
import '../pages/neighbors/neighbors-elder.scss';
import { tappable } from '../components/a11y';

const RECOMMEND: PostTopic = 'recommend';
const draftKey = (communityId: string) => `linli.neighbors.draft.${communityId}`;
const TOPIC_OPTIONS = POST_TOPICS.map((t) => ({ value: t, label: POST_TOPIC_LABELS[t] }));
const isTopic = (s: string | undefined): s is PostTopic => POST_TOPICS.includes(s as PostTopic);

/**
 * 发动态 (?communityId=&topic=) and 编辑动态 (?id=): topic, optional title, text with a live count,
 * up to nine photos uploaded one by one (progress, 重试, 删除), the shop for a 推荐. What a new
 * member may not do is said before they try; a refusal is shown at the field it is about. A new
 * post is kept as a draft on the phone until it is published.
 */
export default function NeighborEditPage() {
  const params = useRouter().params;
  const postId = params.id ?? '';
  const state = useApi(
    async () => {
      const post = postId ? await call('neighborPost', { params: { id: postId } }) : null;
      const communityId =
        post?.communityId ?? params.communityId ?? homeCommunity((await call('me')).memberships)?.communityId;
      if (!communityId) return { post, communityId: null, standing: null };
      const standing = await call('neighborStanding', { query: { communityId } });
      return { post, communityId, standing };
    },
    { key: postId },
  );

  useEffect(() => {
    if (postId) void Taro.setNavigationBarTitle({ title: '编辑动态' });
  }, [postId]);

  const data = state.data;
  return (
    <Page name="neighborEdit" state={state}>
      {data ? (
        data.communityId && data.standing?.member ? (
          <Editor
            communityId={data.communityId}
            standing={data.standing}
            post={data.post}
            initialTopic={isTopic(params.topic) ? params.topic : null}
          />
        ) : (
          <View className="card stack" data-testid="nb-edit-not-member">
            <Text className="card__title">完成住户认证后才能发动态</Text>
            <Text className="muted">邻里圈只对本社区已认证的住户开放。</Text>
            <Btn onClick={() => void Taro.navigateTo({ url: PAGES.membership })}>去住户认证</Btn>
          </View>
        )
      ) : null}
    </Page>
  );
}

function initialValues(post: Post | null, topic: PostTopic | null): EditorValues & { title: string } {
  if (!post) return { topic, title: '', text: '', images: [], merchantId: null };
  return {
    topic: post.topic,
    title: post.title ?? '',
    text: post.text,
    images: post.images.map((i) => ({
      key: i.id,
      status: 'done',
      uploadId: i.id,
      thumbUrl: i.thumbUrl,
      url: i.url,
    })),
    merchantId: post.merchant?.id ?? null,
  };
}

function readDraft(communityId: string) {
  try {
    const raw = taroStorage.getItem(draftKey(communityId));
    return raw ? fromDraft(JSON.parse(raw)) : null;
  } catch {
    return null;
  }
}

function Editor({
  communityId,
  standing,
  post,
  initialTopic,
}: {
  communityId: string;
  standing: Standing;
  post: Post | null;
  initialTopic: PostTopic | null;
}) {
  const editing = post !== null;
  const [values, setValues] = useState(() => initialValues(post, initialTopic));
  const [merchantName, setMerchantName] = useState<string | null>(post?.merchant?.name ?? null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [sending, setSending] = useState(false);
  const [restored, setRestored] = useState(false);
  const imagesRef = useRef(values.images);
  imagesRef.current = values.images;

  // A new post picks up where the last one was left (closed, or its photos failed to go up).
  useEffect(() => {
    if (editing) return;
    const draft = readDraft(communityId);
    if (!draft) return;
    setValues({
      topic: (draft.topic as PostTopic | null) ?? initialTopic,
      title: '',
      text: draft.text,
      images: draftImages(draft),
      merchantId: draft.merchantId,
    });
    setMerchantName(draft.merchantName);
    setRestored(true);
  }, [communityId, editing, initialTopic]);

  // Every change of a new post is kept on the phone until it is published.
  useEffect(() => {
    if (editing) return;
    const draft = toDraft(values, merchantName);
    // Emptied by hand: nothing to offer next time (the restore above has read the key already).
    if (draft.text.trim() || draft.images.length)
      taroStorage.setItem(draftKey(communityId), JSON.stringify(draft));
    else taroStorage.removeItem(draftKey(communityId));
  }, [values, merchantName, communityId, editing]);

  const patch = (next: Partial<typeof values>) => {
    setValues((v) => ({ ...v, ...next }));
    setErrors((e) => {
      const out = { ...e, form: undefined };
      for (const k of Object.keys(next))
        delete out[k === 'merchantId' ? 'merchant' : (k as keyof FieldErrors)];
      return out;
    });
  };
  // A change to the photos settles what was said about them (a retry went up, one was removed).
  const setImages = (update: (images: DraftImage[]) => DraftImage[]) => {
    setValues((v) => {
      const images = update(v.images);
      imagesRef.current = images;
      return { ...v, images };
    });
    setErrors((e) => ({ ...e, images: undefined, form: undefined }));
  };

  const uploadOne = async (img: DraftImage, file?: { path: string; size: number; file?: File }) => {
    try {
      const [up] = await uploadImages([file ?? { path: img.path!, size: 0 }], 'post');
      setImages((list) =>
        settled(list, img.key, { ok: true, id: up!.id, thumbUrl: up!.thumbUrl, url: up!.url }),
      );
    } catch (err) {
      setImages((list) => settled(list, img.key, { ok: false, error: describeError(err) }));
    }
  };

  // Kept for 重试: on H5 the picked File is needed again, not just its object URL.
  const picked = useRef(new Map<string, { path: string; size: number; file?: File }>());
  const addPhotos = async () => {
    setErrors((e) => ({ ...e, images: undefined }));
    let files: Awaited<ReturnType<typeof chooseImages>>;
    try {
      files = await chooseImages(roomForImages(imagesRef.current, standing));
    } catch {
      setErrors((e) => ({ ...e, images: '无法打开相册，请检查小程序的相册权限' }));
      return;
    }
    if (!files.length) return;
    for (const f of files) picked.current.set(f.path, f);
    const added = queued(files.map((f) => f.path));
    setImages((list) => [...list, ...added]);
    // One at a time: the progress reads 1/3, 2/3, and a failure stops only its own photo.
    for (const img of added) await uploadOne(img, picked.current.get(img.path!));
  };

  const retry = (img: DraftImage) => {
    setImages((list) => retrying(list, img.key));
    void uploadOne(img, picked.current.get(img.path ?? ''));
  };
  const remove = (key: string) => setImages((list) => list.filter((i) => i.key !== key));

  const submit = async () => {
    const problems = editorProblems(values, standing, RECOMMEND);
    setErrors(problems);
    if (Object.keys(problems).length) return;
    setSending(true);
    try {
      const merchantId = values.topic === RECOMMEND ? values.merchantId : null;
      const saved = editing
        ? await call('updatePost', {
            params: { id: post.id },
            body: {
              topic: values.topic as PostTopic,
              title: values.title.trim() || null,
              text: values.text,
              imageIds: imageIds(values.images),
              merchantId,
            },
          })
        : await call('createPost', {
            body: {
              communityId,
              topic: values.topic as PostTopic,
              title: values.title.trim() || undefined,
              text: values.text,
              imageIds: imageIds(values.images),
              merchantId: merchantId ?? undefined,
            },
          });
      if (!editing) taroStorage.removeItem(draftKey(communityId));
      markFeedStale();
      void Taro.showToast({ title: editing ? '已保存' : '已发布', icon: 'success' });
      if (editing) await Taro.navigateBack();
      else await Taro.redirectTo({ url: `${PAGES.neighborPost}?id=${saved.id}` });
    } catch (err) {
      setErrors(serverFieldErrors(err));
    } finally {
      setSending(false);
    }
  };

  const discardDraft = () => {
    taroStorage.removeItem(draftKey(communityId));
    setValues(initialValues(null, initialTopic));
    setMerchantName(null);
    setRestored(false);
    setErrors({});
  };

  const count = textCount(values.text);
  const titleCount = textCount(values.title, POST_TITLE_MAX_CHARS);
  const progress = uploadProgress(values.images);
  const room = roomForImages(values.images, standing);
  const busy = sending || progress !== null;

  return (
    <View className="stack" data-testid="nb-editor">
      {restored ? (
        <View className="cc-ok row" data-testid="nb-draft-restored">
          <Text>已恢复上次没发出的草稿</Text>
          <Btn variant="ghost small" onClick={discardDraft} testId="nb-draft-discard">
            清空
          </Btn>
        </View>
      ) : null}
      <Limits standing={standing} />

      <View className="card stack">
        <Field label="话题" error={errors.topic} testId="nb-edit-topic">
          <ToggleButtons
            options={TOPIC_OPTIONS}
            selected={values.topic ? [values.topic] : []}
            onToggle={(topic) => patch({ topic })}
            testId="nb-edit-topics"
          />
        </Field>
        {values.topic === RECOMMEND ? (
          <MerchantPicker
            communityId={communityId}
            selectedId={values.merchantId}
            error={errors.merchant}
            onSelect={(m) => {
              patch({ merchantId: m.id });
              setMerchantName(m.name);
            }}
          />
        ) : null}
        <Field label="标题（选填）" error={errors.title} testId="nb-edit-title">
          <TextInput
            value={values.title}
            onChange={(title) => patch({ title })}
            placeholder="一句话说说是什么事"
            maxLength={POST_TITLE_MAX_CHARS}
            testId="nb-edit-title-input"
          />
          <Text
            className={`nb-count${titleCount.over ? ' nb-count--over' : ''}`}
            data-testid="nb-edit-title-count"
          >
            {titleCount.label}
          </Text>
        </Field>
        <Field label="正文" error={errors.text} testId="nb-edit-text">
          {/* The cap is on code points (below); the field's own cap counts UTF-16 units, so it is looser. */}
          <TextArea
            value={values.text}
            onChange={(text) => patch({ text })}
            placeholder="分享身边的新鲜事，或者向邻居求助…"
            maxLength={2000}
            testId="nb-edit-textarea"
          />
          <Text className={`nb-count${count.over ? ' nb-count--over' : ''}`} data-testid="nb-edit-count">
            {count.label}
          </Text>
        </Field>
      </View>

      <View className="card stack" data-testid="nb-edit-photos">
        <Text className="field__label">{`照片（选填，最多 ${Math.min(9, standing.maxImages)} 张，邻居都能看到）`}</Text>
        {values.images.length ? (
          <View className="nb-photos">
            {values.images.map((img) => (
              <PhotoTile
                key={img.key}
                img={img}
                onRetry={() => retry(img)}
                onRemove={() => remove(img.key)}
              />
            ))}
          </View>
        ) : null}
        {progress ? (
          <Text className="muted" data-testid="nb-upload-progress">
            {progress}
          </Text>
        ) : null}
        {errors.images ? <FieldError testId="nb-edit-photos-error">{errors.images}</FieldError> : null}
        {room > 0 ? (
          <Btn variant="ghost" onClick={() => void addPhotos()} testId="nb-add-photos">
            {values.images.length ? '继续添加照片' : '添加照片'}
          </Btn>
        ) : (
          <Text className="muted">已达到照片数量上限</Text>
        )}
      </View>

      {errors.form ? (
        <Text className="error-text" data-testid="nb-edit-error">
          {errors.form}
        </Text>
      ) : null}
      <Btn onClick={() => void submit()} disabled={busy} testId="nb-edit-submit">
        {sending ? (editing ? '保存中…' : '发布中…') : progress ? '照片上传中…' : editing ? '保存' : '发布'}
      </Btn>
    </View>
  );
}

/** What a new member may not do yet, said before they try (the BFF refuses the same). */
function Limits({ standing }: { standing: Standing }) {
  const lines: string[] = [];
  if (standing.newMember) {
    lines.push(`新成员每条动态最多 ${standing.maxImages} 张照片，暂时不能发链接。`);
    lines.push(
      standing.newUntil
        ? `${formatDisplayTime(standing.newUntil).slice(5, 10)} 起（期间没有动态被删除）就不受这些限制了。`
        : '入住满一周且没有动态被删除后，就不受这些限制了。',
    );
  }
  if (standing.postsLeft !== null) lines.push(`今天还可以发 ${standing.postsLeft} 条。`);
  if (!lines.length) return null;
  return (
    <Text className="nb-limits" data-testid="nb-limits">
      {lines.join('')}
    </Text>
  );
}

function PhotoTile({
  img,
  onRetry,
  onRemove,
}: {
  img: DraftImage;
  onRetry: () => void;
  onRemove: () => void;
}) {
  const src = img.thumbUrl ? imageSrc(img.thumbUrl) : img.path;
  return (
    <View data-testid={`nb-photo-${img.status}`}>
      <View className="nb-photo">
        {src ? <Image className="nb-photo__img" src={src} mode="aspectFill" ariaLabel="已选照片" /> : null}
        {img.status === 'uploading' ? (
          <View className="nb-photo__state">
            <Text>上传中…</Text>
          </View>
        ) : null}
        {img.status === 'failed' ? (
          <View className="nb-photo__state nb-photo__state--failed">
            <Text>{`上传失败${img.error ? `：${img.error}` : ''}`}</Text>
          </View>
        ) : null}
      </View>
      <View className="nb-photo__bar">
        {img.status === 'failed' ? (
          <Btn variant="small" onClick={onRetry} testId="nb-photo-retry">
            重试
          </Btn>
        ) : null}
        <Btn
          variant="ghost small"
          onClick={onRemove}
          disabled={img.status === 'uploading'}
          testId="nb-photo-remove"
        >
          删除
        </Btn>
      </View>
    </View>
  );
}

/** 推荐 which shop: the listed shops serving the community, loaded when 推荐 is picked. */
function MerchantPicker({
  communityId,
  selectedId,
  error,
  onSelect,
}: {
  communityId: string;
  selectedId: string | null;
  error?: string;
  onSelect: (m: { id: string; name: string }) => void;
}) {
  const shops = useApi(() => call('merchants', { query: { communityId } }), { key: communityId });
  return (
    <Field label="推荐的商家" error={error} testId="nb-edit-merchant">
      {shops.data === undefined ? (
        shops.error ? (
          <ErrorState error={shops.error} onRetry={shops.reload} compact />
        ) : (
          <LoadingState />
        )
      ) : shops.data.items.length === 0 ? (
        <Text className="muted">本社区还没有入驻的商家</Text>
      ) : (
        <View className="choice-list" data-testid="nb-edit-merchants">
          {shops.data.items.map((m) => (
            <View
              {...tappable({ pressed: m.id === selectedId })}
              key={m.id}
              className={`choice${m.id === selectedId ? ' choice--selected' : ''}`}
              onClick={() => onSelect(m)}
              data-testid={`nb-edit-merchant-${m.id}`}
            >
              <Text>{`${m.name} · ${MERCHANT_CATEGORY_LABELS[m.category]}`}</Text>
            </View>
          ))}
        </View>
      )}
    </Field>
  );
}
