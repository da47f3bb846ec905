import type { FastifyBaseLogger } from 'fastify';
import type { AppDeps } from '../../deps';
import { confirmPayment, latestPayment, paymentById, providerOf, type SubjectKind } from './service';

type Deps = Pick<AppDeps, 'db' | 'config' | 'clock'>;

/**
 * Before a subject's pay timeout cancels it: is its pending payment paid at the provider after
 * all (the notification lost or late)? Then it is confirmed here and the caller does not cancel.
 * Network only, outside any transaction. A provider that does not answer counts as unpaid: the
 * close that follows the cancel asks again, and money that did arrive is refunded.
 */
export async function reconcilePending(
  deps: Deps,
  kind: SubjectKind,
  subjectId: string,
  log?: Pick<FastifyBaseLogger, 'warn'>,
): Promise<'paid' | 'unpaid'> {
  const p = await latestPayment(deps.db, kind, subjectId);
  if (!p) return 'unpaid';
  if (p.status === 'succeeded') return 'paid';
  // devpay is paid only by its confirm call; a payment never prepared is unknown to the provider.
  if (p.status !== 'pending' || p.provider === 'devpay' || !p.prepayId) return 'unpaid';
  let q: Awaited<ReturnType<ReturnType<typeof providerOf>['query']>>;
  try {
    q = await providerOf(deps.config, p.provider).query(p);
  } catch (err) {
    log?.warn({ err, paymentId: p.id }, 'payment query failed before the pay timeout; treating it as unpaid');
    return 'unpaid';
  }
  if (!q.paid || q.amountFen !== p.amountFen) return 'unpaid';
  const confirmed = await confirmPayment(deps, p.id, q.transactionId);
  return confirmed.status === 'succeeded' ? 'paid' : 'unpaid';
}

/**
 * The close job: a cancelled payment's transaction is closed at the provider so the payer can no
 * longer pay it. WeChat answers ORDERPAID when the money got in first: then it is confirmed, and
 * the subject (already cancelled) refunds it. Safe to run again.
 */
export async function closeAtProvider(deps: Deps, paymentId: string): Promise<boolean> {
  const p = await paymentById(deps.db, paymentId);
  if (p?.status !== 'closed' || p.provider === 'devpay') return false;
  if (!p.prepayId) return true;
  const provider = providerOf(deps.config, p.provider);
  if ((await provider.close(p)) === 'paid') {
    const q = await provider.query(p);
    if (q.paid && q.amountFen === p.amountFen) await confirmPayment(deps, p.id, q.transactionId);
  }
  return true;
}
