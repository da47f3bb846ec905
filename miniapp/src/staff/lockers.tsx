import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import {
  COMPARTMENT_STATE_LABELS,
  type Compartment,
  type CompartmentState,
  formatDisplayTime,
  type LockerBank,
} from 'shared';
import { call } from '../api';
import { confirm } from '../common/confirm';
import { Btn } from '../components/Btn';
import { Page } from '../components/Page';
import { TextInput } from '../components/TextInput';
import { useAction } from '../hooks/use-action';
import { useApi } from '../hooks/use-api';
import { usePullRefresh } from '../hooks/use-pull-refresh';
import { BANK_STATUS_LABELS, SIZE_LABELS, SIZES, ZONE_LABELS, ZONES } from '../lockers/labels';
import {
  type BankDraft,
  DEFAULT_GROUPS,
  type GroupDraft,
  MAX_GROUPS,
  parseBankDraft,
  reachText,
} from './bank-form';
import { staffErrorText } from './errors';
import { Chips, Field } from './fields';
import { countTable, gridRows, serviceToggle, stateCounts } from './locker-grid';
import '../market/market.scss';
import '../market/market-elder.scss';
import '../lockers/lockers.scss';
import '../lockers/lockers-elder.scss';
import { tappable } from '../components/a11y';

const STATES: CompartmentState[] = ['free', 'reserved', 'occupied', 'out_of_service'];
const SHORT_SIZE = { S: '小', M: '中', L: '大' } as const;

interface ShownSecret {
  bankId: string;
  bankName: string;
  secret: string;
}

/**
 * 生鲜柜管理: each bank's compartments as a grid coloured by state, counts by size and zone, a
 * compartment or the whole bank out of service and back, the panel's device secret rotated (shown
 * once), and a form to add a bank.
 */
export default function StaffLockersPage() {
  const banks = useApi(() => call('staffLockerBanks'), { refreshOnShow: true });
  const [secret, setShown] = useState<ShownSecret | null>(null);
  // The secret is shown once, on top: bring it into view.
  const setSecret = (s: ShownSecret) => {
    setShown(s);
    void Taro.pageScrollTo({ scrollTop: 0, duration: 200 }).catch(() => undefined);
  };
  usePullRefresh(banks.reload);

  return (
    <Page name="staff-lockers" state={banks}>
      {secret ? <SecretCard shown={secret} onClose={() => setShown(null)} /> : null}
      <View className="card stack" data-testid="locker-legend">
        <Text className="card__title">图例</Text>
        <View className="legend">
          {STATES.map((s) => (
            <View key={s} className="legend__item">
              <View className={`legend__swatch cell--${s}`} />
              <Text>{COMPARTMENT_STATE_LABELS[s]}</Text>
            </View>
          ))}
        </View>
        <Text className="muted">点格口可停用或恢复；有订单的格口不能停用。</Text>
      </View>
      {banks.data?.items.length === 0 ? (
        <View className="card">
          <Text className="muted">您负责的小区还没有生鲜柜，可在下方新增。</Text>
        </View>
      ) : null}
      {banks.data?.items.map((b) => (
        <BankCard
          key={b.id}
          bank={b}
          onChanged={banks.reload}
          onSecret={(s) => setSecret({ bankId: b.id, bankName: b.name, secret: s })}
        />
      ))}
      <AddBankForm
        onCreated={async (bank, deviceSecret) => {
          setSecret({ bankId: bank.id, bankName: bank.name, secret: deviceSecret });
          await banks.reload();
        }}
      />
    </Page>
  );
}

function SecretCard({ shown, onClose }: { shown: ShownSecret; onClose: () => void }) {
  return (
    <View className="card stack secret" data-testid="secret-card">
      <Text className="card__title">{`「${shown.bankName}」的设备密钥`}</Text>
      <Text className="warn">
        密钥只显示这一次，请立即复制并配置到柜机。旧密钥已失效，柜机更新前将无法取件。
      </Text>
      <Text className="secret__value" data-testid="secret-value">
        {shown.secret}
      </Text>
      <View className="l-actions l-actions--fill">
        <Btn
          onClick={() =>
            void Taro.setClipboardData({ data: shown.secret })
              .then(() => Taro.showToast({ title: '已复制密钥', icon: 'none' }))
              .catch(() => undefined)
          }
          testId="secret-copy"
        >
          复制密钥
        </Btn>
        <Btn variant="ghost" onClick={onClose} testId="secret-close">
          我已保存
        </Btn>
      </View>
    </View>
  );
}

