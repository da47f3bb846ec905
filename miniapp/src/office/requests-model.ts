import type {
  DispatchRequestBody,
  RequestCategory,
  RequestDetail,
  RequestHandlerOptions,
  RequestSettings,
} from 'shared';
import type { z } from 'zod';

/** One category's row of the 时限设置 form, as typed (hours as text until saved). */
export interface LimitDraft {
  category: RequestCategory;
  respondHours: string;
  resolveHours: string;
  /** The community's own limit (sent on save); false means the default applies. */
  custom: boolean;
  /** It was the community's own when loaded: 改回默认 takes effect on save. */
  wasCustom: boolean;
}

export function limitDrafts(s: Pick<RequestSettings, 'limits'>): LimitDraft[] {
  return s.limits.map((l) => ({
    category: l.category,
    respondHours: String(l.respondHours),
    resolveHours: String(l.resolveHours),
    custom: l.custom,
    wasCustom: l.custom,
  }));
}

export const limitStateText = (d: LimitDraft) =>
  d.custom ? '本社区设置' : d.wasCustom ? '保存后改回默认' : '默认';

const RESPOND_MAX = 720;
const RESOLVE_MAX = 2160;

const hours = (text: string): number | null => {
  const t = text.trim();
  if (!/^\d{1,4}$/.test(t)) return null;
  return Number(t);
};

export type LimitsToSave =
  | {
      ok: true;
      limits: { category: RequestCategory; respondHours: number; resolveHours: number }[];
    }
  | { ok: false; errors: Partial<Record<RequestCategory, string>> };

/** The custom rows as the save body lists them, or each bad row's sentence. */
export function limitsToSave(drafts: readonly LimitDraft[]): LimitsToSave {
  const errors: Partial<Record<RequestCategory, string>> = {};
  const limits: { category: RequestCategory; respondHours: number; resolveHours: number }[] = [];
  for (const d of drafts) {
    if (!d.custom) continue;
    const respond = hours(d.respondHours);
    const resolve = hours(d.resolveHours);
    if (respond === null || respond < 1 || respond > RESPOND_MAX)
      errors[d.category] = `响应时限请填 1 到 ${RESPOND_MAX} 小时`;
    else if (resolve === null || resolve < 1 || resolve > RESOLVE_MAX)
      errors[d.category] = `解决时限请填 1 到 ${RESOLVE_MAX} 小时`;
    else if (resolve < respond) errors[d.category] = '解决时限不能短于响应时限';
    else limits.push({ category: d.category, respondHours: respond, resolveHours: resolve });
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, limits };
}

// ---- dispatch ------------------------------------------------------------------------------------

export interface HandlerChoice {
  key: string;
  kind: 'staff' | 'merchant';
  name: string;
  /** What the button says: the current handler is marked. */
  label: string;
  handler: DispatchRequestBody['handler'];
}

/** Whom the request may go to, shops first; the one it is with now says so. */
export function handlerChoices(
  options: z.infer<typeof RequestHandlerOptions> | undefined,
  r: Pick<RequestDetail, 'handler'>,
): HandlerChoice[] {
  if (!options) return [];
  const current = (kind: string, id: string) => r.handler?.kind === kind && r.handler.id === id;
  return [
    ...options.merchants.map((m) => ({
      key: `merchant:${m.merchantId}`,
      kind: 'merchant' as const,
      name: m.name,
      label: current('merchant', m.merchantId) ? `${m.name}（当前）` : m.name,
      handler: { kind: 'merchant' as const, merchantId: m.merchantId },
    })),
    ...options.staff.map((p) => ({
      key: `staff:${p.userId}`,
      kind: 'staff' as const,
      name: p.name,
      label: current('staff', p.userId) ? `${p.name}（当前）` : p.name,
      handler: { kind: 'staff' as const, userId: p.userId },
    })),
  ];
}

/** How many times a missed limit was escalated. */
export const escalationCount = (timeline: RequestDetail['timeline']) =>
  timeline.filter((e) => e.kind === 'escalate_response' || e.kind === 'escalate_resolution').length;
