import { ApplyMerchantBody, type BusinessHours, MAX_MIN_ORDER_FEN, type MerchantCategory } from 'shared';
import type { z } from 'zod';
import { fromWeek, validateWeek, type Week } from '../common/hours-model';
import { type DeliveryDraft, parseDelivery } from './delivery-model';
import { issuesToFieldErrors } from './errors';
import { parseYuan } from './money-input';

/** The compound area (黌门街, Chengdu): where a new shop's pin starts until the owner moves it. */
export const DEFAULT_LOCATION = { lat: 30.65, lng: 104.06 };

export interface ApplyDraft {
  name: string;
  category: MerchantCategory | null;
  description: string;
  contactPhone: string;
  address: string;
  lat: number;
  lng: number;
  communityIds: string[];
  week: Week;
  closedDates: BusinessHours['closedDates'];
  delivery: DeliveryDraft;
  minOrder: string;
}

export const APPLY_FIELD_HINTS: Record<string, string> = {
  name: '请填写店铺名称（最多 40 字）',
  category: '请选择经营类别',
  description: '店铺简介最多 500 字',
  logoUrl: '店铺图标地址不正确',
  contactPhone: '请输入 11 位手机号',
  address: '请填写店铺地址（最多 100 字）',
  lat: '店铺位置不正确，请重新选择',
  lng: '店铺位置不正确，请重新选择',
  communityIds: '请选择至少一个服务的社区',
  hours: '营业时间设置有误',
  delivery: '配送方式设置有误',
  minOrderFen: '起送金额不正确',
};

export type ApplyBody = z.input<typeof ApplyMerchantBody>;

/** The application body, or problems keyed by API field (plus radiusM / fee for delivery). */
export function parseApply(
  d: ApplyDraft,
): { ok: true; body: ApplyBody } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  if (!d.category) errors.category = APPLY_FIELD_HINTS.category!;
  const min = parseYuan(d.minOrder || '0', { max: MAX_MIN_ORDER_FEN });
  if (!min.ok) errors.minOrderFen = min.error;
  const delivery = parseDelivery(d.delivery);
  if (!delivery.ok) Object.assign(errors, delivery.errors);
  if (Object.keys(validateWeek(d.week)).length) errors.hours = '营业时间设置有误，请按提示修改';
  const body: ApplyBody = {
    name: d.name.trim(),
    category: d.category ?? 'produce',
    description: d.description.trim(),
    contactPhone: d.contactPhone.trim(),
    address: d.address.trim(),
    lat: d.lat,
    lng: d.lng,
    communityIds: d.communityIds,
    hours: { weekly: fromWeek(d.week), closedDates: d.closedDates },
    delivery: delivery.ok ? delivery.value : { shopPickup: true, home: null, locker: false },
    minOrderFen: min.ok ? min.value : 0,
  };
  const checked = ApplyMerchantBody.safeParse(body);
  if (!checked.success) {
    for (const [field, text] of Object.entries(issuesToFieldErrors(checked.error.issues, APPLY_FIELD_HINTS)))
      errors[field] ??= text;
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, body };
}

/** A point on the map: the shop's pin or a compound's gate. */
export interface LatLng {
  lat: number;
  lng: number;
}

const METERS_PER_DEGREE = 111_320;

/** How far one tap of 向北 / 向南 / 向西 / 向东 moves the pin. */
export const NUDGE_METERS = 20;

export type Direction = 'north' | 'south' | 'east' | 'west';

export const DIRECTION_TEXT: Record<Direction, string> = { north: '北', south: '南', east: '东', west: '西' };

/** The pin moved `meters` one way (a degree of longitude shrinks with the cosine of the latitude). */
export function nudge(p: LatLng, direction: Direction, meters = NUDGE_METERS): LatLng {
  const dLat = meters / METERS_PER_DEGREE;
  const dLng = meters / (METERS_PER_DEGREE * Math.cos((p.lat * Math.PI) / 180));
  const round = (n: number) => Math.round(n * 1e6) / 1e6;
  switch (direction) {
    case 'north':
      return { lat: round(p.lat + dLat), lng: p.lng };
    case 'south':
      return { lat: round(p.lat - dLat), lng: p.lng };
    case 'east':
      return { lat: p.lat, lng: round(p.lng + dLng) };
    case 'west':
      return { lat: p.lat, lng: round(p.lng - dLng) };
  }
}

/**
 * Where the pin is, said the way a person gives directions: 银杏院东北约 40 米 (from the nearest
 * known compound gate), or 银杏院门口 within 10 m. Null when no compound has a position.
 */
export function describePin(
  p: LatLng,
  compounds: { name: string; location: LatLng | null }[],
): string | null {
  let best: { name: string; north: number; east: number; d: number } | null = null;
  for (const c of compounds) {
    if (!c.location) continue;
    const north = (p.lat - c.location.lat) * METERS_PER_DEGREE;
    const east = (p.lng - c.location.lng) * METERS_PER_DEGREE * Math.cos((c.location.lat * Math.PI) / 180);
    const d = Math.hypot(north, east);
    if (!best || d < best.d) best = { name: c.name, north, east, d };
  }
  if (!best) return null;
  if (best.d < 10) return `${best.name}门口`;
  // A side counts once it is at least ~40% of the way: 东北 rather than 东 for a diagonal.
  const ns = Math.abs(best.north) >= best.d * 0.38 ? (best.north > 0 ? '北' : '南') : '';
  const ew = Math.abs(best.east) >= best.d * 0.38 ? (best.east > 0 ? '东' : '西') : '';
  const meters = best.d < 1000 ? `${Math.round(best.d / 10) * 10} 米` : `${(best.d / 1000).toFixed(1)} 公里`;
  return `${best.name}${ew && ns ? `${ew}${ns}` : ew || ns}约 ${meters}`;
}
