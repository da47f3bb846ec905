import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useMemo, useState } from 'react';
import { type CreateOrderBody, formatYuan, type Merchant, type Order, PAGES } from 'shared';
import { call } from '../api';
import { Btn } from '../components/Btn';
import { ChoiceList } from '../components/ChoiceList';
import { Page } from '../components/Page';
import { TextInput } from '../components/TextInput';
import { useApi } from '../hooks/use-api';
import { cart, useCart } from '../market/cart';
import type { CartGroup, CartLine } from '../market/cart-store';
import { maxQuantity } from '../market/cart-store';
import { OpenTag } from '../market/MerchantCard';
import { toCartProduct } from '../market/ProductCard';
import { Stepper } from '../market/Stepper';
import { askToSubscribe, prefetchSubscribeTemplates } from '../notify/subscribe';
import { answerUnknown, describeOrderError } from './order-errors';
import { useDevpaySheet } from './PaySheet';
import { payOrders } from './payment';
import '../market/market.scss';
import '../market/market-elder.scss';

type Mode = 'shop_pickup' | 'home';

interface GroupSettings {
  selected: boolean;
  mode: Mode | null;
  householdId: string | null;
  note: string;
}

interface ShopInfo {
  merchant: Merchant | null;
  /** Ids of the shop's products on sale, when the whole list was read; null when unknown. */
  onSale: Set<string> | null;
  error: unknown;
}

interface Household {
  id: string;
  address: string;
}

/** The shop's profile and its current products; the cart lines take the fresh prices and stock. */
async function loadShop(id: string): Promise<ShopInfo> {
  try {
    const [merchant, products] = await Promise.all([
      call('merchant', { params: { id } }),
      call('products', { query: { merchantId: id, limit: 100 } }),
    ]);
    cart.refresh(products.items.map(toCartProduct));
    const onSale = products.nextCursor === null ? new Set(products.items.map((p) => p.id)) : null;
    return { merchant, onSale, error: null };
  } catch (error) {
    return { merchant: null, onSale: null, error };
  }
}

/** Why this group cannot be ordered as it stands; empty when it can. The server re-checks it all. */
function problemsOf(group: CartGroup, shop: ShopInfo | undefined, s: GroupSettings): string[] {
  const out: string[] = [];
  if (!shop?.merchant)
    return [shop?.error ? '商家信息加载失败，请下拉或点「刷新」重试' : '正在读取商家信息…'];
  const m = shop.merchant;
  if (!m.openNow) out.push('商家休息中，暂不接单');
  for (const line of group.lines) {
    if (shop.onSale && !shop.onSale.has(line.productId)) out.push(`「${line.name}」已下架，请删除`);
    else if (line.stock <= 0) out.push(`「${line.name}」已售罄，请删除`);
  }
  if (!s.mode) out.push('商家暂无可选的配送方式');
  if (s.mode === 'home' && !s.householdId) out.push('请选择收货地址（需先完成住户认证）');
  if (group.itemsFen < m.minOrderFen)
    out.push(`还差 ${formatYuan(m.minOrderFen - group.itemsFen)} 起送（${formatYuan(m.minOrderFen)} 起送）`);
  return out;
}

function orderBody(group: CartGroup, s: GroupSettings): CreateOrderBody {
  const note = s.note.trim();
  return {
    merchantId: group.merchantId,
    items: group.lines.map((l) => ({ productId: l.productId, quantity: l.quantity })),
    delivery:
      s.mode === 'home' && s.householdId
        ? { mode: 'home', householdId: s.householdId }
        : { mode: 'shop_pickup' },
    ...(note ? { note } : {}),
  };
}

/**
 * 购物车 and checkout. Each merchant's lines become one order (a multi-merchant cart is split):
 * delivery mode, address and note per merchant; 提交订单 creates the orders, each with its own
 * Idempotency-Key, then pays them.
 */
