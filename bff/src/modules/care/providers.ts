import { and, asc, eq, gt, inArray } from 'drizzle-orm';
import {
  type AddCaregiverBody,
  type AddTimeOffBody,
  type ApplyCareProviderBody,
  type Caregiver,
  type CareProvider,
  careProviderFlow,
  maskPhone,
  PAGES,
  type UpdateCaregiverBody,
  type WorkingHours,
} from 'shared';
import type { z } from 'zod';
import type { Actor } from '../../access/actor';
import { requireAccess } from '../../access/require-access';
import type { DbOrTx } from '../../db/client';
import { advance } from '../../db/flow-update';
import type { AppDeps } from '../../deps';
import { AppError, conflict, describeConstraint, invalidField, notFound } from '../../http/errors';
import { audit } from '../audit';
import { grantRole, peopleByIds, renameUser, upsertByPhone } from '../identity';
import { notify } from '../notifications';
import { compoundsByIds, existingCommunities, staffCommunityIds, staffOf } from '../places';
import { caregiverOfProvider, careProviderStaff, timeOffOfProvider } from './policies';
import { caregiverCompounds, caregiverHours, caregivers, caregiverTimeOff, careProviders } from './tables';

describeConstraint(
  'care_providers_owner_id_unique',
  'CARE_PROVIDER_EXISTS',
  'You already run a care provider',
);
describeConstraint(
  'caregivers_user_id_unique',
  'CAREGIVER_TAKEN',
  'This person already works as a caregiver for a provider',
);

export type CareProviderRow = typeof careProviders.$inferSelect;
export type CaregiverRow = typeof caregivers.$inferSelect;
type Deps = Pick<AppDeps, 'db' | 'clock'>;

// ---- lookups other care files use ---------------------------------------------------------------

/** The provider a person runs (one per owner), whatever its status. */
export async function providerOwnedBy(db: DbOrTx, userId: string): Promise<CareProviderRow | undefined> {
  const [row] = await db.select().from(careProviders).where(eq(careProviders.ownerId, userId));
  return row;
}

/** The caregiver record of a person (they work for one provider at most). */
export async function caregiverOfUser(db: DbOrTx, userId: string): Promise<CaregiverRow | undefined> {
  const [row] = await db.select().from(caregivers).where(eq(caregivers.userId, userId));
  return row;
}

/**
 * The provider console is for the owner of a verified provider: 404 when they run none, 403 while
 * it is pending, rejected or suspended (the owner can still read its status at /provider/profile).
 */
export async function requireVerifiedProvider(db: DbOrTx, actor: Actor): Promise<CareProviderRow> {
  const provider = await providerOwnedBy(db, actor.actorId);
  if (!provider) throw new AppError(404, 'CARE_PROVIDER_NOT_FOUND', 'You do not run a care provider');
  if (provider.status !== 'verified')
    throw new AppError(
      403,
      'CARE_PROVIDER_NOT_VERIFIED',
      `Your care provider is ${provider.status}, not verified`,
    );
  return provider;
}

// ---- working hours: "HH:MM" on the wire, minutes after local midnight in the table --------------

export function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
}

