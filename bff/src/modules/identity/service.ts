import { and, eq, inArray, isNotNull, type Placeholder, type SQLWrapper, sql } from 'drizzle-orm';
import type { Role } from 'shared';
import { announceHere, CHANNELS } from '../../db/change-feed';
import type { DbOrTx } from '../../db/client';
import { compiledSelect } from '../../db/compiled';
import { userRoles, users } from './tables';

export type UserRow = typeof users.$inferSelect;

/**
 * People and their roles. Every other module reads a person and grants or removes a role through
 * these functions; none touches the tables.
 */

// Read on most requests (/v1/me, every view with a name): its text is built once, not per call.
const userRow = compiledSelect<{ id: string }, ReturnType<typeof selectUser>>((db, p) =>
  selectUser(db, p('id')),
);
const selectUser = (db: DbOrTx, id: SQLWrapper) => db.select().from(users).where(eq(users.id, id));

export async function userById(db: DbOrTx, id: string): Promise<UserRow | undefined> {
  const [u] = await userRow(db, { id });
  return u;
}

export async function userByPhone(db: DbOrTx, phone: string): Promise<UserRow | undefined> {
  const [u] = await db.select().from(users).where(eq(users.phone, phone));
  return u;
}

/** People by id, for the views of other modules (names next to orders, members, links). */
export async function peopleByIds(db: DbOrTx, ids: string[]): Promise<Map<string, UserRow>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db.select().from(users).where(inArray(users.id, unique));
  return new Map(rows.map((u) => [u.id, u]));
}

/** Signs in by phone (development): the person with that number, made on first sight. */
export async function upsertByPhone(db: DbOrTx, phone: string, at: Date): Promise<string> {
  const [u] = await db
    .insert(users)
    .values({ phone })
    .onConflictDoUpdate({ target: users.phone, set: { updatedAt: at } })
    .returning({ id: users.id });
  return u!.id;
}

/** Signs in with WeChat: the person with that openid, made on first sight. */
export async function upsertByOpenid(
  db: DbOrTx,
  ids: { openid: string; unionid: string | null },
  at: Date,
): Promise<string> {
  const [u] = await db
    .insert(users)
    .values(ids)
    .onConflictDoUpdate({ target: users.openid, set: { unionid: ids.unionid, updatedAt: at } })
    .returning({ id: users.id });
  return u!.id;
}

export async function renameUser(tx: DbOrTx, id: string, name: string, at: Date): Promise<void> {
  await tx.update(users).set({ name, updatedAt: at }).where(eq(users.id, id));
}

/** The person's own elder-mode choice (true/false), or null to let the app decide again. */
export async function setElderModeChoice(
  tx: DbOrTx,
  id: string,
  on: boolean | null,
  at: Date,
): Promise<void> {
  await tx.update(users).set({ elderMode: on, updatedAt: at }).where(eq(users.id, id));
}

/** The person's own choice of compartments in reach at the lockers, or null for automatic. */
export async function setReachChoice(tx: DbOrTx, id: string, on: boolean | null, at: Date): Promise<void> {
  await tx.update(users).set({ reachableCompartments: on, updatedAt: at }).where(eq(users.id, id));
}

/** Read on every request, never cached in the token: a granted or removed role counts at once. */
export async function rolesOf(db: DbOrTx, userId: string): Promise<Role[]> {
  const rows = await db.select({ role: userRoles.role }).from(userRoles).where(eq(userRoles.userId, userId));
  return rows.map((r) => r.role);
}

export async function grantRole(tx: DbOrTx, userId: string, role: Role): Promise<void> {
  await tx.insert(userRoles).values({ userId, role }).onConflictDoNothing();
  // This process's session cache hears it now; the trigger's notice tells the rest at commit.
  announceHere(CHANNELS.auth, `u:${userId}`);
}

/** A person's role names, as a subquery (the per-request session check folds it into one statement). */
export function roleNamesOf(db: DbOrTx, userId: string | Placeholder) {
  return db
    .select({ role: sql<string>`${userRoles.role}::text` })
    .from(userRoles)
    .where(eq(userRoles.userId, userId));
}

/** Ids of the people holding `role`, as a subquery other modules filter by. */
export function holdersOf(db: DbOrTx, role: Role) {
  return db.select({ id: userRoles.userId }).from(userRoles).where(eq(userRoles.role, role));
}

/** Which of these people have a recorded birth date (age-based programmes look only at them). */
export async function withBirthDate(db: DbOrTx, ids: SQLWrapper): Promise<string[]> {
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .where(and(isNotNull(users.birthDate), inArray(users.id, ids)));
  return rows.map((r) => r.id);
}
