import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import {
  CASE_STATUS_LABELS,
  type CaseStatus,
  CONTENT_STATUS_LABELS,
  formatDisplayTime,
  type ModerationCase,
  PAGES,
  REPORT_REASON_LABELS,
  type ReportReason,
} from 'shared';
import { call } from '../api';
import { confirm } from '../common/confirm';
import { Btn } from '../components/Btn';
import { Field } from '../components/Field';
import { ErrorState, LoadingState, Page } from '../components/Page';
import { TextArea } from '../components/TextArea';
import { ToggleButtons } from '../components/ToggleButtons';
import { useAction } from '../hooks/use-action';
import { useCursorList } from '../hooks/use-cursor-list';
import { usePullRefresh } from '../hooks/use-pull-refresh';
import { MoreButton } from '../market/MoreButton';
import { authorName, relativeTime } from '../pages/neighbors/feed-model';
import { ImageGrid } from '../pages/neighbors/ImageGrid';
import {
  causeLine,
  groupedNotes,
  REMOVE_REASONS,
  reasonSummary,
  removeReasonProblem,
  removeReasonText,
  targetLabel,
} from './moderation-model';
import '../common/care-console.scss';
import '../common/care-console-elder.scss';
import '../market/market.scss';
import '../market/market-elder.scss';
import '../pages/neighbors/neighbors.scss';
import '../pages/neighbors/neighbors-elder.scss';
import './office.scss';
import './office-elder.scss';

const STATUSES: CaseStatus[] = ['open', 'removed', 'restored', 'withdrawn'];
const TABS = STATUSES.map((s) => ({ value: s, label: CASE_STATUS_LABELS[s] }));

/**
 * 内容审核: what reports hid, and what WeChat's check asked a person to look at, with the reasons
 * and counts; 恢复, or 删除 with a reason the author is told. Decided entries stay readable.
 */
export default function OfficeModerationPage() {
  const [status, setStatus] = useState<CaseStatus>('open');
  const list = useCursorList<ModerationCase>(
    (cursor) => call('moderationQueue', { query: { status, cursor, limit: 20 } }),
    { key: status, refreshOnShow: true },
  );
  usePullRefresh(list.reload);

  return (
    <Page name="officeModeration">
      <View className="of-tabs-wrap">
        <ToggleButtons
          options={TABS}
          selected={[status]}
          onToggle={(s) => setStatus(s)}
          testId="mod-status"
        />
      </View>
      {list.data === undefined ? (
        list.error ? (
          <ErrorState error={list.error} onRetry={list.reload} />
        ) : (
          <LoadingState />
        )
      ) : (
        <View data-testid="mod-list" style={{ marginTop: '12px' }}>
          {list.error ? <ErrorState error={list.error} onRetry={list.reload} compact /> : null}
          {list.items.length === 0 ? (
            <View className="card empty" data-testid="mod-empty">
              <Text>
                {status === 'open' ? '没有待审核的内容' : `没有${CASE_STATUS_LABELS[status]}的记录`}
              </Text>
            </View>
          ) : null}
          {list.items.map((c) => (
            <CaseCard key={c.id} c={c} onDecided={list.reload} />
          ))}
          <MoreButton list={list} />
        </View>
      )}
    </Page>
  );
}

