import { Text, View } from '@tarojs/components';
import Taro, { useShareAppMessage } from '@tarojs/taro';
import { useRef, useState } from 'react';
import { PAGES } from 'shared';
import { call } from '../api';
import { Btn } from '../components/Btn';
import { AsyncContent, Page } from '../components/Page';
import { useAction } from '../hooks/use-action';
import { useApi } from '../hooks/use-api';
import { usePullRefresh } from '../hooks/use-pull-refresh';
import { boardLines, boardNote, hoursText, ledgerLine, starProgress } from './bank-model';
import { CertificateCard } from './Certificate';
import { volunteerErrorText } from './errors';
import { starsText } from './labels';
import '../common/care-console.scss';
import '../common/care-console-elder.scss';
import './volunteer.scss';
import './volunteer-elder.scss';

/** How many ledger lines show before 查看全部. */
const LEDGER_PREVIEW = 8;

function Leaderboard() {
  const state = useApi(() => call('leaderboard'), { refreshOnShow: true });
  const { busy, error, run } = useAction(volunteerErrorText);

  async function showMe() {
    const done = await run(() => call('updateVolunteer', { body: { leaderboardOptOut: false } }));
    if (done) {
      void Taro.showToast({ title: '已在排行榜显示', icon: 'success' });
      await state.reload();
    }
  }

  const lines = boardLines(state.data?.items ?? []);
  return (
    <View className="card stack cc-card" data-testid="vol-leaderboard">
      <Text className="card__title">社区排行榜</Text>
      <AsyncContent state={state}>
        {state.data ? (
          <>
            <Text className="muted" data-testid="vol-board-note">
              {boardNote(state.data.items, state.data.optedOut)}
            </Text>
            {lines.map((l) => (
              <View
                key={l.key}
                className={`vol-board${l.me ? ' vol-board--me' : ''}`}
                data-testid={l.me ? 'vol-board-me' : undefined}
              >
                <Text className="vol-board__rank">{l.rank}</Text>
                <Text className="vol-board__name">{`${l.name} ${starsText(l.star).replace(/☆/g, '')}`}</Text>
                <Text className="vol-board__hours">{l.hours}</Text>
              </View>
            ))}
            {state.data.optedOut ? (
              <Btn
                variant="ghost small"
                disabled={busy}
                onClick={() => void showMe()}
                testId="vol-board-show-me"
              >
                在排行榜显示我
              </Btn>
            ) : null}
            {error ? <Text className="state__message">{error}</Text> : null}
          </>
        ) : null}
      </AsyncContent>
    </View>
  );
}

function CertificateSection({ onImage }: { onImage: (path: string) => void }) {
  const state = useApi(() => call('volunteerCertificate'));
  return (
    <View className="card stack cc-card">
      <Text className="card__title">志愿服务证书</Text>
      <AsyncContent state={state}>
        {state.data ? <CertificateCard cert={state.data} onImage={onImage} /> : null}
      </AsyncContent>
    </View>
  );
}

/** 时间银行 (好人好事银行): balance, stars, the ledger, the leaderboard and the certificate. */
export default function VolunteerBankPage() {
  const state = useApi(() => call('timeBank'), { refreshOnShow: true });
  const [all, setAll] = useState(false);
  const [refresh, setRefresh] = useState(0);
  const image = useRef<string | null>(null);
  usePullRefresh(state.reload, async () => setRefresh((n) => n + 1));
  const bank = state.data;

  useShareAppMessage(() => ({
    title: bank ? `我在邻里做志愿者，已累计服务${hoursText(bank.earnedMin)}` : '一起来做社区志愿者',
    path: PAGES.volunteerHome,
    ...(image.current ? { imageUrl: image.current } : {}),
  }));

  const stars = bank ? starProgress(bank.star, bank.nextStarHours) : null;
  const entries = bank?.entries ?? [];
  const shown = all ? entries : entries.slice(0, LEDGER_PREVIEW);

  return (
    <Page name="volunteer-bank" state={state}>
      {bank && stars ? (
        <>
          <View className="card stack cc-card" data-testid="vol-bank-balance">
            <Text className="card__title">好人好事银行</Text>
            <View className="cc-figures">
              <View className="cc-figure">
                <Text className="cc-figure__value" data-testid="vol-balance">
                  {hoursText(bank.balanceMin)}
                </Text>
                <Text className="cc-figure__label">可用时间</Text>
              </View>
              <View className="cc-figure">
                <Text className="cc-figure__value" data-testid="vol-earned">
                  {hoursText(bank.earnedMin)}
                </Text>
                <Text className="cc-figure__label">累计服务</Text>
              </View>
            </View>
            <Text className="vol-stars" aria-label={`${bank.star} 星`}>
              {starsText(bank.star)}
            </Text>
            <Text className="cc-line cc-strong" data-testid="vol-star-title">
              {stars.title}
            </Text>
            <Text className="cc-line" data-testid="vol-star-next">
              {stars.next}
            </Text>
            <Text className="muted">可用时间可以为家人预约志愿服务；星级按累计服务时长评定。</Text>
          </View>

          <View className="card stack cc-card" data-testid="vol-ledger">
            <Text className="card__title">收支明细</Text>
            {entries.length === 0 ? (
              <Text className="muted">还没有记录。完成服务并经长者确认后，时长会记在这里。</Text>
            ) : null}
            {shown.map((e) => {
              const l = ledgerLine(e);
              return (
                <View key={l.id} className="vol-ledger" data-testid={`vol-entry-${l.tone}`}>
                  <View className="vol-ledger__main">
                    <Text className="cc-line">{l.reason}</Text>
                    <Text className="muted">{`${l.kindText} · ${l.when}`}</Text>
                  </View>
                  <Text className={`vol-amount vol-amount--${l.tone}`}>{l.amount}</Text>
                </View>
              );
            })}
            {entries.length > LEDGER_PREVIEW ? (
              <Btn variant="ghost small" onClick={() => setAll(!all)} testId="vol-ledger-all">
                {all ? '收起' : `查看全部 ${entries.length} 条`}
              </Btn>
            ) : null}
          </View>

          <Leaderboard key={`board-${refresh}`} />
          <CertificateSection
            key={`cert-${refresh}`}
            onImage={(path) => {
              image.current = path;
            }}
          />
        </>
      ) : null}
    </Page>
  );
}