export function hhmmOf(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** Two stretches of one weekday that overlap would double the slots of that time. */
function checkHours(hours: WorkingHours[]): { weekday: number; startMin: number; endMin: number }[] {
  const rows = hours.map((h) => ({
    weekday: h.weekday,
    startMin: minutesOf(h.start),
    endMin: minutesOf(h.end),
  }));
  rows.forEach((a, i) => {
    const clash = rows.findIndex(
      (b, j) => j < i && b.weekday === a.weekday && a.startMin < b.endMin && b.startMin < a.endMin,
    );
    if (clash >= 0) throw invalidField(`body.hours.${i}`, `overlaps hours.${clash} on the same weekday`);
  });
  return rows;
}

/** A caregiver goes only to compounds of their provider's community. */
async function checkCompounds(db: DbOrTx, provider: CareProviderRow, ids: string[]): Promise<string[]> {
  const found = await compoundsByIds(db, ids);
  ids.forEach((id, i) => {
    const c = found.get(id);
    if (!c) throw invalidField(`body.compoundIds.${i}`, 'no such compound');
    if (c.communityId !== provider.communityId)
      throw invalidField(`body.compoundIds.${i}`, "not in the provider's community");
  });
  return [...new Set(ids)];
}

// ---- views --------------------------------------------------------------------------------------

function providerView(p: CareProviderRow): CareProvider {
  return {
    id: p.id,
    name: p.name,
    communityId: p.communityId,
    licenseNo: p.licenseNo,
    contactPhone: p.contactPhone,
    description: p.description,
    servesMeals: p.servesMeals,
    status: p.status,
    reviewNote: p.reviewNote,
    createdAt: p.createdAt.toISOString(),
  };
}

/** Caregivers with their hours, compounds and the time off not yet over. */
async function caregiverViews(db: DbOrTx, rows: CaregiverRow[], now: Date): Promise<Caregiver[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [hours, places, offs, people] = await Promise.all([
    db
      .select()
      .from(caregiverHours)
      .where(inArray(caregiverHours.caregiverId, ids))
      .orderBy(asc(caregiverHours.weekday), asc(caregiverHours.startMin)),
    db.select().from(caregiverCompounds).where(inArray(caregiverCompounds.caregiverId, ids)),
    db
      .select()
      .from(caregiverTimeOff)
      .where(and(inArray(caregiverTimeOff.caregiverId, ids), gt(caregiverTimeOff.endsAt, now)))
      .orderBy(asc(caregiverTimeOff.startsAt)),
    peopleByIds(
      db,
      rows.map((r) => r.userId),
    ),
  ]);
  return rows.map((r) => ({
    id: r.id,
    userId: r.userId,
    providerId: r.providerId,
    name: r.name,
    phoneMasked: maskPhone(people.get(r.userId)?.phone ?? null),
    certifications: r.certifications,
    compoundIds: places
      .filter((p) => p.caregiverId === r.id)
      .map((p) => p.compoundId)
      .sort(),
    hours: hours
      .filter((h) => h.caregiverId === r.id)
      .map((h) => ({ weekday: h.weekday, start: hhmmOf(h.startMin), end: hhmmOf(h.endMin) })),
    timeOff: offs
      .filter((o) => o.caregiverId === r.id)
      .map((o) => ({
        id: o.id,
        startsAt: o.startsAt.toISOString(),
        endsAt: o.endsAt.toISOString(),
        reason: o.reason,
      })),
    active: r.active,
  }));
}

async function caregiverView(db: DbOrTx, id: string, now: Date): Promise<Caregiver> {
  const [row] = await db.select().from(caregivers).where(eq(caregivers.id, id));
  return (await caregiverViews(db, [row!], now))[0]!;
}

// ---- providers ----------------------------------------------------------------------------------

/** Anyone signed in may apply; the provider serves only after staff of its community verify it. */
export async function applyCareProvider(
  deps: Deps,
  actor: Actor,
  body: z.output<typeof ApplyCareProviderBody>,
): Promise<CareProvider> {
  if ((await existingCommunities(deps.db, [body.communityId])).length === 0)
    throw invalidField('body.communityId', 'no such community');
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(careProviders)
      .values({
        ownerId: actor.actorId,
        communityId: body.communityId,
        name: body.name,
        licenseNo: body.licenseNo,
        contactPhone: body.contactPhone,
        description: body.description,
        servesMeals: body.servesMeals,
      })
      .returning();
    await audit(
      tx,
      actor,
      'care.provider.applied',
      { type: 'care_provider', id: row!.id },
      { name: body.name },
    );
    for (const staffId of await staffOf(tx, body.communityId))
      await notify(tx, {
        userId: staffId,
        kind: 'care.provider.pending',
        title: '新的养老服务机构入驻申请',
        body: `「${body.name}」申请成为居家养老服务机构，请核实资质后审核`,
        link: PAGES.staffCareProviders,
        dedupeKey: `care.provider.pending:${row!.id}`,
      });
    return providerView(row!);
  });
}

export async function myCareProvider(db: DbOrTx, actor: Actor): Promise<CareProvider> {
  const row = await providerOwnedBy(db, actor.actorId);
  if (!row) throw new AppError(404, 'CARE_PROVIDER_NOT_FOUND', 'You do not run a care provider');
  return providerView(row);
}

