import { index, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, idColumn, tstz } from '../../db/schema/_columns';
import { users } from '../identity/tables';

/** WeChat's session_key stays here and never leaves the server. */
export const wechatSessions = pgTable('wechat_sessions', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  sessionKey: text('session_key').notNull(),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
});

/**
 * Rotating refresh tokens. Only a hash is stored. Tokens of one login share a family: reuse of a
 * rotated token revokes the whole family (it was stolen or replayed).
 */
export const refreshTokens = pgTable(
  'refresh_tokens',
  {
    id: idColumn(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    familyId: uuid('family_id').notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    expiresAt: tstz('expires_at').notNull(),
    usedAt: tstz('used_at'),
    revokedAt: tstz('revoked_at'),
    createdAt: createdAt(),
  },
  // Every authenticated request asks whether its login (family) was revoked.
  (t) => [index('refresh_tokens_family').on(t.familyId)],
);
