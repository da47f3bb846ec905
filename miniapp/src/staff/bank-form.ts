import { defaultReachableRows, MAX_LOCKER_ROWS, type SizeHint, type Temperature } from 'shared';

/** A row of the 新增生鲜柜 form: this many compartments of one size and zone, in one row (层) of the bank. */
export interface GroupDraft {
  size: SizeHint;
  zone: Temperature;
  count: string;
  /** 第几层, 1 = the bottom row. */
  row: string;
}

export interface BankDraft {
  compoundId: string | null;
  name: string;
  location: string;
  groups: GroupDraft[];
  /** The rows reached without bending or stretching; both empty = all but the bottom and top rows. */
  reachFrom?: string;
  reachTo?: string;
}

export interface BankBody {
  compoundId: string;
  name: string;
  location: string;
  compartments: { size: SizeHint; zone: Temperature; count: number; row: number }[];
  reachableRows?: { from: number; to: number };
}

export const MAX_GROUPS = 9;

/** A bank like the demo ones: mostly ambient at hand height, chilled above, frozen at the bottom. */
export const DEFAULT_GROUPS: GroupDraft[] = [
  { size: 'M', zone: 'ambient', count: '10', row: '2' },
  { size: 'M', zone: 'chilled', count: '8', row: '3' },
  { size: 'S', zone: 'frozen', count: '4', row: '1' },
];

const whole = (s: string) => (/^\d+$/.test(s.trim()) ? Number(s.trim()) : Number.NaN);
const validRow = (n: number) => Number.isInteger(n) && n >= 1 && n <= MAX_LOCKER_ROWS;

/** How many rows the drafted bank has (the highest row given; 1 while none is valid). */
export function draftRows(d: Pick<BankDraft, 'groups'>): number {
  return Math.max(1, ...d.groups.map((g) => whole(g.row)).filter(validRow));
}

/** The line under the rows: what the bank will count as in reach, so staff see the default. */
export function reachText(d: BankDraft): string {
  const rows = draftRows(d);
  const given = (d.reachFrom ?? '').trim() !== '' || (d.reachTo ?? '').trim() !== '';
  const r = given
    ? { from: whole(d.reachFrom ?? ''), to: whole(d.reachTo ?? '') }
    : defaultReachableRows(rows);
  const range = r.from === r.to ? `第 ${r.from} 层` : `第 ${r.from}–${r.to} 层`;
  return `共 ${rows} 层；${given ? '' : '默认'}${range}不用弯腰、不用踮脚，优先分配给 80 岁以上的老人和家人代下的订单`;
}

/** Checks the form as the server would (CreateLockerBankBody), with the reasons in Chinese. */
export function parseBankDraft(
  d: BankDraft,
): { ok: true; value: BankBody } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const name = d.name.trim();
  const location = d.location.trim();
  if (!d.compoundId) errors.compoundId = '请选择小区';
  if (!name) errors.name = '请填写名称';
  else if (name.length > 40) errors.name = '名称最多 40 个字';
  if (!location) errors.location = '请填写位置';
  else if (location.length > 100) errors.location = '位置最多 100 个字';
  if (d.groups.length === 0) errors.groups = '请至少添加一组格口';
  else if (d.groups.length > MAX_GROUPS) errors.groups = `最多 ${MAX_GROUPS} 组格口`;
  const seen = new Set<string>();
  d.groups.forEach((g, i) => {
    const n = whole(g.count);
    if (!(n >= 1 && n <= 60)) errors[`groups.${i}`] = '数量需为 1 到 60 的整数';
    else if (!validRow(whole(g.row)))
      errors[`groups.${i}`] = `层数需为 1 到 ${MAX_LOCKER_ROWS} 的整数（1 为最下层）`;
    const kind = `${g.zone}|${g.size}|${g.row.trim()}`;
    if (seen.has(kind)) errors[`groups.${i}`] = '与上面一组的温区、尺寸和层数相同，请合并';
    seen.add(kind);
  });
  const from = (d.reachFrom ?? '').trim();
  const to = (d.reachTo ?? '').trim();
  let reachableRows: { from: number; to: number } | undefined;
  if (from !== '' || to !== '') {
    const rows = draftRows(d);
    const r = { from: whole(from), to: whole(to) };
    if (!validRow(r.from) || !validRow(r.to)) errors.reach = '请填写起止层数（整数），或都留空用默认';
    else if (r.from > r.to) errors.reach = '起始层不能高于结束层';
    else if (r.to > rows) errors.reach = `这个柜子只有 ${rows} 层`;
    else reachableRows = r;
  }
  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    value: {
      compoundId: d.compoundId!,
      name,
      location,
      compartments: d.groups.map((g) => ({
        size: g.size,
        zone: g.zone,
        count: whole(g.count),
        row: whole(g.row),
      })),
      ...(reachableRows ? { reachableRows } : {}),
    },
  };
}
