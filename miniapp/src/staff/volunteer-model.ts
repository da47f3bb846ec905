import {
  can,
  formatDisplayTime,
  type HelpTask,
  TAKEABLE_TASK_STATES,
  VOLUNTEER_SKILL_LABELS,
  type VolunteerSkillCode,
  volunteerFlow,
  zonedInstant,
} from 'shared';

/**
 * What the staff's volunteer consoles (review, dispatch, activities, teams, emergencies, check-ins)
 * show and check, apart from the pages. Times are read in Asia/Shanghai.
 */

const TZ = 'Asia/Shanghai';
const WEEKDAY = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];

export type VolunteerStatus = 'pending' | 'verified' | 'rejected' | 'suspended';

/** The review buttons a profile in this state gets. */
export function reviewActions(status: VolunteerStatus) {
  return {
    verify: can(volunteerFlow, status, 'verify'),
    reject: can(volunteerFlow, status, 'reject'),
    suspend: can(volunteerFlow, status, 'suspend'),
    reinstate: can(volunteerFlow, status, 'reinstate'),
  };
}

export const skillsText = (skills: readonly VolunteerSkillCode[]) =>
  skills.length ? skills.map((s) => VOLUNTEER_SKILL_LABELS[s] ?? s).join('、') : '未填写';

const hhmm = (min: number) =>
  `${String(Math.floor(min / 60)).padStart(2, '0')}:${String(min % 60).padStart(2, '0')}`;

/**
 * The weekly slots in a line, days with the same hours together, Monday first:
 * 「周一、周三 18:00-21:00；周六 09:00-12:00」.
 */
export function availabilityText(
  slots: readonly { weekday: number; startMin: number; endMin: number }[],
): string {
  if (!slots.length) return '未填写';
  const order = (d: number) => (d === 0 ? 7 : d);
  const byRange = new Map<string, number[]>();
  for (const s of [...slots].sort((a, b) => order(a.weekday) - order(b.weekday) || a.startMin - b.startMin)) {
    const key = `${hhmm(s.startMin)}-${hhmm(s.endMin)}`;
    byRange.set(key, [...(byRange.get(key) ?? []), s.weekday]);
  }
  return [...byRange.entries()]
    .map(([range, days]) => {
      const unique = [...new Set(days)];
      const label = unique.length === 7 ? '每天' : unique.map((d) => WEEKDAY[d]).join('、');
      return `${label} ${range}`;
    })
    .join('；');
}

