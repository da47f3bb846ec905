import { eq } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../../deps';
import type { Refund, Transaction } from '../../integrations/wechatpay/api';
import { audit } from '../audit';
import { idOfOutNo, outNo } from './provider';
import { applyRefundOutcome } from './refunds';
import { confirmPayment, paymentById } from './service';
import { paymentRefunds } from './tables';
import {
  isNotificationProblem,
  NOTIFY_PATH,
  REFUND_NOTIFY_PATH,
  refundOutcomeOf,
  wechatpayClient,
} from './wechatpay';

/** WeChat Pay's documented refusal; it retries on it. */
const FailAnswer = z.object({ code: z.literal('FAIL'), message: z.string() });

/** WeChat Pay's documented failure answer: it retries (15s, 15s, 30s, 3m, ... over a day). */
const FAIL = JSON.stringify({ code: 'FAIL', message: '失败' });
/** A notification is a few KB; anything much larger is not WeChat. */
const NOTIFY_BODY_LIMIT = 64 * 1024;

class Refused extends Error {
  constructor(
    readonly reason: string,
    readonly paymentId: string | null,
  ) {
    super(reason);
  }
}

const fail = (reply: FastifyReply, status: number) =>
  reply.code(status).type('application/json; charset=utf-8').send(FAIL);

async function onTransaction(deps: AppDeps, t: Transaction) {
  const id = idOfOutNo(t.outTradeNo);
  const payment = id ? await paymentById(deps.db, id) : undefined;
  if (payment?.provider !== 'wechatpay') throw new Refused('UNKNOWN_OUT_TRADE_NO', null);
  const c = deps.config;
  if (t.mchid !== c.WECHATPAY_MCHID || t.appid !== (c.WECHATPAY_APPID ?? c.WECHAT_APPID))
    throw new Refused('WRONG_MERCHANT', payment.id);
  if (t.tradeState !== 'SUCCESS' || !t.transactionId) throw new Refused('NOT_PAID', payment.id);
  if (t.totalFen !== payment.amountFen) throw new Refused('AMOUNT_MISMATCH', payment.id);
  await confirmPayment(deps, payment.id, t.transactionId);
}

async function onRefund(deps: AppDeps, r: Refund) {
  const id = idOfOutNo(r.outRefundNo);
  const [refund] = id ? await deps.db.select().from(paymentRefunds).where(eq(paymentRefunds.id, id)) : [];
  const payment = refund ? await paymentById(deps.db, refund.paymentId) : undefined;
  if (!refund || !payment || payment.provider !== 'wechatpay')
    throw new Refused('UNKNOWN_OUT_REFUND_NO', null);
  if (r.outTradeNo !== outNo(payment.id) || r.refundFen !== refund.amountFen)
    throw new Refused('REFUND_MISMATCH', payment.id);
  // A PROCESSING word changes nothing the job has not recorded; the others move the refund once.
  await applyRefundOutcome(deps, refund.id, refundOutcomeOf(r), { attempt: false });
}

/**
 * WeChat Pay's notifications (payments and refunds). No sign-in: WeChat calls them, and the
 * signature over the raw body is the only proof, so the body is kept as the exact bytes received
 * (a content-type parser scoped to these two routes). Verified, decrypted and checked against our
 * payment (merchant, app, amount) before anything moves; confirming is replay- and race-safe, so
 * ten copies at once make one payment. Answers: 204 when handled (WeChat stops), FAIL with 4xx
 * for what we refuse and 5xx for our own trouble (WeChat retries either).
 */
export async function wechatpayNotifyRoutes(app: FastifyInstance) {
  const deps = app.deps;
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: NOTIFY_BODY_LIMIT }, (_req, body, done) =>
      done(null, body),
    );
    // Even a malformed request gets WeChat's format, never our error envelope.
    scope.setErrorHandler((err, request, reply) => {
      const status = (err as { statusCode?: number }).statusCode;
      request.log.warn({ err }, 'wechatpay notification refused before handling');
      return fail(reply, status && status >= 400 && status < 500 ? status : 500);
    });

    const handle = async (request: FastifyRequest, reply: FastifyReply) => {
      const client = wechatpayClient(deps.config);
      if (!client) return fail(reply, 404);
      const raw = typeof request.body === 'string' ? request.body : '';
      let n: Awaited<ReturnType<typeof client.parseNotification>>;
      try {
        n = await client.parseNotification(request.headers, raw);
      } catch (err) {
        if (!isNotificationProblem(err)) throw err;
        // Unverified traffic writes nothing (no audit row a stranger could flood); the log has it.
        request.log.warn({ problem: err.problem }, 'wechatpay notification failed verification');
        return fail(reply, err.problem === 'MALFORMED' || err.problem === 'MISSING_HEADERS' ? 400 : 401);
      }
      try {
        if ('transaction' in n) await onTransaction(deps, n.transaction);
        else if ('refund' in n) await onRefund(deps, n.refund);
        else request.log.info({ eventType: n.eventType }, 'wechatpay notification of a kind we do not use');
      } catch (err) {
        if (!(err instanceof Refused)) throw err;
        // Verified by WeChat's key, yet not our payment as we know it: nothing moves, someone looks.
        await audit(
          deps.db,
          null,
          'payment.notification_refused',
          { type: 'payment', id: err.paymentId },
          { reason: err.reason, eventType: n.eventType, notificationId: n.id },
        );
        request.log.warn({ reason: err.reason, paymentId: err.paymentId }, 'wechatpay notification refused');
        return fail(reply, 400);
      }
      return reply.code(204).send();
    };

    const schema = (operationId: string, summary: string) => ({
      operationId,
      summary,
      description:
        'Called by WeChat Pay, not by clients: signed (Wechatpay-Signature over the raw body) and encrypted. 204 when handled; otherwise {"code":"FAIL","message":"失败"} and WeChat retries.',
      tags: ['payments'],
      security: [],
      response: {
        204: z.null().describe('Handled: WeChat Pay stops retrying'),
        // 400 malformed or refused, 401 failed verification, 404 WeChat Pay not configured,
        // 413 over NOTIFY_BODY_LIMIT, 415 JSON in a charset other than UTF-8 (security.ts).
        ...Object.fromEntries([400, 401, 404, 413, 415].map((s) => [s, FailAnswer])),
      },
    });
    scope.post(
      NOTIFY_PATH,
      { config: { public: true }, schema: schema('wechatpayNotify', 'WeChat Pay payment notification') },
      handle,
    );
    scope.post(
      REFUND_NOTIFY_PATH,
      { config: { public: true }, schema: schema('wechatpayRefundNotify', 'WeChat Pay refund notification') },
      handle,
    );
  });
}
