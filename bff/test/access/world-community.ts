import type { Who, WorldBase } from './world';

/**
 * The community domain's resource factories for the foreign-token cases: each makes a real instance (through
 * the API where one exists) and returns its id, its owner and `state()` (everything a refused
 * request could have changed).
 */
export async function communityMakers<P extends Record<string, Who>>(_w: WorldBase<P>) {
  return {};
}
