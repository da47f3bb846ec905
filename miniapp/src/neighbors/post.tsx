import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import type { Comment, Post, Reply, ReportReason } from 'shared';
import { PAGES } from 'shared';
import { call } from '../api';
import { confirm } from '../common/confirm';
import { Btn } from '../components/Btn';
import { FieldError } from '../components/Field';
import { ErrorState, LoadingState, Page } from '../components/Page';
import { TextArea } from '../components/TextArea';
import { useAction } from '../hooks/use-action';
import { useApi } from '../hooks/use-api';
import { useCursorList } from '../hooks/use-cursor-list';
import { usePullRefresh } from '../hooks/use-pull-refresh';
import { MoreButton } from '../market/MoreButton';
import { relativeTime } from '../pages/neighbors/feed-model';
import { forgetLikes, markFeedStale, useLike } from '../pages/neighbors/feed-store';
import { ImageGrid } from '../pages/neighbors/ImageGrid';
import { AuthorRow, MerchantChip, ModerationNote, PostActions, PostText } from '../pages/neighbors/PostCard';
import {
  commentCount,
  commentProblem,
  commentView,
  type ReplyTarget,
  replyHead,
  replyTargetOf,
  reportedToast,
  sendReport,
} from './post-model';
import { ReportSheet } from './ReportSheet';
import '../common/care-console.scss';
import '../common/care-console-elder.scss';
import '../market/market.scss';
import '../market/market-elder.scss';
import '../pages/neighbors/neighbors.scss';
import '../pages/neighbors/neighbors-elder.scss';

type Reporting = { type: 'post' | 'comment'; id: string } | null;
const COMPOSE_ID = 'nb-compose';
const scrollToCompose = () =>
  void Taro.pageScrollTo({ selector: `#${COMPOSE_ID}`, duration: 200 }).catch(() => undefined);

/** Back to where the person came from, or the feed when the post was opened from a message. */
async function leave() {
  if (Taro.getCurrentPages().length > 1) await Taro.navigateBack();
  else await Taro.switchTab({ url: PAGES.neighbors });
}

/**
 * 动态详情 (?id=, &focus=comment): the whole post, 赞, its comments with one level of replies, 举报;
 * the author's 编辑 and 删除. The author of a hidden or removed post sees why.
 */
export default function NeighborPostPage() {
  const params = useRouter().params;
  const id = params.id ?? '';
  const post = useApi(() => call('neighborPost', { params: { id } }), { key: id, refreshOnShow: true });
  const comments = useCursorList<Comment>(
    (cursor) => call('postComments', { params: { id }, query: { cursor, limit: 20 } }),
    { key: id },
  );
  usePullRefresh(post.reload, comments.reload);
  useEffect(() => {
    if (post.data) forgetLikes([post.data]);
  }, [post.data]);

  return (
    <Page name="neighborPost" state={post}>
      {post.data ? (
        <>
          <PostBody post={post.data} />
          <Comments
            post={post.data}
            list={comments}
            focus={params.focus === 'comment'}
            onChanged={async () => {
              await Promise.all([comments.reload(), post.reload()]);
            }}
          />
        </>
      ) : null}
    </Page>
  );
}

