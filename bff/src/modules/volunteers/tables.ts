import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import {
  type AvailabilitySlot,
  activitySignupFlow,
  emergencyFlow,
  helpTaskFlow,
  TASK_SOURCES,
  TASK_URGENCIES,
  taskHoursFlow,
  volunteerFlow,
} from 'shared';
import { createdAt, enumValues, idColumn, tstz } from '../../db/schema/_columns';
import { careItems } from '../care/tables';
import { users } from '../identity/tables';
import { orders } from '../orders/tables';
import { buildings, communities, compounds, households } from '../places/tables';

export const volunteerStatusEnum = pgEnum('volunteer_status', enumValues(volunteerFlow.states));
export const helpTaskStatusEnum = pgEnum('help_task_status', enumValues(helpTaskFlow.states));
export const taskHoursStatusEnum = pgEnum('task_hours_status', enumValues(taskHoursFlow.states));
export const taskSourceEnum = pgEnum('help_task_source', TASK_SOURCES);
export const taskUrgencyEnum = pgEnum('help_task_urgency', TASK_URGENCIES);
export const emergencyStatusEnum = pgEnum('emergency_status', enumValues(emergencyFlow.states));
export const activitySignupStatusEnum = pgEnum(
  'activity_signup_status',
  enumValues(activitySignupFlow.states),
);
export const timeBankKindEnum = pgEnum('time_bank_kind', ['credit', 'debit', 'correction']);
export const checkinModeEnum = pgEnum('checkin_mode', ['daily_tap', 'weekly_visit']);

/**
 * A volunteer's real-name profile, verified by the community's staff (like a merchant). Home is a
 * compound (and a building when given): its coordinates place the volunteer for matching.
 */
export const volunteers = pgTable(
  'volunteers',
  {
    userId: uuid('user_id')
      .primaryKey()
      .references(() => users.id),
    communityId: uuid('community_id')
      .notNull()
      .references(() => communities.id),
    compoundId: uuid('compound_id')
      .notNull()
      .references(() => compounds.id),
    buildingId: uuid('building_id').references(() => buildings.id),
    realName: text('real_name').notNull(),
    /** The last four characters of the ID card number: enough for staff to match the card they see. */
    idTail: text('id_tail').notNull(),
    skills: text('skills').array().notNull().default(sql`'{}'::text[]`),
    availability: jsonb('availability').$type<AvailabilitySlot[]>().notNull().default([]),
    weeklyCapMin: integer('weekly_cap_min').notNull().default(600),
    status: volunteerStatusEnum('status').notNull().default('pending'),
    /** On duty: receives offers. The volunteer's own switch. */
    onDuty: boolean('on_duty').notNull().default(true),
    /** Paused until this instant (a holiday); offers skip them meanwhile. */
    pausedUntil: tstz('paused_until'),
    reviewNote: text('review_note'),
    reviewedBy: uuid('reviewed_by').references(() => users.id),
    reviewedAt: tstz('reviewed_at'),
    suspendReason: text('suspend_reason'),
    ratingSum: integer('rating_sum').notNull().default(0),
    ratingCount: integer('rating_count').notNull().default(0),
    leaderboardOptOut: boolean('leaderboard_opt_out').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('volunteers_community').on(t.communityId, t.status),
    check('volunteers_cap', sql`${t.weeklyCapMin} BETWEEN 0 AND 4200`),
    check('volunteers_id_tail', sql`${t.idTail} ~ '^[0-9]{3}[0-9Xx]$'`),
  ],
);

/**
 * A help task for an elder: raised by the elder or a consented family member, made from a
 * volunteer-performed care item, by staff, or by the produce run (a locker order not collected).
 * `paidBy` spends the payer's banked minutes on it (held at creation, returned if nobody does it).
 */
