import { communityPolicies } from './access';
import { communityActivities, communityAlerts, communityNotices, interestGroups, polls } from './tables';

/** Who may touch which community-office resource by id: members of its community, or its staff. */
export const noticePolicies = communityPolicies('notice', communityNotices);
export const alertPolicies = communityPolicies('alert', communityAlerts);
export const pollPolicies = communityPolicies('poll', polls);
export const groupPolicies = communityPolicies('group', interestGroups);
export const activityPolicies = communityPolicies('activity', communityActivities);
