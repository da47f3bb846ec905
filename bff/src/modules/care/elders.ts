import { and, count, desc, eq, inArray, max, sql } from 'drizzle-orm';
import { ageOn, type ElderProfile, localClock, maskPhone } from 'shared';
import type { z } from 'zod';
import type { Actor } from '../../access/actor';
import { requireAccess } from '../../access/require-access';
import type { Db, DbOrTx } from '../../db/client';
import type { AppDeps } from '../../deps';
import { badRequest, notFound } from '../../http/errors';
import { audit } from '../audit';
import { userById } from '../identity';
import { membershipsOf } from '../memberships';
import { householdPlaces } from '../places';
import { elderProfileStaff } from './policies';
import {
  careBookings,
  caregiverCompounds,
  caregivers,
  careProviders,
  elderAccessLog,
  elderProfiles,
} from './tables';

type ProfileRow = typeof elderProfiles.$inferSelect;

export type SensitiveField = 'address' | 'phone' | 'health_notes' | 'emergency_contacts';

/** What care needs about an elder to book, assign and visit: who, how old, where. */
export interface ElderContext {
  elderId: string;
  name: string;
  phone: string | null;
  birthDate: string | null;
  age: number | null;
  householdId: string | null;
  address: string | null;
  compoundId: string | null;
  communityId: string | null;
  location: { lat: number; lng: number } | null;
  profile: ProfileRow | null;
}

/**
 * The elder's household is the profile's, or else the first household they are a verified member
 * of (a new elder books before anyone fills in a profile).
 */
export async function elderContext(db: DbOrTx, elderId: string, now: Date): Promise<ElderContext | null> {
  const [user, [profile]] = await Promise.all([
    userById(db, elderId),
    db.select().from(elderProfiles).where(eq(elderProfiles.userId, elderId)),
  ]);
  if (!user) return null;
  let householdId = profile?.householdId ?? null;
  if (!householdId) {
    const approved = (await membershipsOf(db, elderId)).filter((m) => m.status === 'approved');
    householdId = approved.at(-1)?.householdId ?? null;
  }
  const place = householdId ? (await householdPlaces(db, [householdId])).get(householdId) : undefined;
  const today = localClock(now).date;
  return {
    elderId,
    name: user.name,
    phone: user.phone,
    birthDate: user.birthDate,
    age: user.birthDate ? ageOn(user.birthDate, today) : null,
    householdId,
    address: place?.address ?? null,
    compoundId: place?.compoundId ?? null,
    communityId: place?.communityId ?? null,
    location: place?.location ?? null,
    profile: profile ?? null,
  };
}

/**
 * Writes who read which of an elder's sensitive facts and why. Nothing is written when the elder
 * reads their own (that is not someone else's access).
 */
export async function logElderRead(
  tx: DbOrTx,
  entry: {
    elderId: string;
    readerId: string;
    fields: SensitiveField[];
    reason: string;
    bookingId?: string | null;
  },
): Promise<void> {
  if (entry.readerId === entry.elderId || entry.fields.length === 0) return;
  await tx.insert(elderAccessLog).values(
    entry.fields.map((field) => ({
      elderId: entry.elderId,
      readerId: entry.readerId,
      field,
      reason: entry.reason,
      bookingId: entry.bookingId ?? null,
    })),
  );
}

function toView(ctx: ElderContext): z.input<typeof ElderProfile> {
  return {
    elderId: ctx.elderId,
    name: ctx.name,
    birthDate: ctx.birthDate,
    age: ctx.age,
    householdId: ctx.householdId,
    address: ctx.address,
    healthNotes: ctx.profile?.healthNotes ?? '',
    emergencyContacts: ctx.profile?.emergencyContacts ?? [],
    preferredCaregiverId: ctx.profile?.preferredCaregiverId ?? null,
    livesAlone: ctx.profile?.livesAlone ?? false,
    dietaryNotes: ctx.profile?.dietaryNotes ?? '',
  };
}

/** The elder's profile as the elder or a consented family member sees it (a family read is logged). */
export async function readElderProfile(deps: Pick<AppDeps, 'db' | 'clock'>, actor: Actor) {
  return deps.db.transaction(async (tx) => {
    const ctx = await elderContext(tx, actor.userId, deps.clock.now());
    if (!ctx) throw notFound();
    await logElderRead(tx, {
      elderId: ctx.elderId,
      readerId: actor.actorId,
      fields: ['address', 'health_notes', 'emergency_contacts'],
      reason: '家属查看长者档案',
    });
    return toView(ctx);
  });
}

