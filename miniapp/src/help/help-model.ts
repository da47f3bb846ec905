import {
  addDays,
  formatDisplayTime,
  HELP_TASK_STATUS_LABELS,
  type HelpTask,
  localClock,
  TASK_HOURS_STATUS_LABELS,
  VOLUNTEER_SKILL_LABELS,
  type VolunteerSkillCode,
  zonedInstant,
} from 'shared';

/**
 * What the elder's and family's help pages show, worked out from the API's views. Times arrive as
 * UTC instants and are read in Asia/Shanghai whatever the phone's zone.
 */

const TZ = 'Asia/Shanghai';
const WEEKDAY = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];

export const localToday = (now: Date = new Date()): string => localClock(now).date;
const localTime = (iso: string) => formatDisplayTime(iso).slice(11);
const localDate = (iso: string) => formatDisplayTime(iso).slice(0, 10);

/** 45 -> 45分钟, 60 -> 1小时, 90 -> 1小时30分钟. */
export function minutesText(min: number): string {
  const m = Math.max(0, Math.round(min));
  const h = Math.floor(m / 60);
  const rest = m % 60;
  if (h === 0) return `${rest}分钟`;
  return rest ? `${h}小时${rest}分钟` : `${h}小时`;
}

/** Banked time as hours with one decimal at most: 90 -> 1.5 小时. */
export function hoursText(min: number): string {
  const h = Math.round((min / 60) * 10) / 10;
  return `${String(h)} 小时`;
}

/** 「今天 14:00-16:00」, 「明天 09:00-11:00」, 「11月26日 周三 09:00-10:30」. */
export function windowText(start: string, end: string, now: Date = new Date()): string {
  const today = localToday(now);
  const day = localDate(start);
  const label =
    day === today
      ? '今天'
      : day === addDays(today, 1)
        ? '明天'
        : `${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日 ${WEEKDAY[new Date(`${day}T00:00:00Z`).getUTCDay()]}`;
  const endDay = localDate(end);
  const endPart =
    endDay === day
      ? localTime(end)
      : `${Number(endDay.slice(5, 7))}月${Number(endDay.slice(8, 10))}日 ${localTime(end)}`;
  return `${label} ${localTime(start)}-${endPart}`;
}

/** The tag on a task: the task's state, or where its hours stand once it is done. */
export function taskStatusText(t: Pick<HelpTask, 'status' | 'hoursStatus'>): string {
  if (t.status === 'done' && t.hoursStatus) return TASK_HOURS_STATUS_LABELS[t.hoursStatus];
  return HELP_TASK_STATUS_LABELS[t.status];
}

export function taskTone(t: Pick<HelpTask, 'status' | 'hoursStatus'>): string {
  switch (t.status) {
    case 'open':
    case 'offered':
    case 'escalated':
      return 'pending';
    case 'accepted':
    case 'in_progress':
      return 'active';
    case 'done':
      return t.hoursStatus === 'disputed' ? 'rejected' : t.hoursStatus === 'pending' ? 'pending' : 'approved';
    default:
      return 'muted';
  }
}

/** One line under the title saying what happens next, in the elder's words. */
export function taskNextText(t: HelpTask): string {
  switch (t.status) {
    case 'open':
    case 'offered':
      return '正在为您联系附近的志愿者，有人接单后会通知您';
    case 'escalated':
      return '暂时没有志愿者接单，社区工作人员正在帮您安排';
    case 'accepted':
      return `${t.volunteerName ?? '志愿者'}已接单，上门时请出示签到码`;
    case 'in_progress':
      return `${t.volunteerName ?? '志愿者'}正在服务`;
    case 'done':
      if (t.hoursStatus === 'pending') return '服务已完成，请确认服务时长';
      if (t.hoursStatus === 'disputed') return '您对时长有异议，社区工作人员会来处理';
      return '服务已完成，谢谢您的确认';
    case 'expired':
      return '这次没有志愿者接单，您可以重新发起或联系社区';
    case 'cancelled':
      return '已取消';
  }
}

