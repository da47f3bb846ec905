import { z } from 'zod';
import { Membership, MembershipStatus } from './me';

export const CreateMembershipBody = z.object({ householdId: z.uuid() });
export const ReviewMembershipBody = z.object({ note: z.string().trim().max(200).optional() });
export const RejectMembershipBody = z.object({ note: z.string().trim().min(1).max(200) });

export const StaffMembership = Membership.extend({
  applicant: z.object({ id: z.uuid(), name: z.string(), phoneMasked: z.string().nullable() }),
});
export const StaffMembershipQuery = z.object({ status: MembershipStatus.default('pending') });
export const StaffMembershipList = z.object({ items: z.array(StaffMembership) });
export const MembershipList = z.object({ items: z.array(Membership) });
