import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useMemo, useState } from 'react';
import { formatYuan, type Merchant, PAGES } from 'shared';
import { Btn } from '../components/Btn';
import { ChoiceList } from '../components/ChoiceList';
import { Page } from '../components/Page';
import { TextInput } from '../components/TextInput';
import { openWindows } from '../lockers/labels';
import { cart, useCart } from '../market/cart';
import type { CartLine } from '../market/cart-store';
import { maxQuantity } from '../market/cart-store';
import { OpenTag } from '../market/MerchantCard';
import { Stepper } from '../market/Stepper';
import { type GroupSettings, type Household, type Mode, planCart, submitBlocker } from './cart-model';
import { LockerChoice } from './LockerChoice';
import { useCartInfo } from './use-cart-info';
import { useCheckout } from './use-checkout';
import { useLockerAvailability } from './use-locker-availability';
import '../market/market.scss';
import '../market/market-elder.scss';
import '../lockers/lockers.scss';
import '../lockers/lockers-elder.scss';

/**
 * 购物车 and checkout. Each merchant's lines become one order (a multi-merchant cart is split):
 * delivery mode, address (or locker window and bank) and note per merchant; 提交订单 creates the
 * orders, each with its own Idempotency-Key, then pays them. A locker bank without room for the
 * order is caught here, before payment, with another bank, a later window or another mode offered.
 */
