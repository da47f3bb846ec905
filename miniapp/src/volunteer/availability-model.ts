/**
 * 每周可服务时间. The API takes one slot per weekday and range (weekday 0 = Sunday, minutes from
 * local midnight, end after start); people think in 「周一到周五 18:00–21:00」. The editor keeps
 * rows of (weekdays, from, to) and flattens them on save.
 */

export interface Slot {
  weekday: number;
  startMin: number;
  endMin: number;
}

export interface AvailabilityRow {
  /** 0 = Sunday … 6 = Saturday, as the API counts. */
  days: number[];
  from: string;
  to: string;
}

/** The weekdays as shown: Monday first. */
export const WEEKDAY_OPTIONS: readonly { value: number; label: string }[] = [
  { value: 1, label: '周一' },
  { value: 2, label: '周二' },
  { value: 3, label: '周三' },
  { value: 4, label: '周四' },
  { value: 5, label: '周五' },
  { value: 6, label: '周六' },
  { value: 0, label: '周日' },
];
const LABEL = new Map(WEEKDAY_OPTIONS.map((o) => [o.value, o.label]));
/** Monday-first position of a weekday, for sorting. */
const order = (day: number) => (day + 6) % 7;

/** The API allows at most this many slots in a week. */
export const MAX_SLOTS = 28;

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

export const toMin = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
export const toHhmm = (min: number): string =>
  `${String(Math.floor(min / 60)).padStart(2, '0')}:${String(min % 60).padStart(2, '0')}`;

const sortDays = (days: readonly number[]) => [...new Set(days)].sort((a, b) => order(a) - order(b));

/** 周一至周五, 每天, 周末, or 周一、周三. */
export function daysText(days: readonly number[]): string {
  const sorted = sortDays(days);
  const key = sorted.join();
  if (sorted.length === 7) return '每天';
  if (key === '1,2,3,4,5') return '周一至周五';
  if (key === '6,0') return '周末';
  return sorted.map((d) => LABEL.get(d) ?? '').join('、');
}

/** The slots grouped back into rows: the same range on several days is one row. */
export function rowsFromSlots(slots: readonly Slot[]): AvailabilityRow[] {
  const groups = new Map<string, AvailabilityRow>();
  for (const s of [...slots].sort((a, b) => a.startMin - b.startMin || a.endMin - b.endMin)) {
    const key = `${s.startMin}-${s.endMin}`;
    const row = groups.get(key) ?? { days: [], from: toHhmm(s.startMin), to: toHhmm(s.endMin) };
    row.days.push(s.weekday);
    groups.set(key, row);
  }
  return [...groups.values()].map((r) => ({ ...r, days: sortDays(r.days) }));
}

/** The rows as the API's slots, one per day and range, sorted by day then start. */
export function slotsFromRows(rows: readonly AvailabilityRow[]): Slot[] {
  const out: Slot[] = [];
  const seen = new Set<string>();
  for (const r of rows)
    for (const weekday of r.days) {
      const slot = { weekday, startMin: toMin(r.from), endMin: toMin(r.to) };
      const key = `${slot.weekday}:${slot.startMin}:${slot.endMin}`;
      if (!seen.has(key)) out.push(slot);
      seen.add(key);
    }
  return out.sort((a, b) => order(a.weekday) - order(b.weekday) || a.startMin - b.startMin);
}

/** Why a new row cannot be added as picked; null when it can. */
export function rowProblem(row: AvailabilityRow): string | null {
  if (row.days.length === 0) return '请至少选择一天';
  if (!HHMM.test(row.from) || !HHMM.test(row.to)) return '时间格式应为 时:分，如 18:30';
  if (toMin(row.to) <= toMin(row.from)) return '结束时间要晚于开始时间';
  return null;
}

/** Problems with the whole week (overlaps on a day, too many slots); null when it can be saved. */
export function weekProblem(rows: readonly AvailabilityRow[]): string | null {
  const slots = slotsFromRows(rows);
  if (slots.length > MAX_SLOTS) return `每周最多 ${MAX_SLOTS} 个时段，请合并一些时段`;
  for (let i = 1; i < slots.length; i++) {
    const a = slots[i - 1]!;
    const b = slots[i]!;
    if (a.weekday === b.weekday && b.startMin < a.endMin)
      return `${LABEL.get(a.weekday)}的时段有重叠（${toHhmm(a.startMin)}–${toHhmm(a.endMin)} 与 ${toHhmm(b.startMin)}–${toHhmm(b.endMin)}）`;
  }
  return null;
}

/** Adds a row; a row with the very same range takes the new days instead of a second row. */
export function addRow(rows: readonly AvailabilityRow[], row: AvailabilityRow): AvailabilityRow[] {
  const same = rows.findIndex((r) => r.from === row.from && r.to === row.to);
  if (same < 0) return [...rows, { ...row, days: sortDays(row.days) }];
  return rows.map((r, i) => (i === same ? { ...r, days: sortDays([...r.days, ...row.days]) } : r));
}

export const removeRow = (rows: readonly AvailabilityRow[], index: number): AvailabilityRow[] =>
  rows.filter((_, i) => i !== index);

/** 「周一至周五 18:00–21:00」 */
export const rowText = (row: AvailabilityRow): string => `${daysText(row.days)} ${row.from}–${row.to}`;

/** The whole week in a line; 未填写 when empty. */
export function availabilityText(slots: readonly Slot[]): string {
  const rows = rowsFromSlots(slots);
  return rows.length ? rows.map(rowText).join('；') : '未填写';
}
