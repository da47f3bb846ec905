import { z } from 'zod';
import {
  activitySignupFlow,
  emergencyFlow,
  helpTaskFlow,
  taskHoursFlow,
  volunteerFlow,
} from '../state/flows';
import { VOLUNTEER_SKILLS } from '../volunteers/matching';
import { Instant } from './care';
import { Id, LocalDate } from './common';

const Text = (max: number) => z.string().trim().max(max);
const Required = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);

// ---- labels -------------------------------------------------------------------------------------

export const VolunteerSkillCode = z.enum(VOLUNTEER_SKILLS);
export type VolunteerSkillCode = z.infer<typeof VolunteerSkillCode>;
export const VOLUNTEER_SKILL_LABELS: Record<VolunteerSkillCode, string> = {
  errands: '代买跑腿',
  company: '陪伴聊天',
  phone_teaching: '手机教学',
  cleaning: '清洁帮忙',
  escort: '陪同出行',
  locker_run: '生鲜代取',
  visit: '上门探访',
};
export const VolunteerStatus = z.enum(volunteerFlow.states);
export const VOLUNTEER_STATUS_LABELS: Record<z.infer<typeof VolunteerStatus>, string> = {
  pending: '待审核',
  verified: '已认证',
  rejected: '未通过',
  suspended: '已停用',
};
export const HelpTaskStatus = z.enum(helpTaskFlow.states);
export type HelpTaskStatus = z.infer<typeof HelpTaskStatus>;
export const HELP_TASK_STATUS_LABELS: Record<HelpTaskStatus, string> = {
  open: '待接单',
  offered: '派单中',
  accepted: '已接单',
  in_progress: '服务中',
  done: '已完成',
  expired: '无人接单',
  escalated: '已转社区',
  cancelled: '已取消',
};
export const TaskHoursStatus = z.enum(taskHoursFlow.states);
export const TASK_HOURS_STATUS_LABELS: Record<z.infer<typeof TaskHoursStatus>, string> = {
  pending: '待确认时长',
  confirmed: '时长已确认',
  disputed: '时长有异议',
  resolved: '社区已裁定',
};
/** Where a task came from. */
export const TASK_SOURCES = [
  'elder',
  'proxy',
  'care_item',
  'staff',
  'locker_errand',
  'checkin_visit',
] as const;
export const TaskSource = z.enum(TASK_SOURCES);
export const TASK_URGENCIES = ['low', 'normal', 'urgent'] as const;
export const TaskUrgency = z.enum(TASK_URGENCIES);
export const TASK_URGENCY_LABELS: Record<z.infer<typeof TaskUrgency>, string> = {
  low: '不急',
  normal: '普通',
  urgent: '紧急',
};
export const EmergencyStatus = z.enum(emergencyFlow.states);
export const EMERGENCY_STATUS_LABELS: Record<z.infer<typeof EmergencyStatus>, string> = {
  raised: '正在呼叫',
  answered: '志愿者已响应',
  acknowledged: '社区已处置',
  resolved: '已解除',
  cancelled: '已取消',
};
export const ActivitySignupStatus = z.enum(activitySignupFlow.states);
export const ACTIVITY_SIGNUP_STATUS_LABELS: Record<z.infer<typeof ActivitySignupStatus>, string> = {
  signed_up: '已报名',
  waitlisted: '候补中',
  checked_in: '已签到',
  checked_out: '已签退',
  cancelled: '已取消',
};

/** Star levels of the time bank (好人好事银行), by hours ever earned. */
export const STAR_LEVELS = [100, 300, 600, 1000, 1500] as const;
/** 0 below 100 hours, 1..5 from there. */
export function starLevel(earnedMin: number): number {
  const hours = earnedMin / 60;
  return STAR_LEVELS.filter((h) => hours >= h).length;
}

// ---- volunteer profile --------------------------------------------------------------------------

/** A weekly slot in local (Asia/Shanghai) time: weekday 0 = Sunday, minutes from local midnight. */
export const WeeklySlot = z
  .object({
    weekday: z.number().int().min(0).max(6),
    startMin: z.number().int().min(0).max(1440),
    endMin: z.number().int().min(0).max(1440),
  })
  .strict()
  .refine((s) => s.endMin > s.startMin, { message: 'must end after it starts', path: ['endMin'] });

