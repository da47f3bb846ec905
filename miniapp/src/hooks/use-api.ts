import { useDidShow } from '@tarojs/taro';
import { useCallback, useEffect, useRef, useState } from 'react';
import { goToLogin, tokens } from '../api';

export interface ApiState<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => Promise<void>;
}

interface UseApiOptions {
  /** Reload when this value changes (e.g. a filter the loader reads). */
  key?: string | number | boolean;
  /** Reload whenever the page is shown again (tab switches, navigating back). */
  refreshOnShow?: boolean;
}

/** Loads data for a page: loading and error states, reload for 重试, login redirect when logged out. */
export function useApi<T>(load: () => Promise<T>, options: UseApiOptions = {}): ApiState<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [loading, setLoading] = useState(true);
  const loadRef = useRef(load);
  loadRef.current = load;
  const sequence = useRef(0);

  const reload = useCallback(async () => {
    if (!tokens.get()) {
      goToLogin();
      return;
    }
    const id = ++sequence.current;
    setLoading(true);
    setError(undefined);
    try {
      const next = await loadRef.current();
      if (id === sequence.current) setData(next);
    } catch (err) {
      if (id === sequence.current) setError(err);
    } finally {
      if (id === sequence.current) setLoading(false);
    }
  }, []);

  const { key } = options;
  // biome-ignore lint/correctness/useExhaustiveDependencies: key is the caller's signal to load again
  useEffect(() => {
    void reload();
  }, [reload, key]);

  const shownBefore = useRef(false);
  useDidShow(() => {
    if (shownBefore.current && options.refreshOnShow) void reload();
    shownBefore.current = true;
  });

  return { data, error, loading, reload };
}
