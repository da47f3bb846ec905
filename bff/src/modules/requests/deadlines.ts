import { and, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import { AWAITING_RESPONSE_STATES, OPEN_REQUEST_STATES, REQUEST_CATEGORY_LABELS } from 'shared';
import type { AppDeps } from '../../deps';
import { enqueue } from '../../jobs/outbox';
import { handles, type JobHandler } from '../../module';
import { audit } from '../audit';
import { type DeadlineKind, requestAutoCloseJob, requestDeadlineJob, requestSweepJob } from './jobs';
import { residentRequests } from './tables';
import { autoCloseDelayMs, leadsOf, recordEvent, tellStaff, transition } from './transition';
import { requestNumber } from './views';

type Deps = Pick<AppDeps, 'db' | 'clock' | 'config'>;

const SYSTEM = { role: 'system' as const };

/**
 * A time limit fell due. One conditional UPDATE marks it escalated only where the row still has
 * exactly this deadline, has not met it, and was not escalated for it: a replayed, stale (the
 * resolution limit moved on a reopen) or forged job changes nothing, and the lead hears once. A
 * job that arrives early (clock drift, a forged future deadline that happens to match) queues
 * itself again for the rest of the time.
 */
export async function checkDeadline(
  deps: Deps,
  requestId: string,
  kind: DeadlineKind,
  deadlineIso: string,
): Promise<boolean> {
  const deadline = new Date(deadlineIso);
  const now = deps.clock.now();
  const respond = kind === 'respond';
  const by = respond ? residentRequests.respondBy : residentRequests.resolveBy;
  const escalated = respond ? residentRequests.respondEscalatedAt : residentRequests.resolveEscalatedAt;
  const still = and(
    eq(residentRequests.id, requestId),
    eq(by, deadline),
    isNull(escalated),
    respond
      ? and(
          isNull(residentRequests.respondedAt),
          inArray(residentRequests.status, [...AWAITING_RESPONSE_STATES]),
        )
      : inArray(residentRequests.status, [...OPEN_REQUEST_STATES]),
  );
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .update(residentRequests)
      .set(respond ? { respondEscalatedAt: now } : { resolveEscalatedAt: now })
      .where(and(still, lte(by, now)))
      .returning();
    if (!row) {
      const [early] = await tx
        .select({ id: residentRequests.id })
        .from(residentRequests)
        .where(and(still, sql`${by} > ${now.toISOString()}::timestamptz`));
      if (early)
        await enqueue(
          tx,
          requestDeadlineJob,
          { requestId, kind, deadline: deadlineIso },
          { delayMs: deadline.getTime() - now.getTime() },
        );
      return false;
    }
    const kindOf = respond ? 'escalate_response' : 'escalate_resolution';
    await recordEvent(tx, row.id, kindOf, SYSTEM, '', now);
    await audit(
      tx,
      null,
      `request.${kindOf}`,
      { type: 'resident_request', id: row.id },
      { deadline: deadlineIso },
    );
    const label = `${REQUEST_CATEGORY_LABELS[row.category]} ${requestNumber(row.id)}`;
    await tellStaff(
      tx,
      row,
      await leadsOf(tx, row.communityId),
      'escalated',
      respond ? '诉求超时未响应' : '诉求超时未办结',
      `${label}（${row.location}）${respond ? '已超过响应时限仍无人接单' : '已超过办结时限仍未处理完成'}，请督办`,
      `${kind}:${deadlineIso}`,
    );
    return true;
  });
}

/** N days after it was resolved, unrated and not reopened: it closes itself (once; the resolvedAt must match). */
export async function autoClose(deps: Deps, requestId: string, resolvedAtIso: string): Promise<boolean> {
  const resolvedAt = new Date(resolvedAtIso);
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const row = await transition(tx, deps, requestId, {
      event: 'close',
      by: SYSTEM,
      actor: null,
      where: and(
        eq(residentRequests.resolvedAt, resolvedAt),
        lte(residentRequests.resolvedAt, new Date(now.getTime() - autoCloseDelayMs(deps))),
      ),
      set: { closedAt: now },
    });
    return row !== undefined;
  });
}