export const helpTasks = pgTable(
  'help_tasks',
  {
    id: idColumn(),
    communityId: uuid('community_id')
      .notNull()
      .references(() => communities.id),
    compoundId: uuid('compound_id')
      .notNull()
      .references(() => compounds.id),
    householdId: uuid('household_id')
      .notNull()
      .references(() => households.id),
    elderId: uuid('elder_id')
      .notNull()
      .references(() => users.id),
    raisedBy: uuid('raised_by')
      .notNull()
      .references(() => users.id),
    source: taskSourceEnum('source').notNull(),
    skill: text('skill').notNull(),
    title: text('title').notNull(),
    note: text('note').notNull().default(''),
    careItemId: uuid('care_item_id').references(() => careItems.id),
    orderId: uuid('order_id').references(() => orders.id),
    windowStart: tstz('window_start').notNull(),
    windowEnd: tstz('window_end').notNull(),
    durationMin: integer('duration_min').notNull(),
    urgency: taskUrgencyEnum('urgency').notNull().default('normal'),
    deadline: tstz('deadline').notNull(),
    status: helpTaskStatusEnum('status').notNull().default('open'),
    /** The last wave sent (0 = none yet). */
    wave: smallint('wave').notNull().default(0),
    volunteerId: uuid('volunteer_id').references(() => users.id),
    acceptedAt: tstz('accepted_at'),
    /** The code the elder shows at the door; the volunteer enters it to start. */
    checkinCode: text('checkin_code').notNull(),
    /** Wrong codes in a row at the door; five lock code entry for this task until staff help. */
    codeAttempts: smallint('code_attempts').notNull().default(0),
    startedAt: tstz('started_at'),
    finishedAt: tstz('finished_at'),
    cancelledAt: tstz('cancelled_at'),
    cancelReason: text('cancel_reason'),
    /** Minutes the volunteer claims at the end; credited once confirmed. */
    minutes: integer('minutes'),
    hoursStatus: taskHoursStatusEnum('hours_status'),
    elderConfirmedAt: tstz('elder_confirmed_at'),
    hoursConfirmBy: tstz('hours_confirm_by'),
    disputeNote: text('dispute_note'),
    resolvedMinutes: integer('resolved_minutes'),
    rating: smallint('rating'),
    paidBy: uuid('paid_by').references(() => users.id),
    paidMinutes: integer('paid_minutes').notNull().default(0),
    version: integer('version').notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    index('help_tasks_community_status').on(t.communityId, t.status, t.deadline),
    index('help_tasks_elder').on(t.elderId, t.createdAt),
    index('help_tasks_volunteer').on(t.volunteerId, t.status),
    /** One produce-run task per order. */
    uniqueIndex('help_tasks_one_per_order').on(t.orderId).where(sql`${t.source} = 'locker_errand'`),
    check('help_tasks_window', sql`${t.windowEnd} > ${t.windowStart}`),
    check('help_tasks_duration', sql`${t.durationMin} BETWEEN 10 AND 480`),
    check('help_tasks_minutes', sql`${t.minutes} IS NULL OR ${t.minutes} BETWEEN 1 AND 720`),
    check('help_tasks_rating', sql`${t.rating} IS NULL OR ${t.rating} BETWEEN 1 AND 5`),
    check(
      'help_tasks_paid',
      sql`${t.paidMinutes} >= 0 AND (${t.paidMinutes} = 0 OR ${t.paidBy} IS NOT NULL)`,
    ),
    check(
      'help_tasks_volunteer_when_taken',
      sql`${t.status} NOT IN ('accepted', 'in_progress', 'done') OR ${t.volunteerId} IS NOT NULL`,
    ),
  ],
);

/** Who was offered a task in which wave, and who declined it and why. */
export const taskOffers = pgTable(
  'task_offers',
  {
    taskId: uuid('task_id')
      .notNull()
      .references(() => helpTasks.id),
    volunteerId: uuid('volunteer_id')
      .notNull()
      .references(() => users.id),
    wave: smallint('wave').notNull(),
    score: doublePrecision('score').notNull(),
    offeredAt: tstz('offered_at').notNull(),
    declinedAt: tstz('declined_at'),
    declineReason: text('decline_reason'),
  },
  (t) => [
    primaryKey({ columns: [t.taskId, t.volunteerId] }),
    index('task_offers_volunteer').on(t.volunteerId, t.offeredAt),
  ],
);

/** A volunteer's time-bank balance; moved only together with a ledger row, by one conditional UPDATE. */
export const timeBankAccounts = pgTable(
  'time_bank_accounts',
  {
    userId: uuid('user_id')
      .primaryKey()
      .references(() => users.id),
    balanceMin: integer('balance_min').notNull().default(0),
    /** Every minute ever credited (star levels count earned hours, not what is left). */
    earnedMin: integer('earned_min').notNull().default(0),
  },
  (t) => [check('time_bank_balance', sql`${t.balanceMin} >= 0`)],
);

