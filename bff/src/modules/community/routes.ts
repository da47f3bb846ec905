import type { FastifyInstance } from 'fastify';
import { route } from '../../http/route';
import {
  cancelActivity,
  cancelSignup,
  checkIn,
  createActivity,
  listActivities,
  memberActivity,
  roster,
  signUp,
  staffActivityList,
} from './activities';
import {
  acknowledgeAlert,
  createAlert,
  liveAlerts,
  memberAlert,
  staffAlert,
  staffAlertList,
  withdrawAlert,
} from './alerts';
import {
  createGroup,
  joinGroup,
  leaveGroup,
  listGroups,
  memberGroup,
  staffGroupList,
  updateGroup,
} from './groups';
import {
  createNotice,
  listNotices,
  noticeUnread,
  openNotice,
  pinNotice,
  staffNotice,
  staffNoticeList,
  updateNotice,
  withdrawNotice,
} from './notices';
import { closePoll, createPoll, listPolls, memberPoll, staffPoll, staffPollList, votePoll } from './polls';

/**
 * The community office's routes. Residents' routes need no role: being a verified member of the
 * community is checked against the data (policies and `memberCommunities`). Staff routes need the
 * staff role and reach only the communities the staff member runs.
 */
export async function communityRoutes(app: FastifyInstance) {
  const deps = app.deps;
  // ---- residents ----
  route(app, 'communityNotices', { handler: ({ actor, query }) => listNotices(deps, actor, query) });
  route(app, 'communityNotice', { handler: ({ actor, params }) => openNotice(deps, actor, params.id) });
  route(app, 'communityLiveAlerts', { handler: ({ actor }) => liveAlerts(deps, actor) });
  route(app, 'communityAlert', { handler: ({ actor, params }) => memberAlert(deps, actor, params.id) });
  route(app, 'acknowledgeAlert', {
    handler: ({ actor, params }) => acknowledgeAlert(deps, actor, params.id),
  });
  route(app, 'communityPolls', { handler: ({ actor }) => listPolls(deps, actor) });
  route(app, 'communityPoll', { handler: ({ actor, params }) => memberPoll(deps, actor, params.id) });
  route(app, 'votePoll', { handler: ({ actor, params, body }) => votePoll(deps, actor, params.id, body) });
  route(app, 'communityGroups', { handler: ({ actor, query }) => listGroups(deps, actor, query) });
  route(app, 'communityGroup', { handler: ({ actor, params }) => memberGroup(deps, actor, params.id) });
  route(app, 'joinGroup', { handler: ({ actor, params }) => joinGroup(deps, actor, params.id) });
  route(app, 'leaveGroup', { handler: ({ actor, params }) => leaveGroup(deps, actor, params.id) });
  route(app, 'communityActivities', { handler: ({ actor, query }) => listActivities(deps, actor, query) });
  route(app, 'communityActivity', { handler: ({ actor, params }) => memberActivity(deps, actor, params.id) });
  route(app, 'signUpCommunityActivity', { handler: ({ actor, params }) => signUp(deps, actor, params.id) });
  route(app, 'cancelCommunitySignup', {
    handler: ({ actor, params }) => cancelSignup(deps, actor, params.id),
  });
  route(app, 'checkInCommunityActivity', {
    handler: ({ actor, params, body }) => checkIn(deps, actor, params.id, body.code),
  });

  // ---- staff ----
  const config = { roles: ['staff' as const] };
  route(app, 'staffNotices', { config, handler: ({ actor, query }) => staffNoticeList(deps, actor, query) });
  route(app, 'createNotice', {
    config,
    status: 201,
    handler: ({ actor, body }) => createNotice(deps, actor, body),
  });
  route(app, 'staffNotice', { config, handler: ({ actor, params }) => staffNotice(deps, actor, params.id) });
  route(app, 'updateNotice', {
    config,
    handler: ({ actor, params, body }) => updateNotice(deps, actor, params.id, body),
  });
  route(app, 'pinNotice', {
    config,
    handler: ({ actor, params, body }) => pinNotice(deps, actor, params.id, body.pinned),
  });
  route(app, 'withdrawNotice', {
    config,
    handler: ({ actor, params }) => withdrawNotice(deps, actor, params.id),
  });
  route(app, 'noticeUnread', {
    config,
    handler: ({ actor, params, query }) => noticeUnread(deps, actor, params.id, query),
  });
  route(app, 'staffAlerts', { config, handler: ({ actor }) => staffAlertList(deps, actor) });
  route(app, 'createAlert', {
    config,
    status: 201,
    handler: ({ actor, body }) => createAlert(deps, actor, body),
  });
  route(app, 'staffAlert', { config, handler: ({ actor, params }) => staffAlert(deps, actor, params.id) });
  route(app, 'withdrawAlert', {
    config,
    handler: ({ actor, params }) => withdrawAlert(deps, actor, params.id),
  });
  route(app, 'staffPolls', { config, handler: ({ actor }) => staffPollList(deps, actor) });
  route(app, 'createPoll', {
    config,
    status: 201,
    handler: ({ actor, body }) => createPoll(deps, actor, body),
  });
  route(app, 'staffPoll', { config, handler: ({ actor, params }) => staffPoll(deps, actor, params.id) });
  route(app, 'closePoll', { config, handler: ({ actor, params }) => closePoll(deps, actor, params.id) });
  route(app, 'staffGroups', { config, handler: ({ actor }) => staffGroupList(deps, actor) });
  route(app, 'createGroup', {
    config,
    status: 201,
    handler: ({ actor, body }) => createGroup(deps, actor, body),
  });
  route(app, 'updateGroup', {
    config,
    handler: ({ actor, params, body }) => updateGroup(deps, actor, params.id, body),
  });
  route(app, 'staffCommunityActivities', { config, handler: ({ actor }) => staffActivityList(deps, actor) });
  route(app, 'createCommunityActivity', {
    config,
    status: 201,
    handler: ({ actor, body }) => createActivity(deps, actor, body),
  });
  route(app, 'communityActivityRoster', {
    config,
    handler: ({ actor, params }) => roster(deps, actor, params.id),
  });
  route(app, 'cancelCommunityActivity', {
    config,
    handler: ({ actor, params }) => cancelActivity(deps, actor, params.id),
  });
}