function PostBody({ post }: { post: Post }) {
  const { like, pending } = useLike();
  const action = useAction();
  const [reporting, setReporting] = useState(false);
  // Known for this visit only (the post does not say whether I reported it); the server refuses a second.
  const [reported, setReported] = useState(false);

  const remove = async () => {
    if (
      !(await confirm('删除动态', '删除后邻居们将看不到这条动态，评论也会一起删除。确定删除吗？', {
        confirmText: '删除',
      }))
    )
      return;
    const done = await action.run(() => call('deletePost', { params: { id: post.id } }), 'delete');
    if (done) {
      markFeedStale();
      void Taro.showToast({ title: '已删除', icon: 'success' });
      await leave();
    }
  };

  const report = async (body: { reason: ReportReason; note?: string }) => {
    const done = await action.run(
      () => sendReport(() => call('reportPost', { params: { id: post.id }, body })),
      'report',
    );
    if (done) {
      setReporting(false);
      setReported(true);
      void Taro.showToast({ title: reportedToast(done), icon: done === 'reported' ? 'success' : 'none' });
    }
  };

  return (
    <View className="card nb-post" data-testid="nb-post">
      <AuthorRow post={post} />
      <ModerationNote post={post} />
      {post.title ? <Text className="nb-title">{post.title}</Text> : null}
      <PostText text={post.text} fold={false} />
      <ImageGrid images={post.images} />
      <MerchantChip merchant={post.merchant} />
      <PostActions
        post={post}
        onLike={() => void like(post)}
        likeBusy={pending.has(post.id)}
        onComment={scrollToCompose}
      />
      <View className="cc-actions" style={{ marginTop: '8px' }}>
        {post.mine ? (
          <>
            {post.status !== 'removed' ? (
              <Btn
                variant="ghost small"
                onClick={() => void Taro.navigateTo({ url: `${PAGES.neighborEdit}?id=${post.id}` })}
                testId="nb-post-edit"
              >
                编辑
              </Btn>
            ) : null}
            <Btn
              variant="ghost small"
              disabled={action.busy}
              onClick={() => void remove()}
              testId="nb-post-delete"
            >
              {action.runningKey === 'delete' ? '删除中…' : '删除'}
            </Btn>
          </>
        ) : (
          <Btn
            variant="ghost small"
            disabled={reported}
            onClick={() => setReporting(!reporting)}
            testId="nb-post-report"
          >
            {reported ? '已举报' : '举报'}
          </Btn>
        )}
      </View>
      {action.error && !reporting ? <Text className="error-text">{action.error}</Text> : null}
      {reporting ? (
        <ReportSheet
          what="这条动态"
          busy={action.runningKey === 'report'}
          error={action.error}
          onSubmit={(body) => void report(body)}
          onCancel={() => setReporting(false)}
          testId="nb-report"
        />
      ) : null}
    </View>
  );
}

function Comments({
  post,
  list,
  focus,
  onChanged,
}: {
  post: Post;
  list: ReturnType<typeof useCursorList<Comment>>;
  focus: boolean;
  onChanged: () => Promise<void>;
}) {
  const [target, setTarget] = useState<ReplyTarget | null>(null);
  const [reporting, setReporting] = useState<Reporting>(null);
  const [reported, setReported] = useState<ReadonlySet<string>>(new Set());
  const action = useAction();

  // Opened with 评论 from the feed: straight to the box once the page is drawn.
  useEffect(() => {
    if (focus && list.data) scrollToCompose();
  }, [focus, list.data]);

  const reply = (c: Reply) => {
    setTarget(replyTargetOf(c));
    scrollToCompose();
  };

  const remove = async (c: Reply) => {
    if (!(await confirm('删除评论', '删除后不能恢复，确定删除这条评论吗？', { confirmText: '删除' }))) return;
    const done = await action.run(() => call('deleteComment', { params: { id: c.id } }), `delete-${c.id}`);
    if (done) await onChanged();
  };

  const report = async (c: Reply, body: { reason: ReportReason; note?: string }) => {
    const done = await action.run(
      () => sendReport(() => call('reportComment', { params: { id: c.id }, body })),
      `report-${c.id}`,
    );
    if (done) {
      setReporting(null);
      setReported((s) => new Set(s).add(c.id));
      void Taro.showToast({ title: reportedToast(done), icon: done === 'reported' ? 'success' : 'none' });
    }
  };

  const item = (c: Reply, isReply: boolean) => (
    <CommentItem
      key={c.id}
      c={c}
      isReply={isReply}
      canAct={post.status === 'published'}
      busy={action.busy}
      reported={reported.has(c.id)}
      onReply={() => reply(c)}
      onDelete={() => void remove(c)}
      onReport={() => setReporting(reporting?.id === c.id ? null : { type: 'comment', id: c.id })}
      sheet={
        reporting?.id === c.id ? (
          <ReportSheet
            what="这条评论"
            busy={action.runningKey === `report-${c.id}`}
            error={action.error}
            onSubmit={(body) => void report(c, body)}
            onCancel={() => setReporting(null)}
            testId="nb-report-comment"
          />
        ) : null
      }
    />
  );

  return (
    <View className="card" data-testid="nb-comments">
      <Text className="card__title">{`评论 ${post.commentCount}`}</Text>
      {list.data === undefined ? (
        list.error ? (
          <ErrorState error={list.error} onRetry={list.reload} />
        ) : (
          <LoadingState />
        )
      ) : (
        <>
          {list.error ? <ErrorState error={list.error} onRetry={list.reload} compact /> : null}
          {list.items.length === 0 ? <Text className="muted">还没有评论，来说两句吧</Text> : null}
          {list.items.map((c) => (
            <View key={c.id} className="nb-comment" data-testid={`nb-thread-${c.id}`}>
              {item(c, false)}
              {c.replies.length ? (
                <View className="nb-replies">{c.replies.map((r) => item(r, true))}</View>
              ) : null}
            </View>
          ))}
          <MoreButton list={list} />
        </>
      )}
      {action.error && !reporting ? <Text className="error-text">{action.error}</Text> : null}
      {post.status === 'published' ? (
        <Compose
          postId={post.id}
          target={target}
          onCancelReply={() => setTarget(null)}
          onSent={async () => {
            setTarget(null);
            await onChanged();
          }}
        />
      ) : (
        <Text className="muted">这条动态暂时不能评论。</Text>
      )}
    </View>
  );
}

