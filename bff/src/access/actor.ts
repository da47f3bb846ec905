import type { Role } from 'shared';

/**
 * Who a request acts for. `userId` is the subject (the elder when a family proxy acts);
 * `actorId` is the person holding the phone. They differ only under a consented proxy link.
 */
export interface Actor {
  userId: string;
  actorId: string;
  roles: Role[];
  onBehalfOf: string | null;
}