export const VolunteerProfile = z.object({
  userId: Id,
  realName: z.string(),
  idTail: z.string(),
  phone: z.string().nullable(),
  communityId: Id,
  compoundId: Id,
  compoundName: z.string(),
  buildingId: Id.nullable(),
  skills: z.array(VolunteerSkillCode),
  availability: z.array(WeeklySlot),
  weeklyCapMin: z.number().int(),
  status: VolunteerStatus,
  onDuty: z.boolean(),
  pausedUntil: Instant.nullable(),
  reviewNote: z.string().nullable(),
  suspendReason: z.string().nullable(),
  rating: z.number().nullable(),
  ratingCount: z.number().int(),
  leaderboardOptOut: z.boolean(),
  /** Minutes credited or committed this local week (Monday to Sunday). */
  weekMin: z.number().int(),
  createdAt: Instant,
});
export type VolunteerProfile = z.infer<typeof VolunteerProfile>;
/** The caller's own profile, or none yet. */
export const MyVolunteer = z.object({ volunteer: VolunteerProfile.nullable() });

export const ApplyVolunteerBody = z
  .object({
    realName: Required(20),
    idTail: z.string().regex(/^[0-9]{3}[0-9Xx]$/, 'must be the last 4 characters of the ID card number'),
    compoundId: Id,
    buildingId: Id.optional(),
    skills: z.array(VolunteerSkillCode).min(1, 'choose at least one skill').max(VOLUNTEER_SKILLS.length),
    availability: z.array(WeeklySlot).max(28),
    weeklyCapMin: z.number().int().min(60).max(4200).default(600),
  })
  .strict();
export const UpdateVolunteerBody = z
  .object({
    skills: z.array(VolunteerSkillCode).min(1, 'choose at least one skill').max(VOLUNTEER_SKILLS.length),
    availability: z.array(WeeklySlot).max(28),
    weeklyCapMin: z.number().int().min(60).max(4200),
    onDuty: z.boolean(),
    /** Pause offers until this instant; null ends a pause. */
    pausedUntil: Instant.nullable(),
    leaderboardOptOut: z.boolean(),
    compoundId: Id,
    buildingId: Id.nullable(),
  })
  .partial()
  .strict();
export const StaffVolunteerQuery = z.object({ status: VolunteerStatus.default('pending') });
export const VolunteerList = z.object({ items: z.array(VolunteerProfile) });
export const VolunteerReviewBody = z.object({ note: Text(200).optional() }).strict();
export const SuspendVolunteerBody = z.object({ reason: Required(200) }).strict();

// ---- help tasks ---------------------------------------------------------------------------------

/** The household's place, shown only to the volunteer who holds the task, and only while it is active. */
export const TaskContact = z.object({
  elderName: z.string(),
  address: z.string(),
  phone: z.string().nullable(),
});
export const HelpTask = z.object({
  id: Id,
  status: HelpTaskStatus,
  source: TaskSource,
  skill: VolunteerSkillCode,
  title: z.string(),
  note: z.string(),
  urgency: TaskUrgency,
  windowStart: Instant,
  windowEnd: Instant,
  durationMin: z.number().int(),
  deadline: Instant,
  compoundName: z.string(),
  /** The elder's given name and surname initial only (e.g. 王奶奶), until the task is accepted. */
  elderLabel: z.string(),
  /** Only for the volunteer who accepted it, while accepted or in progress. */
  contact: TaskContact.nullable(),
  /** Metres from the volunteer's home compound, when both places are known. */
  distanceMetres: z.number().nullable(),
  volunteerName: z.string().nullable(),
  acceptedAt: Instant.nullable(),
  startedAt: Instant.nullable(),
  finishedAt: Instant.nullable(),
  minutes: z.number().int().nullable(),
  hoursStatus: TaskHoursStatus.nullable(),
  hoursConfirmBy: Instant.nullable(),
  disputeNote: z.string().nullable(),
  rating: z.number().int().nullable(),
  paidMinutes: z.number().int(),
  /** The code the elder shows at the door: only in the elder's (and family's) view. */
  checkinCode: z.string().nullable(),
  /** For a produce-run task, the delegated code and the compartments it opens: only for the volunteer holding it. */
  pickup: z
    .object({ bankName: z.string(), code: z.string(), compartments: z.array(z.string()), expiresAt: Instant })
    .nullable(),
  /** What the caller may do now (the app shows exactly these buttons). */
  can: z.object({
    accept: z.boolean(),
    decline: z.boolean(),
    release: z.boolean(),
    start: z.boolean(),
    finish: z.boolean(),
    confirm: z.boolean(),
    dispute: z.boolean(),
    cancel: z.boolean(),
  }),
  /** Whether the caller was offered it and declined. */
  declined: z.boolean(),
  createdAt: Instant,
});
export type HelpTask = z.infer<typeof HelpTask>;
export const HelpTaskList = z.object({ items: z.array(HelpTask) });

