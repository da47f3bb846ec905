import Taro from '@tarojs/taro';
import type { SubscribeTemplates } from 'shared';
import { actingFor, call } from '../api';

type Purpose = keyof SubscribeTemplates;
type Grant = 'accept' | 'reject' | 'ban' | 'filter';
const GRANTS: readonly string[] = ['accept', 'reject', 'ban', 'filter'];

/**
 * Template ids are per deployment (the BFF's config). WeChat only shows the subscribe prompt
 * synchronously inside a tap, so the ids are fetched beforehand, when a page that will ask opens.
 */
let templates: SubscribeTemplates | null = null;

export async function prefetchSubscribeTemplates(): Promise<void> {
  if (process.env.TARO_ENV !== 'weapp' || templates) return;
  try {
    templates = await call('subscribeTemplates');
  } catch {
    // No prompt then; the inbox still gets every message.
  }
}

/**
 * Asks WeChat for one subscribe-message send per template and reports the answers to the BFF.
 * weapp only, and it must run inside a tap handler: call it before any `await` in the handler.
 * Never throws: the in-app inbox always gets the message, this only adds a WeChat push.
 */
export async function askToSubscribe(purposes: Purpose[] = ['reviewResult']): Promise<void> {
  if (process.env.TARO_ENV !== 'weapp' || !templates) return;
  // Acting for an elder, the push would be granted on this WeChat user but sent to the elder's account.
  if (actingFor.get()) return;
  const tmplIds = purposes.map((p) => templates![p]);
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
