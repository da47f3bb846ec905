import { useState } from 'react';
import { errorMessage } from '../api/errors';

/**
 * A button's action: one at a time, its error kept for the page to show. `key` tells which of
 * several buttons (one per list row, say) is running. Resolves undefined when the action failed.
 */
export function useAction(describe: (err: unknown) => string = errorMessage) {
  const [runningKey, setRunningKey] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function run<T>(action: () => Promise<T>, key = 'action'): Promise<T | undefined> {
    setRunningKey(key);
    setError(null);
    try {
      return await action();
    } catch (err) {
      setError(describe(err));
      return undefined;
    } finally {
      setRunningKey(null);
    }
  }

  return { busy: runningKey !== null, runningKey, error, setError, run };
}
