import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { ReactNode } from 'react';
import { PAGES } from 'shared';
import { Btn } from '../components/Btn';
import { type AsyncState, Page } from '../components/Page';
import { isCode } from './errors';

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

/**
 * A page only verified residents of the community may read (通知公告, 议事, 社区活动, 兴趣小组). For
 * someone without a verified household the BFF's 403 NOT_COMMUNITY_MEMBER is the way in, not a
 * failure: 重试 would fail forever, so they get what the page is for and 去认证住户 instead.
 */
export function MemberPage({
  name,
  state,
  children,
}: {
  name: string;
  state: AsyncState;
  children?: ReactNode;
}) {
  if (state.data === undefined && isCode(state.error, 'NOT_COMMUNITY_MEMBER'))
    return (
      <Page name={name}>
        <View className="card stack" data-testid="community-members-only">
          <Text className="card__title">认证为本社区住户后才能查看</Text>
          <Text className="muted">社区的公告、议事、活动和兴趣小组只对本社区已认证的住户开放。</Text>
          <Btn onClick={() => open(PAGES.membership)} testId="community-join-membership">
            去认证住户
          </Btn>
        </View>
      </Page>
    );
  return (
    <Page name={name} state={state}>
      {children}
    </Page>
  );
}
