import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
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
import { POLL_RESULTS_VISIBILITY } from 'shared';
import { createdAt, idColumn, tstz } from '../../db/schema/_columns';
import { users } from '../identity/tables';
import { communities, households } from '../places/tables';
// The same flow as the volunteers' activities, so the same database type.
import { activitySignupStatusEnum } from '../volunteers/tables';

export const pollResultsVisibilityEnum = pgEnum('poll_results_visibility', POLL_RESULTS_VISIBILITY);

/** The community a resource belongs to (its staff manage it, its members see it). */
const communityRef = () =>
  uuid('community_id')
    .notNull()
    .references(() => communities.id);
/** A person who made something (staff keep their history, so no cascade). */
const personRef = (name: string) =>
  uuid(name)
    .notNull()
    .references(() => users.id);
/** A person's own row about something (a read, an acknowledgement, a membership): goes with them. */
const ownRow = () =>
  uuid('user_id')
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' });

// ---- notices ------------------------------------------------------------------------------------

/** 通知公告: published by the community's staff; pinned ones first; withdrawn ones hidden. */
export const communityNotices = pgTable(
  'community_notices',
  {
    id: idColumn(),
    communityId: communityRef(),
    authorId: personRef('author_id'),
    title: text('title').notNull(),
    body: text('body').notNull(),
    /** Upload ids in the order chosen (the uploads are attached to the notice). */
    imageIds: jsonb('image_ids').$type<string[]>().notNull().default([]),
    pinned: boolean('pinned').notNull().default(false),
    publishedAt: tstz('published_at').notNull(),
    editedAt: tstz('edited_at'),
    withdrawnAt: tstz('withdrawn_at'),
    createdAt: createdAt(),
  },
  (t) => [index('community_notices_feed').on(t.communityId, t.pinned, t.publishedAt, t.id)],
);

