import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { AsyncState } from '../components/Page';

export const open = (url: string) => void Taro.navigateTo({ url });

export function Tag({ text, tone, testId }: { text: string; tone: string; testId?: string }) {
  return (
    <Text className={`tag tag--${tone}`} data-testid={testId}>
      {text}
    </Text>
  );
}

/** A quiet card for an empty list. */
export function Empty({ text, testId }: { text: string; testId: string }) {
  return (
    <View className="card">
      <Text className="muted" data-testid={testId}>
        {text}
      </Text>
    </View>
  );
}

/** A page's loading state with its failure in the page's own words (a withdrawn notice, say). */
export function withCopy<S extends AsyncState>(state: S, describe: (err: unknown) => string): S {
  return state.error ? { ...state, error: new Error(describe(state.error)) } : state;
}
