import type { DbOrTx } from '../db/client';
import { notFound } from '../http/errors';
import type { Actor } from './actor';

/**
 * One question asked of the database for every id a request names: "which of these ids may this
 * actor touch this way?". Each module defines its policies next to its tables (a policy is the
 * only code that knows who may touch what); this is the mechanism they share. Anything not
 * allowed answers 404, exactly like an id that does not exist, so other people's resources
 * cannot even be confirmed to exist.
 */
export interface Policy {
  name: string;
  allowed(db: DbOrTx, actor: Actor, ids: string[]): Promise<string[]>;
}

export function definePolicy(
  name: string,
  allowed: (db: DbOrTx, actor: Actor, ids: string[]) => Promise<{ id: string }[]>,
): Policy {
  return { name, allowed: async (db, actor, list) => (await allowed(db, actor, list)).map((r) => r.id) };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Which of `ids` the actor may touch under `policy`. */
export async function allowedIds(
  db: DbOrTx,
  actor: Actor,
  policy: Policy,
  list: string[],
): Promise<Set<string>> {
  const valid = [...new Set(list)].filter((id) => UUID.test(id));
  if (valid.length === 0) return new Set();
  return new Set(await policy.allowed(db, actor, valid));
}

/** Throws 404 unless the actor may touch every id. */
export async function requireAccess(
  db: DbOrTx,
  actor: Actor,
  policy: Policy,
  idOrIds: string | string[],
): Promise<void> {
  const list = Array.isArray(idOrIds) ? idOrIds : [idOrIds];
  const allowed = await allowedIds(db, actor, policy, list);
  if (list.length === 0 || list.some((id) => !allowed.has(id))) throw notFound();
}