/** A member opened a notice: once per person (the primary key decides a double tap). */
export const noticeReads = pgTable(
  'community_notice_reads',
  {
    noticeId: uuid('notice_id')
      .notNull()
      .references(() => communityNotices.id, { onDelete: 'cascade' }),
    userId: ownRow(),
    readAt: tstz('read_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.noticeId, t.userId] })],
);

// ---- urgent alerts ------------------------------------------------------------------------------

/** 紧急通知: ≤ 110 characters to every member, fanned out in chunks. */
export const communityAlerts = pgTable(
  'community_alerts',
  {
    id: idColumn(),
    communityId: communityRef(),
    authorId: personRef('author_id'),
    text: text('text').notNull(),
    /** Members when it was sent (the fan-out's target). */
    members: integer('members').notNull(),
    /** Inbox rows written so far (each chunk adds what it wrote, once). */
    reached: integer('reached').notNull().default(0),
    /** Chunks not yet done; the last one to finish stamps `delivered_at`. */
    chunksLeft: integer('chunks_left').notNull(),
    deliveredAt: tstz('delivered_at'),
    withdrawnAt: tstz('withdrawn_at'),
    createdAt: createdAt(),
  },
  (t) => [
    index('community_alerts_recent').on(t.communityId, t.createdAt),
    check('community_alerts_text_length', sql`char_length(${t.text}) BETWEEN 1 AND 110`),
    check('community_alerts_chunks', sql`${t.chunksLeft} >= 0`),
  ],
);

/**
 * The fan-out's chunks (an alert's or a notice's inbox rows): members in a user-id range
 * (after, upTo], planned when it is sent. A chunk is done once; its job carries only
 * (kind, subject, seq), so a forged job cannot pick a range, and a replayed one finds it done.
 */
export const fanoutChunks = pgTable(
  'community_fanout_chunks',
  {
    kind: text('kind').$type<'alert' | 'notice'>().notNull(),
    subjectId: uuid('subject_id').notNull(),
    seq: integer('seq').notNull(),
    afterUser: uuid('after_user'),
    upToUser: uuid('up_to_user'),
    doneAt: tstz('done_at'),
  },
  (t) => [
    primaryKey({ columns: [t.kind, t.subjectId, t.seq] }),
    check('community_fanout_chunks_kind', sql`${t.kind} IN ('alert', 'notice')`),
  ],
);

/** A member acknowledged an alert: its banner goes away. */
export const alertAcks = pgTable(
  'community_alert_acks',
  {
    alertId: uuid('alert_id')
      .notNull()
      .references(() => communityAlerts.id, { onDelete: 'cascade' }),
    userId: ownRow(),
    ackedAt: tstz('acked_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.alertId, t.userId] })],
);

// ---- polls --------------------------------------------------------------------------------------

/** 议事: a question with 2–10 options, open in a window, one vote per household. */
export const polls = pgTable(
  'community_polls',
  {
    id: idColumn(),
    communityId: communityRef(),
    authorId: personRef('author_id'),
    question: text('question').notNull(),
    description: text('description').notNull().default(''),
    options: jsonb('options').$type<string[]>().notNull(),
    multiple: boolean('multiple').notNull().default(false),
    maxChoices: smallint('max_choices').notNull(),
    opensAt: tstz('opens_at').notNull(),
    closesAt: tstz('closes_at').notNull(),
    closedAt: tstz('closed_at'),
    resultsVisibility: pollResultsVisibilityEnum('results_visibility').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('community_polls_recent').on(t.communityId, t.closesAt),
    check('community_polls_window', sql`${t.closesAt} > ${t.opensAt}`),
    check(
      'community_polls_options',
      sql`jsonb_array_length(${t.options}) BETWEEN 2 AND 10 AND ${t.maxChoices} BETWEEN 1 AND jsonb_array_length(${t.options})`,
    ),
  ],
);

/** The household's one vote: the primary key decides two members voting at once. */
export const pollVotes = pgTable(
  'community_poll_votes',
  {
    pollId: uuid('poll_id')
      .notNull()
      .references(() => polls.id, { onDelete: 'cascade' }),
    householdId: uuid('household_id')
      .notNull()
      .references(() => households.id),
    /** The member who cast it (an elder's family votes as the elder). */
    userId: personRef('user_id'),
    choices: smallint('choices').array().notNull(),
    votedAt: tstz('voted_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.pollId, t.householdId] }),
    check('community_poll_votes_choices', sql`cardinality(${t.choices}) >= 1`),
  ],
);

// ---- interest groups ----------------------------------------------------------------------------

/** 兴趣小组: set up by staff (so a group speaks for the community), joined by members. */
export const interestGroups = pgTable(
  'community_groups',
  {
    id: idColumn(),
    communityId: communityRef(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    /** Kept by join/leave in the same statement as the membership row: never drifts. */
    memberCount: integer('member_count').notNull().default(0),
    createdBy: personRef('created_by'),
    archivedAt: tstz('archived_at'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('community_groups_name').on(t.communityId, t.name),
    check('community_groups_count', sql`${t.memberCount} >= 0`),
  ],
);

export const groupMembers = pgTable(
  'community_group_members',
  {
    groupId: uuid('group_id')
      .notNull()
      .references(() => interestGroups.id, { onDelete: 'cascade' }),
    userId: ownRow(),
    joinedAt: tstz('joined_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.userId] }), index('community_group_members_user').on(t.userId)],
);

// ---- community activities -----------------------------------------------------------------------

/** 社区活动: capacity, sign-up with a waitlist, reminders, check-in with a code. */
export const communityActivities = pgTable(
  'community_activities',
  {
    id: idColumn(),
    communityId: communityRef(),
    groupId: uuid('group_id').references(() => interestGroups.id),
    organiserId: personRef('organiser_id'),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    place: text('place').notNull(),
    startsAt: tstz('starts_at').notNull(),
    endsAt: tstz('ends_at').notNull(),
    capacity: integer('capacity').notNull(),
    checkinCode: text('checkin_code').notNull(),
    cancelledAt: tstz('cancelled_at'),
    createdAt: createdAt(),
  },
  (t) => [
    index('community_activities_upcoming').on(t.communityId, t.startsAt),
    check('community_activities_times', sql`${t.endsAt} > ${t.startsAt}`),
    check('community_activities_capacity', sql`${t.capacity} > 0`),
  ],
);

export const communitySignups = pgTable(
  'community_activity_signups',
  {
    activityId: uuid('activity_id')
      .notNull()
      .references(() => communityActivities.id),
    userId: personRef('user_id'),
    status: activitySignupStatusEnum('status').notNull(),
    /** Order of sign-up: the waitlist promotes the lowest first. */
    seq: integer('seq').notNull(),
    signedAt: tstz('signed_at').notNull(),
    checkedInAt: tstz('checked_in_at'),
  },
  (t) => [
    primaryKey({ columns: [t.activityId, t.userId] }),
    uniqueIndex('community_activity_signups_seq').on(t.activityId, t.seq),
  ],
);
