import type { Standing } from 'shared';
import type { Actor } from '../../access/actor';
import type { AppDeps } from '../../deps';
import { standing } from './trust';

/** The person's own limits in a community, for the editor (never anyone else's). */
export function getStanding(
  deps: Pick<AppDeps, 'db' | 'config' | 'clock'>,
  actor: Actor,
  communityId: string,
): Promise<Standing> {
  return standing(deps.db, deps.config, actor.userId, communityId, deps.clock.now());
}