/** Providers in the communities this staff member runs, oldest application first. */
export async function staffCareProviders(db: DbOrTx, actor: Actor, status: CareProviderRow['status']) {
  const rows = await db
    .select()
    .from(careProviders)
    .where(
      and(
        eq(careProviders.status, status),
        inArray(careProviders.communityId, staffCommunityIds(db, actor.actorId)),
      ),
    )
    .orderBy(asc(careProviders.createdAt))
    .limit(200);
  return { items: rows.map(providerView) };
}

/** Staff decide once (the conditional update settles two reviewers racing); verifying makes the owner a provider. */
export async function reviewCareProvider(
  deps: Deps,
  actor: Actor,
  id: string,
  event: 'verify' | 'reject',
  note?: string,
): Promise<CareProvider> {
  await requireAccess(deps.db, actor, careProviderStaff, id);
  return deps.db.transaction(async (tx) => {
    const [row] = await advance(
      tx,
      careProviders,
      careProviders.status,
      careProviderFlow,
      event,
      eq(careProviders.id, id),
      {
        reviewNote: note ?? null,
        reviewedBy: actor.actorId,
        reviewedAt: deps.clock.now(),
      },
    );
    if (!row) throw conflict('CARE_PROVIDER_ALREADY_REVIEWED', 'This provider has already been reviewed');
    const verified = row.status === 'verified';
    if (verified) await grantRole(tx, row.ownerId, 'provider');
    await audit(
      tx,
      actor,
      `care.provider.${row.status}`,
      { type: 'care_provider', id },
      note ? { note } : undefined,
    );
    await notify(tx, {
      userId: row.ownerId,
      kind: `care.provider.${row.status}`,
      title: verified ? '服务机构审核已通过' : '服务机构审核未通过',
      body: verified
        ? `「${row.name}」已通过社区审核，可以添加护理员、设置排班并接单了`
        : `「${row.name}」的入驻申请未通过：${note ?? ''}`,
      link: verified ? PAGES.providerHome : PAGES.providerApply,
      dedupeKey: `care.provider.reviewed:${id}`,
    });
    return providerView(row);
  });
}

// ---- caregivers ---------------------------------------------------------------------------------

export async function providerCaregivers(deps: Deps, actor: Actor): Promise<{ items: Caregiver[] }> {
  const provider = await requireVerifiedProvider(deps.db, actor);
  const rows = await deps.db
    .select()
    .from(caregivers)
    .where(eq(caregivers.providerId, provider.id))
    .orderBy(asc(caregivers.createdAt), asc(caregivers.id));
  return { items: await caregiverViews(deps.db, rows, deps.clock.now()) };
}

/**
 * Adds a person by phone (made on first sight, like a sign-in) as a caregiver of this provider.
 * A person works for one provider: someone else's caregiver is refused, not moved.
 */
export async function addCaregiver(
  deps: Deps,
  actor: Actor,
  body: z.output<typeof AddCaregiverBody>,
): Promise<Caregiver> {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const provider = await requireVerifiedProvider(tx, actor);
    const compoundIds = await checkCompounds(tx, provider, body.compoundIds);
    const hours = checkHours(body.hours);
    const userId = await upsertByPhone(tx, body.phone, now);
    const existing = await caregiverOfUser(tx, userId);
    if (existing?.providerId === provider.id)
      throw conflict('CAREGIVER_EXISTS', 'This person is already one of your caregivers');
    if (existing)
      throw conflict('CAREGIVER_TAKEN', 'This person already works as a caregiver for another provider');
    const [row] = await tx
      .insert(caregivers)
      .values({
        userId,
        providerId: provider.id,
        name: body.name,
        certifications: [...new Set(body.certifications)],
      })
      .returning();
    if (hours.length)
      await tx.insert(caregiverHours).values(hours.map((h) => ({ caregiverId: row!.id, ...h })));
    await tx
      .insert(caregiverCompounds)
      .values(compoundIds.map((compoundId) => ({ caregiverId: row!.id, compoundId })));
    await grantRole(tx, userId, 'caregiver');
    // Someone new gets the name the provider knows them by; a known person keeps their own.
    const person = (await peopleByIds(tx, [userId])).get(userId);
    if (person && !person.name) await renameUser(tx, userId, body.name, now);
    await audit(
      tx,
      actor,
      'care.caregiver.added',
      { type: 'caregiver', id: row!.id },
      { providerId: provider.id },
    );
    await notify(tx, {
      userId,
      kind: 'care.caregiver.added',
      title: '您已加入服务机构',
      body: `「${provider.name}」已将您添加为护理员，可以在「上门服务」里查看排班和上门任务`,
      link: PAGES.caregiverVisits,
      dedupeKey: `care.caregiver.added:${row!.id}`,
    });
    return caregiverView(tx, row!.id, now);
  });
}

