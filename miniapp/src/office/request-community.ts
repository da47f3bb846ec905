import { call } from '../api';
import { useApi } from '../hooks/use-api';

export interface CommunityRef {
  id: string;
  name: string;
}

/** The first community the signed-in staff member runs (by name), or null when they run none. */
export async function loadStaffCommunity(): Promise<CommunityRef | null> {
  const me = await call('me');
  return me.staffCommunities[0] ?? null;
}

export const useStaffCommunity = () => useApi(loadStaffCommunity);
