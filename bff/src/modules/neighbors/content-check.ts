import { asc, eq } from 'drizzle-orm';
import { findSensitiveWord } from 'shared';
import type { DbOrTx } from '../../db/client';
import type { AppDeps } from '../../deps';
import { badRequest } from '../../http/errors';
import type { SecCheckScene } from '../../integrations/wechat/client';
import { userById } from '../identity';
import { sensitiveWords } from './tables';

/** What publishing must do after the check: nothing, or open a review-queue entry. */
export type CheckOutcome =
  | { review: null }
  | { review: 'content_review'; label: string }
  | { review: 'check_unavailable'; label: null };

export const POST_SCENE: SecCheckScene = 3;
export const COMMENT_SCENE: SecCheckScene = 2;

export async function communityWords(db: DbOrTx, communityId: string): Promise<string[]> {
  const rows = await db
    .select({ word: sensitiveWords.word })
    .from(sensitiveWords)
    .where(eq(sensitiveWords.communityId, communityId))
    .orderBy(asc(sensitiveWords.createdAt));
  return rows.map((r) => r.word);
}

/**
 * Runs before publishing (a post, a comment, an edit), outside any transaction: WeChat is a
 * network call. First the community's own word list (the cheap, local refusal), then WeChat's
 * msgSecCheck v2 with the author's openid:
 * - risky: refused with NEIGHBOR_CONTENT_RISKY;
 * - review: published, and an entry opens in staff's queue;
 * - WeChat unreachable or refusing our call (timeout, 5xx, bad token twice): published and
 *   queued for review (cause check_unavailable), so an outage neither blocks neighbours nor lets
 *   text through unseen.
 * A person without an openid signed in by phone (dev login, never in production): WeChat cannot
 * check on their behalf, so only the word list applies.
 */
export async function checkContent(
  deps: Pick<AppDeps, 'db' | 'wechat' | 'config'>,
  input: {
    communityId: string;
    authorId: string;
    text: string;
    title?: string | null;
    scene: SecCheckScene;
    path: string;
  },
): Promise<CheckOutcome> {
  const whole = input.title ? `${input.title}\n${input.text}` : input.text;
  const hit = findSensitiveWord(whole, await communityWords(deps.db, input.communityId));
  if (hit)
    throw badRequest('NEIGHBOR_SENSITIVE_WORD', 'The text contains a word this community does not allow', [
      { path: input.path, message: `contains "${hit}"` },
    ]);
  if (!deps.config.NEIGHBOR_WECHAT_CHECK) return { review: null };
  const author = await userById(deps.db, input.authorId);
  if (!author?.openid) return { review: null };
  let verdict: Awaited<ReturnType<AppDeps['wechat']['msgSecCheck']>>;
  try {
    verdict = await deps.wechat.msgSecCheck({
      content: input.text,
      openid: author.openid,
      scene: input.scene,
      ...(input.title ? { title: input.title } : {}),
    });
  } catch {
    return { review: 'check_unavailable', label: null };
  }
  if (verdict.suggest === 'risky')
    throw badRequest('NEIGHBOR_CONTENT_RISKY', 'WeChat content security rejected this text', [
      { path: input.path, message: 'was judged risky by content security' },
    ]);
  if (verdict.suggest === 'review') return { review: 'content_review', label: String(verdict.label) };
  return { review: null };
}
