import { type CreateOrderBody, type DeliveryWindow, formatYuan, type Merchant, type PackLine } from 'shared';
import { ApiError } from '../api/errors';
import type { CartGroup } from '../market/cart-store';
import {
  defaultBank,
  type LockerAdvice,
  type LockerDemand,
  lockerAdvice,
  packLinesOf,
  type WindowAvailability,
} from './locker-fit';

/**
 * Checkout as data: what each cart group will be ordered with, what stands in its way, and the
 * request it becomes. The cart page draws this; the server re-checks all of it at order time.
 */

export type Mode = 'shop_pickup' | 'home' | 'locker';

export interface GroupSettings {
  selected: boolean;
  mode: Mode | null;
  householdId: string | null;
  note: string;
  /** 生鲜柜自取: the delivery window, the bank, and the resident's consent to locker drop. */
  windowId: string | null;
  lockerBankId: string | null;
  consent: boolean;
}

export interface ShopInfo {
  merchant: Merchant | null;
  /** Ids of the shop's products on sale, when the whole list was read; null when unknown. */
  onSale: Set<string> | null;
  /** Temperature zone and size of each product, for the locker capacity check. */
  specs: Map<string, PackLine>;
  error: unknown;
}

/** Where locker orders go: the compound (and community) of the resident's verified household. */
export interface Home {
  communityId: string;
  compoundId: string;
}

export interface Household {
  id: string;
  address: string;
}

/** What the cart page loads: the resident's households, each shop of the cart, the delivery windows. */
export interface CartInfo {
  households: Household[];
  home: Home | null;
  windows: DeliveryWindow[];
  windowsError: unknown;
  /** Marks one answer: locker availability loaded for an older one is dropped. */
  loadedAt: number;
  shops: Map<string, ShopInfo>;
}

/** One window's locker availability as loaded (or failed) for the cart; {} while loading. */
export interface AvailabilityEntry {
  data?: WindowAvailability;
  error?: unknown;
}

export type Availability = Record<string, AvailabilityEntry>;

/** A cart group as checkout sees it. */
export interface CartRow {
  group: CartGroup;
  s: GroupSettings;
  shop: ShopInfo | undefined;
  fee: number;
  lines: PackLine[] | null;
  advice: LockerAdvice;
  /** Why it cannot be ordered as it stands; empty when it can. */
  problems: string[];
}

/**
 * The shop's best way to this resident when they have not chosen: the locker of their own
 * compound when the shop delivers to lockers and a window is open (no fee, picked up on the way
 * home); otherwise at the shop, then to the door (which may cost a fee), then a locker anyway
 * (its panel says what is missing, such as 住户认证).
 */
export function defaultMode(
  merchant: Merchant | null | undefined,
  opts: { hasHome: boolean; windows: number },
): Mode | null {
  const d = merchant?.delivery;
  if (!d) return null;
  if (d.locker && opts.hasHome && opts.windows > 0) return 'locker';
  if (d.shopPickup) return 'shop_pickup';
  if (d.home) return 'home';
  return d.locker ? 'locker' : null;
}

/** The person's choices for a group, with a default for each one not made (or no longer valid). */
export function settingsOf(
  saved: Partial<GroupSettings>,
  merchant: Merchant | null | undefined,
  households: Household[],
  windows: DeliveryWindow[],
  hasHome = false,
): GroupSettings {
  const fallback = defaultMode(merchant, { hasHome, windows: windows.length });
  const windowId = saved.windowId && windows.some((w) => w.id === saved.windowId) ? saved.windowId : null;
  return {
    selected: saved.selected ?? true,
    mode: saved.mode ?? fallback,
    householdId: saved.householdId ?? households[0]?.id ?? null,
    note: saved.note ?? '',
    windowId: windowId ?? windows[0]?.id ?? null,
    lockerBankId: saved.lockerBankId ?? null,
    consent: saved.consent ?? false,
  };
}

/** What the locker choice of a group stands on, for its problems. */
export interface LockerState {
  home: Home | null;
  availability: AvailabilityEntry | undefined;
  advice: LockerAdvice;
}

/** Why this group cannot be ordered as it stands; empty when it can. */
export function problemsOf(
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

export function orderBody(group: CartGroup, s: GroupSettings): CreateOrderBody {
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
 * Every group as checkout sees it, and the windows whose locker availability it still needs (each
 * chosen window, and later ones to offer when the chosen bank is full). Groups to lockers are
 * checked in checkout order: an earlier group's order takes its compartments before a later one's
 * at the same bank and window.
 */
export function planCart(input: {
  groups: CartGroup[];
  saved: Record<string, Partial<GroupSettings>>;
  info: CartInfo | undefined;
  /** The open windows, earliest cut-off first. */
  windows: DeliveryWindow[];
  availability: Availability;
}): { rows: CartRow[]; toLoad: string[] } {
  const { groups, saved, info, windows, availability } = input;
  const home = info?.home ?? null;
  const loaded = new Map(
    Object.entries(availability).flatMap(([id, a]) => (a.data ? [[id, a.data] as const] : [])),
  );
  const demands: LockerDemand[] = [];
  const toLoad: string[] = [];
  const rows = groups.map((g): CartRow => {
    const shop = info?.shops.get(g.merchantId);
    const m = shop?.merchant;
    const base = settingsOf(saved[g.merchantId] ?? {}, m, info?.households ?? [], windows, !!home);
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
      if (home) toLoad.push(...(s.windowId ? [s.windowId] : []), ...advice.toLoad);
    }
    const fee = s.mode === 'home' ? (m?.delivery.home?.feeFen ?? 0) : 0;
    const locker: LockerState = {
      home,
      availability: s.windowId ? availability[s.windowId] : undefined,
      advice,
    };
    return { group: g, s, shop, fee, lines, advice, problems: problemsOf(g, shop, s, locker) };
  });
  return { rows, toLoad: [...new Set(toLoad)] };
}

/**
 * Why 提交订单 is disabled, said at the button in a few words (the group's card has the full
 * list): the first problem of the first chosen group that has one, named by shop when several are
 * chosen. Null when the button works.
 */
export function submitBlocker(rows: Pick<CartRow, 'group' | 's' | 'problems'>[]): string | null {
  const chosen = rows.filter((r) => r.s.selected);
  if (rows.length > 0 && chosen.length === 0) return '请选择要结算的商家';
  const first = chosen.find((r) => r.problems.length > 0);
  if (!first) return null;
  // 还差 ¥7.7 起送（¥15 起送） -> 还差 ¥7.7 起送: the minimum itself is on the card.
  const text = first.problems[0]!.replace(/（[^）]*）$/, '');
  return chosen.length > 1 ? `${first.group.merchantName || '商家'}：${text}` : text;
}

const LOCKER_REFUSALS = ['LOCKER_FULL', 'WINDOW_CLOSED', 'LOCKER_UNAVAILABLE'];

/** The bank filled up or the window closed meanwhile: the cart should look again. */
export const isLockerRefusal = (err: unknown) =>
  err instanceof ApiError && LOCKER_REFUSALS.includes(err.code);
