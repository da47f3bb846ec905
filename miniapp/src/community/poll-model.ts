import { type PollPhase, type PollTimes, pollPhase } from 'shared';
import { shortTime } from './labels';

/**
 * 议事 as a resident reads it: the vote window, the household's one vote, the choices, the results.
 * Pure, so the rules are tested apart from the page; the BFF decides in the end.
 */

export interface PollWindow extends PollTimes {
  opensAt: string;
  closesAt: string;
  closedAt: string | null;
}

/** How long is left, in the largest two units that matter: 「2 天 3 小时」, 「5 小时 20 分钟」, 「8 分钟」. */
export function durationText(ms: number): string {
  const minutes = Math.max(1, Math.ceil(ms / 60_000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (days > 0) return hours > 0 ? `${days} 天 ${hours} 小时` : `${days} 天`;
  if (hours > 0) return mins > 0 ? `${hours} 小时 ${mins} 分钟` : `${hours} 小时`;
  return `${mins} 分钟`;
}

/** The line under a poll's title: when voting opens, how long it stays open, or that it closed. */
export function countdownText(p: PollWindow, now: Date = new Date()): string {
  const phase = pollPhase(p, now);
  if (phase === 'upcoming') return `${shortTime(p.opensAt, now)} 开始投票`;
  if (phase === 'closed') {
    const at = p.closedAt && Date.parse(p.closedAt) < Date.parse(p.closesAt) ? p.closedAt : p.closesAt;
    return `投票已于 ${shortTime(at, now)} 结束`;
  }
  return `距投票截止还有 ${durationText(Date.parse(p.closesAt) - now.getTime())}`;
}

/** How often the countdown needs redrawing: every minute, every second in the last minute. */
export function countdownTickMs(p: PollWindow, now: Date = new Date()): number | null {
  if (pollPhase(p, now) !== 'open') return null;
  return Date.parse(p.closesAt) - now.getTime() <= 60_000 ? 1000 : 30_000;
}

export interface ChoiceRules {
  multiple: boolean;
  /** With multiple choice, how many at most (the number of options when there is no cap). */
  maxChoices: number;
}

/** A tap on an option: single choice replaces, multiple choice toggles up to the cap. */
export function toggleChoice(selected: readonly number[], id: number, rules: ChoiceRules): number[] {
  if (!rules.multiple) return selected[0] === id && selected.length === 1 ? [] : [id];
  if (selected.includes(id)) return selected.filter((s) => s !== id);
  if (rules.maxChoices && selected.length >= rules.maxChoices) return [...selected];
  return [...selected, id];
}

/** What stops 投票 (null when the choice is fine). */
export function choiceProblem(selected: readonly number[], rules: ChoiceRules): string | null {
  if (selected.length === 0) return rules.multiple ? '请至少选择一项' : '请选择一项';
  if (!rules.multiple && selected.length > 1) return '只能选择一项';
  if (rules.multiple && rules.maxChoices && selected.length > rules.maxChoices)
    return `最多选择 ${rules.maxChoices} 项`;
  return null;
}

/** 「单选」, 「多选，最多选 3 项」, 「多选」 (no cap below the number of options). */
export function rulesText(rules: ChoiceRules, optionCount: number): string {
  if (!rules.multiple) return '单选';
  return rules.maxChoices < optionCount ? `多选，最多选 ${rules.maxChoices} 项` : '多选';
}

export interface HouseholdVote {
  voted: boolean;
  /** Option indexes the household chose. */
  choices: number[] | null;
  /** The masked name of whoever in the household voted (王**). */
  votedBy: string | null;
  /** True when the signed-in person cast it. */
  byMe: boolean;
}

/** The options' labels, in the order chosen (an index the poll no longer has reads 选项 N). */
function choiceLabels(
  choices: readonly number[],
  options: readonly { index: number; label: string }[],
): string[] {
  return choices.map((i) => options.find((o) => o.index === i)?.label ?? `选项 ${i + 1}`);
}

/** The confirm before 投票: what was chosen, and that the household's one vote cannot be changed. */
export function voteConfirmText(
  selected: readonly number[],
  options: readonly { index: number; label: string }[],
): string {
  return `您选了：${choiceLabels(selected, options).join('、')}。全家只能投一次，投出后不能修改。`;
}

/**
 * 「您家已投票：选了 A、B（由 王** 投出）」: one vote per household, whoever cast it. Null before
 * the household has voted.
 */
export function householdVoteText(
  vote: HouseholdVote | null,
  options: readonly { index: number; label: string }[],
): string | null {
  if (!vote?.voted) return null;
  const labels = choiceLabels(vote.choices ?? [], options);
  const who = vote.byMe ? '由您投出' : `由 ${vote.votedBy || '家人'} 投出`;
  return labels.length ? `您家已投票：选了 ${labels.join('、')}（${who}）` : `您家已投票（${who}）`;
}

type ResultVisibility = 'after_vote' | 'after_close';

/** 投票后可见 or 截止后公布: what the resident is told about the results before seeing them. */
export function resultsHint(visibility: ResultVisibility, voted: boolean, phase: PollPhase): string | null {
  if (phase === 'closed' || (visibility === 'after_vote' && voted)) return null;
  return visibility === 'after_vote' ? '投票后可以看到结果' : '投票截止后公布结果';
}

export interface ResultRow {
  index: number;
  label: string;
  votes: number;
  /** Whole percent of the households that voted; rows may not add up to 100 with multiple choice. */
  percent: number;
  leading: boolean;
}

/** Results in the options' order, the most voted marked (all of them on a tie, none with no votes). */
export function resultRows(
  options: readonly { index: number; label: string; votes: number | null }[],
  households: number,
): ResultRow[] {
  const top = Math.max(0, ...options.map((o) => o.votes ?? 0));
  return options.map((o) => {
    const votes = o.votes ?? 0;
    return {
      index: o.index,
      label: o.label,
      votes,
      percent: households > 0 ? Math.round((votes / households) * 100) : 0,
      leading: top > 0 && votes === top,
    };
  });
}

/** 「已有 12 户投票（共 40 户）」; the count stays hidden while the results are. */
export function turnoutText(votedHouseholds: number | null, households: number): string {
  return votedHouseholds === null
    ? `本社区共 ${households} 户，每户一票`
    : `已有 ${votedHouseholds} 户投票（共 ${households} 户）`;
}

/** 「12 户 · 38%」 */
export const resultText = (r: ResultRow) => `${r.votes} 户 · ${r.percent}%`;

/** The status tag's colour: open green, upcoming amber, closed grey. */
export const statusTone = (phase: PollPhase): string =>
  ({ open: 'approved', upcoming: 'pending', closed: 'muted' })[phase];
