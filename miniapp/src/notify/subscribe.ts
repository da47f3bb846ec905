import Taro from '@tarojs/taro';
import { actingFor, call } from '../api';

/** Subscribe-message template the BFF sends when a membership request is reviewed. */
export const REVIEW_RESULT_TEMPLATE = 'tmpl_review_result';

type Grant = 'accept' | 'reject' | 'ban' | 'filter';
const GRANTS: readonly string[] = ['accept', 'reject', 'ban', 'filter'];

/**
 * Asks WeChat for one subscribe-message send per template and reports the answers to the BFF.
 * weapp only, and it must run inside a tap handler: call it before any `await` in the handler.
 * Never throws: the in-app inbox always gets the message, this only adds a WeChat push.
 */
export async function askToSubscribe(tmplIds: string[] = [REVIEW_RESULT_TEMPLATE]): Promise<void> {
  if (process.env.TARO_ENV !== 'weapp') return;
  // Acting for an elder, the push would be granted on this WeChat user but sent to the elder's account.
  if (actingFor.get()) return;
  try {
    const res = (await Taro.requestSubscribeMessage({
      tmplIds,
    } as Taro.requestSubscribeMessage.Option)) as unknown as Record<string, unknown>;
    const results: Record<string, Grant> = {};
    for (const id of tmplIds) {
      const answer = res[id];
      if (typeof answer === 'string' && GRANTS.includes(answer)) results[id] = answer as Grant;
    }
    if (Object.keys(results).length > 0) await call('grantSubscriptions', { body: { results } });
  } catch {
    // Declined, unsupported base library, or the BFF is unreachable: the inbox still works.
  }
}