/** The door code is shown large only while the volunteer is on the way. */
export const showDoorCode = (t: Pick<HelpTask, 'status' | 'checkinCode'>): boolean =>
  t.status === 'accepted' && !!t.checkinCode;

/** 123456 -> 123 456: easier to read out at the door. */
export const spacedCode = (code: string) => code.replace(/^(\d{3})(\d{3})$/, '$1 $2');

export interface Step {
  key: string;
  label: string;
  /** Local time it happened, when known. */
  at: string | null;
  done: boolean;
}

/**
 * The task's timeline: raised → offered → accepted by X → at the door → done → hours. A task that
 * ended early (cancelled, nobody took it) ends the line there.
 */
export function taskSteps(t: HelpTask): Step[] {
  const at = (iso: string | null) => (iso ? formatDisplayTime(iso).slice(5) : null);
  const reached = ['accepted', 'in_progress', 'done'].includes(t.status);
  const steps: Step[] = [
    { key: 'raised', label: '已发起求助', at: at(t.createdAt), done: true },
    {
      key: 'offered',
      label: t.status === 'escalated' ? '已转社区工作人员安排' : '已通知附近志愿者',
      at: null,
      done: t.status !== 'open' || reached,
    },
  ];
  if (t.status === 'cancelled' || t.status === 'expired') {
    steps.push({ key: t.status, label: HELP_TASK_STATUS_LABELS[t.status], at: null, done: true });
    return steps;
  }
  steps.push(
    {
      key: 'accepted',
      label: t.volunteerName && reached ? `${t.volunteerName}已接单` : '志愿者接单',
      at: at(t.acceptedAt),
      done: reached,
    },
    { key: 'started', label: '志愿者上门签到', at: at(t.startedAt), done: !!t.startedAt },
    {
      key: 'done',
      label: t.minutes ? `服务完成，用时${minutesText(t.minutes)}` : '服务完成',
      at: at(t.finishedAt),
      done: t.status === 'done',
    },
    {
      key: 'hours',
      label: t.hoursStatus ? TASK_HOURS_STATUS_LABELS[t.hoursStatus] : '确认时长',
      at: null,
      done: t.hoursStatus === 'confirmed' || t.hoursStatus === 'resolved',
    },
  );
  return steps;
}

// ---- raising a task ------------------------------------------------------------------------------

export type DayChoice = 'today' | 'tomorrow' | 'pick';

export interface TaskForm {
  skill: VolunteerSkillCode | null;
  title: string;
  day: DayChoice;
  /** YYYY-MM-DD when day is 'pick'. */
  date: string;
  from: string;
  to: string;
  durationMin: number;
  urgency: 'low' | 'normal' | 'urgent';
  note: string;
  careItemId: string | null;
  payInHours: boolean;
}

/** A title the elder need not type: the skill's own name. */
export const titleFor = (skill: VolunteerSkillCode) => `请帮忙${VOLUNTEER_SKILL_LABELS[skill]}`;

/** The skills an elder asks for; 生鲜代取 and 上门探访 are raised by the app itself. */
export const ASKABLE_SKILLS: VolunteerSkillCode[] = [
  'errands',
  'company',
  'phone_teaching',
  'escort',
  'cleaning',
];

export const DURATIONS = [30, 60, 90, 120] as const;

/** Parts of the day to choose from with one tap; 自定义 opens the time wheels. */
export const RANGES = [
  { key: 'morning', label: '上午 8-12点', from: '08:00', to: '12:00' },
  { key: 'noon', label: '中午 11-14点', from: '11:00', to: '14:00' },
  { key: 'afternoon', label: '下午 14-18点', from: '14:00', to: '18:00' },
  { key: 'evening', label: '晚上 18-21点', from: '18:00', to: '21:00' },
] as const;

/** The range the form's times match, or 'custom'. */
export function rangeOf(form: Pick<TaskForm, 'from' | 'to'>): string {
  return RANGES.find((r) => r.from === form.from && r.to === form.to)?.key ?? 'custom';
}

