import type { CareItem } from 'shared';
import { describe, expect, it } from 'vitest';
import {
  itemDraftOf,
  itemLine,
  parseItemChanges,
  parseSettingsChanges,
  settingsDraftOf,
} from './care-catalog-model';

const item: CareItem = {
  id: '0190f5a0-0000-7000-8000-0000000000a1',
  categoryId: '0190f5a0-0000-7000-8000-0000000000b1',
  code: 'home_bathing',
  name: '上门助浴',
  description: '',
  durationMin: 90,
  priceFen: 12000,
  performer: 'caregiver',
  certification: 'bathing',
  subsidised: true,
  voucherPercent: 50,
  needsConfirmation: true,
  bufferBeforeMin: 15,
  bufferAfterMin: 15,
  minNoticeMin: 1440,
  dailyCap: 4,
  checklist: [],
  active: true,
};

describe('catalogue item edits', () => {
  it('sends nothing when nothing changed, and only the changed fields otherwise', () => {
    expect(parseItemChanges(item, itemDraftOf(item))).toEqual({ ok: true, body: {} });
    const r = parseItemChanges(item, { ...itemDraftOf(item), price: '128.5', active: false });
    expect(r).toEqual({ ok: true, body: { priceFen: 12850, active: false } });
  });

  it('refuses a bad price, duration or percentage with Chinese text', () => {
    const r = parseItemChanges(item, {
      ...itemDraftOf(item),
      price: '1.234',
      durationMin: '5',
      voucherPercent: '150',
    });
    expect(r).toEqual({
      ok: false,
      errors: {
        priceFen: '请输入正确的金额，最多两位小数，如 12.5',
        durationMin: '服务时长：请输入 15 到 720 之间的数（分钟）',
        voucherPercent: '服务券比例：请输入 0 到 100 之间的数',
      },
    });
  });

  it('describes an item in one line', () => {
    expect(itemLine(item)).toBe('¥120 · 90 分钟 · 服务券最多 50%');
    expect(itemLine({ ...item, subsidised: false })).toBe('¥120 · 90 分钟 · 不可用服务券');
  });
});

describe('care settings edits', () => {
  const settings = {
    minAge: 80,
    monthlyVoucherFen: 20000,
    voucherCapPercent: 50,
    freeCancelHours: 24,
    payWithinMin: 30,
  };

  it('turns the monthly voucher from yuan into fen and sends only changes', () => {
    const d = { ...settingsDraftOf(settings), monthlyVoucher: '250', freeCancelHours: '12' };
    expect(parseSettingsChanges(settings, d)).toEqual({
      ok: true,
      body: { monthlyVoucherFen: 25000, freeCancelHours: 12 },
    });
  });

  it('keeps the pay time limit within what the BFF accepts, and sends it when changed', () => {
    const draft = settingsDraftOf(settings);
    expect(parseSettingsChanges(settings, { ...draft, payWithinMin: '45' })).toEqual({
      ok: true,
      body: { payWithinMin: 45 },
    });
    const r = parseSettingsChanges(settings, { ...draft, payWithinMin: '2' });
    expect(r.ok ? null : r.errors.payWithinMin).toBe('支付时限：请输入 5 到 1440 之间的数（分钟）');
  });

  it('keeps the age within what the BFF accepts', () => {
    const r = parseSettingsChanges(settings, { ...settingsDraftOf(settings), minAge: '40' });
    expect(r.ok ? null : r.errors.minAge).toBe('享受补贴的年龄：请输入 50 到 120 之间的数');
  });
});
