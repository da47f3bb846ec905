import { useAction } from '../hooks/use-action';

/** Runs one link action at a time (同意 / 拒绝 / 解除), then refreshes the lists. */
export function useLinkAction(after: () => Promise<void>) {
  const { runningKey, error, run } = useAction();
  return {
    busyId: runningKey,
    error,
    run: (id: string, action: () => Promise<unknown>) =>
      run(async () => {
        await action();
        await after();
      }, id),
  };
}