/** Whether a range can still be served on that day (someone could start and finish in it). */
export function rangeOpen(
  form: Pick<TaskForm, 'day' | 'date' | 'durationMin'>,
  range: { from: string; to: string },
  now: Date = new Date(),
): boolean {
  const { windowEnd } = windowOf({ ...form, from: range.from, to: range.to }, now);
  return Date.parse(windowEnd) - form.durationMin * 60_000 > now.getTime();
}

/** A form to start from: the first part of today still open, else tomorrow morning; an hour of help. */
export function defaultForm(now: Date = new Date()): TaskForm {
  const base: TaskForm = {
    skill: null,
    title: '',
    day: 'today',
    date: addDays(localToday(now), 2),
    from: RANGES[0].from,
    to: RANGES[0].to,
    durationMin: 60,
    urgency: 'normal',
    note: '',
    careItemId: null,
    payInHours: false,
  };
  const open = RANGES.find((r) => rangeOpen(base, r, now));
  return open ? { ...base, from: open.from, to: open.to } : { ...base, day: 'tomorrow' };
}

export function dayOf(form: Pick<TaskForm, 'day' | 'date'>, now: Date = new Date()): string {
  const today = localToday(now);
  return form.day === 'today' ? today : form.day === 'tomorrow' ? addDays(today, 1) : form.date;
}

/** The window as instants; an end at or before the start runs to the next day (22:00-01:00). */
export function windowOf(form: Pick<TaskForm, 'day' | 'date' | 'from' | 'to'>, now: Date = new Date()) {
  const day = dayOf(form, now);
  const start = zonedInstant(day, form.from, TZ);
  const endDay = form.to <= form.from ? addDays(day, 1) : day;
  const end = zonedInstant(endDay, form.to, TZ);
  return { windowStart: start.toISOString(), windowEnd: end.toISOString() };
}

export type FormErrors = Partial<Record<'skill' | 'title' | 'window' | 'note', string>>;

/** What stops the form from being sent, per field (the BFF checks again). */
export function validateTaskForm(form: TaskForm, now: Date = new Date()): FormErrors {
  const errors: FormErrors = {};
  if (!form.skill && !form.careItemId) errors.skill = '请选择需要帮忙的事';
  const title = form.title.trim();
  if (!title) errors.title = '请写一句需要帮什么';
  else if (title.length > 40) errors.title = '标题请在 40 字以内';
  if (form.note.trim().length > 300) errors.note = '备注请在 300 字以内';
  const { windowStart, windowEnd } = windowOf(form, now);
  const start = Date.parse(windowStart);
  const end = Date.parse(windowEnd);
  if (end - start < form.durationMin * 60_000)
    errors.window = `时间段太短，至少要${minutesText(form.durationMin)}`;
  else if (end - form.durationMin * 60_000 <= now.getTime()) errors.window = '这个时间已经过去了，请选晚一点';
  return errors;
}

// ---- check-ins -----------------------------------------------------------------------------------

/** 600 -> 10:00. */
export const clockText = (min: number) =>
  `${String(Math.floor(min / 60)).padStart(2, '0')}:${String(min % 60).padStart(2, '0')}`;
/** 10:00 -> 600. */
export const clockMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

export const WEEKDAY_NAMES = WEEKDAY;

export interface PlanLike {
  mode: 'daily_tap' | 'weekly_visit';
  dueMin: number;
  graceMin: number;
  visitWeekday: number;
  active: boolean;
}

/** 「每天 10:00 前点一下“我很好”，超过1小时未报平安会提醒家属」. */
export function planText(plan: PlanLike | null): string {
  if (!plan?.active) return '未开启报平安';
  if (plan.mode === 'weekly_visit') return `每${WEEKDAY[plan.visitWeekday]}安排志愿者上门探访`;
  return `每天 ${clockText(plan.dueMin)} 前点一下“我很好”，超过${minutesText(plan.graceMin)}未报平安会提醒家属`;
}

/** Whether the 我很好 tap is offered today: a daily plan that is on. */
export const offersDailyTap = (plan: PlanLike | null): boolean =>
  !!plan && plan.active && plan.mode === 'daily_tap';

export const streakText = (streak: number) => (streak > 1 ? `已连续 ${streak} 天报平安` : '');
