import { DISPLAY_TZ, POLL_MAX_OPTIONS, POLL_MIN_OPTIONS, zonedInstant } from 'shared';

/**
 * The 发起议事 form: question, options, single or multiple choice, the vote window, when results
 * show. Checked here so staff see each problem by its field; the BFF checks again.
 */

export const POLL_QUESTION_MAX = 120;
export const POLL_OPTION_MAX = 40;

export interface PollForm {
  question: string;
  description: string;
  options: string[];
  multiple: boolean;
  /** Multiple choice: at most this many ('' for any number). */
  maxChoices: string;
  opensDate: string;
  opensTime: string;
  closesDate: string;
  closesTime: string;
  resultsVisibility: 'after_vote' | 'after_close';
}

export type PollErrors = Partial<
  Record<'question' | 'description' | 'options' | 'maxChoices' | 'window', string>
>;

/** The body of createPoll. */
export interface PollDraft {
  question: string;
  description: string;
  options: string[];
  multiple: boolean;
  maxChoices?: number;
  opensAt: string;
  closesAt: string;
  resultsVisibility: 'after_vote' | 'after_close';
}

const halfWidth = (s: string) =>
  s.trim().replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));

export function pollDraft(
  f: PollForm,
  now: Date = new Date(),
): { ok: true; draft: PollDraft } | { ok: false; errors: PollErrors } {
  const errors: PollErrors = {};
  const question = f.question.trim();
  if (!question) errors.question = '请写下要大家商议的事';
  else if ([...question].length > POLL_QUESTION_MAX) errors.question = `议题请在 ${POLL_QUESTION_MAX} 字以内`;
  if (f.description.trim().length > 1000) errors.description = '说明请在 1000 字以内';

  const options = f.options.map((o) => o.trim()).filter(Boolean);
  if (options.length < POLL_MIN_OPTIONS) errors.options = `至少要有 ${POLL_MIN_OPTIONS} 个选项`;
  else if (options.length > POLL_MAX_OPTIONS) errors.options = `最多 ${POLL_MAX_OPTIONS} 个选项`;
  else if (options.some((o) => o.length > POLL_OPTION_MAX))
    errors.options = `每个选项请在 ${POLL_OPTION_MAX} 字以内`;
  else if (new Set(options).size !== options.length) errors.options = '有两个选项写得一样';

  let maxChoices: number | undefined;
  if (f.multiple && halfWidth(f.maxChoices)) {
    const text = halfWidth(f.maxChoices);
    const n = Number(text);
    if (!/^\d{1,2}$/.test(text) || n < 1 || n > Math.max(1, options.length))
      errors.maxChoices = `最多可选项数请填 1 到 ${Math.max(1, options.length)}，或留空不限`;
    else maxChoices = n;
  }

  const opensAt = zonedInstant(f.opensDate, f.opensTime, DISPLAY_TZ);
  const closesAt = zonedInstant(f.closesDate, f.closesTime, DISPLAY_TZ);
  if (closesAt <= opensAt) errors.window = '截止时间需晚于开始时间';
  else if (closesAt <= now) errors.window = '截止时间已经过去了';

  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    draft: {
      question,
      description: f.description.trim(),
      options,
      multiple: f.multiple,
      ...(maxChoices === undefined ? {} : { maxChoices }),
      // A start in the past (the default, 现在) opens the poll at once.
      opensAt: (opensAt < now ? now : opensAt).toISOString(),
      closesAt: closesAt.toISOString(),
      resultsVisibility: f.resultsVisibility,
    },
  };
}

/** Adds an empty option at the end, up to the maximum. */
export const addOption = (options: readonly string[]): string[] =>
  options.length >= POLL_MAX_OPTIONS ? [...options] : [...options, ''];

/** Removes one option, keeping the minimum number of rows on screen. */
export const removeOption = (options: readonly string[], index: number): string[] =>
  options.length <= POLL_MIN_OPTIONS ? [...options] : options.filter((_, i) => i !== index);
