import { sql } from 'drizzle-orm';
import { boolean, check, date, pgEnum, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { ROLES } from 'shared';
import { createdAt, idColumn, tstz } from '../../db/schema/_columns';

export const roleEnum = pgEnum('role', ROLES);

export const users = pgTable(
  'users',
  {
    id: idColumn(),
    openid: text('openid').unique(),
    unionid: text('unionid'),
    phone: text('phone').unique(),
    name: text('name').notNull().default(''),
    birthDate: date('birth_date'),
    /** The person's own 长辈模式 choice, kept across devices; null = decided automatically. */
    elderMode: boolean('elder_mode'),
    /**
     * The person's own choice of locker compartments they reach without bending or stretching
     * (a preference of the person, read by lockers); null = automatic (80 and over, family orders).
     */
    reachableCompartments: boolean('reachable_compartments'),
    createdAt: createdAt(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [check('users_phone_format', sql`${t.phone} IS NULL OR ${t.phone} ~ '^1[0-9]{10}$'`)],
);

export const userRoles = pgTable(
  'user_roles',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: roleEnum('role').notNull(),
    grantedAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.role] })],
);
