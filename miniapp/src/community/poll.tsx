import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { POLL_RESULTS_VISIBILITY_LABELS, POLL_STATUS_LABELS, type Poll, pollPhase } from 'shared';
import { call } from '../api';
import { confirm } from '../common/confirm';
import { Btn } from '../components/Btn';
import { Page } from '../components/Page';
import { useAction } from '../hooks/use-action';
import { useApi } from '../hooks/use-api';
import { usePullRefresh } from '../hooks/use-pull-refresh';
import { communityErrorText, goneText, isCode } from './errors';
import {
  choiceProblem,
  countdownText,
  countdownTickMs,
  householdVoteText,
  resultRows,
  resultsHint,
  resultText,
  rulesText,
  statusTone,
  toggleChoice,
  turnoutText,
  voteConfirmText,
} from './poll-model';
import { Tag, withCopy } from './ui';
import '../common/care-console.scss';
import '../common/care-console-elder.scss';
import './community.scss';
import './community-elder.scss';

/** The clock the countdown reads: redrawn each minute (each second at the end) while the poll is open. */
function useNow(poll: Poll | undefined): Date {
  const [now, setNow] = useState(() => new Date());
  const tick = poll ? countdownTickMs(poll, now) : null;
  // biome-ignore lint/correctness/useExhaustiveDependencies: each redraw of `now` arms the next tick
  useEffect(() => {
    if (tick === null) return;
    const timer = setTimeout(() => setNow(new Date()), tick);
    return () => clearTimeout(timer);
  }, [tick, now]);
  return now;
}

/** One 议事: the question, the household's vote (whoever in it cast it), the results when allowed. */
export default function CommunityPollPage() {
  const id = useRouter().params.id ?? '';
  const state = useApi(() => call('communityPoll', { params: { id } }), { key: id });
  // The vote's answer stands for the poll until the next load replaces what it was based on.
  const [voted, setVoted] = useState<{ base: unknown; poll: Poll } | null>(null);
  usePullRefresh(state.reload);
  const p = voted && voted.base === state.data ? voted.poll : state.data;
  const now = useNow(p);
  const phase = p ? pollPhase(p, now) : null;
  const statusAtLoad = p?.status;
  // The window closing under the reader's eyes may show the results: ask again.
  useEffect(() => {
    if (phase === 'closed' && statusAtLoad && statusAtLoad !== 'closed') void state.reload();
  }, [phase, statusAtLoad, state.reload]);

  return (
    <Page name="communityPoll" state={withCopy(state, goneText('议事'))}>
      {p && phase ? (
        <>
          <View className="card stack" data-testid="poll-detail">
            <View className="cc-head">
              <Text className="cm-title">{p.question}</Text>
              <Tag text={POLL_STATUS_LABELS[phase]} tone={statusTone(phase)} testId="poll-status" />
            </View>
            {p.description ? <Text className="cm-body">{p.description}</Text> : null}
            <Text className="cc-line cc-strong" data-testid="poll-countdown">
              {countdownText(p, now)}
            </Text>
            <Text className="muted">
              {`${rulesText(p, p.options.length)} · 每户一票 · ${POLL_RESULTS_VISIBILITY_LABELS[p.resultsVisibility]}`}
            </Text>
          </View>
          <VoteCard
            poll={p}
            open={phase === 'open'}
            onVoted={(poll) => setVoted({ base: state.data, poll })}
            onStale={state.reload}
          />
          <ResultsCard poll={p} phase={phase} />
        </>
      ) : null}
    </Page>
  );
}

function VoteCard({
  poll: p,
  open,
  onVoted,
  onStale,
}: {
  poll: Poll;
  open: boolean;
  onVoted: (p: Poll) => void;
  onStale: () => Promise<void>;
}) {
  const [selected, setSelected] = useState<number[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const action = useAction(communityErrorText);
  const mine = householdVoteText(p.myHousehold, p.options);

  if (mine)
    return (
      <View className="card">
        <Text className="cc-ok" data-testid="poll-household-voted">
          {mine}
        </Text>
      </View>
    );
  if (!p.myHousehold)
    return (
      <View className="card">
        <Text className="muted">认证为本社区住户后才能投票。</Text>
      </View>
    );
  if (!open || !p.canVote) return null;

  const vote = async () => {
    const why = choiceProblem(selected, p);
    setProblem(why);
    if (why) return;
    const sure = await confirm('确认投票', voteConfirmText(selected, p.options), {
      confirmText: '投票',
      cancelText: '再想想',
    });
    if (!sure) return;
    const next = await action.run(async () => {
      try {
        return await call('votePoll', { params: { id: p.id }, body: { choices: selected } });
      } catch (err) {
        // Someone else in the household voted first (another phone): show whose vote counts.
        if (isCode(err, 'POLL_HOUSEHOLD_VOTED') || isCode(err, 'POLL_CLOSED')) await onStale();
        throw err;
      }
    });
    if (next) {
      onVoted(next);
      void Taro.showToast({ title: '投票成功', icon: 'success' });
    }
  };

  return (
    <View className="card stack" data-testid="poll-vote">
      <Text className="card__title">{`请选择（${rulesText(p, p.options.length)}）`}</Text>
      <View className="cm-options">
        {p.options.map((o) => {
          const on = selected.includes(o.index);
          return (
            <Btn
              key={o.index}
              variant={on ? '' : 'ghost'}
              onClick={() => {
                setSelected((s) => toggleChoice(s, o.index, p));
                setProblem(null);
              }}
              testId={`poll-option-${o.index}`}
            >
              {on ? `✓ ${o.label}` : o.label}
            </Btn>
          );
        })}
      </View>
      {problem || action.error ? (
        <Text className="state__message" data-testid="poll-error">
          {problem ?? action.error}
        </Text>
      ) : null}
      <Btn disabled={action.busy} onClick={() => void vote()} testId="poll-submit">
        {action.busy ? '提交中…' : '投票'}
      </Btn>
      <Text className="muted">全家只能投一次，投出后不能修改。</Text>
    </View>
  );
}

function ResultsCard({ poll: p, phase }: { poll: Poll; phase: ReturnType<typeof pollPhase> }) {
  const hint = resultsHint(p.resultsVisibility, p.myHousehold?.voted ?? false, phase);
  if (!p.resultsVisible)
    return (
      <View className="card stack">
        <Text className="card__title">投票结果</Text>
        <Text className="muted" data-testid="poll-results-hidden">
          {hint ?? '结果稍后公布'}
        </Text>
        <Text className="muted">{turnoutText(p.votedHouseholds, p.households)}</Text>
      </View>
    );
  const rows = resultRows(p.options, p.votedHouseholds ?? 0);
  return (
    <View className="card stack" data-testid="poll-results">
      <Text className="card__title">{phase === 'closed' ? '最终结果' : '当前结果'}</Text>
      <Text className="muted">{turnoutText(p.votedHouseholds, p.households)}</Text>
      {rows.map((r) => (
        <View key={r.index} className="cm-result" data-testid={`poll-result-${r.index}`}>
          <View className="row">
            <Text className={`cm-result__label${r.leading ? ' cc-strong' : ''}`}>{r.label}</Text>
            <Text className="cm-result__count">{resultText(r)}</Text>
          </View>
          <View className="cm-bar">
            <View
              className={`cm-bar__fill${r.leading ? ' cm-bar__fill--top' : ''}`}
              style={{ width: `${r.percent}%` }}
            />
          </View>
        </View>
      ))}
    </View>
  );
}