/** The time bank's history: credits, debits and corrections; rows are added, never changed. */
export const timeBankLedger = pgTable(
  'time_bank_ledger',
  {
    id: idColumn(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    kind: timeBankKindEnum('kind').notNull(),
    /** Signed minutes: credits positive, debits negative, a correction either. */
    deltaMin: integer('delta_min').notNull(),
    reason: text('reason').notNull(),
    taskId: uuid('task_id').references(() => helpTasks.id),
    activityId: uuid('activity_id'),
    correctsId: uuid('corrects_id'),
    createdBy: uuid('created_by').references(() => users.id),
    /** Same event, same key: a replayed credit is refused by the index. */
    dedupeKey: text('dedupe_key').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('time_bank_ledger_dedupe').on(t.dedupeKey),
    index('time_bank_ledger_user').on(t.userId, t.createdAt),
    check('time_bank_ledger_sign', sql`${t.deltaMin} <> 0`),
  ],
);

/** An activity needing volunteers (a clean-up, a health check day). */
export const volunteerActivities = pgTable(
  'volunteer_activities',
  {
    id: idColumn(),
    communityId: uuid('community_id')
      .notNull()
      .references(() => communities.id),
    organiserId: uuid('organiser_id')
      .notNull()
      .references(() => users.id),
    organiserName: text('organiser_name').notNull(),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    place: text('place').notNull(),
    startsAt: tstz('starts_at').notNull(),
    endsAt: tstz('ends_at').notNull(),
    capacity: integer('capacity').notNull(),
    /** Minutes credited to each volunteer who checks out. */
    creditMin: integer('credit_min').notNull(),
    /** The code shown at the place; volunteers enter it to check in. */
    checkinCode: text('checkin_code').notNull(),
    cancelledAt: tstz('cancelled_at'),
    createdAt: createdAt(),
  },
  (t) => [
    index('volunteer_activities_community').on(t.communityId, t.startsAt),
    check('volunteer_activities_time', sql`${t.endsAt} > ${t.startsAt}`),
    check('volunteer_activities_capacity', sql`${t.capacity} BETWEEN 1 AND 1000`),
    check('volunteer_activities_credit', sql`${t.creditMin} BETWEEN 0 AND 720`),
  ],
);

export const activitySignups = pgTable(
  'activity_signups',
  {
    activityId: uuid('activity_id')
      .notNull()
      .references(() => volunteerActivities.id),
    volunteerId: uuid('volunteer_id')
      .notNull()
      .references(() => users.id),
    status: activitySignupStatusEnum('status').notNull(),
    /** Order of sign-up: the waitlist promotes the lowest first. */
    seq: integer('seq').notNull(),
    signedAt: tstz('signed_at').notNull(),
    checkedInAt: tstz('checked_in_at'),
    checkedOutAt: tstz('checked_out_at'),
  },
  (t) => [
    primaryKey({ columns: [t.activityId, t.volunteerId] }),
    index('activity_signups_volunteer').on(t.volunteerId),
  ],
);

/** A named group of volunteers staff can call out with one broadcast. */
export const emergencyTeams = pgTable('emergency_teams', {
  id: idColumn(),
  communityId: uuid('community_id')
    .notNull()
    .references(() => communities.id),
  name: text('name').notNull(),
  createdAt: createdAt(),
});

export const emergencyTeamMembers = pgTable(
  'emergency_team_members',
  {
    teamId: uuid('team_id')
      .notNull()
      .references(() => emergencyTeams.id),
    volunteerId: uuid('volunteer_id')
      .notNull()
      .references(() => users.id),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.volunteerId] })],
);

export const teamActivations = pgTable('team_activations', {
  id: idColumn(),
  teamId: uuid('team_id')
    .notNull()
    .references(() => emergencyTeams.id),
  message: text('message').notNull(),
  activatedBy: uuid('activated_by')
    .notNull()
    .references(() => users.id),
  createdAt: createdAt(),
});

