import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { batchFlow, can } from 'shared';
import { call } from '../api';
import { describeError } from '../api/errors';
import { BatchStatusTag } from '../components/BatchStatusTag';
import { Btn } from '../components/Btn';
import { ChoiceList } from '../components/ChoiceList';
import { Page } from '../components/Page';
import { TextInput } from '../components/TextInput';
import { useAction } from '../hooks/use-action';
import { useApi } from '../hooks/use-api';
import { usePullRefresh } from '../hooks/use-pull-refresh';
import { dayTime, kindText } from '../lockers/labels';
import { type DropEntry, dropProgress, type Manifest, markDropped, replaceDrop } from './manifest';
import '../market/market.scss';
import '../market/market-elder.scss';
import '../lockers/lockers.scss';
import '../lockers/lockers-elder.scss';

const REASONS = [
  { id: '柜门打不开', label: '柜门打不开' },
  { id: '格口里有东西', label: '格口里有东西' },
  { id: '温度不正常', label: '温度不正常' },
  { id: 'other', label: '其他' },
];

/** 格口故障 asks for a reason; every other refusal has the registry's words. */
const describeProblem = (err: unknown) => describeError(err, { fields: { reason: '请填写故障原因' } });

/**
 * 批次详情 (?id=): 开始配送, the pick list per merchant (what to collect), and the drop list per
 * locker bank with 确认投递 and 格口故障 (which hands out a replacement compartment on the spot).
 */
export default function CourierBatchPage() {
  const id = useRouter().params.id ?? '';
  const state = useApi(() => call('courierBatch', { params: { id } }), { key: id, refreshOnShow: true });
  const [manifest, setManifest] = useState<Manifest | undefined>(undefined);
  // Replacements handed out on this visit, by the bank they are in: shown until the next problem.
  const [notices, setNotices] = useState<Record<string, string>>({});
  const action = useAction(describeProblem);

  useEffect(() => setManifest(state.data), [state.data]);
  usePullRefresh(state.reload);

  const m = manifest ?? state.data;
  const started = m?.batch.status === 'in_progress';
  const progress = m ? dropProgress(m) : null;

  const start = () =>
    action.run(async () => {
      const batch = await call('startBatch', { params: { id }, body: {} });
      setManifest((prev) => (prev ? { ...prev, batch } : prev));
      void Taro.showToast({ title: '已开始配送', icon: 'success' });
    }, 'start');

  const drop = (d: DropEntry) =>
    action.run(async () => {
      await call('dropOrder', {
        params: { id },
        body: { orderId: d.orderId, compartmentId: d.compartmentId },
      });
      setManifest((prev) => (prev ? markDropped(prev, d.compartmentId) : prev));
      void Taro.showToast({ title: `${d.label} 号格口已投递`, icon: 'success' });
      await state.reload();
    }, `drop-${d.compartmentId}`);

  const retrieve = (r: Manifest['retrievals'][number]) =>
    action.run(async () => {
      const opened = await call('retrieveOrder', { params: { id }, body: { orderId: r.orderId } });
      const labels = opened.compartments.map((c) => c.label).join('、');
      void Taro.showToast({ title: `已打开 ${labels} 号格口，请取出`, icon: 'none', duration: 3000 });
      await state.reload();
    }, `retrieve-${r.orderId}`);

  const report = (bankId: string, d: DropEntry, reason: string) =>
    action.run(async () => {
      const { replacement } = await call('compartmentProblem', {
        params: { id },
        body: { compartmentId: d.compartmentId, reason },
      });
      setManifest((prev) => (prev ? replaceDrop(prev, d.compartmentId, replacement) : prev));
      setNotices((prev) => ({
        ...prev,
        [bankId]: replacement
          ? `${d.label} 号格口已报故障，请改投 ${replacement.label} 号格口（${kindText(replacement.zone, replacement.size)}）`
          : `${d.label} 号格口已报故障，但这个柜子没有同类空格口了，请联系社区工作人员`,
      }));
      return true;
    }, `problem-${d.compartmentId}`);

  return (
    <Page name="courier-batch" state={state}>
      {m && progress ? (
        <>
          <View className="card stack" data-testid="batch-head">
            <View className="row">
              <Text className="card__title merchant-card__name">{`${dayTime(m.batch.deliverAt)} 送达`}</Text>
              <BatchStatusTag status={m.batch.status} />
            </View>
            <Text className="muted">{`${dayTime(m.batch.cutoffAt)} 截单 · ${m.batch.bankCount} 个生鲜柜`}</Text>
            <Text className="progress" data-testid="batch-progress">
              {`已投递 ${progress.ordersDone}/${progress.orders} 单（格口 ${progress.dropped}/${progress.compartments}）`}
            </Text>
            {m.batch.status === 'building' ? <Text className="warn">正在分配格口，请稍后刷新。</Text> : null}
            {m.batch.status === 'done' ? <Text className="replacement">本批次已全部投递完成。</Text> : null}
            {action.error ? (
              <Text className="error-text" data-testid="batch-error">
                {action.error}
              </Text>
            ) : null}
            <View className="actions">
              {can(batchFlow, m.batch.status, 'start') ? (
                <Btn disabled={action.busy} onClick={() => void start()} testId="batch-start">
                  {action.runningKey === 'start' ? '处理中…' : '开始配送'}
                </Btn>
              ) : null}
              <Btn
                variant="ghost"
                disabled={state.loading}
                onClick={() => void state.reload()}
                testId="batch-refresh"
              >
                刷新
              </Btn>
            </View>
          </View>

          <View className="card stack" data-testid="pick-list">
            <Text className="card__title">取货清单</Text>
            {m.pickList.length === 0 ? <Text className="muted">本批次没有订单</Text> : null}
            {m.pickList.map((p) => (
              <View key={p.merchantId} className="stack" data-testid={`pick-${p.merchantId}`}>
                <Text className="line__name">{`${p.merchantName}（${p.orders.length} 单）`}</Text>
                {p.orders.map((o) => (
                  <View key={o.orderId} className="pick-order">
                    <Text className="muted">{`订单 ${o.orderNumber}`}</Text>
                    <Text>{o.items.map((i) => `${i.name} × ${i.quantity}${i.unit}`).join('，')}</Text>
                  </View>
                ))}
              </View>
            ))}
          </View>

          {m.dropList.map((bank) => (
            <View key={bank.bankId} className="card stack" data-testid={`drop-bank-${bank.bankId}`}>
              <Text className="card__title">{`投递：${bank.bankName}`}</Text>
              <Text className="muted">{bank.location}</Text>
              {notices[bank.bankId] ? (
                <Text className="replacement" data-testid="drop-replacement">
                  {notices[bank.bankId]}
                </Text>
              ) : null}
              {bank.drops.map((d) => (
                <DropRow
                  key={d.compartmentId}
                  drop={d}
                  started={started}
                  busy={action.busy}
                  running={action.runningKey}
                  onDrop={() => void drop(d)}
                  onProblem={(reason) => report(bank.bankId, d, reason)}
                />
              ))}
            </View>
          ))}

          {m.retrievals.length > 0 ? (
            <View className="card stack" data-testid="retrievals">
              <Text className="card__title">{`取回超时订单（${m.retrievals.length} 单）`}</Text>
              <Text className="muted">超过保管时间未取的订单，本趟取出后交回商家。</Text>
              {m.retrievals.map((r) => (
                <View key={r.orderId} className="drop stack" data-testid={`retrieval-${r.orderId}`}>
                  <View className="row">
                    <Text className="line__name merchant-card__name">
                      {`${r.bankName} · ${r.compartments.map((c) => `${c} 号`).join('、')}`}
                    </Text>
                    {r.perishable ? <Text className="tag tag--pending">生鲜</Text> : null}
                  </View>
                  <Text className="muted">{`${r.merchantName} · 订单 ${r.orderNumber}`}</Text>
                  {started ? (
                    <View className="actions">
                      <Btn
                        variant="ghost"
                        disabled={action.busy}
                        onClick={() => void retrieve(r)}
                        testId="retrieval-open"
                      >
                        {action.runningKey === `retrieve-${r.orderId}` ? '开柜中…' : '开柜取出'}
                      </Btn>
                    </View>
                  ) : null}
                </View>
              ))}
            </View>
          ) : null}
        </>
      ) : null}
    </Page>
  );
}

