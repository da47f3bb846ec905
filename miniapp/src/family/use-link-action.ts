import { useState } from 'react';
import { errorMessage } from '../api/errors';

/** Runs one link action at a time (同意 / 拒绝 / 解除) with its error shown next to the list. */
export function useLinkAction(after: () => Promise<void>) {
  const [busyId, setBusyId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function run(id: string, action: () => Promise<unknown>) {
    setBusyId(id);
    setError(null);
    try {
      await action();
      await after();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusyId(null);
    }
  }

  return { busyId, error, run };
}