/** Edits a caregiver; the hours and compounds sent replace the whole set. */
export async function updateCaregiver(
  deps: Deps,
  actor: Actor,
  id: string,
  body: z.output<typeof UpdateCaregiverBody>,
): Promise<Caregiver> {
  const now = deps.clock.now();
  const provider = await requireVerifiedProvider(deps.db, actor);
  await requireAccess(deps.db, actor, caregiverOfProvider, id);
  return deps.db.transaction(async (tx) => {
    const compoundIds = body.compoundIds && (await checkCompounds(tx, provider, body.compoundIds));
    const hours = body.hours && checkHours(body.hours);
    const set = {
      ...(body.name !== undefined && { name: body.name }),
      ...(body.certifications !== undefined && { certifications: [...new Set(body.certifications)] }),
      ...(body.active !== undefined && { active: body.active }),
    };
    if (Object.keys(set).length) await tx.update(caregivers).set(set).where(eq(caregivers.id, id));
    if (hours) {
      await tx.delete(caregiverHours).where(eq(caregiverHours.caregiverId, id));
      if (hours.length) await tx.insert(caregiverHours).values(hours.map((h) => ({ caregiverId: id, ...h })));
    }
    if (compoundIds) {
      await tx.delete(caregiverCompounds).where(eq(caregiverCompounds.caregiverId, id));
      await tx
        .insert(caregiverCompounds)
        .values(compoundIds.map((compoundId) => ({ caregiverId: id, compoundId })));
    }
    await audit(
      tx,
      actor,
      'care.caregiver.updated',
      { type: 'caregiver', id },
      { fields: Object.keys(body) },
    );
    return caregiverView(tx, id, now);
  });
}

/** A longer absence is a caregiver leaving, not time off: the provider sets them inactive instead. */
const MAX_TIME_OFF_DAYS = 90;

export async function addTimeOff(
  deps: Deps,
  actor: Actor,
  caregiverId: string,
  body: z.output<typeof AddTimeOffBody>,
): Promise<Caregiver> {
  const now = deps.clock.now();
  await requireVerifiedProvider(deps.db, actor);
  await requireAccess(deps.db, actor, caregiverOfProvider, caregiverId);
  const startsAt = new Date(body.startsAt);
  const endsAt = new Date(body.endsAt);
  if (endsAt <= now) throw invalidField('body.endsAt', 'is already over');
  if (endsAt.getTime() - startsAt.getTime() > MAX_TIME_OFF_DAYS * 86_400_000)
    throw invalidField('body.endsAt', `time off lasts at most ${MAX_TIME_OFF_DAYS} days at a time`);
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(caregiverTimeOff)
      .values({ caregiverId, startsAt, endsAt, reason: body.reason })
      .returning({ id: caregiverTimeOff.id });
    await audit(
      tx,
      actor,
      'care.time_off.added',
      { type: 'caregiver', id: caregiverId },
      { timeOffId: row!.id, startsAt: body.startsAt, endsAt: body.endsAt },
    );
    return caregiverView(tx, caregiverId, now);
  });
}

export async function removeTimeOff(deps: Deps, actor: Actor, id: string): Promise<{ ok: true }> {
  await requireVerifiedProvider(deps.db, actor);
  await requireAccess(deps.db, actor, timeOffOfProvider, id);
  return deps.db.transaction(async (tx) => {
    const [row] = await tx.delete(caregiverTimeOff).where(eq(caregiverTimeOff.id, id)).returning();
    // Removed by a concurrent request in the meantime: the same answer as for any id not yours.
    if (!row) throw notFound();
    await audit(
      tx,
      actor,
      'care.time_off.removed',
      { type: 'caregiver', id: row.caregiverId },
      { timeOffId: id, startsAt: row.startsAt.toISOString(), endsAt: row.endsAt.toISOString() },
    );
    return { ok: true as const };
  });
}