export const CreateHelpTaskBody = z
  .object({
    skill: VolunteerSkillCode,
    title: Required(40),
    note: Text(300).default(''),
    windowStart: Instant,
    windowEnd: Instant,
    durationMin: z.number().int().min(10).max(480),
    urgency: TaskUrgency.default('normal'),
    /** Staff raise a task for an elder in their community. */
    elderId: Id.optional(),
    /** Made from a volunteer-performed care item (its name, duration and skill are taken from it). */
    careItemId: Id.optional(),
    /** Spend the caller's banked time on it (a volunteer's own family member). */
    payInHours: z.boolean().default(false),
  })
  .strict()
  .refine((b) => Date.parse(b.windowEnd) > Date.parse(b.windowStart), {
    message: 'must end after it starts',
    path: ['windowEnd'],
  });
export const VolunteerTaskQuery = z.object({
  scope: z.enum(['offers', 'board', 'mine', 'history']).default('offers'),
});
export const ElderTaskQuery = z.object({ scope: z.enum(['active', 'past']).default('active') });
export const StaffTaskQuery = z.object({
  status: z.enum(['escalated', 'disputed', 'active', 'all']).default('escalated'),
});
export const DeclineTaskBody = z.object({ reason: Required(100) }).strict();
export const StartTaskBody = z
  .object({ code: z.string().regex(/^\d{6}$/, 'must be the 6-digit code the elder shows') })
  .strict();
export const FinishTaskBody = z
  .object({ minutes: z.number().int().min(1).max(720), note: Text(300).default('') })
  .strict();
export const ConfirmHoursBody = z.object({ rating: z.number().int().min(1).max(5).optional() }).strict();
export const DisputeHoursBody = z.object({ note: Required(300) }).strict();
export const ResolveDisputeBody = z
  .object({ minutes: z.number().int().min(0).max(720), note: Required(300) })
  .strict();
export const CancelTaskBody = z.object({ reason: Required(100) }).strict();
export const AssignTaskBody = z.object({ volunteerId: Id }).strict();

// ---- time bank ----------------------------------------------------------------------------------

export const TimeBankEntry = z.object({
  id: Id,
  kind: z.enum(['credit', 'debit', 'correction']),
  deltaMin: z.number().int(),
  reason: z.string(),
  taskId: Id.nullable(),
  activityId: Id.nullable(),
  createdAt: Instant,
});
export const TimeBank = z.object({
  balanceMin: z.number().int(),
  earnedMin: z.number().int(),
  star: z.number().int(),
  /** Hours to the next star, null at the top. */
  nextStarHours: z.number().int().nullable(),
  entries: z.array(TimeBankEntry),
});
export const LeaderboardEntry = z.object({
  rank: z.number().int(),
  name: z.string(),
  earnedMin: z.number().int(),
  star: z.number().int(),
  me: z.boolean(),
});
export const Leaderboard = z.object({ items: z.array(LeaderboardEntry), optedOut: z.boolean() });
/** What the certificate image shows (the app draws it on a canvas to save or share). */
export const Certificate = z.object({
  name: z.string(),
  communityName: z.string(),
  earnedMin: z.number().int(),
  star: z.number().int(),
  tasks: z.number().int(),
  since: Instant,
  issuedAt: Instant,
  serial: z.string(),
});
export const CorrectionBody = z
  .object({
    userId: Id,
    deltaMin: z
      .number()
      .int()
      .min(-720)
      .max(720)
      .refine((n) => n !== 0, 'must not be 0'),
    reason: Required(200),
  })
  .strict();

// ---- activities and emergency teams ------------------------------------------------------------

export const Activity = z.object({
  id: Id,
  title: z.string(),
  description: z.string(),
  place: z.string(),
  organiserName: z.string(),
  startsAt: Instant,
  endsAt: Instant,
  capacity: z.number().int(),
  creditMin: z.number().int(),
  signedUp: z.number().int(),
  waitlisted: z.number().int(),
  cancelled: z.boolean(),
  /** The caller's sign-up, if any. */
  mine: z.object({ status: ActivitySignupStatus, waitlistPosition: z.number().int().nullable() }).nullable(),
  /** Staff only: the code volunteers enter at the place. */
  checkinCode: z.string().nullable(),
});
export const ActivityList = z.object({ items: z.array(Activity) });
export const CreateActivityBody = z
  .object({
    title: Required(40),
    description: Text(1000).default(''),
    place: Required(60),
    organiserName: Text(40).optional(),
    startsAt: Instant,
    endsAt: Instant,
    capacity: z.number().int().min(1).max(1000),
    creditMin: z.number().int().min(0).max(720),
    /** Staff who run several communities say which one; with one, it is that one. */
    communityId: Id.optional(),
  })
  .strict()
  .refine((b) => Date.parse(b.endsAt) > Date.parse(b.startsAt), {
    message: 'must end after it starts',
    path: ['endsAt'],
  });
export const ActivityCheckinBody = z
  .object({ code: z.string().regex(/^\d{4,6}$/, 'must be the code shown at the place') })
  .strict();
