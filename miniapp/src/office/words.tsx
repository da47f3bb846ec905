import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import type { SensitiveWord } from 'shared';
import { call } from '../api';
import { confirm } from '../common/confirm';
import { Btn } from '../components/Btn';
import { FieldError } from '../components/Field';
import { ErrorState, LoadingState, Page } from '../components/Page';
import { TextInput } from '../components/TextInput';
import { ToggleButtons } from '../components/ToggleButtons';
import { useAction } from '../hooks/use-action';
import { useApi } from '../hooks/use-api';
import { homeCommunity } from '../pages/neighbors/feed-model';
import { wordProblem } from './moderation-model';
import '../common/care-console.scss';
import '../common/care-console-elder.scss';
import './office.scss';
import './office-elder.scss';

/**
 * 敏感词: the community's own list. A post or comment holding one of them (also written with
 * spaces or full-width letters) is refused before it is published, with the word named.
 */
export default function OfficeWordsPage() {
  const communities = useApi(async () => {
    const [me, all] = await Promise.all([call('me'), call('communities')]);
    return { items: all.items, home: homeCommunity(me.memberships)?.communityId ?? all.items[0]?.id ?? null };
  });
  const [picked, setPicked] = useState<string | null>(null);
  const communityId = picked ?? communities.data?.home ?? null;
  const items = communities.data?.items ?? [];

  return (
    <Page name="officeWords" state={communities}>
      {items.length > 1 ? (
        <ToggleButtons
          options={items.map((c) => ({ value: c.id, label: c.name }))}
          selected={communityId ? [communityId] : []}
          onToggle={setPicked}
          testId="words-community"
        />
      ) : null}
      {communityId ? <WordList communityId={communityId} /> : <Text className="muted">没有可管理的社区</Text>}
    </Page>
  );
}

function WordList({ communityId }: { communityId: string }) {
  const words = useApi(() => call('sensitiveWords', { query: { communityId } }), { key: communityId });
  const [word, setWord] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const action = useAction();
  const listed = words.data?.items ?? [];

  const add = async () => {
    const p = wordProblem(
      word,
      listed.map((w) => w.word),
    );
    setProblem(p);
    if (p) return;
    const done = await action.run(
      () => call('addSensitiveWord', { body: { communityId, word: word.trim() } }),
      'add',
    );
    if (done) {
      setWord('');
      void Taro.showToast({ title: '已添加', icon: 'success' });
      await words.reload();
    }
  };

  const remove = async (w: SensitiveWord) => {
    if (
      !(await confirm('移除敏感词', `移除「${w.word}」后，含有它的内容不再被拦截。确定移除吗？`, {
        confirmText: '移除',
      }))
    )
      return;
    const done = await action.run(
      () => call('deleteSensitiveWord', { params: { id: w.id } }),
      `remove-${w.id}`,
    );
    if (done) await words.reload();
  };

  return (
    <View className="stack" style={{ marginTop: '12px' }}>
      <View className="card stack" data-testid="words-add">
        <Text className="card__title">添加敏感词</Text>
        <Text className="muted">含有这些词的动态和评论不能发布；大小写、全角半角、中间加空格都算。</Text>
        <View className="of-search-row">
          <View style={{ flex: 1, minWidth: 0 }}>
            <TextInput
              value={word}
              onChange={(w) => {
                setWord(w);
                setProblem(null);
              }}
              placeholder="输入要屏蔽的词"
              maxLength={40}
              testId="words-input"
            />
          </View>
          <Btn disabled={action.busy} onClick={() => void add()} testId="words-add-submit">
            {action.runningKey === 'add' ? '添加中…' : '添加'}
          </Btn>
        </View>
        {(problem ?? action.error) ? (
          <FieldError testId="words-error">{problem ?? action.error}</FieldError>
        ) : null}
      </View>
      <View className="card stack" data-testid="words-list">
        <Text className="card__title">{`已屏蔽的词（${listed.length}）`}</Text>
        {words.data === undefined ? (
          words.error ? (
            <ErrorState error={words.error} onRetry={words.reload} compact />
          ) : (
            <LoadingState />
          )
        ) : listed.length === 0 ? (
          <Text className="muted">还没有添加敏感词</Text>
        ) : (
          <View className="of-words">
            {listed.map((w) => (
              <View key={w.id} className="of-word" data-testid={`word-${w.word}`}>
                <Text>{w.word}</Text>
                <Btn
                  variant="ghost small"
                  disabled={action.busy}
                  onClick={() => void remove(w)}
                  testId={`word-remove-${w.word}`}
                >
                  移除
                </Btn>
              </View>
            ))}
          </View>
        )}
      </View>
    </View>
  );
}
