import { z } from 'zod';
import { membershipFlow } from '../state/flows';

/**
 * `provider` runs a home-care organisation (服务机构) and its caregivers. `operator` runs the
 * system itself (the job queues); it is not a community's staff, who only see their own
 * communities.
 */
export const ROLES = [
  'resident',
  'merchant',
  'courier',
  'caregiver',
  'provider',
  'volunteer',
  'staff',
  'operator',
] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

export const MembershipStatus = z.enum(membershipFlow.states);
export type MembershipStatus = z.infer<typeof MembershipStatus>;

export const Membership = z.object({
  id: z.uuid(),
  status: MembershipStatus,
  householdId: z.uuid(),
  /** Human address: 黌门街社区 · 银杏院 · 2栋 · 301 */
  address: z.string(),
  communityId: z.uuid(),
  compoundId: z.uuid(),
  reviewNote: z.string().nullable(),
  createdAt: z.string(),
  reviewedAt: z.string().nullable(),
});
export type Membership = z.infer<typeof Membership>;

export const LinkedElder = z.object({
  linkId: z.uuid(),
  elderId: z.uuid(),
  name: z.string(),
  relationship: z.string(),
  consentStatus: z.enum(['pending', 'granted', 'revoked']),
});

export const UserView = z.object({
  id: z.uuid(),
  name: z.string(),
  phoneMasked: z.string().nullable(),
  birthDate: z.string().nullable(),
  isElder: z.boolean(),
  /** The person's own 长辈模式 choice, the same on every device; null = the app decides (age, proxy, font). */
  elderMode: z.boolean().nullable(),
  /**
   * 优先分配不用弯腰、不用踮脚的格口: the person's own choice (null = automatic) and whether it is on
   * for their own orders now (automatic: 80 and over; orders a family member places get it too).
   */
  reachableCompartments: z.object({ choice: z.boolean().nullable(), on: z.boolean() }),
});

export const Me = z.object({
  user: UserView,
  roles: z.array(Role),
  memberships: z.array(Membership),
  elders: z.array(LinkedElder),
  /** The communities the person runs as staff (empty for everyone else). */
  staffCommunities: z.array(z.object({ id: z.uuid(), name: z.string() })),
  unreadNotifications: z.number().int(),
});
export type Me = z.infer<typeof Me>;

/** What a person may change about themself. */
export const UpdateMeBody = z
  .object({
    name: z.string().trim().min(1).max(20).optional(),
    /** true/false: the person's own elder-mode choice; null: back to automatic. */
    elderMode: z.boolean().nullable().optional(),
    /** true/false: the person's own choice of compartments in reach; null: back to automatic. */
    reachableCompartments: z.boolean().nullable().optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: '没有要修改的内容' });
