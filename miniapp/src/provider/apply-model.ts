import { ApplyCareProviderBody } from 'shared';
import type { z } from 'zod';

export interface ProviderApplyDraft {
  communityId: string | null;
  name: string;
  licenseNo: string;
  contactPhone: string;
  description: string;
  servesMeals: boolean;
}

export const EMPTY_APPLY: ProviderApplyDraft = {
  communityId: null,
  name: '',
  licenseNo: '',
  contactPhone: '',
  description: '',
  servesMeals: false,
};

export const PROVIDER_FIELD_HINTS: Record<string, string> = {
  communityId: '请选择服务的社区',
  name: '请填写机构名称（40 字以内）',
  licenseNo: '请填写营业执照或备案编号（4 到 40 位）',
  contactPhone: '请输入 11 位联系电话',
  description: '机构简介最多 500 字',
  servesMeals: '请选择是否提供助餐',
};

export type ApplyBody = z.input<typeof ApplyCareProviderBody>;

/** 申请成为服务机构: the body for applyCareProvider, or Chinese problems keyed by field. */
export function parseProviderApply(
  d: ProviderApplyDraft,
): { ok: true; body: ApplyBody } | { ok: false; errors: Record<string, string> } {
  const body: ApplyBody = {
    communityId: d.communityId ?? '',
    name: d.name.trim(),
    licenseNo: d.licenseNo.trim(),
    contactPhone: d.contactPhone.trim(),
    description: d.description.trim(),
    servesMeals: d.servesMeals,
  };
  const parsed = ApplyCareProviderBody.safeParse(body);
  if (parsed.success) return { ok: true, body };
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? '');
    if (field) errors[field] ??= PROVIDER_FIELD_HINTS[field] ?? issue.message;
  }
  return { ok: false, errors };
}
