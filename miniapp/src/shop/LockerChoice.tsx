import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { type DeliveryWindow, PAGES, type PackLine } from 'shared';
import { errorMessage } from '../api/errors';
import { tappable } from '../components/a11y';
import { Btn } from '../components/Btn';
import { ChoiceList } from '../components/ChoiceList';
import { kindText, windowText } from '../lockers/labels';
import { type LockerAdvice, needText, type OtherMode } from './locker-fit';

export interface LockerPick {
  windowId: string | null;
  lockerBankId: string | null;
  consent: boolean;
}

/** How far the availability of the chosen window has come. */
export interface AvailabilityState {
  loading: boolean;
  error: unknown;
}

const MODE_TEXT: Record<OtherMode, string> = { home: '改为送货上门', shop_pickup: '改为到店自提' };
const MAX_WINDOWS = 6;

/**
 * 生鲜柜自取 at checkout: the delivery window, a locker bank of the resident's compound (with whether
 * this order still fits there), what to do instead when it does not, and the consent China's
 * courier rules ask for before anything is put in a locker.
 */
export function LockerChoice({
  verified,
  windows,
  windowsError,
  pick,
  availability,
  advice,
  lines,
  onChange,
  onMode,
  onRetry,
}: {
  /** The resident has an approved household (locker banks belong to its compound). */
  verified: boolean;
  windows: DeliveryWindow[];
  windowsError: unknown;
  pick: LockerPick;
  availability: AvailabilityState;
  advice: LockerAdvice;
  lines: PackLine[] | null;
  onChange: (patch: Partial<LockerPick>) => void;
  onMode: (mode: OtherMode) => void;
  onRetry: () => void;
}) {
  if (!verified)
    return (
      <View className="stack" data-testid="locker-choice">
        <Text className="warn">生鲜柜自取需先完成住户认证，柜子在您认证的小区里。</Text>
        <Btn variant="ghost small" onClick={() => void Taro.navigateTo({ url: PAGES.membership })}>
          去认证住户
        </Btn>
      </View>
    );
  if (windowsError)
    return (
      <View className="stack" data-testid="locker-choice">
        <Text className="error-text">{`配送时段加载失败：${errorMessage(windowsError)}`}</Text>
        <Btn variant="ghost small" onClick={onRetry}>
          重试
        </Btn>
      </View>
    );
  if (windows.length === 0)
    return (
      <View className="stack" data-testid="locker-choice">
        <Text className="warn">近期没有可选的配送时段，请选择其他配送方式。</Text>
      </View>
    );

  const chosenBank = advice.banks.find((b) => b.bankId === pick.lockerBankId);
  return (
    <View className="stack" data-testid="locker-choice">
      <ChoiceList
        title="配送时段（截单后统一送到生鲜柜）"
        testId="locker-window"
        items={windows.slice(0, MAX_WINDOWS)}
        selectedId={pick.windowId}
        label={(w) => windowText(w)}
        onSelect={(w) => onChange({ windowId: w.id })}
      />
      <View className="stack" data-testid="locker-banks">
        <Text className="muted">生鲜柜</Text>
        {availability.error ? (
          <>
            <Text className="error-text">{`生鲜柜空位查询失败：${errorMessage(availability.error)}`}</Text>
            <Btn variant="ghost small" onClick={onRetry}>
              重试
            </Btn>
          </>
        ) : availability.loading && advice.banks.length === 0 ? (
          <Text className="muted">正在查询生鲜柜空位…</Text>
        ) : advice.banks.length === 0 ? (
          <Text className="warn">您的小区暂无可用的生鲜柜，请选择其他配送方式。</Text>
        ) : (
          advice.banks.map((b) => (
            <View
              {...tappable({ pressed: b.bankId === pick.lockerBankId })}
              key={b.bankId}
              className={`choice bank-choice${b.bankId === pick.lockerBankId ? ' choice--selected' : ''}`}
              onClick={() => onChange({ lockerBankId: b.bankId })}
              data-testid={`locker-bank-${b.bankId}`}
            >
              <View className="bank-choice__head">
                <Text className="bank-choice__name">{b.name}</Text>
                <Text
                  className={`tag ${b.fits ? 'tag--approved' : 'tag--rejected'}`}
                  data-testid="locker-fit"
                >
                  {lines ? (b.fits ? '有空位' : '空位不足') : '空位待确认'}
                </Text>
              </View>
              <Text className="muted">{b.location}</Text>
            </View>
          ))
        )}
      </View>
      {lines && lines.length > 0 && chosenBank ? (
        <Text className="muted">{`本单需要：${needText(lines, kindText)}`}</Text>
      ) : null}
      {advice.fits === false ? (
        <View className="stack locker-advice" data-testid="locker-advice">
          <Text className="warn">{`「${chosenBank?.name ?? '所选生鲜柜'}」在这个时段空位不足，付款前请换一种方式：`}</Text>
          {advice.otherBanks.map((b) => (
            <Btn
              key={b.bankId}
              variant="ghost"
              onClick={() => onChange({ lockerBankId: b.bankId })}
              testId="locker-advice-bank"
            >
              {`改投「${b.name}」`}
            </Btn>
          ))}
          {advice.laterWindows.map(({ window: w, bank }) => (
            <Btn
              key={w.id}
              variant="ghost"
              onClick={() => onChange({ windowId: w.id, lockerBankId: bank.bankId })}
              testId="locker-advice-window"
            >
              {`改到 ${windowText(w)}（${bank.name}）`}
            </Btn>
          ))}
          {advice.toLoad.length > 0 ? <Text className="muted">正在查找其他时段的空位…</Text> : null}
          {advice.otherModes.map((m) => (
            <Btn key={m} variant="ghost" onClick={() => onMode(m)} testId={`locker-advice-${m}`}>
              {MODE_TEXT[m]}
            </Btn>
          ))}
          {advice.otherBanks.length + advice.laterWindows.length + advice.otherModes.length === 0 &&
          advice.toLoad.length === 0 ? (
            <Text className="muted">近期各时段的生鲜柜都已满，请减少商品或稍后再试。</Text>
          ) : null}
        </View>
      ) : null}
      <View
        {...tappable({ role: 'checkbox', checked: pick.consent })}
        className={`consent${pick.consent ? ' consent--on' : ''}`}
        onClick={() => onChange({ consent: !pick.consent })}
        data-testid="locker-consent"
      >
        <View className="consent__box">
          <Text className="consent__mark">{pick.consent ? '✓' : ''}</Text>
        </View>
        <Text className="consent__text">同意将商品投递至智能生鲜柜</Text>
      </View>
      <Text className="muted">
        送达后凭取件码到柜机取货，请按时取件；超时未取可付费延长一次保管，否则商品将退回商家。
      </Text>
    </View>
  );
}
