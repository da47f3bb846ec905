import { describe, expect, it } from 'vitest';
import { addOption, type PollForm, pollDraft, removeOption } from './polls-form';

// 2026-12-02 10:00 in Shanghai.
const NOW = new Date('2026-12-02T02:00:00Z');
const form: PollForm = {
  question: '3 号楼加装电梯',
  description: '',
  options: ['同意', '不同意', ''],
  multiple: false,
  maxChoices: '',
  opensDate: '2026-12-02',
  opensTime: '09:00',
  closesDate: '2026-12-09',
  closesTime: '18:00',
  resultsVisibility: 'after_vote',
};

describe('发起议事', () => {
  it('builds the draft: blank options dropped, times from Shanghai, a past start means now', () => {
    const built = pollDraft(form, NOW);
    expect(built).toEqual({
      ok: true,
      draft: {
        question: '3 号楼加装电梯',
        description: '',
        options: ['同意', '不同意'],
        multiple: false,
        opensAt: NOW.toISOString(),
        closesAt: '2026-12-09T10:00:00.000Z',
        resultsVisibility: 'after_vote',
      },
    });
  });

  it('names each problem by its field', () => {
    const built = pollDraft(
      { ...form, question: ' ', options: ['同意', ' 同意'], closesDate: '2026-12-01', closesTime: '08:00' },
      NOW,
    );
    expect(built).toEqual({
      ok: false,
      errors: {
        question: '请写下要大家商议的事',
        options: '有两个选项写得一样',
        window: '截止时间需晚于开始时间',
      },
    });
    expect(pollDraft({ ...form, options: ['同意'] }, NOW)).toMatchObject({
      errors: { options: '至少要有 2 个选项' },
    });
  });

  it('takes a cap on multiple choice within the options', () => {
    const multi = { ...form, multiple: true, options: ['a', 'b', 'c'] };
    expect(pollDraft({ ...multi, maxChoices: '２' }, NOW)).toMatchObject({ draft: { maxChoices: 2 } });
    expect(pollDraft({ ...multi, maxChoices: '4' }, NOW)).toMatchObject({
      errors: { maxChoices: '最多可选项数请填 1 到 3，或留空不限' },
    });
    expect(pollDraft({ ...form, maxChoices: '9' }, NOW)).toMatchObject({ draft: { multiple: false } });
    expect(pollDraft({ ...form, maxChoices: '9' }, NOW)).not.toHaveProperty('draft.maxChoices');
  });

  it('keeps between 2 and 10 option rows', () => {
    expect(removeOption(['a', 'b'], 0)).toEqual(['a', 'b']);
    expect(removeOption(['a', 'b', 'c'], 1)).toEqual(['a', 'c']);
    expect(addOption(Array(10).fill('x'))).toHaveLength(10);
    expect(addOption(['a'])).toEqual(['a', '']);
  });
});
