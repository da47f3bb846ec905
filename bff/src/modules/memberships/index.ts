import type { LinliModule } from '../../module';
import { membershipRoutes } from './routes';
import { seedMemberships } from './seed';

/** A person asks to be recorded as living in a household; staff of that community decide once. */
export const membershipsModule: LinliModule = {
  seed: seedMemberships,
  name: 'memberships',
  routes: membershipRoutes,
};

export {
  approvedCompounds,
  communityMembers,
  isApprovedMember,
  memberCommunityIds,
  memberCompounds,
  membershipsOf,
  residentsRunBy,
  staffMemberships,
  verifiedResidents,
} from './service';
