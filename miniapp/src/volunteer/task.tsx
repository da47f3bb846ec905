import { Input, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import type { HelpTask } from 'shared';
import { call } from '../api';
import { confirm } from '../common/confirm';
import { Btn } from '../components/Btn';
import { Field } from '../components/Field';
import { Page } from '../components/Page';
import { TextArea } from '../components/TextArea';
import { useAction } from '../hooks/use-action';
import { useApi } from '../hooks/use-api';
import { usePullRefresh } from '../hooks/use-pull-refresh';
import { isCode, taskErrorText } from './errors';
import { minutesText, whenText, windowText } from './labels';
import {
  DECLINE_REASONS,
  detailActions,
  doorCodeErrorText,
  hoursLine,
  minutesLimit,
  minutesPrefill,
  parseDoorCode,
  parseMinutes,
  pickupLines,
  RELEASE_REASONS,
  spacedCode,
  takenByOther,
} from './task-model';
import { placeText, ReasonForm, TaskTags } from './ui';
import '../common/care-console.scss';
import '../common/care-console-elder.scss';
import './volunteer.scss';
import './volunteer-elder.scss';
import '../components/code-input.scss';
import '../components/code-input-elder.scss';

type Changed = (t: HelpTask) => void;

const callPhone = (phone: string) => void Taro.makePhoneCall({ phoneNumber: phone }).catch(() => undefined);

/** The household, only when the BFF gives it (to the holder while the task runs). */
function ContactCard({ t }: { t: HelpTask }) {
  const c = t.contact;
  if (!c) return null;
  return (
    <View className="card stack cc-card" data-testid="task-contact">
      <Text className="card__title">联系长者</Text>
      <Text className="cc-line cc-strong">{c.elderName}</Text>
      <Text
        className="cc-line"
        data-testid="task-address"
      >{`地址：${c.address || '请联系社区工作人员'}`}</Text>
      {c.phone ? (
        <>
          <Text className="cc-line" data-testid="task-phone">{`电话：${c.phone}`}</Text>
          <Btn variant="ghost" onClick={() => callPhone(c.phone!)} testId="task-call">
            拨打电话
          </Btn>
        </>
      ) : (
        <Text className="muted">长者没有登记电话，请按地址上门</Text>
      )}
      <Text className="muted">长者的地址和电话只用于这次服务，查看会记录在长者的查看记录中。</Text>
    </View>
  );
}

/** The produce run: the delegated code, large, for the locker's panel. */
function PickupCard({ t }: { t: HelpTask }) {
  const p = t.pickup;
  if (!p) return null;
  const lines = pickupLines(p);
  return (
    <View className="card stack cc-card" data-testid="task-pickup">
      <Text className="card__title">代取生鲜</Text>
      <Text className="cc-line">{`柜机：${p.bankName}`}</Text>
      <Text className="muted">取件码</Text>
      <Text
        className="vol-code"
        data-testid="task-pickup-code"
        aria-label={`取件码 ${p.code.split('').join(' ')}`}
      >
        {spacedCode(p.code)}
      </Text>
      <Text className="cc-warn">在柜机输入取件码，取出后送到长者家中</Text>
      <Text className="cc-line">{`格口：${lines.compartments}`}</Text>
      <Text className={lines.expired ? 'cc-warn' : 'muted'}>
        {lines.expired ? '取件码已过期，请联系社区工作人员' : lines.expires}
      </Text>
    </View>
  );
}

/** 接单 and 婉拒, for a task that is still open. */
function TakeCard({ t, onChanged, onLost }: { t: HelpTask; onChanged: Changed; onLost: () => void }) {
  const { busy, runningKey, error, run } = useAction(taskErrorText);
  const [declining, setDeclining] = useState(false);
  const acts = detailActions(t, null);
  if (!acts.accept && !acts.decline) return null;

  async function accept() {
    let lost = false;
    const next = await run(async () => {
      try {
        return await call('acceptTask', { params: { id: t.id }, body: {} });
      } catch (err) {
        lost = isCode(err, 'TASK_TAKEN');
        throw err;
      }
    }, 'accept');
    if (lost) {
      onLost();
      return;
    }
    if (next) {
      onChanged(next);
      void Taro.showToast({ title: '接单成功', icon: 'success' });
    }
  }

  async function decline(reason: string) {
    const next = await run(() => call('declineTask', { params: { id: t.id }, body: { reason } }), 'decline');
    if (next) {
      onChanged(next);
      setDeclining(false);
      void Taro.showToast({ title: '已婉拒', icon: 'success' });
    }
  }

  return (
    <View className="card stack cc-card" data-testid="task-take">
      <Text className="muted">接单后可以看到长者的地址和电话。到达后请长者出示 6 位签到码。</Text>
      {declining ? (
        <ReasonForm
          title="婉拒的原因（只有社区能看到）"
          reasons={DECLINE_REASONS}
          submitText="确认婉拒"
          busy={runningKey === 'decline'}
          error={error}
          onSubmit={(r) => void decline(r)}
          onCancel={() => setDeclining(false)}
          testId="task-decline-form"
        />
      ) : (
        <>
          <View className="cc-actions">
            {acts.accept ? (
              <Btn disabled={busy} onClick={() => void accept()} testId="task-accept">
                {runningKey === 'accept' ? '接单中…' : '接单'}
              </Btn>
            ) : null}
            {acts.decline ? (
              <Btn variant="ghost" disabled={busy} onClick={() => setDeclining(true)} testId="task-decline">
                婉拒
              </Btn>
            ) : null}
          </View>
          {error ? (
            <Text className="state__message" data-testid="task-take-error">
              {error}
            </Text>
          ) : null}
        </>
      )}
    </View>
  );
}

/** 到达签到: the elder's 6-digit door code starts the service. */
function StartCard({ t, onChanged }: { t: HelpTask; onChanged: Changed }) {
  const [code, setCode] = useState('');
  const [codeError, setCodeError] = useState<string | null>(null);
  const { busy, error, run } = useAction(taskErrorText);

  async function start() {
    const parsed = parseDoorCode(code);
    if (!parsed.ok) {
      setCodeError(parsed.error);
      return;
    }
    setCodeError(null);
    const next = await run(async () => {
      try {
        return await call('startTask', { params: { id: t.id }, body: { code: parsed.value } });
      } catch (err) {
        setCodeError(doorCodeErrorText(err));
        throw err;
      }
    });
    if (next) {
      onChanged(next);
      void Taro.showToast({ title: '已签到，开始服务', icon: 'success' });
    }
  }

  async function scan() {
    try {
      const { result } = await Taro.scanCode({ onlyFromCamera: true, scanType: ['qrCode'] });
      const digits = result.trim();
      if (!/^\d{6}$/.test(digits)) {
        setCodeError('这不是长者的签到码，请扫「邻里互助」里显示的二维码');
        return;
      }
      setCode(digits);
      setCodeError(null);
    } catch {
      // Cancelled or no camera permission: typing the code still works.
    }
  }

  return (
    <View className="card stack cc-card" data-testid="task-start">
      <Text className="card__title">到达签到</Text>
      <Text className="cc-line">
        到达长者家后，请长者（或家属）在「邻里」里打开这个任务，出示 6 位签到码。
      </Text>
      <Field label="签到码" error={codeError} testId="task-code-field">
        <View className="code-input">
          <Input
            className="input"
            type="number"
            maxlength={6}
            placeholder="6 位数字"
            value={code}
            onInput={(e) => {
              setCode(e.detail.value);
              setCodeError(null);
            }}
            aria-label="长者出示的 6 位签到码"
            data-testid="task-code"
          />
        </View>
      </Field>
      {/* The elder's phone also shows the code as a QR; WeChat's scanner reads it (not on H5). */}
      {process.env.TARO_ENV === 'weapp' ? (
        <Btn variant="ghost" disabled={busy} onClick={() => void scan()} testId="task-scan">
          扫长者的签到码
        </Btn>
      ) : null}
      <Btn disabled={busy} onClick={() => void start()} testId="task-start-submit">
        {busy ? '签到中…' : '到达签到'}
      </Btn>
      {error && !codeError ? <Text className="state__message">{error}</Text> : null}
    </View>
  );
}

/** 完成服务: the minutes (prefilled from the time since 签到) and a note for the family. */
function FinishCard({ t, onChanged }: { t: HelpTask; onChanged: Changed }) {
  const [minutes, setMinutes] = useState(() => String(minutesPrefill(t.startedAt, t.durationMin)));
  const [note, setNote] = useState('');
  const [minutesError, setMinutesError] = useState<string | null>(null);
  const { busy, error, run } = useAction(taskErrorText);

  async function finish() {
    const parsed = parseMinutes(minutes);
    if (!parsed.ok) {
      setMinutesError(parsed.error);
      return;
    }
    setMinutesError(null);
    const ok = await confirm('完成服务', `本次服务记 ${minutesText(parsed.value)}，提交后等待长者确认。`, {
      confirmText: '提交',
      cancelText: '再看看',
    });
    if (!ok) return;
    const next = await run(async () => {
      try {
        return await call('finishTask', {
          params: { id: t.id },
          body: { minutes: parsed.value, note: note.trim() },
        });
      } catch (err) {
        const limit = minutesLimit(err);
        if (limit !== null) setMinutesError(`时长不能超过开始服务以来的时间，最多可记 ${limit} 分钟`);
        throw err;
      }
    });
    if (next) {
      onChanged(next);
      void Taro.showToast({ title: '已提交，待长者确认', icon: 'none' });
    }
  }

  return (
    <View className="card stack cc-card" data-testid="task-finish">
      <Text className="card__title">完成服务</Text>
      {t.startedAt ? <Text className="muted">{`${whenText(t.startedAt)} 签到`}</Text> : null}
      <Field label="服务时长（分钟）" error={minutesError} testId="task-minutes-field">
        <Input
          className="input"
          type="number"
          maxlength={3}
          value={minutes}
          onInput={(e) => {
            setMinutes(e.detail.value);
            setMinutesError(null);
          }}
          aria-label="服务时长，单位分钟"
          data-testid="task-minutes"
        />
      </Field>
      <Field label="服务小结（家属可见，可不填）">
        <TextArea
          value={note}
          onChange={setNote}
          placeholder="如：已买好菜放进冰箱，奶奶精神不错"
          maxLength={300}
          testId="task-note"
        />
      </Field>
      <Btn disabled={busy} onClick={() => void finish()} testId="task-finish-submit">
        {busy ? '提交中…' : '完成服务'}
      </Btn>
      {error && !minutesError ? <Text className="state__message">{error}</Text> : null}
    </View>
  );
}

/** 临时有事（释放任务）: back to the board, with a reason and a confirmation. */
function ReleaseCard({ t, onChanged }: { t: HelpTask; onChanged: Changed }) {
  const [open, setOpen] = useState(false);
  const { runningKey, error, run } = useAction(taskErrorText);

  async function release(reason: string) {
    const ok = await confirm(
      '释放任务',
      '释放后任务会重新派给其他志愿者，长者家属会收到通知。确定去不了吗？',
      {
        confirmText: '确定释放',
        cancelText: '再想想',
      },
    );
    if (!ok) return;
    const next = await run(() => call('releaseTask', { params: { id: t.id }, body: { reason } }), 'release');
    if (next) {
      onChanged(next);
      setOpen(false);
      void Taro.showToast({ title: '已释放任务', icon: 'success' });
    }
  }

  return (
    <View className="card stack cc-card" data-testid="task-release">
      {open ? (
        <ReasonForm
          title="去不了的原因（长者家属和社区会看到）"
          reasons={RELEASE_REASONS}
          submitText="释放任务"
          busy={runningKey === 'release'}
          error={error}
          onSubmit={(r) => void release(r)}
          onCancel={() => setOpen(false)}
          testId="task-release-form"
        />
      ) : (
        <Btn variant="ghost" onClick={() => setOpen(true)} testId="task-release-open">
          临时有事（释放任务）
        </Btn>
      )}
    </View>
  );
}

/** Where the finished task's hours stand. */
function HoursCard({ t }: { t: HelpTask }) {
  const line = hoursLine(t);
  if (!line) return null;
  return (
    <View className="card stack cc-card" data-testid="task-hours">
      <Text className="card__title">服务时长</Text>
      <Text
        className={line.tone === 'pending' || line.tone === 'rejected' ? 'cc-warn' : 'cc-ok'}
        data-testid="task-hours-status"
      >
        {line.text}
      </Text>
      {t.finishedAt ? <Text className="muted">{`${whenText(t.finishedAt)} 完成`}</Text> : null}
      {t.rating ? (
        <Text className="cc-line">{`长者评价：${'★'.repeat(t.rating)}${'☆'.repeat(5 - t.rating)}`}</Text>
      ) : null}
      {t.hoursStatus === 'pending' ? (
        <Text className="muted">长者或家属确认后计入时间银行；到时未处理会自动确认。</Text>
      ) : null}
    </View>
  );
}

/** 任务详情: one task from offer to the hours. */
export default function VolunteerTaskPage() {
  const id = useRouter().params.id ?? '';
  const state = useApi(() => call('volunteerTask', { params: { id } }), { refreshOnShow: true });
  const me = useApi(() => call('volunteerMe'));
  const [latest, setLatest] = useState<{ base: unknown; value: HelpTask } | null>(null);
  const [lost, setLost] = useState(false);
  usePullRefresh(state.reload);
  const t = latest && latest.base === state.data ? latest.value : state.data;
  const myName = me.data?.volunteer?.realName ?? null;
  const onChanged: Changed = (value) => setLatest({ base: state.data, value });

  // The page title says which task, once it is known.
  useEffect(() => {
    if (t?.title) void Taro.setNavigationBarTitle({ title: t.title }).catch(() => undefined);
  }, [t?.title]);

  const taken = t ? lost || takenByOther(t, myName) : false;
  const acts = t && !taken ? detailActions(t, myName) : null;

  return (
    <Page name="volunteer-task" state={state}>
      {t ? (
        <>
          {lost ? (
            <Text className="cc-warn vol-gap" data-testid="task-lost">
              已被接单：其他志愿者刚刚接下了这个任务
            </Text>
          ) : null}
          <View className={`card stack cc-card${taken ? ' vol-task--taken' : ''}`} data-testid="task-head">
            <Text className="vol-task__title">{t.title}</Text>
            <TaskTags task={t} taken={taken} />
            <Text className="cc-line cc-strong" data-testid="task-window">
              {windowText(t.windowStart, t.windowEnd)}
            </Text>
            <Text className="cc-line">{`预计 ${minutesText(t.durationMin)}`}</Text>
            <Text className="cc-line">{`${t.contact ? t.contact.elderName : t.elderLabel} · ${placeText(t)}`}</Text>
            {t.note ? <Text className="cc-line vol-pre">{`说明：${t.note}`}</Text> : null}
            {t.paidMinutes > 0 ? (
              <Text className="muted">{`家属用时间银行支付 ${minutesText(t.paidMinutes)}`}</Text>
            ) : null}
            {t.volunteerName && !taken && t.status !== 'open' ? (
              <Text className="muted">{`接单志愿者：${t.volunteerName}${t.volunteerName === myName ? '（我）' : ''}`}</Text>
            ) : null}
            {t.status === 'cancelled' ? <Text className="cc-warn">这个任务已取消</Text> : null}
            {t.status === 'expired' ? <Text className="cc-warn">这个任务已过期，无人接单</Text> : null}
            {t.declined ? <Text className="muted">您已婉拒或释放了这个任务，它会派给其他志愿者</Text> : null}
          </View>
          <ContactCard t={t} />
          <PickupCard t={t} />
          {acts?.accept || acts?.decline ? (
            <TakeCard
              t={t}
              onChanged={onChanged}
              onLost={() => {
                setLost(true);
                void Taro.showToast({ title: '已被接单', icon: 'none' });
                void state.reload();
              }}
            />
          ) : null}
          {acts?.start ? <StartCard key={`start-${t.status}`} t={t} onChanged={onChanged} /> : null}
          {acts?.finish ? <FinishCard key={`finish-${t.startedAt}`} t={t} onChanged={onChanged} /> : null}
          <HoursCard t={t} />
          {acts?.release ? <ReleaseCard t={t} onChanged={onChanged} /> : null}
        </>
      ) : null}
    </Page>
  );
}
