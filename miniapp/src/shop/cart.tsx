import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback, useEffect, useMemo, useState } from 'react';
import {
  type CreateOrderBody,
  type DeliveryWindow,
  formatYuan,
  type Merchant,
  type Order,
  PAGES,
  type PackLine,
} from 'shared';
import { call } from '../api';
import { ApiError } from '../api/errors';
import { Btn } from '../components/Btn';
import { ChoiceList } from '../components/ChoiceList';
import { Page } from '../components/Page';
import { TextInput } from '../components/TextInput';
import { useApi } from '../hooks/use-api';
import { openWindows } from '../lockers/labels';
import { cart, useCart } from '../market/cart';
import type { CartGroup, CartLine } from '../market/cart-store';
import { maxQuantity } from '../market/cart-store';
import { OpenTag } from '../market/MerchantCard';
import { toCartProduct } from '../market/ProductCard';
import { Stepper } from '../market/Stepper';
import { askToSubscribe, prefetchSubscribeTemplates } from '../notify/subscribe';
import { LockerChoice } from './LockerChoice';
import {
  defaultBank,
  type LockerAdvice,
  type LockerDemand,
  lockerAdvice,
  packLinesOf,
  type WindowAvailability,
} from './locker-fit';
import { answerUnknown, describeOrderError } from './order-errors';
import { useDevpaySheet } from './PaySheet';
import { payOrders } from './payment';
import '../market/market.scss';
import '../market/market-elder.scss';
import '../lockers/lockers.scss';
import '../lockers/lockers-elder.scss';

type Mode = 'shop_pickup' | 'home' | 'locker';

interface GroupSettings {
  selected: boolean;
  mode: Mode | null;
  householdId: string | null;
  note: string;
  /** 生鲜柜自取: the delivery window, the bank, and the resident's consent to locker drop. */
  windowId: string | null;
  lockerBankId: string | null;
  consent: boolean;
}

interface ShopInfo {
  merchant: Merchant | null;
  /** Ids of the shop's products on sale, when the whole list was read; null when unknown. */
  onSale: Set<string> | null;
  /** Temperature zone and size of each product, for the locker capacity check. */
  specs: Map<string, PackLine>;
  error: unknown;
}

/** Where locker orders go: the compound (and community) of the resident's verified household. */
interface Home {
  communityId: string;
  compoundId: string;
}

/** One window's locker availability as loaded (or failed) for the cart. */
interface AvailabilityEntry {
  data?: WindowAvailability;
  error?: unknown;
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
    const specs = new Map(products.items.map((p) => [p.id, { zone: p.temperature, size: p.sizeHint }]));
    return { merchant, onSale, specs, error: null };
  } catch (error) {
    return { merchant: null, onSale: null, specs: new Map(), error };
  }
}

/** What the locker choice of a group stands on, for its problems. */
interface LockerState {
  home: Home | null;
  windows: DeliveryWindow[];
  availability: AvailabilityEntry | undefined;
  advice: LockerAdvice;
}

