import { z } from 'zod';
import { CursorQuery } from '../contracts/common';
import {
  Alert,
  AlertList,
  CommunityActivity,
  CommunityActivityList,
  CommunityActivityQuery,
  CommunityActivityRoster,
  CommunityCheckinBody,
  CreateAlertBody,
  CreateCommunityActivityBody,
  CreateGroupBody,
  CreateNoticeBody,
  CreatePollBody,
  Group,
  GroupList,
  GroupQuery,
  Notice,
  NoticePage,
  NoticeUnreadPage,
  NoticeUnreadQuery,
  PinNoticeBody,
  Poll,
  PollList,
  StaffAlert,
  StaffAlertList,
  StaffNotice,
  StaffNoticePage,
  UpdateGroupBody,
  UpdateNoticeBody,
  VotePollBody,
} from '../contracts/community';
import type { RouteDef } from './route-def';

const Empty = z.object({}).strict();

/**
 * The community office. Residents (verified members of a community, or a consented family member
 * acting for an elder: `proxy`) under /v1/community; the office's staff under /v1/staff/community
 * (apart from the volunteers' /v1/staff/activities).
 */
export const communityApi = {
  // ---- residents: notices ----
  communityNotices: {
    method: 'GET',
    path: '/v1/community/notices',
    query: CursorQuery,
    response: NoticePage,
    proxy: true,
  },
  /** Opening a notice records the caller's read receipt (once). */
  communityNotice: { method: 'GET', path: '/v1/community/notices/:id', response: Notice, proxy: true },
  // ---- residents: urgent alerts ----
  /** Live alerts the caller has not acknowledged: the banner. */
  communityLiveAlerts: { method: 'GET', path: '/v1/community/alerts/live', response: AlertList, proxy: true },
  communityAlert: { method: 'GET', path: '/v1/community/alerts/:id', response: Alert, proxy: true },
  acknowledgeAlert: {
    method: 'POST',
    path: '/v1/community/alerts/:id/ack',
    body: Empty,
    response: Alert,
    proxy: true,
  },
  // ---- residents: polls ----
  communityPolls: { method: 'GET', path: '/v1/community/polls', response: PollList, proxy: true },
  communityPoll: { method: 'GET', path: '/v1/community/polls/:id', response: Poll, proxy: true },
  votePoll: {
    method: 'POST',
    path: '/v1/community/polls/:id/vote',
    body: VotePollBody,
    response: Poll,
    proxy: true,
  },
  // ---- residents: interest groups ----
  communityGroups: {
    method: 'GET',
    path: '/v1/community/groups',
    query: GroupQuery,
    response: GroupList,
    proxy: true,
  },
  communityGroup: { method: 'GET', path: '/v1/community/groups/:id', response: Group, proxy: true },
  joinGroup: {
    method: 'POST',
    path: '/v1/community/groups/:id/join',
    body: Empty,
    response: Group,
    proxy: true,
  },
  leaveGroup: {
    method: 'POST',
    path: '/v1/community/groups/:id/leave',
    body: Empty,
    response: Group,
    proxy: true,
  },
  // ---- residents: community activities ----
  communityActivities: {
    method: 'GET',
    path: '/v1/community/activities',
    query: CommunityActivityQuery,
    response: CommunityActivityList,
    proxy: true,
  },
  communityActivity: {
    method: 'GET',
    path: '/v1/community/activities/:id',
    response: CommunityActivity,
    proxy: true,
  },
  signUpCommunityActivity: {
    method: 'POST',
    path: '/v1/community/activities/:id/signup',
    body: Empty,
    response: CommunityActivity,
    proxy: true,
  },
  cancelCommunitySignup: {
    method: 'POST',
    path: '/v1/community/activities/:id/cancel',
    body: Empty,
    response: CommunityActivity,
    proxy: true,
  },
  /** At the place, in person: not a proxy route. */
  checkInCommunityActivity: {
    method: 'POST',
    path: '/v1/community/activities/:id/check-in',
    body: CommunityCheckinBody,
    response: CommunityActivity,
  },

  // ---- staff: notices ----
  staffNotices: {
    method: 'GET',
    path: '/v1/staff/community/notices',
    query: CursorQuery,
    response: StaffNoticePage,
  },
  createNotice: {
    method: 'POST',
    path: '/v1/staff/community/notices',
    body: CreateNoticeBody,
    response: StaffNotice,
  },
  staffNotice: { method: 'GET', path: '/v1/staff/community/notices/:id', response: StaffNotice },
  updateNotice: {
    method: 'PATCH',
    path: '/v1/staff/community/notices/:id',
    body: UpdateNoticeBody,
    response: StaffNotice,
  },
  pinNotice: {
    method: 'POST',
    path: '/v1/staff/community/notices/:id/pin',
    body: PinNoticeBody,
    response: StaffNotice,
  },
  withdrawNotice: {
    method: 'POST',
    path: '/v1/staff/community/notices/:id/withdraw',
    body: Empty,
    response: StaffNotice,
  },
  noticeUnread: {
    method: 'GET',
    path: '/v1/staff/community/notices/:id/unread',
    query: NoticeUnreadQuery,
    response: NoticeUnreadPage,
  },
  // ---- staff: urgent alerts ----
  staffAlerts: { method: 'GET', path: '/v1/staff/community/alerts', response: StaffAlertList },
  createAlert: {
    method: 'POST',
    path: '/v1/staff/community/alerts',
    body: CreateAlertBody,
    response: StaffAlert,
  },
  staffAlert: { method: 'GET', path: '/v1/staff/community/alerts/:id', response: StaffAlert },
  withdrawAlert: {
    method: 'POST',
    path: '/v1/staff/community/alerts/:id/withdraw',
    body: Empty,
    response: StaffAlert,
  },
  // ---- staff: polls ----
  staffPolls: { method: 'GET', path: '/v1/staff/community/polls', response: PollList },
  createPoll: { method: 'POST', path: '/v1/staff/community/polls', body: CreatePollBody, response: Poll },
  staffPoll: { method: 'GET', path: '/v1/staff/community/polls/:id', response: Poll },
  closePoll: { method: 'POST', path: '/v1/staff/community/polls/:id/close', body: Empty, response: Poll },
  // ---- staff: interest groups ----
  staffGroups: { method: 'GET', path: '/v1/staff/community/groups', response: GroupList },
  createGroup: { method: 'POST', path: '/v1/staff/community/groups', body: CreateGroupBody, response: Group },
  updateGroup: {
    method: 'PATCH',
    path: '/v1/staff/community/groups/:id',
    body: UpdateGroupBody,
    response: Group,
  },
  // ---- staff: community activities ----
  staffCommunityActivities: {
    method: 'GET',
    path: '/v1/staff/community/activities',
    response: CommunityActivityList,
  },
  createCommunityActivity: {
    method: 'POST',
    path: '/v1/staff/community/activities',
    body: CreateCommunityActivityBody,
    response: CommunityActivity,
  },
  communityActivityRoster: {
    method: 'GET',
    path: '/v1/staff/community/activities/:id/roster',
    response: CommunityActivityRoster,
  },
  cancelCommunityActivity: {
    method: 'POST',
    path: '/v1/staff/community/activities/:id/cancel',
    body: Empty,
    response: CommunityActivity,
  },
} as const satisfies Record<string, RouteDef>;
