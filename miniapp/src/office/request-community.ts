import { call } from '../api';
import { useApi } from '../hooks/use-api';

export interface CommunityRef {
  id: string;
  name: string;
}

/**
 * The community whose requests the signed-in staff member runs, or null when they run none.
 * Read from their queue: every request there is of a community they run.
 */
export async function loadStaffCommunity(): Promise<CommunityRef | null> {
  const [queue, all] = await Promise.all([
    call('staffRequests', { query: { status: 'all', limit: 1 } }),
    call('communities'),
  ]);
  const id = queue.items[0]?.communityId;
  if (!id) return null;
  return { id, name: all.items.find((c) => c.id === id)?.name ?? '本社区' };
}

export const useStaffCommunity = () => useApi(loadStaffCommunity);