export default function CartPage() {
  const cartState = useCart();
  // biome-ignore lint/correctness/useExhaustiveDependencies: the cart state is what groups() reads
  const groups = useMemo(() => cart.groups(), [cartState]);
  const merchantIds = groups.map((g) => g.merchantId).join(',');
  const info = useApi(
    async () => {
      const ids = merchantIds ? merchantIds.split(',') : [];
      const [me, ...shops] = await Promise.all([call('me'), ...ids.map(loadShop)]);
      const households: Household[] = me.memberships
        .filter((m) => m.status === 'approved')
        .map((m) => ({ id: m.householdId, address: m.address }));
      return { households, shops: new Map(ids.map((id, i) => [id, shops[i]!])) };
    },
    { key: merchantIds, refreshOnShow: true },
  );
  const [settings, setSettings] = useState<Record<string, Partial<GroupSettings>>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const devpay = useDevpaySheet();

  useEffect(() => {
    void prefetchSubscribeTemplates();
  }, []);

  const households = info.data?.households ?? [];
  const settingsOf = (g: CartGroup): GroupSettings => {
    const s = settings[g.merchantId] ?? {};
    const m = info.data?.shops.get(g.merchantId)?.merchant;
    const fallback: Mode | null = m?.delivery.shopPickup ? 'shop_pickup' : m?.delivery.home ? 'home' : null;
    return {
      selected: s.selected ?? true,
      mode: s.mode ?? fallback,
      householdId: s.householdId ?? households[0]?.id ?? null,
      note: s.note ?? '',
    };
  };
  const update = (merchantId: string, patch: Partial<GroupSettings>) =>
    setSettings((prev) => ({ ...prev, [merchantId]: { ...prev[merchantId], ...patch } }));

  const rows = groups.map((g) => {
    const s = settingsOf(g);
    const shop = info.data?.shops.get(g.merchantId);
    const fee = s.mode === 'home' ? (shop?.merchant?.delivery.home?.feeFen ?? 0) : 0;
    return { group: g, s, shop, fee, problems: problemsOf(g, shop, s) };
  });
  const chosen = rows.filter((r) => r.s.selected);
  const blocked = chosen.some((r) => r.problems.length > 0);
  const grandTotal = chosen.reduce((sum, r) => sum + r.group.itemsFen + r.fee, 0);

  async function submit() {
    // Before any await: WeChat shows the subscribe prompt only inside the tap.
    const asked = askToSubscribe(['orderStatus']);
    setSubmitting(true);
    setNotice(null);
    const created: Order[] = [];
    const failed: Record<string, string> = {};
    try {
      await asked;
      for (const { group, s } of chosen) {
        const body = orderBody(group, s);
        // The same request after an unanswered attempt reuses its key: the server replays, never doubles.
        const key = cart.checkoutKey(group.merchantId, JSON.stringify(body));
        try {
          const order = await call('createOrder', { body, headers: { 'idempotency-key': key } });
          cart.removeOrdered(
            group.merchantId,
            body.items.map((i) => i.productId),
          );
          created.push(order);
        } catch (err) {
          if (!answerUnknown(err)) cart.forgetCheckoutKey(group.merchantId);
          const names = group.lines.map((l) => l.name);
          failed[group.merchantId] = describeOrderError(err, (i) => names[i]);
        }
      }
      setErrors(failed);
      if (created.length === 0) return;

      let paid = false;
      try {
        paid = (await payOrders(created, devpay.confirm)) === 'paid';
        if (paid) void Taro.showToast({ title: '支付成功', icon: 'success' });
      } catch (err) {
        void Taro.showToast({ title: describeOrderError(err), icon: 'none' });
      }
      if (Object.keys(failed).length > 0) {
        setNotice(
          `已提交 ${created.length} 个订单${paid ? '并完成支付' : '，请在「订单」中付款'}；其余商家的订单未能提交，见下方提示。`,
        );
        void info.reload();
        return;
      }
      if (created.length === 1) await Taro.redirectTo({ url: `${PAGES.orderDetail}?id=${created[0]!.id}` });
      else await Taro.switchTab({ url: PAGES.orders });
    } finally {
      setSubmitting(false);
    }
  }

  return (
    <Page name="cart" state={info}>
      {devpay.sheet}
      {notice ? (
        <Text className="notice" data-testid="cart-notice">
          {notice}
        </Text>
      ) : null}
      {groups.length === 0 ? (
        <View className="card stack empty" data-testid="cart-empty">
          <Text>购物车是空的</Text>
          <Btn variant="ghost" onClick={() => void Taro.switchTab({ url: PAGES.market })}>
            去集市逛逛
          </Btn>
        </View>
      ) : null}
      {rows.map(({ group, s, shop, fee, problems }) => (
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
            <CartLineRow key={line.productId} line={line} />
          ))}
          {shop?.merchant ? (
            <DeliveryChoice
              merchant={shop.merchant}
              settings={s}
              households={households}
              onChange={(patch) => update(group.merchantId, patch)}
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
          </View>
          <Btn
            disabled={submitting || chosen.length === 0 || blocked}
            onClick={() => void submit()}
            testId="cart-submit"
          >
            {submitting ? '提交中…' : '提交订单'}
          </Btn>
        </View>
      ) : null}
    </Page>
  );
}

function CartLineRow({ line }: { line: CartLine }) {
  const max = maxQuantity(line);
  return (
    <View className="line" data-testid={`cart-line-${line.productId}`}>
      <View className="line__body">
        <Text className="line__name">{line.name}</Text>
        <Text className="muted">{`${formatYuan(line.priceFen)}/${line.unit}${line.perOrderLimit ? ` · 限购${line.perOrderLimit}` : ''}`}</Text>
        {line.stock <= 0 ? <Text className="tag tag--closed">已售罄</Text> : null}
      </View>
      <View className="stack line__actions">
        <Stepper
          value={line.quantity}
          max={Math.max(max, line.quantity)}
          onChange={(n) => {
            if (n <= 0) cart.remove(line.productId);
            else cart.setQuantity(line.productId, n);
          }}
          testId="line-stepper"
        />
        <Btn variant="ghost small" onClick={() => cart.remove(line.productId)} testId="line-remove">
          删除
        </Btn>
      </View>
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