function BankCard({
  bank,
  onChanged,
  onSecret,
}: {
  bank: LockerBank;
  onChanged: () => Promise<void>;
  onSecret: (secret: string) => void;
}) {
  const action = useAction(staffErrorText);
  const table = countTable(bank.counts, ZONES, SIZES);
  const byState = stateCounts(bank.compartments);
  const active = bank.status === 'active';

  const toggleBank = async () => {
    const next = active ? 'out_of_service' : 'active';
    if (
      !(await confirm(
        active ? '停用生鲜柜' : '启用生鲜柜',
        active
          ? `停用后「${bank.name}」不再接收新订单，柜内已有的订单仍可取件。确定停用吗？`
          : `启用后「${bank.name}」将重新接收生鲜柜订单。确定启用吗？`,
      ))
    )
      return;
    const done = await action.run(
      () => call('updateLockerBank', { params: { id: bank.id }, body: { status: next } }),
      'bank',
    );
    if (done) {
      void Taro.showToast({ title: active ? '已停用' : '已启用', icon: 'success' });
      await onChanged();
    }
  };

  const rotate = async () => {
    if (
      !(await confirm('重置设备密钥', '重置后旧密钥立即失效，需把新密钥配置到柜机后才能取件。确定重置吗？', {
        confirmText: '重置',
      }))
    )
      return;
    const res = await action.run(
      () => call('rotateDeviceSecret', { params: { id: bank.id }, body: {} }),
      'rotate',
    );
    if (res) onSecret(res.deviceSecret);
  };

  const tapCell = async (c: Compartment) => {
    const what = serviceToggle(c.state);
    if (what === 'busy') {
      void Taro.showModal({
        title: `${c.label} 号格口`,
        content: `这个格口${COMPARTMENT_STATE_LABELS[c.state]}，有订单在用，暂时不能停用。`,
        showCancel: false,
        confirmText: '知道了',
      }).catch(() => undefined);
      return;
    }
    const out = what === 'out';
    if (
      !(await confirm(
        out ? '停用格口' : '恢复格口',
        out
          ? `停用 ${c.label} 号格口？停用后不再分配给订单。`
          : `恢复 ${c.label} 号格口？恢复后可以分配给订单。`,
      ))
    )
      return;
    const done = await action.run(
      () => call('updateCompartment', { params: { id: c.id }, body: { inService: !out } }),
      `cell-${c.id}`,
    );
    if (done) await onChanged();
  };

  return (
    <View className="card stack" data-testid={`bank-${bank.id}`}>
      <View className="row">
        <Text className="card__title merchant-card__name">{bank.name}</Text>
        <Text className={`tag ${active ? 'tag--approved' : 'tag--closed'}`} data-testid="bank-status">
          {BANK_STATUS_LABELS[bank.status]}
        </Text>
      </View>
      <Text className="muted">{`${bank.compoundName} · ${bank.location}`}</Text>
      <Text className="l-line" data-testid="bank-rows">
        {`共 ${bank.rows} 层，${bank.reachableRows.from === bank.reachableRows.to ? `第 ${bank.reachableRows.from} 层` : `第 ${bank.reachableRows.from}–${bank.reachableRows.to} 层`}不用弯腰、不用踮脚`}
      </Text>
      <Text className="l-line">
        {`共 ${bank.compartments.length} 格：空闲 ${byState.free} · 已预留 ${byState.reserved} · 已存放 ${byState.occupied} · 停用 ${byState.out_of_service}`}
      </Text>
      {bank.codeLockedUntil && new Date(bank.codeLockedUntil).getTime() > Date.now() ? (
        <Text className="warn">{`取件码输错次数过多，柜机输入已锁定至 ${formatDisplayTime(bank.codeLockedUntil).slice(11)}`}</Text>
      ) : null}

      {table.length > 0 ? <Text className="muted">各温区、尺寸的空闲数/总数（不含停用）：</Text> : null}
      {table.length > 0 ? (
        <View className="counts" data-testid="bank-counts">
          <View className="counts__row">
            <Text className="counts__cell counts__head">温区</Text>
            {SIZES.map((s) => (
              <Text key={s} className="counts__cell counts__head">
                {SIZE_LABELS[s]}
              </Text>
            ))}
          </View>
          {table.map((row) => (
            <View key={row.zone} className="counts__row">
              <Text className="counts__cell counts__head">{ZONE_LABELS[row.zone]}</Text>
              {row.cells.map((c, i) => (
                <Text key={SIZES[i]} className="counts__cell">
                  {c ? `${c.free}/${c.total}` : '—'}
                </Text>
              ))}
            </View>
          ))}
        </View>
      ) : null}

      <View className="stack" data-testid="bank-grid">
        {gridRows(bank.compartments).map((row) => (
          <View key={row.key} className="cgrid">
            {row.cells.map((c) => (
              <View
                {...tappable()}
                key={c.id}
                className={`cell cell--${c.state}`}
                onClick={() => void tapCell(c)}
                data-testid={`cell-${c.label}`}
                data-state={c.state}
              >
                <Text className="cell__label">{c.label}</Text>
                <Text className="cell__kind">{`${ZONE_LABELS[c.zone]}${SHORT_SIZE[c.size]}`}</Text>
              </View>
            ))}
          </View>
        ))}
      </View>

      {action.error ? (
        <Text className="error-text" data-testid="bank-error">
          {action.error}
        </Text>
      ) : null}
      <View className="l-actions l-actions--fill">
        <Btn
          variant={active ? 'ghost' : ''}
          disabled={action.busy}
          onClick={() => void toggleBank()}
          testId="bank-toggle"
        >
          {active ? '停用整柜' : '启用整柜'}
        </Btn>
        <Btn variant="ghost" disabled={action.busy} onClick={() => void rotate()} testId="bank-rotate">
          重置设备密钥
        </Btn>
      </View>
    </View>
  );
}

