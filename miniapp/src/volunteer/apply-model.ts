import type { VolunteerProfile, VolunteerSkillCode } from 'shared';
import { ApiError } from '../api/errors';
import {
  type AvailabilityRow,
  rowsFromSlots,
  type Slot,
  slotsFromRows,
  weekProblem,
} from './availability-model';

/** The 志愿者资料 form as typed. */
export interface ApplyDraft {
  realName: string;
  idTail: string;
  compoundId: string | null;
  buildingId: string | null;
  skills: VolunteerSkillCode[];
  rows: AvailabilityRow[];
  /** Hours, as typed. */
  capHours: string;
  leaderboardOptOut: boolean;
}

export const EMPTY_DRAFT: ApplyDraft = {
  realName: '',
  idTail: '',
  compoundId: null,
  buildingId: null,
  skills: [],
  rows: [],
  capHours: '10',
  leaderboardOptOut: false,
};

/** The form prefilled from an existing profile (editing, or fixing a rejected application). */
export function draftFromProfile(v: VolunteerProfile): ApplyDraft {
  return {
    realName: v.realName,
    idTail: v.idTail,
    compoundId: v.compoundId,
    buildingId: v.buildingId,
    skills: [...v.skills],
    rows: rowsFromSlots(v.availability),
    capHours: String(Math.round((v.weeklyCapMin / 60) * 10) / 10),
    leaderboardOptOut: v.leaderboardOptOut,
  };
}

/** The hints under each field, by the API's field name (also for the envelope's details). */
export const APPLY_FIELD_HINTS: Record<string, string> = {
  realName: '请填写身份证上的真实姓名（20 字以内）',
  idTail: '请填写身份证号码的后四位（最后一位可以是 X）',
  compoundId: '请选择您已通过住户认证的小区',
  buildingId: '楼栋不在这个小区里，请重新选择',
  skills: '请至少选择一项服务技能',
  availability: '可服务时间有误，请检查后再保存',
  weeklyCapMin: '每周时长上限应在 1 到 70 小时之间',
  leaderboardOptOut: '排行榜设置有误，请重试',
};

export interface ApplyBody {
  realName: string;
  idTail: string;
  compoundId: string;
  buildingId?: string;
  skills: VolunteerSkillCode[];
  availability: Slot[];
  weeklyCapMin: number;
}

export type Parsed =
  | { ok: true; body: ApplyBody; leaderboardOptOut: boolean }
  | { ok: false; errors: Record<string, string> };

/** Client checks before sending, with the same rules as the API (ApplyVolunteerBody). */
export function parseDraft(d: ApplyDraft, editing: boolean): Parsed {
  const errors: Record<string, string> = {};
  const realName = d.realName.trim();
  const idTail = d.idTail.trim().toUpperCase();
  // An existing profile keeps its name and ID: only a new application sends them.
  if (!editing) {
    if (!realName || realName.length > 20) errors.realName = APPLY_FIELD_HINTS.realName!;
    if (!/^[0-9]{3}[0-9X]$/.test(idTail)) errors.idTail = APPLY_FIELD_HINTS.idTail!;
  }
  if (!d.compoundId) errors.compoundId = APPLY_FIELD_HINTS.compoundId!;
  if (d.skills.length === 0) errors.skills = APPLY_FIELD_HINTS.skills!;
  const week = weekProblem(d.rows);
  if (week) errors.availability = week;
  const hoursText = d.capHours
    .trim()
    .replace(/[０-９．]/g, (c) => (c === '．' ? '.' : String.fromCharCode(c.charCodeAt(0) - 0xfee0)));
  const hours = /^\d{1,2}(\.\d)?$/.test(hoursText) ? Number(hoursText) : Number.NaN;
  const weeklyCapMin = Math.round(hours * 60);
  if (!Number.isFinite(hours) || weeklyCapMin < 60 || weeklyCapMin > 4200)
    errors.weeklyCapMin = APPLY_FIELD_HINTS.weeklyCapMin!;
  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    body: {
      realName,
      idTail,
      compoundId: d.compoundId!,
      ...(d.buildingId ? { buildingId: d.buildingId } : {}),
      skills: [...d.skills],
      availability: slotsFromRows(d.rows),
      weeklyCapMin,
    },
    leaderboardOptOut: d.leaderboardOptOut,
  };
}

/** Codes whose envelope points at one field: their own sentence goes under it. */
const CODE_FIELD_TEXT: Record<string, { field: string; text: string }> = {
  VOLUNTEER_HOME_NOT_VERIFIED: { field: 'compoundId', text: '只能选择您已通过住户认证的小区' },
  VOLUNTEER_OTHER_COMMUNITY: { field: 'compoundId', text: '换到其他社区需要在那里重新申请' },
};

/**
 * The envelope's details as field errors: `body.availability.3.endMin` goes under 可服务时间. A
 * field the form does not show keeps the BFF's words out of sight (the banner says what failed).
 */
export function fieldErrorsOf(err: unknown): Record<string, string> {
  if (!(err instanceof ApiError)) return {};
  const byCode = CODE_FIELD_TEXT[err.code];
  if (byCode) return { [byCode.field]: byCode.text };
  const out: Record<string, string> = {};
  for (const d of err.details) {
    const field = d.path.replace(/^body\./, '').split('.')[0] ?? '';
    const hint = APPLY_FIELD_HINTS[field];
    if (hint && !out[field]) out[field] = hint;
  }
  return out;
}

/**
 * The compounds a person may name as home: those of their approved households, once each, with
 * the compound's name from the community tree (the address's second part as a fallback).
 */
export function homeChoices(
  memberships: readonly {
    status: string;
    compoundId: string;
    communityId: string;
    householdId: string;
    address: string;
  }[],
  trees: readonly {
    id: string;
    compounds: {
      id: string;
      name: string;
      buildings: { id: string; name: string; households: { id: string }[] }[];
    }[];
  }[],
): {
  id: string;
  name: string;
  communityId: string;
  buildings: { id: string; name: string }[];
  homeBuildingId: string | null;
}[] {
  const out = new Map<
    string,
    {
      id: string;
      name: string;
      communityId: string;
      buildings: { id: string; name: string }[];
      homeBuildingId: string | null;
    }
  >();
  for (const m of memberships) {
    if (m.status !== 'approved' || out.has(m.compoundId)) continue;
    const compound = trees.find((t) => t.id === m.communityId)?.compounds.find((c) => c.id === m.compoundId);
    const home = compound?.buildings.find((b) => b.households.some((h) => h.id === m.householdId));
    out.set(m.compoundId, {
      id: m.compoundId,
      name: compound?.name ?? m.address.split('·')[1]?.trim() ?? m.address,
      communityId: m.communityId,
      buildings: compound?.buildings.map((b) => ({ id: b.id, name: b.name })) ?? [],
      homeBuildingId: home?.id ?? null,
    });
  }
  return [...out.values()];
}