function CommentItem({
  c,
  isReply,
  canAct,
  busy,
  reported,
  onReply,
  onDelete,
  onReport,
  sheet,
}: {
  c: Reply;
  isReply: boolean;
  canAct: boolean;
  busy: boolean;
  reported: boolean;
  onReply: () => void;
  onDelete: () => void;
  onReport: () => void;
  sheet: React.ReactNode;
}) {
  const view = commentView(c);
  return (
    <View className={isReply ? 'nb-comment' : undefined} data-testid={`nb-comment-${c.id}`}>
      <View className="nb-comment__head">
        <Text className="nb-comment__name">{replyHead(c)}</Text>
        <Text className="nb-comment__time">{relativeTime(c.createdAt)}</Text>
      </View>
      {view.note ? <Text className="muted">{view.note}</Text> : null}
      {view.text !== null ? (
        <Text className="nb-comment__text" data-testid="nb-comment-text" userSelect>
          {view.text}
        </Text>
      ) : null}
      {canAct && c.status === 'published' ? (
        <View className="nb-comment__actions">
          <Btn variant="ghost small" onClick={onReply} testId="nb-comment-reply">
            回复
          </Btn>
          {c.mine ? (
            <Btn variant="ghost small" disabled={busy} onClick={onDelete} testId="nb-comment-delete">
              删除
            </Btn>
          ) : (
            <Btn variant="ghost small" disabled={reported} onClick={onReport} testId="nb-comment-report">
              {reported ? '已举报' : '举报'}
            </Btn>
          )}
        </View>
      ) : null}
      {sheet}
    </View>
  );
}

/** 写评论 / 回复 王阿姨: the box at the end of the comments. */
function Compose({
  postId,
  target,
  onCancelReply,
  onSent,
}: {
  postId: string;
  target: ReplyTarget | null;
  onCancelReply: () => void;
  onSent: () => Promise<void>;
}) {
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const action = useAction();

  const send = async () => {
    const p = commentProblem(text);
    setProblem(p);
    if (p) return;
    const done = await action.run(() =>
      call('createComment', { params: { id: postId }, body: { text, parentId: target?.parentId } }),
    );
    if (done) {
      setText('');
      void Taro.showToast({ title: target ? '已回复' : '已评论', icon: 'success' });
      await onSent();
    }
  };

  return (
    <View id={COMPOSE_ID} className="stack" style={{ marginTop: '12px' }} data-testid="nb-compose">
      {target ? (
        <View className="row">
          <Text className="muted" data-testid="nb-compose-target">{`回复 ${target.name}`}</Text>
          <Btn variant="ghost small" onClick={onCancelReply} testId="nb-compose-cancel-reply">
            不回复了
          </Btn>
        </View>
      ) : null}
      <TextArea
        value={text}
        onChange={(t) => {
          setText(t);
          setProblem(null);
        }}
        placeholder={target ? `回复 ${target.name}…` : '友善发言，说说你的看法…'}
        maxLength={1000}
        testId="nb-compose-text"
      />
      <Text className="nb-count">{commentCount(text)}</Text>
      {(problem ?? action.error) ? (
        <FieldError testId="nb-compose-error">{problem ?? action.error}</FieldError>
      ) : null}
      <Btn disabled={action.busy} onClick={() => void send()} testId="nb-compose-send">
        {action.busy ? '发送中…' : target ? '回复' : '发表评论'}
      </Btn>
    </View>
  );
}