const SIZE_OPTIONS = SIZES.map((s) => ({ value: s, label: SIZE_LABELS[s] }));
const ZONE_OPTIONS = ZONES.map((z) => ({ value: z, label: ZONE_LABELS[z] }));

/** 新增生鲜柜: compound, name, location and the compartments by size, zone and count. */
function AddBankForm({
  onCreated,
}: {
  onCreated: (bank: LockerBank, deviceSecret: string) => Promise<void>;
}) {
  const compounds = useApi(async () => {
    const { items } = await call('communities');
    const trees = await Promise.all(items.map((c) => call('community', { params: { id: c.id } })));
    return trees.flatMap((t) => t.compounds.map((c) => ({ id: c.id, name: `${t.name} · ${c.name}` })));
  });
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState<BankDraft>({
    compoundId: null,
    name: '',
    location: '',
    groups: DEFAULT_GROUPS,
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const action = useAction(staffErrorText);
  const patch = (p: Partial<BankDraft>) => setDraft((d) => ({ ...d, ...p }));
  const setGroup = (i: number, p: Partial<GroupDraft>) =>
    patch({ groups: draft.groups.map((g, k) => (k === i ? { ...g, ...p } : g)) });

  if (!open)
    return (
      <View className="card">
        <Btn variant="ghost" onClick={() => setOpen(true)} testId="bank-add-open">
          新增生鲜柜
        </Btn>
      </View>
    );

  const submit = async () => {
    const parsed = parseBankDraft(draft);
    if (!parsed.ok) {
      setErrors(parsed.errors);
      return;
    }
    setErrors({});
    const res = await action.run(() => call('createLockerBank', { body: parsed.value }));
    if (res) {
      void Taro.showToast({ title: '已新增生鲜柜', icon: 'success' });
      setOpen(false);
      setDraft({ compoundId: null, name: '', location: '', groups: DEFAULT_GROUPS });
      await onCreated(res.bank, res.deviceSecret);
    }
  };

  return (
    <View className="card stack" data-testid="bank-form">
      <Text className="card__title">新增生鲜柜</Text>
      <Field label="小区" error={errors.compoundId} testId="bank-form-compound">
        {compounds.error ? <Text className="error-text">小区列表加载失败，请稍后重试</Text> : null}
        <View className="choice-list">
          {(compounds.data ?? []).map((c) => (
            <View
              {...tappable({ pressed: c.id === draft.compoundId })}
              key={c.id}
              className={`choice${c.id === draft.compoundId ? ' choice--selected' : ''}`}
              onClick={() => patch({ compoundId: c.id })}
            >
              {c.name}
            </View>
          ))}
        </View>
      </Field>
      <Field label="名称" error={errors.name}>
        <TextInput
          value={draft.name}
          onChange={(name) => patch({ name })}
          placeholder="如：银杏院 2 号生鲜柜"
          maxLength={40}
          testId="bank-form-name"
        />
      </Field>
      <Field label="位置" error={errors.location}>
        <TextInput
          value={draft.location}
          onChange={(location) => patch({ location })}
          placeholder="如：2 栋单元门左侧"
          maxLength={100}
          testId="bank-form-location"
        />
      </Field>
      <Field label="格口（温区、尺寸、数量、第几层）" error={errors.groups}>
        {draft.groups.map((g, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place and hold no state of their own
          <View key={i} className="stack form-row" data-testid={`bank-form-group-${i}`}>
            <Chips options={ZONE_OPTIONS} selected={[g.zone]} onToggle={(zone) => setGroup(i, { zone })} />
            <Chips options={SIZE_OPTIONS} selected={[g.size]} onToggle={(size) => setGroup(i, { size })} />
            <View className="row">
              <TextInput
                value={g.count}
                onChange={(count) => setGroup(i, { count })}
                placeholder="数量"
                maxLength={2}
                testId="bank-form-count"
              />
              <Text>个，在第</Text>
              <TextInput
                value={g.row}
                onChange={(row) => setGroup(i, { row })}
                placeholder="层"
                maxLength={2}
                testId="bank-form-row"
              />
              <Text>层</Text>
              {draft.groups.length > 1 ? (
                <Btn
                  variant="ghost small"
                  onClick={() => patch({ groups: draft.groups.filter((_, k) => k !== i) })}
                >
                  删除
                </Btn>
              ) : null}
            </View>
            {errors[`groups.${i}`] ? <Text className="field__error">{errors[`groups.${i}`]}</Text> : null}
          </View>
        ))}
        {draft.groups.length < MAX_GROUPS ? (
          <Btn
            variant="ghost small"
            onClick={() =>
              patch({ groups: [...draft.groups, { size: 'S', zone: 'ambient', count: '4', row: '1' }] })
            }
            testId="bank-form-add-group"
          >
            增加一组格口
          </Btn>
        ) : null}
      </Field>
      <Field
        label="不用弯腰、不用踮脚的层（1 为最下层，留空用默认）"
        error={errors.reach}
        testId="bank-form-reach"
      >
        <View className="row">
          <Text>第</Text>
          <TextInput
            value={draft.reachFrom ?? ''}
            onChange={(reachFrom) => patch({ reachFrom })}
            placeholder="起"
            maxLength={2}
            testId="bank-form-reach-from"
          />
          <Text>至</Text>
          <TextInput
            value={draft.reachTo ?? ''}
            onChange={(reachTo) => patch({ reachTo })}
            placeholder="止"
            maxLength={2}
            testId="bank-form-reach-to"
          />
          <Text>层</Text>
        </View>
        <Text className="muted" data-testid="bank-form-reach-text">
          {reachText(draft)}
        </Text>
      </Field>
      {action.error ? <Text className="error-text">{`提交失败：${action.error}`}</Text> : null}
      <View className="l-actions l-actions--fill">
        <Btn disabled={action.busy} onClick={() => void submit()} testId="bank-form-submit">
          {action.busy ? '提交中…' : '新增'}
        </Btn>
        <Btn variant="ghost" onClick={() => setOpen(false)}>
          取消
        </Btn>
      </View>
    </View>
  );
}
