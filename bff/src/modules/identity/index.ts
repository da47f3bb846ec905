import type { LinliModule } from '../../module';
import { seedIdentity } from './seed';

/** People and roles (users, user_roles): the other modules' one way to them. */
export const identityModule: LinliModule = {
  seed: seedIdentity,
  name: 'identity',
};

export {
  grantRole,
  holdersOf,
  peopleByIds,
  renameUser,
  roleNamesOf,
  rolesOf,
  setElderModeChoice,
  setReachChoice,
  type UserRow,
  upsertByOpenid,
  upsertByPhone,
  userById,
  userByPhone,
  withBirthDate,
} from './service';
