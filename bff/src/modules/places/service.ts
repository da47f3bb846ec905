import { asc, eq, inArray, type SQLWrapper, sql } from 'drizzle-orm';
import type { CommunityTree } from 'shared';
import type { Db, DbOrTx } from '../../db/client';
import { compiledSelect } from '../../db/compiled';
import { notFound } from '../../http/errors';
import { buildings, communities, compounds, households, staffCommunities } from './tables';

export async function listCommunities(db: Db) {
  const items = await db
    .select({ id: communities.id, name: communities.name, city: communities.city })
    .from(communities)
    .orderBy(asc(communities.name));
  return { items };
}

// The picker's four reads, each built once (the page is read by every newcomer choosing a home).
const compoundIdsIn = (db: DbOrTx, id: SQLWrapper) =>
  db.select({ id: compounds.id }).from(compounds).where(eq(compounds.communityId, id));
const buildingIdsIn = (db: DbOrTx, id: SQLWrapper) =>
  db
    .select({ id: buildings.id })
    .from(buildings)
    .where(inArray(buildings.compoundId, compoundIdsIn(db, id)));
const selectCommunity = (db: DbOrTx, id: SQLWrapper) =>
  db.select().from(communities).where(eq(communities.id, id));
const selectCompounds = (db: DbOrTx, id: SQLWrapper) =>
  db.select().from(compounds).where(eq(compounds.communityId, id)).orderBy(asc(compounds.name));
const selectBuildings = (db: DbOrTx, id: SQLWrapper) =>
  db
    .select()
    .from(buildings)
    .where(inArray(buildings.compoundId, compoundIdsIn(db, id)))
    .orderBy(asc(buildings.name));
const selectHouseholds = (db: DbOrTx, id: SQLWrapper) =>
  db
    .select()
    .from(households)
    .where(inArray(households.buildingId, buildingIdsIn(db, id)))
    .orderBy(asc(households.unit));
type ById = { id: string };
const communityRow = compiledSelect<ById, ReturnType<typeof selectCommunity>>((db, p) =>
  selectCommunity(db, p('id')),
);
const compoundRows = compiledSelect<ById, ReturnType<typeof selectCompounds>>((db, p) =>
  selectCompounds(db, p('id')),
);
const buildingRows = compiledSelect<ById, ReturnType<typeof selectBuildings>>((db, p) =>
  selectBuildings(db, p('id')),
);
const householdRows = compiledSelect<ById, ReturnType<typeof selectHouseholds>>((db, p) =>
  selectHouseholds(db, p('id')),
);

/** The whole community down to households, for the "which home is yours" picker. */
export async function communityTree(db: Db, id: string): Promise<CommunityTree> {
  // Four reads keyed by the community alone, sent together (one round trip on one connection).
  const [[community], cs, bs, hs] = await Promise.all([
    communityRow(db, { id }),
    compoundRows(db, { id }),
    buildingRows(db, { id }),
    householdRows(db, { id }),
  ]);
  if (!community) throw notFound('Community');
  return {
    id: community.id,
    name: community.name,
    city: community.city,
    compounds: cs.map((c) => ({
      id: c.id,
      name: c.name,
      location: c.lat !== null && c.lng !== null ? { lat: c.lat, lng: c.lng } : null,
      buildings: bs
        .filter((b) => b.compoundId === c.id)
        .map((b) => ({
          id: b.id,
          name: b.name,
          households: hs.filter((h) => h.buildingId === b.id).map((h) => ({ id: h.id, unit: h.unit })),
        })),
    })),
  };
}

export interface HouseholdPlace {
  householdId: string;
  communityId: string;
  compoundId: string;
  compoundName: string;
  address: string;
  /** The compound's gate, when known: home delivery range is measured from it. */
  location: { lat: number; lng: number } | null;
}

/**
 * Every household with where it is: its community, its compound and the address "黌门街社区 · 银杏院 ·
 * 2栋 · 301". A subquery, so a module that lists rows by household joins it and reads both in one
 * round trip instead of a second read by ids.
 */
export function householdPlaceRows(db: DbOrTx) {
  return db
    .select({
      householdId: sql<string>`${households.id}`.as('place_household_id'),
      communityId: sql<string>`${communities.id}`.as('place_community_id'),
      compoundId: sql<string>`${compounds.id}`.as('place_compound_id'),
      compoundName: sql<string>`${compounds.name}`.as('place_compound_name'),
      address:
        sql<string>`${communities.name} || ' · ' || ${compounds.name} || ' · ' || ${buildings.name} || ' · ' || ${households.unit}`.as(
          'place_address',
        ),
      lat: sql<number | null>`${compounds.lat}`.as('place_lat'),
      lng: sql<number | null>`${compounds.lng}`.as('place_lng'),
    })
    .from(households)
    .innerJoin(buildings, eq(buildings.id, households.buildingId))
    .innerJoin(compounds, eq(compounds.id, buildings.compoundId))
    .innerJoin(communities, eq(communities.id, compounds.communityId))
    .as('place');
}

/** The place of each household id. */
export async function householdPlaces(db: DbOrTx, ids: string[]): Promise<Map<string, HouseholdPlace>> {
  if (ids.length === 0) return new Map();
  const place = householdPlaceRows(db);
  const rows = await db.select().from(place).where(inArray(place.householdId, ids));
  return new Map(
    rows.map((r) => [
      r.householdId,
      {
        householdId: r.householdId,
        communityId: r.communityId,
        compoundId: r.compoundId,
        compoundName: r.compoundName,
        address: r.address,
        location: r.lat !== null && r.lng !== null ? { lat: r.lat, lng: r.lng } : null,
      },
    ]),
  );
}

/** Who runs a community: the staff to tell about requests there. */
export async function staffOf(db: DbOrTx, communityId: string): Promise<string[]> {
  const rows = await db
    .select({ userId: staffCommunities.userId })
    .from(staffCommunities)
    .where(eq(staffCommunities.communityId, communityId));
  return rows.map((r) => r.userId);
}

export interface CompoundRow {
  id: string;
  name: string;
  communityId: string;
  /** The gate's position (care counts travel between compounds and checks clock-in distance). */
  lat: number | null;
  lng: number | null;
}

/** Compounds by id (name, community, position), for other modules' views and checks. */
export async function compoundsByIds(db: DbOrTx, ids: string[]): Promise<Map<string, CompoundRow>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db
    .select({
      id: compounds.id,
      name: compounds.name,
      communityId: compounds.communityId,
      lat: compounds.lat,
      lng: compounds.lng,
    })
    .from(compounds)
    .where(inArray(compounds.id, unique));
  return new Map(rows.map((r) => [r.id, r]));
}

/** Ids of a community's compounds, as a subquery. */
export function compoundsOf(db: DbOrTx, communityId: string) {
  return db.select({ id: compounds.id }).from(compounds).where(eq(compounds.communityId, communityId));
}

/** Which of these community ids exist. */
export async function existingCommunities(db: DbOrTx, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db.select({ id: communities.id }).from(communities).where(inArray(communities.id, ids));
  return rows.map((r) => r.id);
}

/** Communities' names by id (certificates and organiser names show them). */
export async function communityNames(db: DbOrTx, ids: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db
    .select({ id: communities.id, name: communities.name })
    .from(communities)
    .where(inArray(communities.id, unique));
  return new Map(rows.map((r) => [r.id, r.name]));
}
