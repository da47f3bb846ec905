import { z } from 'zod';

export const Household = z.object({ id: z.uuid(), unit: z.string() });
export const Building = z.object({ id: z.uuid(), name: z.string(), households: z.array(Household) });
export const Compound = z.object({
  id: z.uuid(),
  name: z.string(),
  /** The gate's position (public: where the compound is), or null when not surveyed. */
  location: z.object({ lat: z.number(), lng: z.number() }).nullable(),
  buildings: z.array(Building),
});
export const Community = z.object({ id: z.uuid(), name: z.string(), city: z.string() });
export const CommunityTree = Community.extend({ compounds: z.array(Compound) });
export type CommunityTree = z.infer<typeof CommunityTree>;
export const CommunityList = z.object({ items: z.array(Community) });
