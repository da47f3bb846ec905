import type { SizeHint, Temperature } from 'shared';

/** A row of the 新增生鲜柜 form: this many compartments of one size and zone. */
export interface GroupDraft {
  size: SizeHint;
  zone: Temperature;
  count: string;
}

export interface BankDraft {
  compoundId: string | null;
  name: string;
  location: string;
  groups: GroupDraft[];
}

export interface BankBody {
  compoundId: string;
  name: string;
  location: string;
  compartments: { size: SizeHint; zone: Temperature; count: number }[];
}

export const MAX_GROUPS = 9;

/** A bank like the demo ones: mostly ambient, some chilled, a few frozen. */
export const DEFAULT_GROUPS: GroupDraft[] = [
  { size: 'M', zone: 'ambient', count: '10' },
  { size: 'M', zone: 'chilled', count: '8' },
  { size: 'S', zone: 'frozen', count: '4' },
];

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
    const n = Number(g.count.trim());
    if (!/^\d+$/.test(g.count.trim()) || n < 1 || n > 60) errors[`groups.${i}`] = '数量需为 1 到 60 的整数';
    const kind = `${g.zone}|${g.size}`;
    if (seen.has(kind)) errors[`groups.${i}`] = '与上面一组的温区和尺寸相同，请合并';
    seen.add(kind);
  });
  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    value: {
      compoundId: d.compoundId!,
      name,
      location,
      compartments: d.groups.map((g) => ({ size: g.size, zone: g.zone, count: Number(g.count.trim()) })),
    },
  };
}