/** What staff may do with a task from the dispatch console. */
export function taskActions(t: Pick<HelpTask, 'status' | 'hoursStatus' | 'can'>) {
  return {
    assign: (TAKEABLE_TASK_STATES as readonly string[]).includes(t.status),
    cancel: t.can.cancel,
    resolve: t.status === 'done' && t.hoursStatus === 'disputed',
  };
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const halfWidth = (s: string) =>
  s.replace(/[０-９．]/g, (c) => (c === '．' ? '.' : String.fromCharCode(c.charCodeAt(0) - 0xfee0))).trim();

/** Minutes typed by staff (a dispute's outcome): a whole number 0-720. */
export function parseMinutes(input: string): Parsed<number> {
  const text = halfWidth(input).replace(/分钟?$/, '');
  if (!/^\d{1,4}$/.test(text)) return { ok: false, error: '请输入分钟数（整数）' };
  const n = Number(text);
  if (n > 720) return { ok: false, error: '不能超过 720 分钟' };
  return { ok: true, value: n };
}

/** Credit hours typed as hours ('1.5', '2小时'), into minutes: at most 12 h, quarter-hours at the finest. */
export function parseCreditHours(input: string): Parsed<number> {
  const text = halfWidth(input).replace(/小时$/, '');
  if (!/^\d{1,2}(\.\d{1,2})?$/.test(text)) return { ok: false, error: '请输入时长（小时），如 1.5' };
  const min = Math.round(Number(text) * 60);
  if (min > 720) return { ok: false, error: '不能超过 12 小时' };
  if (min % 15 !== 0) return { ok: false, error: '请按一刻钟填写，如 0.25、0.5、1.5' };
  return { ok: true, value: min };
}

export interface ActivityForm {
  title: string;
  description: string;
  place: string;
  date: string;
  start: string;
  end: string;
  capacity: string;
  creditHours: string;
}

export type ActivityErrors = Partial<Record<keyof ActivityForm, string>>;

/** The create-activity body, or what is wrong with the form, per field. */
export function activityBody(
  f: ActivityForm,
  now: Date = new Date(),
):
  | {
      ok: true;
      body: {
        title: string;
        description: string;
        place: string;
        startsAt: string;
        endsAt: string;
        capacity: number;
        creditMin: number;
      };
    }
  | { ok: false; errors: ActivityErrors } {
  const errors: ActivityErrors = {};
  const title = f.title.trim();
  const place = f.place.trim();
  if (!title) errors.title = '请填写活动名称';
  else if (title.length > 40) errors.title = '活动名称请在 40 字以内';
  if (!place) errors.place = '请填写活动地点';
  else if (place.length > 60) errors.place = '地点请在 60 字以内';
  if (f.description.trim().length > 1000) errors.description = '介绍请在 1000 字以内';
  const startsAt = zonedInstant(f.date, f.start, TZ);
  const endsAt = zonedInstant(f.date, f.end, TZ);
  if (endsAt <= startsAt) errors.end = '结束时间需晚于开始时间';
  else if (startsAt <= now) errors.start = '开始时间已经过去了';
  const capText = halfWidth(f.capacity);
  const capacity = Number(capText);
  if (!/^\d{1,4}$/.test(capText) || capacity < 1 || capacity > 1000)
    errors.capacity = '名额请填 1 到 1000 的整数';
  const credit = parseCreditHours(f.creditHours || '0');
  if (!credit.ok) errors.creditHours = credit.error;
  if (Object.keys(errors).length || !credit.ok) return { ok: false, errors };
  return {
    ok: true,
    body: {
      title,
      description: f.description.trim(),
      place,
      startsAt: startsAt.toISOString(),
      endsAt: endsAt.toISOString(),
      capacity,
      creditMin: credit.value,
    },
  };
}

/** 「3月12日 周四 14:00-16:00」 */
export function activityWhen(startsAt: string, endsAt: string): string {
  const s = formatDisplayTime(startsAt);
  const e = formatDisplayTime(endsAt);
  const day = s.slice(0, 10);
  const weekday = WEEKDAY[new Date(`${day}T00:00:00Z`).getUTCDay()];
  const md = `${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日 ${weekday}`;
  return e.slice(0, 10) === day
    ? `${md} ${s.slice(11)}-${e.slice(11)}`
    : `${md} ${s.slice(11)} 至 ${e.slice(5)}`;
}

export const creditText = (min: number) =>
  min === 0 ? '不计时长' : `计 ${Math.round((min / 60) * 100) / 100} 小时`;

// ---- check-ins ---------------------------------------------------------------------------------

export type CheckinState = 'ok' | 'waiting' | 'late' | 'alerted_family' | 'alerted_staff';

export const CHECKIN_STATE_LABELS: Record<CheckinState, string> = {
  ok: '已报平安',
  waiting: '等待中',
  late: '已超时',
  alerted_family: '已提醒家属',
  alerted_staff: '需社区跟进',
};

export const CHECKIN_TONE: Record<CheckinState, string> = {
  ok: 'approved',
  waiting: 'muted',
  late: 'pending',
  alerted_family: 'pending',
  alerted_staff: 'rejected',
};

const URGENCY: CheckinState[] = ['alerted_staff', 'alerted_family', 'late', 'waiting', 'ok'];

/** Those needing a look first; then by name. */
export function sortBoard<T extends { state: CheckinState; elderName: string }>(items: readonly T[]): T[] {
  return [...items].sort(
    (a, b) =>
      URGENCY.indexOf(a.state) - URGENCY.indexOf(b.state) || a.elderName.localeCompare(b.elderName, 'zh-CN'),
  );
}

/** 「已报平安 5 · 等待中 2 · 需社区跟进 1」, in the board's order of urgency, only those present. */
export function boardSummary(items: readonly { state: CheckinState }[]): string {
  if (!items.length) return '今天没有需要报平安的老人';
  const counts = new Map<CheckinState, number>();
  for (const i of items) counts.set(i.state, (counts.get(i.state) ?? 0) + 1);
  return URGENCY.filter((s) => counts.has(s))
    .map((s) => `${CHECKIN_STATE_LABELS[s]} ${counts.get(s)}`)
    .join(' · ');
}

/** A team's members toggled: one tap adds, another removes. */
export const toggled = (ids: readonly string[], id: string) =>
  ids.includes(id) ? ids.filter((x) => x !== id) : [...ids, id];