export const ActivityRoster = z.object({
  items: z.array(
    z.object({
      volunteerId: Id,
      name: z.string(),
      status: ActivitySignupStatus,
      waitlistPosition: z.number().int().nullable(),
      checkedInAt: Instant.nullable(),
      checkedOutAt: Instant.nullable(),
    }),
  ),
});
export const EmergencyTeam = z.object({
  id: Id,
  name: z.string(),
  members: z.array(z.object({ volunteerId: Id, name: z.string() })),
});
export const EmergencyTeamList = z.object({ items: z.array(EmergencyTeam) });
export const CreateTeamBody = z
  .object({
    name: Required(30),
    volunteerIds: z.array(Id).max(200),
    /** Staff who run several communities say which one; with one, it is that one. */
    communityId: Id.optional(),
  })
  .strict();
export const UpdateTeamBody = z
  .object({ name: Required(30), volunteerIds: z.array(Id).max(200) })
  .partial()
  .strict();
export const ActivateTeamBody = z.object({ message: Required(110) }).strict();
export const ActivateTeamResult = z.object({ told: z.number().int() });

// ---- one-tap emergency help ---------------------------------------------------------------------

export const EmergencyEvent = z.object({
  kind: z.string(),
  who: z.string().nullable(),
  channel: z.string().nullable(),
  round: z.number().int(),
  detail: z.string(),
  at: Instant,
});
export const EmergencyCall = z.object({
  id: Id,
  status: EmergencyStatus,
  testMode: z.boolean(),
  elderName: z.string(),
  /** Shown to family, staff, and the volunteer who answered. */
  address: z.string().nullable(),
  phone: z.string().nullable(),
  round: z.number().int(),
  responderName: z.string().nullable(),
  acknowledgedByName: z.string().nullable(),
  createdAt: Instant,
  answeredAt: Instant.nullable(),
  acknowledgedAt: Instant.nullable(),
  resolvedAt: Instant.nullable(),
  /** One line for the person who pressed the button: what is happening now. */
  headline: z.string(),
  timeline: z.array(EmergencyEvent),
  can: z.object({ answer: z.boolean(), acknowledge: z.boolean(), resolve: z.boolean(), cancel: z.boolean() }),
});
export type EmergencyCall = z.infer<typeof EmergencyCall>;
export const EmergencyCallList = z.object({ items: z.array(EmergencyCall) });
export const RaiseEmergencyBody = z.object({ testMode: z.boolean().default(false) }).strict();
export const ResolveEmergencyBody = z.object({ note: Text(300).default('') }).strict();
/** The in-app banner: calls the caller must see now (works with no subscribe quota at all). */
export const EmergencyBanner = z.object({ items: z.array(EmergencyCall) });

// ---- well-being check-ins -----------------------------------------------------------------------

export const CheckinPlan = z.object({
  elderId: Id,
  mode: z.enum(['daily_tap', 'weekly_visit']),
  dueMin: z.number().int(),
  graceMin: z.number().int(),
  visitWeekday: z.number().int(),
  active: z.boolean(),
});
export const CheckinToday = z.object({
  plan: CheckinPlan.nullable(),
  date: LocalDate,
  checkedInAt: Instant.nullable(),
  /** When today's tap is due (local due time), null without a daily plan. */
  dueAt: Instant.nullable(),
  streak: z.number().int(),
});
export const SaveCheckinPlanBody = z
  .object({
    mode: z.enum(['daily_tap', 'weekly_visit']),
    dueMin: z.number().int().min(0).max(1439),
    graceMin: z.number().int().min(10).max(720),
    visitWeekday: z.number().int().min(0).max(6),
    active: z.boolean(),
  })
  .partial()
  .strict();
export const CheckinBoard = z.object({
  date: LocalDate,
  items: z.array(
    z.object({
      elderId: Id,
      elderName: z.string(),
      address: z.string().nullable(),
      mode: z.enum(['daily_tap', 'weekly_visit']),
      state: z.enum(['ok', 'waiting', 'late', 'alerted_family', 'alerted_staff']),
      checkedInAt: Instant.nullable(),
      dueAt: Instant.nullable(),
    }),
  ),
});

// ---- the produce run ----------------------------------------------------------------------------

export const ErrandConsent = z.object({
  enabled: z.boolean(),
  afterHours: z.number().int(),
  updatedAt: Instant.nullable(),
});
export const SaveErrandConsentBody = z
  .object({ enabled: z.boolean(), afterHours: z.number().int().min(1).max(48).default(4) })
  .strict();
/** An elder (or family) asks for a locker order to be brought up now. */
export const BringOrderBody = z.object({ orderId: Id, note: Text(300).default('') }).strict();