/** What a job is waiting for, as the sweep compares it. */
const keyOf = (name: string, data: Record<string, unknown>) =>
  name === requestDeadlineJob.name
    ? `${name}|${data.requestId}|${data.kind}|${new Date(String(data.deadline)).getTime()}`
    : `${name}|${data.requestId}|${new Date(String(data.resolvedAt)).getTime()}`;

/**
 * Re-arms the timers of open requests whose jobs are not in Redis (lost with Redis, or never
 * relayed): every pending deadline and auto-close of the database is compared with the queue's
 * waiting and delayed jobs, and the missing ones are added with a fixed job id (so two sweeps add
 * one). Due ones run at once; the handlers' conditions keep each escalation to one.
 */
export async function rearmTimers(
  deps: Pick<AppDeps, 'db' | 'clock' | 'config' | 'queues'>,
): Promise<number> {
  const now = deps.clock.now();
  const queue = deps.queues.get(requestDeadlineJob.queue);
  const present = new Set(
    (await queue.getJobs(['delayed', 'waiting', 'active', 'prioritized'])).flatMap((j) =>
      j ? [keyOf(j.name, j.data as Record<string, unknown>)] : [],
    ),
  );
  const rows = await deps.db
    .select()
    .from(residentRequests)
    .where(
      or(
        and(
          inArray(residentRequests.status, [...AWAITING_RESPONSE_STATES]),
          isNull(residentRequests.respondedAt),
          isNull(residentRequests.respondEscalatedAt),
        ),
        and(
          inArray(residentRequests.status, [...OPEN_REQUEST_STATES]),
          isNull(residentRequests.resolveEscalatedAt),
        ),
        eq(residentRequests.status, 'resolved'),
      ),
    );
  const wanted: { name: string; data: Record<string, unknown>; at: Date }[] = [];
  for (const r of rows) {
    if (
      (AWAITING_RESPONSE_STATES as readonly string[]).includes(r.status) &&
      !r.respondedAt &&
      !r.respondEscalatedAt
    )
      wanted.push({
        name: requestDeadlineJob.name,
        data: { requestId: r.id, kind: 'respond', deadline: r.respondBy.toISOString() },
        at: r.respondBy,
      });
    if ((OPEN_REQUEST_STATES as readonly string[]).includes(r.status) && !r.resolveEscalatedAt)
      wanted.push({
        name: requestDeadlineJob.name,
        data: { requestId: r.id, kind: 'resolve', deadline: r.resolveBy.toISOString() },
        at: r.resolveBy,
      });
    if (r.status === 'resolved' && r.resolvedAt)
      wanted.push({
        name: requestAutoCloseJob.name,
        data: { requestId: r.id, resolvedAt: r.resolvedAt.toISOString() },
        at: new Date(r.resolvedAt.getTime() + autoCloseDelayMs(deps)),
      });
  }
  let added = 0;
  for (const w of wanted) {
    const key = keyOf(w.name, w.data);
    if (present.has(key)) continue;
    await queue.add(w.name, w.data, {
      // BullMQ refuses ':' in custom ids.
      jobId: `sweep_${key.replace(/\|/g, '_')}`,
      delay: Math.max(0, w.at.getTime() - now.getTime()),
    });
    added += 1;
  }
  return added;
}

/** Every REQUEST_SWEEP_MINUTES as well as at start: timers lost while a worker runs come back too. */
export async function startRequestSweep(deps: Pick<AppDeps, 'queues' | 'config'>): Promise<void> {
  await deps.queues
    .get(requestSweepJob.queue)
    .upsertJobScheduler(
      'requests.sweep',
      { every: deps.config.REQUEST_SWEEP_EVERY_MS ?? deps.config.REQUEST_SWEEP_MINUTES * 60_000 },
      { name: requestSweepJob.name, data: {} },
    );
}

export const requestJobs: JobHandler[] = [
  handles(requestDeadlineJob, (p, deps) => checkDeadline(deps, p.requestId, p.kind, p.deadline)),
  handles(requestAutoCloseJob, (p, deps) => autoClose(deps, p.requestId, p.resolvedAt)),
  handles(requestSweepJob, (_p, deps) => rearmTimers(deps)),
];
