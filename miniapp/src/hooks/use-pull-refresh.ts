import Taro, { usePullDownRefresh } from '@tarojs/taro';

/**
 * 下拉刷新: reloads everything the page shows, together, and stops the spinner once all have
 * answered; a failed reload must not leave it spinning (its error shows in its own state). The
 * page's config needs `enablePullDownRefresh: true`.
 */
export function usePullRefresh(...reloads: (() => Promise<unknown>)[]): void {
  usePullDownRefresh(() => {
    void Promise.allSettled(reloads.map((reload) => reload())).then(() => Taro.stopPullDownRefresh());
  });
}
