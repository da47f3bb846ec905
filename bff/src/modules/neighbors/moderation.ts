import { and, asc, count, desc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import {
  type CaseStatus,
  type ModerationCase,
  type ModerationPage,
  moderationCaseFlow,
  neighborContentFlow,
  normaliseForMatch,
  type ReportBody,
  type SensitiveWord,
  type TargetType,
  wechatPage,
} from 'shared';
import type { Actor } from '../../access/actor';
import type { DbOrTx } from '../../db/client';
import { advance } from '../../db/flow-update';
import type { AppDeps } from '../../deps';
import { olderThan, pageOf } from '../../http/cursor';
import { conflict, describeConstraint, invalidField, notFound } from '../../http/errors';
import { audit } from '../audit';
import { peopleByIds } from '../identity';
import { notify } from '../notifications';
import { staffCommunityIds } from '../places';
import { attachedImages } from '../uploads';
import { actionablePost, requireMember, requireStaffOf, staffCase, staffWord } from './access';
import { openCase, postLink } from './cases';
import { shownName } from './posts';
import { moderationCases, neighborComments, neighborPosts, neighborReports, sensitiveWords } from './tables';

describeConstraint('neighbor_reports_once', 'NEIGHBOR_ALREADY_REPORTED', 'You have already reported this');
describeConstraint(
  'neighbor_sensitive_words_unique',
  'NEIGHBOR_WORD_EXISTS',
  'This word is already on the list',
);

type Deps = Pick<AppDeps, 'db' | 'config' | 'clock'>;
type CaseRow = typeof moderationCases.$inferSelect;

const tableOf = (type: TargetType) => (type === 'post' ? neighborPosts : neighborComments);
const what = (type: TargetType) => (type === 'post' ? '动态' : '评论');

/**
 * A verified member of the community reports a post or comment, once. Inserting the report and
 * bumping the counter happen in one transaction; the counter's row lock lines concurrent reports
 * up, and the hide is a conditional update from `published`, so N (or N+3) reports arriving at
 * once hide it exactly once: one hide, one queue entry, one notification to the author.
 */
export async function report(
  deps: Deps,
  actor: Actor,
  type: TargetType,
  id: string,
  body: ReportBody,
): Promise<{ ok: true }> {
  const { db, config } = deps;
  const now = deps.clock.now();
  let target: { authorId: string; communityId: string; postId: string };
  if (type === 'post') {
    const post = await actionablePost(db, actor, id);
    target = { authorId: post.authorId, communityId: post.communityId, postId: post.id };
  } else {
    const [c] = await db.select().from(neighborComments).where(eq(neighborComments.id, id));
    // Only a published comment on a post the reporter may act on can be reported; else as absent.
    if (c?.status !== 'published') throw notFound();
    await actionablePost(db, actor, c.postId);
    target = { authorId: c.authorId, communityId: c.communityId, postId: c.postId };
  }
  await requireMember(db, actor.userId, target.communityId);
  if (target.authorId === actor.userId)
    throw conflict('NEIGHBOR_REPORT_OWN', `You cannot report your own ${type}`);
  await db.transaction(async (tx) => {
    const [inserted] = await tx
      .insert(neighborReports)
      .values({
        targetType: type,
        targetId: id,
        communityId: target.communityId,
        reporterId: actor.userId,
        reason: body.reason,
        note: body.note || null,
        createdAt: now,
      })
      .onConflictDoNothing()
      .returning({ id: neighborReports.id });
    if (!inserted) throw conflict('NEIGHBOR_ALREADY_REPORTED', 'You have already reported this');
    const table = tableOf(type);
    const [counted] = await tx
      .update(table)
      .set({ reportCount: sql`${table.reportCount} + 1` })
      .where(eq(table.id, id))
      .returning({ reportCount: table.reportCount });
    if (counted!.reportCount < config.NEIGHBOR_REPORT_THRESHOLD) return;
    const [hidden] = await advance(tx, table, table.status, neighborContentFlow, 'hide', eq(table.id, id), {
      moderationReason: null,
      moderatedAt: now,
    });
    if (!hidden) return;
    const opened = await openCase(tx, {
      ...target,
      targetType: type,
      targetId: id,
      cause: 'reports',
      at: now,
    });
    // A review entry the content check opened earlier stays the one entry; it now says reports.
    const caseId =
      opened?.id ??
      (
        await tx
          .update(moderationCases)
          .set({ cause: 'reports' })
          .where(
            and(
              eq(moderationCases.targetType, type),
              eq(moderationCases.targetId, id),
              eq(moderationCases.status, 'open'),
            ),
          )
          .returning({ id: moderationCases.id })
      )[0]?.id;
    await audit(
      tx,
      null,
      'neighbors.auto_hidden',
      { type: `neighbor_${type}`, id },
      { reports: counted!.reportCount },
    );
    await notify(tx, {
      userId: target.authorId,
      kind: 'neighbors.hidden',
      title: `你的${what(type)}已被暂时隐藏`,
      body: `多位邻居举报了你的${what(type)}，社区工作人员审核前仅你自己可见`,
      link: postLink(target.postId),
      dedupeKey: `neighbors.hidden:${caseId ?? id}`,
    });
  });
  return { ok: true };
}

// ---- the review queue ---------------------------------------------------------------------------

async function caseViews(db: DbOrTx, rows: CaseRow[]): Promise<ModerationCase[]> {
  if (rows.length === 0) return [];
  const postIds = rows.filter((r) => r.targetType === 'post').map((r) => r.targetId);
  const commentIds = rows.filter((r) => r.targetType === 'comment').map((r) => r.targetId);
  const [posts, comments, reasons, notes] = await Promise.all([
    postIds.length ? db.select().from(neighborPosts).where(inArray(neighborPosts.id, postIds)) : [],
    commentIds.length
      ? db.select().from(neighborComments).where(inArray(neighborComments.id, commentIds))
      : [],
    db
      .select({ targetId: neighborReports.targetId, reason: neighborReports.reason, n: count() })
      .from(neighborReports)
      .where(
        inArray(
          neighborReports.targetId,
          rows.map((r) => r.targetId),
        ),
      )
      .groupBy(neighborReports.targetId, neighborReports.reason),
    db
      .select({ targetId: neighborReports.targetId, note: neighborReports.note })
      .from(neighborReports)
      .where(
        and(
          inArray(
            neighborReports.targetId,
            rows.map((r) => r.targetId),
          ),
          isNotNull(neighborReports.note),
        ),
      )
      .orderBy(asc(neighborReports.createdAt)),
  ]);
  const postById = new Map(posts.map((p) => [p.id, p]));
  const commentById = new Map(comments.map((c) => [c.id, c]));
  const images = await attachedImages(db, 'post', new Map(posts.map((p) => [p.id, p.imageIds])));
  const people = await peopleByIds(db, [
    ...posts.map((p) => p.authorId),
    ...comments.map((c) => c.authorId),
    ...rows.flatMap((r) => (r.decidedBy ? [r.decidedBy] : [])),
  ]);
  const person = (id: string) => ({ id, name: shownName(people.get(id)?.name) });
  return rows.map((r) => {
    const p = r.targetType === 'post' ? postById.get(r.targetId)! : null;
    const c = r.targetType === 'comment' ? commentById.get(r.targetId)! : null;
    const t = (p ?? c)!;
    const rs = reasons.filter((x) => x.targetId === r.targetId);
    return {
      id: r.id,
      communityId: r.communityId,
      targetType: r.targetType,
      targetId: r.targetId,
      postId: r.postId,
      cause: r.cause,
      status: r.status,
      checkLabel: r.checkLabel,
      reportCount: rs.reduce((n, x) => n + x.n, 0),
      reasons: rs.map((x) => ({ reason: x.reason, count: x.n })),
      notes: notes.filter((x) => x.targetId === r.targetId).map((x) => x.note!),
      target: {
        status: t.status,
        topic: p?.topic ?? null,
        title: p?.title ?? null,
        text: t.body,
        images: p ? (images.get(p.id) ?? []) : [],
        author: person(t.authorId),
        createdAt: t.createdAt.toISOString(),
      },
      createdAt: r.createdAt.toISOString(),
      decidedAt: r.decidedAt?.toISOString() ?? null,
      decidedBy: r.decidedBy ? person(r.decidedBy) : null,
      decisionReason: r.decisionReason,
    };
  });
}

export async function moderationQueue(
  deps: Deps,
  actor: Actor,
  q: { status: CaseStatus; communityId?: string; cursor?: string; limit: number },
): Promise<ModerationPage> {
  const rows = await deps.db
    .select()
    .from(moderationCases)
    .where(
      and(
        inArray(moderationCases.communityId, staffCommunityIds(deps.db, actor.actorId)),
        q.communityId ? eq(moderationCases.communityId, q.communityId) : undefined,
        eq(moderationCases.status, q.status),
        olderThan(moderationCases, q.cursor),
      ),
    )
    .orderBy(desc(moderationCases.createdAt), desc(moderationCases.id))
    .limit(q.limit + 1);
  const { page, nextCursor } = pageOf(rows, q.limit);
  return { items: await caseViews(deps.db, page), nextCursor };
}

export async function getCase(deps: Deps, actor: Actor, id: string): Promise<ModerationCase> {
  return (await caseViews(deps.db, [await staffCase(deps.db, actor, id)]))[0]!;
}

/**
 * Staff decide an open entry, once (the case moves by a conditional update, so two staff racing
 * make one decision). Remove: the post or comment is removed with the reason, the author is told
 * and, for a post, it counts against their trust. Restore: a hidden one is shown again and its
 * report count starts over; a published one (a review the content check asked for) stays.
 */
export async function decideCase(
  deps: Deps,
  actor: Actor,
  id: string,
  decision: 'restore' | 'remove',
  reason: string | null,
): Promise<ModerationCase> {
  const now = deps.clock.now();
  await staffCase(deps.db, actor, id);
  const row = await deps.db.transaction(async (tx) => {
    const [c] = await advance(
      tx,
      moderationCases,
      moderationCases.status,
      moderationCaseFlow,
      decision,
      eq(moderationCases.id, id),
      {
        decidedAt: now,
        decidedBy: actor.actorId,
        decisionReason: reason,
      },
    );
    if (!c) throw conflict('NEIGHBOR_CASE_DECIDED', 'This entry has already been decided');
    const table = tableOf(c.targetType);
    const [moved] =
      decision === 'remove'
        ? await advance(tx, table, table.status, neighborContentFlow, 'remove', eq(table.id, c.targetId), {
            moderationReason: reason,
            moderatedAt: now,
          })
        : await advance(tx, table, table.status, neighborContentFlow, 'restore', eq(table.id, c.targetId), {
            moderationReason: null,
            moderatedAt: null,
            reportCount: 0,
          });
    await audit(
      tx,
      actor,
      `neighbors.${decision === 'remove' ? 'removed' : 'restored'}`,
      { type: `neighbor_${c.targetType}`, id: c.targetId },
      {
        caseId: c.id,
        ...(reason ? { reason } : {}),
      },
    );
    if (moved) {
      const w = what(c.targetType);
      await notify(tx, {
        userId: moved.authorId,
        kind: decision === 'remove' ? 'neighbors.removed' : 'neighbors.restored',
        title: decision === 'remove' ? `你的${w}已被社区删除` : `你的${w}已恢复显示`,
        body: decision === 'remove' ? `原因：${reason}` : `社区工作人员审核后恢复了你的${w}`,
        link: postLink(c.postId),
        dedupeKey: `neighbors.${decision}:${c.id}`,
        wechat: {
          template: 'reviewResult',
          page: wechatPage(postLink(c.postId)),
          data: {
            thing1: c.targetType === 'post' ? '邻里动态' : '邻里评论',
            phrase2: decision === 'remove' ? '已删除' : '已恢复',
            time3: now.toISOString(),
          },
        },
      });
    }
    return c;
  });
  return (await caseViews(deps.db, [row]))[0]!;
}

// ---- the sensitive-word list --------------------------------------------------------------------

const wordView = (r: typeof sensitiveWords.$inferSelect): SensitiveWord => ({
  id: r.id,
  communityId: r.communityId,
  word: r.word,
  createdAt: r.createdAt.toISOString(),
});

export async function listWords(deps: Deps, actor: Actor, communityId: string) {
  await requireStaffOf(deps.db, actor, communityId);
  const rows = await deps.db
    .select()
    .from(sensitiveWords)
    .where(eq(sensitiveWords.communityId, communityId))
    .orderBy(asc(sensitiveWords.createdAt));
  return { items: rows.map(wordView) };
}

export async function addWord(deps: Deps, actor: Actor, body: { communityId: string; word: string }) {
  await requireStaffOf(deps.db, actor, body.communityId);
  const normalised = normaliseForMatch(body.word);
  if (!normalised) throw invalidField('body.word', 'must contain a letter or character');
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(sensitiveWords)
      .values({
        communityId: body.communityId,
        word: body.word,
        normalised,
        createdBy: actor.actorId,
        createdAt: deps.clock.now(),
      })
      .returning();
    await audit(
      tx,
      actor,
      'neighbors.word_added',
      { type: 'neighbor_sensitive_word', id: row!.id },
      { word: body.word },
    );
    return wordView(row!);
  });
}

export async function deleteWord(deps: Deps, actor: Actor, id: string): Promise<{ ok: true }> {
  const row = await staffWord(deps.db, actor, id);
  await deps.db.transaction(async (tx) => {
    await tx.delete(sensitiveWords).where(eq(sensitiveWords.id, id));
    await audit(
      tx,
      actor,
      'neighbors.word_removed',
      { type: 'neighbor_sensitive_word', id },
      { word: row.word },
    );
  });
  return { ok: true };
}