export default function CartPage() {
  const cartState = useCart();
  // biome-ignore lint/correctness/useExhaustiveDependencies: the cart state is what groups() reads
  const groups = useMemo(() => cart.groups(), [cartState]);
  const info = useCartInfo(groups.map((g) => g.merchantId).join(','));
  const [saved, setSaved] = useState<Record<string, Partial<GroupSettings>>>({});
  const update = (merchantId: string, patch: Partial<GroupSettings>) =>
    setSaved((prev) => ({ ...prev, [merchantId]: { ...prev[merchantId], ...patch } }));

  const households = info.data?.households ?? [];
  const home = info.data?.home ?? null;
  // biome-ignore lint/correctness/useExhaustiveDependencies: loadedAt marks a fresh answer; "now" moves with it
  const windows = useMemo(() => openWindows(info.data?.windows ?? []), [info.data?.loadedAt]);
  const { rows, availability } = useLockerAvailability(
    home?.compoundId ?? null,
    info.data?.loadedAt ?? 0,
    (availability) => planCart({ groups, saved, info: info.data, windows, availability }),
  );
  const checkout = useCheckout(info.reload);
  const { errors } = checkout;
  const [removed, setRemoved] = useState<Removed | null>(null);
  // What is being ordered and paid: the cart drops ordered lines as each order is created, so
  // behind the pay sheet the page shows these instead of 购物车是空的.
  const [paying, setPaying] = useState<Paying[] | null>(null);

  useEffect(() => {
    if (!removed) return;
    const timer = setTimeout(() => setRemoved(null), UNDO_MS);
    return () => clearTimeout(timer);
  }, [removed]);

  const chosen = rows.filter((r) => r.s.selected);
  const blocker = submitBlocker(rows);
  const grandTotal = chosen.reduce((sum, r) => sum + r.group.itemsFen + r.fee, 0);

  const remove = (line: CartLine, merchantName: string) => {
    cart.remove(line.productId);
    setRemoved({ line, merchantName });
  };
  const undo = () => {
    if (!removed) return;
    const { line, merchantName } = removed;
    cart.add(line, merchantName, line.quantity);
    setRemoved(null);
  };
  const submit = async () => {
    setRemoved(null);
    setPaying(
      chosen.map((r) => ({
        merchantId: r.group.merchantId,
        name: r.group.merchantName || r.shop?.merchant?.name || '商家',
        count: r.group.count,
        totalFen: r.group.itemsFen + r.fee,
      })),
    );
    try {
      await checkout.submit(chosen);
    } finally {
      setPaying(null);
    }
  };

  return (
    <Page name="cart" state={info}>
      {checkout.paySheet}
      {checkout.notice ? (
        <Text className="notice" data-testid="cart-notice">
          {checkout.notice}
        </Text>
      ) : null}
      {groups.length === 0 && paying ? (
        <View className="card stack" data-testid="cart-paying">
          <Text className="card__title">订单已提交，正在支付</Text>
          {paying.map((p) => (
            <View key={p.merchantId} className="row">
              <Text>{`${p.name} · ${p.count} 件`}</Text>
              <Text className="total">{formatYuan(p.totalFen)}</Text>
            </View>
          ))}
          <Text className="muted">请在弹出的支付窗口中完成付款；暂不支付的订单可在「订单」中继续付款。</Text>
        </View>
      ) : null}
      {removed ? (
        <View className="undo-bar" data-testid="cart-undo" aria-live="polite">
          <Text className="undo-bar__text">{`已移除「${removed.line.name}」`}</Text>
          <Btn variant="ghost small" onClick={undo} testId="cart-undo-go">
            撤销
          </Btn>
        </View>
      ) : null}
      {groups.length === 0 && !paying ? (
        <View className="card stack empty" data-testid="cart-empty">
          <Text>购物车是空的</Text>
          <Btn variant="ghost" onClick={() => void Taro.switchTab({ url: PAGES.market })}>
            去集市逛逛
          </Btn>
        </View>
      ) : null}
      {rows.map(({ group, s, shop, fee, lines, advice, problems }) => (
        <View key={group.merchantId} className="card stack" data-testid={`cart-group-${group.merchantId}`}>
          <View className="row">
            <Text className="card__title merchant-card__name">
              {group.merchantName || shop?.merchant?.name || '商家'}
            </Text>
            {shop?.merchant ? <OpenTag open={shop.merchant.openNow} /> : null}
          </View>
          {groups.length > 1 ? (
            <ChoiceList
              title="本次结算"
              testId={`cart-select-${group.merchantId}`}
              items={[
                { id: 'yes', label: '结算这家' },
                { id: 'no', label: '暂不结算' },
              ]}
              selectedId={s.selected ? 'yes' : 'no'}
              label={(c) => c.label}
              onSelect={(c) => update(group.merchantId, { selected: c.id === 'yes' })}
            />
          ) : null}
          {group.lines.map((line) => (
            <CartLineRow
              key={line.productId}
              line={line}
              onRemove={() => remove(line, group.merchantName || shop?.merchant?.name || '')}
            />
          ))}
          {shop?.merchant ? (
            <DeliveryChoice
              merchant={shop.merchant}
              settings={s}
              households={households}
              onChange={(patch) => update(group.merchantId, patch)}
            />
          ) : null}
          {shop?.merchant && s.mode === 'locker' ? (
            <LockerChoice
              verified={!!home}
              windows={windows}
              windowsError={info.data?.windowsError}
              pick={s}
              availability={{
                loading: !!s.windowId && !availability[s.windowId]?.data,
                error: s.windowId ? availability[s.windowId]?.error : undefined,
              }}
              advice={advice}
              lines={lines}
              onChange={(patch) => update(group.merchantId, patch)}
              onMode={(mode) => update(group.merchantId, { mode })}
              onRetry={() => void info.reload()}
            />
          ) : null}
          <TextInput
            value={s.note}
            onChange={(note) => update(group.merchantId, { note })}
            placeholder="备注（选填），如：青菜要嫩一点"
            maxLength={200}
            testId="cart-note"
          />
          <View className="totals">
            <View className="row">
              <Text>商品金额</Text>
              <Text>{formatYuan(group.itemsFen)}</Text>
            </View>
            {s.mode === 'home' ? (
              <View className="row">
                <Text>配送费</Text>
                <Text>{formatYuan(fee)}</Text>
              </View>
            ) : null}
            <View className="row">
              <Text>小计</Text>
              <Text className="total" data-testid="group-total">
                {formatYuan(group.itemsFen + fee)}
              </Text>
            </View>
          </View>
          {s.selected
            ? problems.map((p) => (
                <Text key={p} className="warn" data-testid="cart-problem">
                  {p}
                </Text>
              ))
            : null}
          {errors[group.merchantId] ? (
            <Text className="error-text" data-testid="cart-error">
              {`提交失败：${errors[group.merchantId]}`}
            </Text>
          ) : null}
        </View>
      ))}
      {groups.length > 0 ? <Text className="muted cart-footnote">价格、库存以提交时为准。</Text> : null}
      {groups.length > 0 ? (
        <View className="checkout-bar" data-testid="checkout-bar">
          <View className="checkout-bar__total">
            <Text>{chosen.length > 1 ? `合计（${chosen.length} 个订单）` : '合计'}</Text>
            <Text className="total" data-testid="cart-total">
              {formatYuan(grandTotal)}
            </Text>
            {blocker ? (
              <Text className="checkout-bar__why" data-testid="cart-submit-why">
                {blocker}
              </Text>
            ) : null}
          </View>
          <Btn
            disabled={checkout.submitting || blocker !== null}
            label={blocker ? `提交订单，${blocker}` : undefined}
            onClick={() => void submit()}
            testId="cart-submit"
          >
            {checkout.submitting ? '提交中…' : '提交订单'}
          </Btn>
        </View>
      ) : null}
    </Page>
  );
}

