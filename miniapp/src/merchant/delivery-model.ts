import { type DeliveryModes, MAX_DELIVERY_FEE_FEN } from 'shared';
import { fenToYuanInput, parseCount, parseYuan } from './money-input';

export type ModeKey = 'shopPickup' | 'home' | 'locker';

export const MODE_OPTIONS: { value: ModeKey; label: string }[] = [
  { value: 'shopPickup', label: '到店自提' },
  { value: 'home', label: '送货上门' },
  { value: 'locker', label: '生鲜柜' },
];

/** The delivery section of a form, as typed. */
export interface DeliveryDraft {
  modes: ModeKey[];
  radiusM: string;
  fee: string;
}

export const DEFAULT_DELIVERY: DeliveryDraft = { modes: ['shopPickup'], radiusM: '3000', fee: '0' };

export function deliveryDraftOf(d: DeliveryModes): DeliveryDraft {
  return {
    modes: MODE_OPTIONS.map((o) => o.value).filter((k) => (k === 'home' ? d.home !== null : d[k])),
    radiusM: d.home ? String(d.home.radiusM) : DEFAULT_DELIVERY.radiusM,
    fee: d.home ? fenToYuanInput(d.home.feeFen) : DEFAULT_DELIVERY.fee,
  };
}

export function toggleMode(draft: DeliveryDraft, mode: ModeKey): DeliveryDraft {
  const on = draft.modes.includes(mode);
  const modes = on ? draft.modes.filter((m) => m !== mode) : [...draft.modes, mode];
  return { ...draft, modes: MODE_OPTIONS.map((o) => o.value).filter((k) => modes.includes(k)) };
}

/** DeliveryModes, or problems keyed 'delivery' / 'radiusM' / 'fee'. */
export function parseDelivery(
  d: DeliveryDraft,
): { ok: true; value: DeliveryModes } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  if (d.modes.length === 0) errors.delivery = '请至少选择一种配送方式';
  let home: DeliveryModes['home'] = null;
  if (d.modes.includes('home')) {
    const radius = parseCount(d.radiusM, { min: 100, max: 20_000 });
    const fee = parseYuan(d.fee, { max: MAX_DELIVERY_FEE_FEN });
    if (!radius.ok) errors.radiusM = `配送范围${radius.error}（100-20000 米）`;
    if (!fee.ok) errors.fee = fee.error;
    if (radius.ok && fee.ok) home = { radiusM: radius.value, feeFen: fee.value };
  }
  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    value: { shopPickup: d.modes.includes('shopPickup'), home, locker: d.modes.includes('locker') },
  };
}
