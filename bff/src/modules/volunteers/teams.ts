import { and, asc, eq, inArray, notInArray } from 'drizzle-orm';
import { PAGES, wechatPage } from 'shared';
import type { Actor } from '../../access/actor';
import { requireAccess } from '../../access/require-access';
import type { DbOrTx } from '../../db/client';
import type { AppDeps } from '../../deps';
import { conflict, fieldConflict } from '../../http/errors';
import { audit } from '../audit';
import { notify } from '../notifications';
import { staffCommunityIds } from '../places';
import { staffCommunity } from './activities';
import { teamStaff } from './activity-policies';
import { emergencyTeamMembers, emergencyTeams, teamActivations, volunteers } from './tables';

type Deps = Pick<AppDeps, 'db' | 'clock' | 'config'>;
type TeamRow = typeof emergencyTeams.$inferSelect;

const thing = (s: string) => (s.length > 20 ? `${s.slice(0, 19)}…` : s);

async function teamViews(db: DbOrTx, teams: TeamRow[]) {
  const ids = teams.map((t) => t.id);
  const members = ids.length
    ? await db
        .select({
          teamId: emergencyTeamMembers.teamId,
          volunteerId: emergencyTeamMembers.volunteerId,
          name: volunteers.realName,
        })
        .from(emergencyTeamMembers)
        .innerJoin(volunteers, eq(volunteers.userId, emergencyTeamMembers.volunteerId))
        .where(inArray(emergencyTeamMembers.teamId, ids))
        .orderBy(asc(volunteers.realName))
    : [];
  return teams.map((t) => ({
    id: t.id,
    name: t.name,
    members: members
      .filter((m) => m.teamId === t.id)
      .map((m) => ({ volunteerId: m.volunteerId, name: m.name })),
  }));
}

async function teamById(tx: DbOrTx, id: string, lock = false): Promise<TeamRow> {
  const q = tx.select().from(emergencyTeams).where(eq(emergencyTeams.id, id));
  const [row] = lock ? await q.for('update') : await q;
  if (!row) throw new Error(`team ${id} vanished`);
  return row;
}

/** Members must be verified volunteers of the team's community; anyone else is named in the error. */
async function checkMembers(tx: DbOrTx, communityId: string, ids: string[]): Promise<string[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  const ok = new Set(
    (
      await tx
        .select({ id: volunteers.userId })
        .from(volunteers)
        .where(
          and(
            inArray(volunteers.userId, unique),
            eq(volunteers.communityId, communityId),
            eq(volunteers.status, 'verified'),
          ),
        )
    ).map((r) => r.id),
  );
  const bad = unique.filter((id) => !ok.has(id));
  if (bad.length)
    throw fieldConflict(
      'TEAM_MEMBER_NOT_VOLUNTEER',
      `Not a verified volunteer of this community: ${bad.join(', ')}`,
      'body.volunteerIds',
      422,
    );
  return unique;
}

export async function emergencyTeamList(deps: Deps, actor: Actor) {
  const teams = await deps.db
    .select()
    .from(emergencyTeams)
    .where(inArray(emergencyTeams.communityId, staffCommunityIds(deps.db, actor.actorId)))
    .orderBy(asc(emergencyTeams.createdAt))
    .limit(100);
  return { items: await teamViews(deps.db, teams) };
}

export async function createEmergencyTeam(
  deps: Deps,
  actor: Actor,
  body: { name: string; volunteerIds: string[]; communityId?: string },
) {
  const communityId = await staffCommunity(deps.db, actor, body.communityId);
  return deps.db.transaction(async (tx) => {
    const members = await checkMembers(tx, communityId, body.volunteerIds);
    const [team] = await tx.insert(emergencyTeams).values({ communityId, name: body.name }).returning();
    if (members.length)
      await tx
        .insert(emergencyTeamMembers)
        .values(members.map((volunteerId) => ({ teamId: team!.id, volunteerId })));
    await audit(
      tx,
      actor,
      'emergency_team.created',
      { type: 'emergency_team', id: team!.id },
      { members: members.length },
    );
    return (await teamViews(tx, [team!]))[0]!;
  });
}

/** A new name, or a new member list (replaces the old one: who is left out leaves the team). */
export async function updateEmergencyTeam(
  deps: Deps,
  actor: Actor,
  id: string,
  body: { name?: string; volunteerIds?: string[] },
) {
  await requireAccess(deps.db, actor, teamStaff, id);
  return deps.db.transaction(async (tx) => {
    const locked = await teamById(tx, id, true);
    const team =
      body.name !== undefined && body.name !== locked.name
        ? (
            await tx
              .update(emergencyTeams)
              .set({ name: body.name })
              .where(eq(emergencyTeams.id, id))
              .returning()
          )[0]!
        : locked;
    if (body.volunteerIds) {
      const members = await checkMembers(tx, team.communityId, body.volunteerIds);
      await tx
        .delete(emergencyTeamMembers)
        .where(
          and(
            eq(emergencyTeamMembers.teamId, id),
            members.length ? notInArray(emergencyTeamMembers.volunteerId, members) : undefined,
          ),
        );
      if (members.length)
        await tx
          .insert(emergencyTeamMembers)
          .values(members.map((volunteerId) => ({ teamId: id, volunteerId })))
          .onConflictDoNothing();
    }
    await audit(
      tx,
      actor,
      'emergency_team.updated',
      { type: 'emergency_team', id },
      {
        ...(body.name !== undefined ? { name: body.name } : {}),
        ...(body.volunteerIds ? { members: body.volunteerIds.length } : {}),
      },
    );
    return (await teamViews(tx, [team]))[0]!;
  });
}

/**
 * One broadcast to every member still verified: one activation row, and per member an inbox
 * notice with a subscribe message where their quota allows. A call-out has to reach the phone,
 * not just the inbox, and a team is at most 200 people (the contract), so one `notify` each is
 * bounded; `notifyMany` would write the inbox only.
 */
export async function activateEmergencyTeam(deps: Deps, actor: Actor, id: string, message: string) {
  await requireAccess(deps.db, actor, teamStaff, id);
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const team = await teamById(tx, id);
    const members = await tx
      .select({ userId: emergencyTeamMembers.volunteerId })
      .from(emergencyTeamMembers)
      .innerJoin(volunteers, eq(volunteers.userId, emergencyTeamMembers.volunteerId))
      .where(and(eq(emergencyTeamMembers.teamId, id), eq(volunteers.status, 'verified')));
    if (members.length === 0)
      throw conflict('TEAM_EMPTY', 'This team has no verified volunteers to call out');
    const [activation] = await tx
      .insert(teamActivations)
      .values({ teamId: id, message, activatedBy: actor.actorId, createdAt: now })
      .returning();
    let told = 0;
    for (const m of members) {
      const row = await notify(tx, {
        userId: m.userId,
        kind: 'emergency_team.activated',
        title: `应急队集合：${team.name}`,
        body: message,
        link: PAGES.volunteerHome,
        dedupeKey: `emergency_team.activated:${activation!.id}`,
        wechat: {
          template: 'orderStatus',
          page: wechatPage(PAGES.volunteerHome),
          data: { thing1: thing(message), phrase2: '紧急集合', time3: now.toISOString() },
        },
      });
      if (row) told += 1;
    }
    await audit(
      tx,
      actor,
      'emergency_team.activated',
      { type: 'emergency_team', id },
      {
        activationId: activation!.id,
        message,
        told,
      },
    );
    return { told };
  });
}