/** How long 撤销 stays offered after a line is removed. */
const UNDO_MS = 6000;

interface Removed {
  line: CartLine;
  merchantName: string;
}

interface Paying {
  merchantId: string;
  name: string;
  count: number;
  totalFen: number;
}

/**
 * One line: 删除 sits with the name, away from the stepper, so a tap meant for − never lands on
 * it; either way of removing the last unit is offered back (撤销) for a few seconds.
 */
function CartLineRow({ line, onRemove }: { line: CartLine; onRemove: () => void }) {
  const max = maxQuantity(line);
  return (
    <View className="line" data-testid={`cart-line-${line.productId}`}>
      <View className="line__body">
        <Text className="line__name">{line.name}</Text>
        <Text className="muted">{`${formatYuan(line.priceFen)}/${line.unit}${line.perOrderLimit ? ` · 限购${line.perOrderLimit}` : ''}`}</Text>
        {line.stock <= 0 ? <Text className="tag tag--closed">已售罄</Text> : null}
        <View className="line__remove">
          <Btn variant="ghost small" label={`删除「${line.name}」`} onClick={onRemove} testId="line-remove">
            删除
          </Btn>
        </View>
      </View>
      <Stepper
        value={line.quantity}
        max={Math.max(max, line.quantity)}
        onChange={(n) => {
          if (n <= 0) onRemove();
          else cart.setQuantity(line.productId, n);
        }}
        testId="line-stepper"
      />
    </View>
  );
}

function DeliveryChoice({
  merchant,
  settings,
  households,
  onChange,
}: {
  merchant: Merchant;
  settings: GroupSettings;
  households: Household[];
  onChange: (patch: Partial<GroupSettings>) => void;
}) {
  const home = merchant.delivery.home;
  const modes: { id: Mode; label: string }[] = [
    ...(merchant.delivery.shopPickup ? [{ id: 'shop_pickup' as const, label: '到店自提' }] : []),
    ...(home
      ? [
          {
            id: 'home' as const,
            label: home.feeFen > 0 ? `送货上门（配送费${formatYuan(home.feeFen)}）` : '送货上门（免配送费）',
          },
        ]
      : []),
    ...(merchant.delivery.locker ? [{ id: 'locker' as const, label: '生鲜柜自取' }] : []),
  ];
  return (
    <>
      <ChoiceList
        title="配送方式"
        testId="delivery-mode"
        items={modes}
        selectedId={settings.mode}
        label={(m) => m.label}
        onSelect={(m) => onChange({ mode: m.id })}
      />
      {settings.mode === 'shop_pickup' && merchant.address ? (
        <Text className="muted">{`自提地址：${merchant.address}`}</Text>
      ) : null}
      {settings.mode === 'home' ? (
        households.length > 0 ? (
          <ChoiceList
            title="收货地址"
            testId="delivery-household"
            items={households}
            selectedId={settings.householdId}
            label={(h) => h.address}
            onSelect={(h) => onChange({ householdId: h.id })}
          />
        ) : (
          <View className="stack">
            <Text className="warn">送货上门需先完成住户认证。</Text>
            <Btn variant="ghost small" onClick={() => void Taro.navigateTo({ url: PAGES.membership })}>
              去认证住户
            </Btn>
          </View>
        )
      ) : null}
    </>
  );
}
