import type { CareItem } from 'shared';

/** The sensitive facts the access log names (elders.ts SensitiveField). */
const FIELD_LABELS: Record<string, string> = {
  address: '住址',
  phone: '电话',
  health_notes: '健康情况',
  emergency_contacts: '紧急联系人',
};

/** Who read them, by role. */
const ROLE_LABELS: Record<string, string> = {
  family: '家属',
  proxy: '家属',
  caregiver: '护理员',
  provider: '服务机构',
  staff: '社区工作人员',
  operator: '系统运维',
  volunteer: '志愿者',
  elder: '本人',
  resident: '居民',
};

const hasChinese = (s: string) => /[\u4e00-\u9fff]/.test(s);

/**
 * The BFF names fields and roles in Chinese already; a bare token (an older or newer BFF) is
 * translated here, and one the app does not know still reads as Chinese, never as the raw token.
 */
export const accessFieldLabel = (field: string) =>
  hasChinese(field) ? field : (FIELD_LABELS[field] ?? '个人信息');
export const accessRoleLabel = (role: string) => (hasChinese(role) ? role : (ROLE_LABELS[role] ?? '家属'));

/** The reason as written by the BFF (Chinese); an English or empty one is replaced. */
export function accessReasonText(reason: string): string {
  return hasChinese(reason) ? reason : '服务需要';
}

export interface AccessEntry {
  id: string;
  readerName: string;
  readerRole: string;
  field: string;
  reason: string;
  at: string;
}

export interface AccessRead {
  id: string;
  /** 刘晓明（家属）查看了住址、健康情况 */
  text: string;
  reason: string;
  at: string;
}

/**
 * One line per read, newest first: the log keeps a row per field, and one look at the profile
 * writes several at the same instant for the same reason.
 */
export function accessReads(entries: readonly AccessEntry[]): AccessRead[] {
  const groups = new Map<string, { first: AccessEntry; fields: string[] }>();
  const sorted = [...entries].sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
  for (const e of sorted) {
    const key = `${Date.parse(e.at)}|${e.readerName}|${e.readerRole}|${e.reason}`;
    const g = groups.get(key);
    const field = accessFieldLabel(e.field);
    if (g) {
      if (!g.fields.includes(field)) g.fields.push(field);
    } else groups.set(key, { first: e, fields: [field] });
  }
  return [...groups.values()].map(({ first, fields }) => ({
    id: first.id,
    text: `${first.readerName || '有人'}（${accessRoleLabel(first.readerRole)}）查看了${fields.join('、')}`,
    reason: accessReasonText(first.reason),
    at: first.at,
  }));
}

export interface Eligibility {
  eligible: boolean;
  minAge: number;
  age: number | null;
}

/** Why the subsidised list is closed to this elder; null when it is open. */
export function eligibilityNote(e: Eligibility): string | null {
  if (e.eligible) return null;
  if (e.age === null)
    return `尚未登记出生日期，暂不能预约补贴服务（需年满${e.minAge}岁），请联系社区工作人员登记`;
  return `未满${e.minAge}岁不可预约补贴服务（当前${e.age}岁），可预约自费服务`;
}

/** Whether this elder may book the item at all: subsidised items need eligibility. */
export const bookable = (item: Pick<CareItem, 'subsidised' | 'active'>, e: Eligibility) =>
  item.active && (!item.subsidised || e.eligible);

/** 60分钟, 1.5小时, 2小时. */
export function durationText(min: number): string {
  if (min < 60 || min % 30 !== 0) return `${min}分钟`;
  return `${min / 60}小时`;
}

export const WEEKDAY_LABELS = ['周一', '周二', '周三', '周四', '周五', '周六', '周日'] as const;

/** Weekdays 1..7 as 周一、周三 (每天 / 工作日 when that is what they are). */
export function weekdaysText(days: readonly number[]): string {
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  if (sorted.length === 7) return '每天';
  if (sorted.join() === '1,2,3,4,5') return '工作日';
  if (sorted.join() === '6,7') return '周末';
  return sorted.map((d) => WEEKDAY_LABELS[d - 1]).join('、');
}
