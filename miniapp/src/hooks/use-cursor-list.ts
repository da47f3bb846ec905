import { useState } from 'react';
import { errorMessage } from '../api/errors';
import { type ApiState, useApi } from './use-api';

export interface CursorPage<T> {
  items: T[];
  nextCursor: string | null;
}

export interface CursorListState<T> extends ApiState<CursorPage<T>> {
  /** Every item loaded so far: the first page and each 加载更多 after it. */
  items: T[];
  hasMore: boolean;
  loadingMore: boolean;
  /** Why the last 加载更多 failed, in words. */
  moreError: string | null;
  loadMore: () => Promise<void>;
}

/**
 * A cursor-paginated list: the first page through useApi (loading, error, 重试, reload on `key`),
 * later pages appended by loadMore. A reload starts again from the first page.
 */
export function useCursorList<T>(
  load: (cursor: string | undefined) => Promise<CursorPage<T>>,
  options: { key?: string; refreshOnShow?: boolean } = {},
): CursorListState<T> {
  const first = useApi(() => load(undefined), options);
  // The extra pages belong to one first page: when that is replaced, they are dropped.
  const [more, setMore] = useState<{ base: CursorPage<T>; items: T[]; nextCursor: string | null } | null>(
    null,
  );
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<string | null>(null);

  const extra = more && more.base === first.data ? more : null;
  const items = [...(first.data?.items ?? []), ...(extra?.items ?? [])];
  const nextCursor = extra ? extra.nextCursor : (first.data?.nextCursor ?? null);

  async function loadMore() {
    const base = first.data;
    if (!base || !nextCursor || loadingMore) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await load(nextCursor);
      setMore((prev) => {
        const kept = prev && prev.base === base ? prev.items : [];
        return { base, items: [...kept, ...page.items], nextCursor: page.nextCursor };
      });
    } catch (err) {
      setMoreError(errorMessage(err));
    } finally {
      setLoadingMore(false);
    }
  }

  return { ...first, items, hasMore: nextCursor !== null, loadingMore, moreError, loadMore };
}