function DropRow({
  drop,
  started,
  busy,
  running,
  onDrop,
  onProblem,
}: {
  drop: DropEntry;
  started: boolean;
  busy: boolean;
  running: string | null;
  onDrop: () => void;
  onProblem: (reason: string) => Promise<boolean | undefined>;
}) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState<string | null>(null);
  const [other, setOther] = useState('');
  const text = reason === 'other' ? other.trim() : reason;

  const submit = async () => {
    if (!text) return;
    if (await onProblem(text)) setOpen(false);
  };

  return (
    <View
      className={`drop stack${drop.dropped ? ' drop--done' : ''}`}
      data-testid={`drop-${drop.compartmentId}`}
    >
      <View className="row">
        <Text className="drop__label">{`${drop.label} 号格口`}</Text>
        {drop.dropped ? (
          <Text className="tag tag--approved">已投递</Text>
        ) : (
          <Text className="tag tag--pending">待投递</Text>
        )}
      </View>
      <Text className="muted">{`${kindText(drop.zone, drop.size)} · 订单 ${drop.orderNumber}`}</Text>
      {started && !drop.dropped && !open ? (
        <View className="actions">
          <Btn disabled={busy} onClick={onDrop} testId="drop-confirm">
            {running === `drop-${drop.compartmentId}` ? '提交中…' : '确认投递'}
          </Btn>
          <Btn variant="ghost" disabled={busy} onClick={() => setOpen(true)} testId="drop-problem">
            格口故障
          </Btn>
        </View>
      ) : null}
      {open ? (
        <View className="stack" data-testid="problem-form">
          <ChoiceList
            title="故障原因"
            testId="problem-reason"
            items={REASONS}
            selectedId={reason}
            label={(r) => r.label}
            onSelect={(r) => setReason(r.id)}
          />
          {reason === 'other' ? (
            <TextInput
              value={other}
              onChange={setOther}
              placeholder="请描述故障"
              maxLength={200}
              testId="problem-other"
            />
          ) : null}
          <View className="actions">
            <Btn disabled={busy || !text} onClick={() => void submit()} testId="problem-submit">
              {running === `problem-${drop.compartmentId}` ? '提交中…' : '换一个格口'}
            </Btn>
            <Btn variant="ghost" onClick={() => setOpen(false)}>
              取消
            </Btn>
          </View>
        </View>
      ) : null}
    </View>
  );
}
