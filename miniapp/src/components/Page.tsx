import { Text, View } from '@tarojs/components';
import type { ReactNode } from 'react';
import { errorMessage } from '../api/errors';
import { ElderNote } from '../elder/ElderNote';
import { useElderMode } from '../elder/use-elder-mode';
import { ActingBanner } from './ActingBanner';
import { Btn } from './Btn';

interface PageProps {
  /** Stable hook for browser tests: rendered as data-testid on the page root. */
  name: string;
  /** Pass a useApi state: shows 加载中 until data arrives, and an error with 重试 when loading failed. */
  state?: AsyncState;
  children?: ReactNode;
}

export interface AsyncState {
  data: unknown;
  error: unknown;
  loading: boolean;
  reload: () => Promise<void>;
}

/**
 * Every page renders inside this: elder mode class, the acting-for banner, loading state and error
 * state in one place.
 */
export function Page({ name, state, children }: PageProps) {
  const [elder] = useElderMode();
  return (
    <View className={`page${elder ? ' elder' : ''}`} data-testid={`page-${name}`}>
      <ActingBanner />
      <ElderNote />
      {state ? <AsyncContent state={state}>{children}</AsyncContent> : children}
    </View>
  );
}

/** 加载中 until data arrives; an error with 重试 when loading failed (above stale data, if any). */
export function AsyncContent({ state, children }: { state: AsyncState; children?: ReactNode }) {
  if (state.data === undefined) {
    return state.error ? <ErrorState error={state.error} onRetry={state.reload} /> : <LoadingState />;
  }
  return (
    <>
      {state.error ? <ErrorState error={state.error} onRetry={state.reload} compact /> : null}
      {children}
    </>
  );
}

export function LoadingState() {
  return (
    <View className="state state--loading" data-testid="loading">
      <Text>加载中…</Text>
    </View>
  );
}

export function ErrorState({
  error,
  onRetry,
  compact,
}: {
  error: unknown;
  onRetry?: () => void;
  compact?: boolean;
}) {
  return (
    <View className={`state state--error${compact ? ' state--compact' : ''}`} data-testid="error">
      <Text className="state__message">加载失败：{errorMessage(error)}</Text>
      {onRetry ? (
        <Btn variant="ghost" onClick={onRetry}>
          重试
        </Btn>
      ) : null}
    </View>
  );
}
