import type { CareItem, UpdateCareItemBody, UpdateCareSettingsBody } from 'shared';
import type { z } from 'zod';
import { fenToYuanText, parseWhole, parseYuanText } from '../common/care-console';

/** What staff edit of a catalogue item, as typed; numbers stay strings until saved. */
export interface ItemDraft {
  price: string;
  durationMin: string;
  voucherPercent: string;
  active: boolean;
  needsConfirmation: boolean;
}

export const itemDraftOf = (i: CareItem): ItemDraft => ({
  price: fenToYuanText(i.priceFen),
  durationMin: String(i.durationMin),
  voucherPercent: String(i.voucherPercent),
  active: i.active,
  needsConfirmation: i.needsConfirmation,
});

type Result<B> = { ok: true; body: B } | { ok: false; errors: Record<string, string> };

/** The item's changes for updateCareItem (only what differs), or problems by field. */
export function parseItemChanges(before: CareItem, d: ItemDraft): Result<z.input<typeof UpdateCareItemBody>> {
  const errors: Record<string, string> = {};
  const body: z.input<typeof UpdateCareItemBody> = {};
  const price = parseYuanText(d.price, 1_000_000);
  if (!price.ok) errors.priceFen = price.error;
  else if (price.value !== before.priceFen) body.priceFen = price.value;
  const duration = parseWhole(d.durationMin, 15, 720);
  if (!duration.ok) errors.durationMin = `服务时长：${duration.error}（分钟）`;
  else if (duration.value !== before.durationMin) body.durationMin = duration.value;
  const voucher = parseWhole(d.voucherPercent, 0, 100);
  if (!voucher.ok) errors.voucherPercent = `服务券比例：${voucher.error}`;
  else if (voucher.value !== before.voucherPercent) body.voucherPercent = voucher.value;
  if (d.active !== before.active) body.active = d.active;
  if (d.needsConfirmation !== before.needsConfirmation) body.needsConfirmation = d.needsConfirmation;
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, body };
}

export interface SettingsDraft {
  minAge: string;
  monthlyVoucher: string;
  voucherCapPercent: string;
  freeCancelHours: string;
  payWithinMin: string;
}

export interface SettingsValues {
  minAge: number;
  monthlyVoucherFen: number;
  voucherCapPercent: number;
  freeCancelHours: number;
  payWithinMin: number;
}

export const settingsDraftOf = (s: SettingsValues): SettingsDraft => ({
  minAge: String(s.minAge),
  monthlyVoucher: fenToYuanText(s.monthlyVoucherFen),
  voucherCapPercent: String(s.voucherCapPercent),
  freeCancelHours: String(s.freeCancelHours),
  payWithinMin: String(s.payWithinMin),
});

/** The community's care settings' changes for updateCareSettings, or problems by field. */
export function parseSettingsChanges(
  before: SettingsValues,
  d: SettingsDraft,
): Result<z.input<typeof UpdateCareSettingsBody>> {
  const errors: Record<string, string> = {};
  const body: z.input<typeof UpdateCareSettingsBody> = {};
  const age = parseWhole(d.minAge, 50, 120);
  if (!age.ok) errors.minAge = `享受补贴的年龄：${age.error}`;
  else if (age.value !== before.minAge) body.minAge = age.value;
  const voucher = parseYuanText(d.monthlyVoucher, 1_000_000);
  if (!voucher.ok) errors.monthlyVoucherFen = voucher.error;
  else if (voucher.value !== before.monthlyVoucherFen) body.monthlyVoucherFen = voucher.value;
  const cap = parseWhole(d.voucherCapPercent, 0, 100);
  if (!cap.ok) errors.voucherCapPercent = `服务券上限：${cap.error}`;
  else if (cap.value !== before.voucherCapPercent) body.voucherCapPercent = cap.value;
  const hours = parseWhole(d.freeCancelHours, 0, 168);
  if (!hours.ok) errors.freeCancelHours = `免费取消时间：${hours.error}（小时）`;
  else if (hours.value !== before.freeCancelHours) body.freeCancelHours = hours.value;
  const pay = parseWhole(d.payWithinMin, 5, 1440);
  if (!pay.ok) errors.payWithinMin = `支付时限：${pay.error}（分钟）`;
  else if (pay.value !== before.payWithinMin) body.payWithinMin = pay.value;
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, body };
}

/** 「¥60 · 60 分钟 · 服务券最多 50%」 */
export function itemLine(
  i: Pick<CareItem, 'priceFen' | 'durationMin' | 'voucherPercent' | 'subsidised'>,
): string {
  const price = `¥${fenToYuanText(i.priceFen)}`;
  const voucher = i.subsidised && i.voucherPercent > 0 ? `服务券最多 ${i.voucherPercent}%` : '不可用服务券';
  return `${price} · ${i.durationMin} 分钟 · ${voucher}`;
}
