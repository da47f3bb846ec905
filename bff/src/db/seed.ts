import { and, eq, sql } from 'drizzle-orm';
import type { Role } from 'shared';
import type { Db, DbOrTx } from './client';
import {
  buildings,
  communities,
  compounds,
  households,
  memberships,
  proxyLinks,
  staffCommunities,
  userRoles,
  users,
} from './schema';

export const DEMO_COMMUNITY = '黌门街社区';
const COMPOUNDS = ['银杏院', '梧桐院', '玉兰院'];
const BUILDINGS = ['1栋', '2栋'];
const UNITS = ['101', '102', '201', '202', '301', '302'];

interface DemoAccount {
  phone: string;
  name: string;
  roles: Role[];
  birthDate?: string;
  /** index into the list of all households, for a verified membership */
  household?: number;
}

const RESIDENT_NAMES = ['陈静', '杨帆', '黄丽', '周杰', '吴敏', '徐磊', '孙悦', '马超', '朱琳', '胡军'];

/** The fixed demo accounts listed in the README. */
export const DEMO_ACCOUNTS: DemoAccount[] = [
  { phone: '13800000001', name: '王社工', roles: ['staff'] },
  { phone: '13800000002', name: '李老板', roles: ['merchant'] },
  { phone: '13800000003', name: '张师傅', roles: ['courier'] },
  { phone: '13800000004', name: '赵志愿', roles: ['volunteer', 'resident'], household: 20 },
  { phone: '13800000005', name: '陈护理', roles: ['caregiver'] },
  ...RESIDENT_NAMES.map((name, i) => ({
    phone: `138000000${10 + i}`,
    name,
    roles: ['resident'] as Role[],
    household: i * 3,
  })),
  { phone: '13800000020', name: '刘奶奶', roles: ['resident'], birthDate: '1940-03-15', household: 1 },
  { phone: '13800000021', name: '刘晓明', roles: ['resident'], household: 4 },
];

async function upsertId<T extends { id: string }>(
  find: () => Promise<T[]>,
  insert: () => Promise<T[]>,
): Promise<string> {
  const [found] = await find();
  if (found) return found.id;
  const [made] = await insert();
  return made!.id;
}

/** Idempotent: running it again changes nothing. */
export async function seed(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    // One seed at a time even if two processes start together.
    await tx.execute(sql`SELECT pg_advisory_xact_lock(42001)`);
    const communityId = await upsertId(
      () => tx.select({ id: communities.id }).from(communities).where(eq(communities.name, DEMO_COMMUNITY)),
      () =>
        tx
          .insert(communities)
          .values({ name: DEMO_COMMUNITY, city: '成都市' })
          .returning({ id: communities.id }),
    );
    const householdIds: string[] = [];
    for (const compoundName of COMPOUNDS) {
      const compoundId = await upsertId(
        () =>
          tx
            .select({ id: compounds.id })
            .from(compounds)
            .where(and(eq(compounds.communityId, communityId), eq(compounds.name, compoundName))),
        () =>
          tx.insert(compounds).values({ communityId, name: compoundName }).returning({ id: compounds.id }),
      );
      for (const buildingName of BUILDINGS) {
        const buildingId = await upsertId(
          () =>
            tx
              .select({ id: buildings.id })
              .from(buildings)
              .where(and(eq(buildings.compoundId, compoundId), eq(buildings.name, buildingName))),
          () =>
            tx.insert(buildings).values({ compoundId, name: buildingName }).returning({ id: buildings.id }),
        );
        for (const unit of UNITS) {
          householdIds.push(
            await upsertId(
              () =>
                tx
                  .select({ id: households.id })
                  .from(households)
                  .where(and(eq(households.buildingId, buildingId), eq(households.unit, unit))),
              () => tx.insert(households).values({ buildingId, unit }).returning({ id: households.id }),
            ),
          );
        }
      }
    }

    const ids = new Map<string, string>();
    for (const a of DEMO_ACCOUNTS) {
      const [u] = await tx
        .insert(users)
        .values({ phone: a.phone, name: a.name, birthDate: a.birthDate ?? null })
        .onConflictDoUpdate({ target: users.phone, set: { name: a.name, birthDate: a.birthDate ?? null } })
        .returning({ id: users.id });
      ids.set(a.phone, u!.id);
      for (const role of a.roles)
        await tx.insert(userRoles).values({ userId: u!.id, role }).onConflictDoNothing();
      if (a.household !== undefined) await approvedMembership(tx, u!.id, householdIds[a.household]!);
      if (a.roles.includes('staff'))
        await tx.insert(staffCommunities).values({ userId: u!.id, communityId }).onConflictDoNothing();
    }

    const elderId = ids.get('13800000020')!;
    const proxyId = ids.get('13800000021')!;
    const [link] = await tx
      .select({ id: proxyLinks.id })
      .from(proxyLinks)
      .where(and(eq(proxyLinks.elderId, elderId), eq(proxyLinks.proxyId, proxyId)));
    if (!link) {
      await tx.insert(proxyLinks).values({
        elderId,
        proxyId,
        relationship: '儿子',
        consentStatus: 'granted',
        consentMethod: 'in_person',
        consentAt: new Date(),
        consentRecordedBy: ids.get('13800000001')!,
        consentNote: '社区工作人员上门确认',
      });
    }
  });
}

async function approvedMembership(tx: DbOrTx, userId: string, householdId: string) {
  const [existing] = await tx
    .select({ id: memberships.id })
    .from(memberships)
    .where(and(eq(memberships.userId, userId), eq(memberships.householdId, householdId)));
  if (!existing) {
    await tx
      .insert(memberships)
      .values({ userId, householdId, status: 'approved', reviewedAt: new Date(), reviewNote: '演示数据' });
  }
}
