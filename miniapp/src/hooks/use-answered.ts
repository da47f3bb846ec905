import { useEffect, useState } from 'react';
import { type ApiState, useApi } from './use-api';
import { usePullRefresh } from './use-pull-refresh';

/**
 * A detail page's one resource: loaded (again when the page is shown or pulled down), and
 * replaced by what an action on it answered, without a second round trip.
 */
export function useAnswered<T>(
  load: () => Promise<T>,
  key: string,
): { state: ApiState<T>; current: T | undefined; answer: (next: T) => void } {
  const state = useApi(load, { key, refreshOnShow: true });
  const [answered, setAnswered] = useState<T | undefined>(undefined);
  useEffect(() => setAnswered(state.data), [state.data]);
  usePullRefresh(state.reload);
  return { state, current: answered ?? state.data, answer: setAnswered };
}