/** One press of 一键求助. */
export const emergencyCalls = pgTable(
  'emergency_calls',
  {
    id: idColumn(),
    elderId: uuid('elder_id')
      .notNull()
      .references(() => users.id),
    raisedBy: uuid('raised_by')
      .notNull()
      .references(() => users.id),
    communityId: uuid('community_id')
      .notNull()
      .references(() => communities.id),
    householdId: uuid('household_id')
      .notNull()
      .references(() => households.id),
    status: emergencyStatusEnum('status').notNull().default('raised'),
    /** A drill: everyone is told it is a test, and no subscribe message is sent. */
    testMode: boolean('test_mode').notNull().default(false),
    /** Escalation rounds sent so far (round 0 is the first call). */
    round: smallint('round').notNull().default(0),
    responderId: uuid('responder_id').references(() => users.id),
    answeredAt: tstz('answered_at'),
    acknowledgedBy: uuid('acknowledged_by').references(() => users.id),
    acknowledgedAt: tstz('acknowledged_at'),
    resolvedAt: tstz('resolved_at'),
    note: text('note'),
    createdAt: createdAt(),
  },
  (t) => [
    index('emergency_calls_community').on(t.communityId, t.createdAt),
    index('emergency_calls_elder').on(t.elderId),
  ],
);

/** The call's timeline: who was told (and how), who answered, who acknowledged. Append-only. */
export const emergencyEvents = pgTable(
  'emergency_events',
  {
    id: idColumn(),
    callId: uuid('call_id')
      .notNull()
      .references(() => emergencyCalls.id),
    kind: text('kind').notNull(),
    userId: uuid('user_id').references(() => users.id),
    /** inbox, wechat, banner, or none for a state change. */
    channel: text('channel'),
    round: smallint('round').notNull().default(0),
    detail: text('detail').notNull().default(''),
    createdAt: createdAt(),
  },
  (t) => [index('emergency_events_call').on(t.callId, t.createdAt)],
);

/**
 * A scheduled well-being check-in for an elder who lives alone: a daily 我很好 tap by a local
 * time, or a weekly visit task. The grace period runs from the due time.
 */
export const checkinPlans = pgTable(
  'checkin_plans',
  {
    elderId: uuid('elder_id')
      .primaryKey()
      .references(() => users.id),
    communityId: uuid('community_id')
      .notNull()
      .references(() => communities.id),
    mode: checkinModeEnum('mode').notNull().default('daily_tap'),
    /** Minutes after local midnight by which the daily tap is due. */
    dueMin: integer('due_min').notNull().default(600),
    graceMin: integer('grace_min').notNull().default(60),
    /** Local weekday (0 = Sunday) of the weekly visit. */
    visitWeekday: smallint('visit_weekday').notNull().default(3),
    active: boolean('active').notNull().default(true),
    updatedBy: uuid('updated_by').references(() => users.id),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    check('checkin_plans_due', sql`${t.dueMin} BETWEEN 0 AND 1439`),
    check('checkin_plans_grace', sql`${t.graceMin} BETWEEN 10 AND 720`),
    check('checkin_plans_weekday', sql`${t.visitWeekday} BETWEEN 0 AND 6`),
  ],
);

/** One row per elder and local day checked in. */
export const checkins = pgTable(
  'checkins',
  {
    elderId: uuid('elder_id')
      .notNull()
      .references(() => users.id),
    date: date('date').notNull(),
    at: tstz('at').notNull(),
    by: uuid('by')
      .notNull()
      .references(() => users.id),
  },
  (t) => [primaryKey({ columns: [t.elderId, t.date] })],
);

/** A missed check-in's alerts, once per elder, day and stage (family first, then staff). */
export const checkinAlerts = pgTable(
  'checkin_alerts',
  {
    elderId: uuid('elder_id')
      .notNull()
      .references(() => users.id),
    date: date('date').notNull(),
    stage: text('stage').notNull(),
    at: tstz('at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.elderId, t.date, t.stage] })],
);

/**
 * The elder's prior consent to the produce run: a locker order not collected `afterHours` after
 * the drop becomes a help task.
 */
export const errandConsents = pgTable(
  'errand_consents',
  {
    elderId: uuid('elder_id')
      .primaryKey()
      .references(() => users.id),
    enabled: boolean('enabled').notNull().default(false),
    afterHours: integer('after_hours').notNull().default(4),
    updatedBy: uuid('updated_by')
      .notNull()
      .references(() => users.id),
    updatedAt: tstz('updated_at').notNull(),
  },
  (t) => [check('errand_consents_hours', sql`${t.afterHours} BETWEEN 1 AND 48`)],
);
