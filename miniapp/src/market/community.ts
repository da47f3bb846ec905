import type { Me } from 'shared';

export interface Community {
  id: string;
  name: string;
}

/** The community whose market to show: where my verified household is, else the first one. */
export function pickCommunity(me: Me, communities: Community[]): Community | null {
  const home = me.memberships.find((m) => m.status === 'approved');
  return communities.find((c) => c.id === home?.communityId) ?? communities[0] ?? null;
}
