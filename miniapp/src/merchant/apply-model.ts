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