/** Why this group cannot be ordered as it stands; empty when it can. The server re-checks it all. */
function problemsOf(
  group: CartGroup,
  shop: ShopInfo | undefined,
  s: GroupSettings,
  locker: LockerState,
): string[] {
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
  if (s.mode === 'locker') {
    if (!locker.home) out.push('生鲜柜自取需先完成住户认证');
    else if (!s.windowId) out.push('请选择配送时段');
    else if (!locker.availability?.data) out.push('正在查询生鲜柜空位…');
    else if (!s.lockerBankId) out.push('请选择生鲜柜');
    else if (locker.advice.fits === false) out.push('所选生鲜柜空位不足，请按提示更换生鲜柜、时段或配送方式');
    if (locker.home && !s.consent) out.push('请勾选「同意将商品投递至智能生鲜柜」');
  }
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
        : s.mode === 'locker' && s.windowId && s.lockerBankId && s.consent
          ? { mode: 'locker', windowId: s.windowId, lockerBankId: s.lockerBankId, consent: true }
          : { mode: 'shop_pickup' },
    ...(note ? { note } : {}),
  };
}

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
  const merchantIds = groups.map((g) => g.merchantId).join(',');
  const info = useApi(
    async () => {
      const ids = merchantIds ? merchantIds.split(',') : [];
      const [me, ...shops] = await Promise.all([call('me'), ...ids.map(loadShop)]);
      const approved = me.memberships.filter((m) => m.status === 'approved');
      const households: Household[] = approved.map((m) => ({ id: m.householdId, address: m.address }));
      const home: Home | null = approved[0]
        ? { communityId: approved[0].communityId, compoundId: approved[0].compoundId }
        : null;
      // Delivery windows only matter when a shop of the cart delivers to lockers.
      let windows: DeliveryWindow[] = [];
      let windowsError: unknown = null;
      if (home && shops.some((s) => s.merchant?.delivery.locker)) {
        try {
          windows = (await call('deliveryWindows', { query: { communityId: home.communityId } })).items;
        } catch (err) {
          windowsError = err;
        }
      }
      return {
        households,
        home,
        windows,
        windowsError,
        loadedAt: Date.now(),
        shops: new Map(ids.map((id, i) => [id, shops[i]!])),
      };
    },
    { key: merchantIds, refreshOnShow: true },
  );
  const [settings, setSettings] = useState<Record<string, Partial<GroupSettings>>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  // Locker availability by window, for one answer of the loader (a reload starts afresh).
  const [avail, setAvail] = useState<{ at: number; entries: Record<string, AvailabilityEntry> }>({
    at: 0,
    entries: {},
  });
  const devpay = useDevpaySheet();

  useEffect(() => {
    void prefetchSubscribeTemplates();
  }, []);

  const households = info.data?.households ?? [];
  const home = info.data?.home ?? null;
  // biome-ignore lint/correctness/useExhaustiveDependencies: loadedAt marks a fresh answer; "now" moves with it
  const windows = useMemo(() => openWindows(info.data?.windows ?? []), [info.data?.loadedAt]);
  const loadedAt = info.data?.loadedAt ?? 0;
  const availability = avail.at === loadedAt ? avail.entries : {};
  const loaded = new Map(
    Object.entries(availability).flatMap(([id, a]) => (a.data ? [[id, a.data] as const] : [])),
  );

  const settingsOf = (g: CartGroup): GroupSettings => {
    const s = settings[g.merchantId] ?? {};
    const m = info.data?.shops.get(g.merchantId)?.merchant;
    const fallback: Mode | null = m?.delivery.shopPickup
      ? 'shop_pickup'
      : m?.delivery.home
        ? 'home'
        : m?.delivery.locker
          ? 'locker'
          : null;
    const windowId = s.windowId && windows.some((w) => w.id === s.windowId) ? s.windowId : null;
    return {
      selected: s.selected ?? true,
      mode: s.mode ?? fallback,
      householdId: s.householdId ?? households[0]?.id ?? null,
      note: s.note ?? '',
      windowId: windowId ?? windows[0]?.id ?? null,
      lockerBankId: s.lockerBankId ?? null,
      consent: s.consent ?? false,
    };
  };
  const update = (merchantId: string, patch: Partial<GroupSettings>) =>
    setSettings((prev) => ({ ...prev, [merchantId]: { ...prev[merchantId], ...patch } }));

  // Groups to lockers are checked in checkout order: an earlier group's order takes its compartments
  // before a later one's at the same bank and window.
  const demands: LockerDemand[] = [];
  const rows = groups.map((g) => {
    const base = settingsOf(g);
    const shop = info.data?.shops.get(g.merchantId);
    const m = shop?.merchant;
    const lines = shop
      ? packLinesOf(
          g.lines.map((l) => l.productId),
          shop.specs,
        )
      : null;
    const adviceFor = (bankId: string | null) =>
      lockerAdvice({
        key: g.merchantId,
        lines,
        windowId: base.windowId,
        bankId,
        windows,
        availability: loaded,
        demands,
        modes: { home: !!m?.delivery.home, shopPickup: !!m?.delivery.shopPickup },
      });
    let s = base;
    let advice = adviceFor(base.lockerBankId);
    if (base.mode === 'locker') {
      const bankId = defaultBank(advice.banks, base.lockerBankId);
      if (bankId !== base.lockerBankId) {
        s = { ...base, lockerBankId: bankId };
        advice = adviceFor(bankId);
      }
      if (s.selected)
        demands.push({ key: g.merchantId, windowId: s.windowId, bankId: s.lockerBankId, lines });
    }
    const fee = s.mode === 'home' ? (m?.delivery.home?.feeFen ?? 0) : 0;
    const lockerState: LockerState = {
      home,
      windows,
      availability: s.windowId ? availability[s.windowId] : undefined,
      advice,
    };
    return { group: g, s, shop, fee, lines, advice, problems: problemsOf(g, shop, s, lockerState) };
  });

  // Load the availability the locker choices need: each chosen window, and later windows to offer.
  const wanted = [
    ...new Set(
      rows
        .filter((r) => r.s.mode === 'locker' && home)
        .flatMap((r) => [...(r.s.windowId ? [r.s.windowId] : []), ...r.advice.toLoad]),
    ),
  ]
    .filter((id) => !availability[id])
    .join(',');
  const compoundId = home?.compoundId ?? null;
  const loadAvailability = useCallback(
    async (windowId: string) => {
      if (!compoundId) return;
      const put = (entry: AvailabilityEntry) =>
        setAvail((prev) => ({
          at: loadedAt,
          entries: { ...(prev.at === loadedAt ? prev.entries : {}), [windowId]: entry },
        }));
      put({});
      try {
        put({ data: await call('lockerAvailability', { query: { compoundId, windowId } }) });
      } catch (error) {
        put({ error });
      }
    },
    [compoundId, loadedAt],
  );
  useEffect(() => {
    for (const id of wanted ? wanted.split(',') : []) void loadAvailability(id);
  }, [wanted, loadAvailability]);
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
    let lockerRefused = false;
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
          lockerRefused = lockerRefused || isLockerRefusal(err);
        }
      }
      setErrors(failed);
      // The bank filled up or the window closed meanwhile: look again, so the cart offers what is left.
      if (lockerRefused) void info.reload();
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

const LOCKER_REFUSALS = ['LOCKER_FULL', 'WINDOW_CLOSED', 'LOCKER_UNAVAILABLE'];
const isLockerRefusal = (err: unknown) => err instanceof ApiError && LOCKER_REFUSALS.includes(err.code);

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
