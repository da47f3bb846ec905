import type { LinliModule } from '../../module';

/** People and roles (users, user_roles): the other modules' one way to them. */
export const identityModule: LinliModule = { name: 'identity' };

export {
  grantRole,
  holdersOf,
  peopleByIds,
  renameUser,
  rolesOf,
  type UserRow,
  upsertByOpenid,
  upsertByPhone,
  userById,
  userByPhone,
} from './service';
