import { useCallback, useEffect, useState } from 'react';
import { call } from '../api';
import type { Availability, AvailabilityEntry } from './cart-model';

/**
 * Locker availability by delivery window, for one answer of the cart loader (`loadedAt`): a new
 * answer starts afresh, as a bank may have filled meanwhile. `plan` reads what has been loaded and
 * names the windows it still needs; each is fetched once, and the plan is read again as they come.
 */
export function useLockerAvailability<P extends { toLoad: string[] }>(
  compoundId: string | null,
  loadedAt: number,
  plan: (availability: Availability) => P,
): P & { availability: Availability } {
  const [avail, setAvail] = useState<{ at: number; entries: Availability }>({ at: 0, entries: {} });
  const availability = avail.at === loadedAt ? avail.entries : {};
  const planned = plan(availability);
  // A string, so the effect runs when the set of windows changes rather than on every render.
  const wanted = planned.toLoad.filter((id) => !availability[id]).join(',');

  const load = useCallback(
    async (windowId: string) => {
      if (!compoundId) return;
      const put = (entry: AvailabilityEntry) =>
        setAvail((prev) => ({
          at: loadedAt,
          entries: { ...(prev.at === loadedAt ? prev.entries : {}), [windowId]: entry },
        }));
      put({});
      try {
        put({ data: await call('lockerAvailability', { query: { compoundId, windowId } }) });
      } catch (error) {
        put({ error });
      }
    },
    [compoundId, loadedAt],
  );
  useEffect(() => {
    for (const id of wanted ? wanted.split(',') : []) void load(id);
  }, [wanted, load]);

  return { ...planned, availability };
}