export async function updateElderProfile(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  actor: Actor,
  body: {
    householdId?: string;
    healthNotes?: string;
    emergencyContacts?: { name: string; phone: string; relation: string }[];
    preferredCaregiverId?: string | null;
    livesAlone?: boolean;
    dietaryNotes?: string;
  },
) {
  const elderId = actor.userId;
  return deps.db.transaction(async (tx) => {
    const ctx = await elderContext(tx, elderId, deps.clock.now());
    if (!ctx) throw notFound();
    if (body.householdId !== undefined) {
      const mine = (await membershipsOf(tx, elderId)).some(
        (m) => m.status === 'approved' && m.householdId === body.householdId,
      );
      if (!mine)
        throw badRequest('VALIDATION_FAILED', 'Some fields are invalid', [
          { path: 'body.householdId', message: 'the elder is not a verified member of this household' },
        ]);
    }
    if (body.preferredCaregiverId) {
      const choices = await caregiverChoices(tx, elderId, deps.clock.now());
      if (!choices.items.some((c) => c.id === body.preferredCaregiverId))
        throw badRequest('VALIDATION_FAILED', 'Some fields are invalid', [
          { path: 'body.preferredCaregiverId', message: "not a caregiver who serves the elder's compound" },
        ]);
    }
    const householdId = body.householdId ?? ctx.householdId;
    if (!householdId)
      throw badRequest('ELDER_HOUSEHOLD_MISSING', 'The elder has no verified household yet', [
        { path: 'body.householdId', message: 'required until the elder is a verified member of a household' },
      ]);
    const { householdId: _, ...rest } = body;
    await tx
      .insert(elderProfiles)
      .values({ userId: elderId, householdId, ...rest })
      .onConflictDoUpdate({
        target: elderProfiles.userId,
        set: { householdId, ...rest, updatedAt: sql`now()` },
      });
    await audit(
      tx,
      actor,
      'care.profile.updated',
      { type: 'user', id: elderId },
      { fields: Object.keys(body) },
    );
    const fresh = (await elderContext(tx, elderId, deps.clock.now()))!;
    await logElderRead(tx, {
      elderId,
      readerId: actor.actorId,
      fields: ['address', 'health_notes', 'emergency_contacts'],
      reason: '家属修改长者档案',
    });
    return toView(fresh);
  });
}

/** Staff read an elder's profile only with a reason, which the log keeps. */
export async function staffReadElderProfile(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  actor: Actor,
  elderId: string,
  reason: string,
) {
  const db: Db = deps.db;
  await requireAccess(db, actor, elderProfileStaff, elderId);
  return db.transaction(async (tx) => {
    const ctx = (await elderContext(tx, elderId, deps.clock.now()))!;
    await logElderRead(tx, {
      elderId,
      readerId: actor.actorId,
      fields: ['address', 'phone', 'health_notes', 'emergency_contacts'],
      reason: `工作人员：${reason}`,
    });
    return toView(ctx);
  });
}

/** A phone shown to someone who may not see it in full. */
export const maskedPhone = (phone: string | null) => (phone ? maskPhone(phone) : null);

/**
 * The caregivers the family may name as the elder's preferred one: active caregivers of verified
 * providers of the elder's community who serve the elder's compound, those who have come before
 * first (most visits, then the latest).
 */
export async function caregiverChoices(db: DbOrTx, elderId: string, now: Date) {
  const ctx = await elderContext(db, elderId, now);
  if (!ctx?.compoundId || !ctx.communityId) return { items: [] };
  const rows = await db
    .select({
      id: caregivers.id,
      name: caregivers.name,
      providerName: careProviders.name,
      certifications: caregivers.certifications,
    })
    .from(caregivers)
    .innerJoin(careProviders, eq(careProviders.id, caregivers.providerId))
    .where(
      and(
        eq(caregivers.active, true),
        eq(careProviders.status, 'verified'),
        eq(careProviders.communityId, ctx.communityId),
        inArray(
          caregivers.id,
          db
            .select({ id: caregiverCompounds.caregiverId })
            .from(caregiverCompounds)
            .where(eq(caregiverCompounds.compoundId, ctx.compoundId)),
        ),
      ),
    );
  const history = await db
    .select({ caregiverId: careBookings.caregiverId, visits: count(), last: max(careBookings.startsAt) })
    .from(careBookings)
    .where(and(eq(careBookings.elderId, elderId), eq(careBookings.status, 'completed')))
    .groupBy(careBookings.caregiverId)
    .orderBy(desc(count()));
  const seen = new Map(history.map((h) => [h.caregiverId, h]));
  return {
    items: rows
      .map((r) => ({
        ...r,
        visits: seen.get(r.id)?.visits ?? 0,
        lastVisitAt: seen.get(r.id)?.last?.toISOString() ?? null,
      }))
      .sort(
        (a, b) =>
          b.visits - a.visits ||
          (b.lastVisitAt ?? '').localeCompare(a.lastVisitAt ?? '') ||
          a.name.localeCompare(b.name),
      ),
  };
}
