import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { notFound } from '../http/errors';
import type { Actor } from './actor';

/**
 * One question asked of the database for every id a request names: "which of these ids may this
 * actor touch this way?". Anything not allowed answers 404, exactly like an id that does not exist,
 * so other people's resources cannot even be confirmed to exist.
 */
type Checker = (db: DbOrTx, actor: Actor, ids: string[]) => Promise<string[]>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function ids(db: DbOrTx, query: ReturnType<typeof sql>): Promise<string[]> {
  const rows = (await db.execute(query)) as unknown as { id: string }[];
  return rows.map((r) => r.id);
}

const idArray = (list: string[]) => sql`${`{${list.join(',')}}`}::uuid[]`;

const policies = {
  /** Staff review requests to join households in the communities they run. */
  'membership.review': (db, actor, list) =>
    ids(
      db,
      sql`SELECT m.id FROM memberships m
          JOIN households h ON h.id = m.household_id
          JOIN buildings b ON b.id = h.building_id
          JOIN compounds c ON c.id = b.compound_id
          JOIN staff_communities sc ON sc.community_id = c.community_id AND sc.user_id = ${actor.actorId}
          WHERE m.id = ANY(${idArray(list)})`,
    ),
  /** A family member acts for an elder only through a link the elder consented to. */
  'elder.actFor': (db, actor, list) =>
    ids(
      db,
      sql`SELECT elder_id AS id FROM proxy_links
          WHERE proxy_id = ${actor.actorId} AND consent_status = 'granted' AND elder_id = ANY(${idArray(list)})`,
    ),
  /** Only the elder themself consents in the app. */
  'proxyLink.consent': (db, actor, list) =>
    ids(db, sql`SELECT id FROM proxy_links WHERE elder_id = ${actor.actorId} AND id = ANY(${idArray(list)})`),
  /** Either side of a link may end it. */
  'proxyLink.revoke': (db, actor, list) =>
    ids(
      db,
      sql`SELECT id FROM proxy_links
          WHERE (elder_id = ${actor.actorId} OR proxy_id = ${actor.actorId}) AND id = ANY(${idArray(list)})`,
    ),
  /** Staff record offline consent for elders living in the communities they run. */
  'proxyLink.recordConsent': (db, actor, list) =>
    ids(
      db,
      sql`SELECT DISTINCT pl.id FROM proxy_links pl
          JOIN memberships m ON m.user_id = pl.elder_id AND m.status = 'approved'
          JOIN households h ON h.id = m.household_id
          JOIN buildings b ON b.id = h.building_id
          JOIN compounds c ON c.id = b.compound_id
          JOIN staff_communities sc ON sc.community_id = c.community_id AND sc.user_id = ${actor.actorId}
          WHERE pl.id = ANY(${idArray(list)})`,
    ),
} satisfies Record<string, Checker>;

export type Permission = keyof typeof policies;

/** Which of `ids` the actor may touch with `permission`. */
export async function allowedIds(
  db: DbOrTx,
  actor: Actor,
  permission: Permission,
  list: string[],
): Promise<Set<string>> {
  const valid = [...new Set(list)].filter((id) => UUID.test(id));
  if (valid.length === 0) return new Set();
  return new Set(await policies[permission](db, actor, valid));
}

/** Throws 404 unless the actor may touch every id. */
export async function requireAccess(
  db: DbOrTx,
  actor: Actor,
  permission: Permission,
  idOrIds: string | string[],
): Promise<void> {
  const list = Array.isArray(idOrIds) ? idOrIds : [idOrIds];
  const allowed = await allowedIds(db, actor, permission, list);
  if (list.length === 0 || list.some((id) => !allowed.has(id))) throw notFound();
}