function CaseCard({ c, onDecided }: { c: ModerationCase; onDecided: () => Promise<void> }) {
  const action = useAction();
  const [removing, setRemoving] = useState(false);
  const [pick, setPick] = useState<ReportReason | null>(null);
  const [other, setOther] = useState('');
  const reason = removeReasonText(pick, other);
  const [problem, setProblem] = useState<string | null>(null);

  const restore = async () => {
    if (
      !(await confirm('恢复内容', '恢复后邻居们能再次看到它，举报记录保留。确定恢复吗？', {
        confirmText: '恢复',
      }))
    )
      return;
    const done = await action.run(() => call('restoreCase', { params: { id: c.id }, body: {} }), 'restore');
    if (done) {
      void Taro.showToast({ title: '已恢复', icon: 'success' });
      await onDecided();
    }
  };

  const remove = async () => {
    const p = removeReasonProblem(pick, other);
    setProblem(p);
    if (p) return;
    if (
      !(await confirm('删除内容', `删除后作者会收到通知，原因：「${reason}」。确定删除吗？`, {
        confirmText: '删除',
      }))
    )
      return;
    const done = await action.run(
      () => call('removeCase', { params: { id: c.id }, body: { reason } }),
      'remove',
    );
    if (done) {
      void Taro.showToast({ title: '已删除并通知作者', icon: 'none' });
      await onDecided();
    }
  };

  const reasons = reasonSummary(c.reasons);
  return (
    <View className="card stack" data-testid={`mod-case-${c.id}`}>
      <View className="cc-head">
        <Text className="card__title">{targetLabel(c)}</Text>
        <Text className="tag tag--pending">{CONTENT_STATUS_LABELS[c.target.status]}</Text>
      </View>
      <Text className="of-reason" data-testid="mod-cause">
        {causeLine(c)}
      </Text>
      {reasons ? <Text className="of-reason" data-testid="mod-reasons">{`举报原因：${reasons}`}</Text> : null}
      {groupedNotes(c.notes).map((n) => (
        <Text key={n} className="of-reason" data-testid="mod-note">{`举报说明：${n}`}</Text>
      ))}
      <Text className="muted">{`作者：${authorName(c.target.author.name)} · ${relativeTime(c.target.createdAt)}`}</Text>
      {c.target.title ? <Text className="nb-title">{c.target.title}</Text> : null}
      <Text className="of-quote" data-testid="mod-text" userSelect>
        {c.target.text}
      </Text>
      <ImageGrid images={c.target.images} testId="mod-images" />
      {c.status !== 'open' ? (
        <Text className="cc-ok" data-testid="mod-decision">
          {`${CASE_STATUS_LABELS[c.status]}${c.decidedBy ? ` · ${authorName(c.decidedBy.name)}` : ''}${
            c.decidedAt ? ` · ${formatDisplayTime(c.decidedAt)}` : ''
          }${c.decisionReason ? `\n原因：${c.decisionReason}` : ''}`}
        </Text>
      ) : null}
      <View className="cc-actions">
        <Btn
          variant="ghost small"
          onClick={() => void Taro.navigateTo({ url: `${PAGES.neighborPost}?id=${c.postId}` })}
          testId="mod-open-post"
        >
          查看原帖
        </Btn>
        {c.status === 'open' ? (
          <>
            <Btn variant="small" disabled={action.busy} onClick={() => void restore()} testId="mod-restore">
              {action.runningKey === 'restore' ? '恢复中…' : '恢复'}
            </Btn>
            <Btn
              variant="danger small"
              disabled={action.busy}
              onClick={() => setRemoving(!removing)}
              testId="mod-remove"
            >
              删除
            </Btn>
          </>
        ) : null}
      </View>
      {removing && c.status === 'open' ? (
        <View className="stack" data-testid="mod-remove-form">
          <Field label="删除原因（作者会收到）" error={problem}>
            <ToggleButtons
              options={REMOVE_REASONS.map((r) => ({ value: r, label: REPORT_REASON_LABELS[r] }))}
              selected={pick ? [pick] : []}
              onToggle={(r) => {
                setPick(r);
                setProblem(null);
              }}
              testId="mod-reason"
            />
            {pick === 'other' ? (
              <TextArea
                value={other}
                onChange={(r) => {
                  setOther(r);
                  setProblem(null);
                }}
                placeholder="写下具体原因，作者会收到"
                maxLength={200}
                testId="mod-reason-text"
              />
            ) : null}
          </Field>
          <Btn
            variant="danger"
            disabled={action.busy}
            onClick={() => void remove()}
            testId="mod-remove-submit"
          >
            {action.runningKey === 'remove' ? '删除中…' : '确认删除'}
          </Btn>
        </View>
      ) : null}
      {action.error ? <Text className="error-text">{action.error}</Text> : null}
    </View>
  );
}
