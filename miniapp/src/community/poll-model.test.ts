import { pollPhase } from 'shared';
import { describe, expect, it } from 'vitest';
import {
  choiceProblem,
  countdownText,
  countdownTickMs,
  durationText,
  householdVoteText,
  resultRows,
  resultsHint,
  rulesText,
  toggleChoice,
  turnoutText,
  voteConfirmText,
} from './poll-model';

// 2026-12-02 10:00 in Shanghai.
const NOW = new Date('2026-12-02T02:00:00Z');
const window = { opensAt: '2026-12-01T00:00:00Z', closesAt: '2026-12-04T05:30:00Z', closedAt: null };

describe('the vote window', () => {
  it('is upcoming, open, then closed; closing early ends it at once', () => {
    // The phase itself is shared with the BFF; the page reads it through the countdown.
    expect(pollPhase({ ...window, opensAt: '2026-12-03T00:00:00Z' }, NOW)).toBe('upcoming');
    expect(pollPhase(window, NOW)).toBe('open');
    expect(pollPhase(window, new Date('2026-12-04T05:30:00Z'))).toBe('closed');
    expect(pollPhase({ ...window, closedAt: '2026-12-02T01:00:00Z' }, NOW)).toBe('closed');
  });

  it('counts down in the two largest units, never to zero while open', () => {
    expect(durationText(2 * 86_400_000 + 3 * 3_600_000 + 10 * 60_000)).toBe('2 天 3 小时');
    expect(durationText(86_400_000)).toBe('1 天');
    expect(durationText(5 * 3_600_000 + 20 * 60_000)).toBe('5 小时 20 分钟');
    expect(durationText(3 * 3_600_000)).toBe('3 小时');
    expect(durationText(1000)).toBe('1 分钟');
    expect(countdownText(window, NOW)).toBe('距投票截止还有 2 天 3 小时');
  });

  it('says when voting opens and when it ended (the early close when there was one)', () => {
    expect(countdownText({ ...window, opensAt: '2026-12-03T01:00:00Z' }, NOW)).toBe('12月3日 09:00 开始投票');
    expect(countdownText(window, new Date('2026-12-05T00:00:00Z'))).toBe('投票已于 12月4日 13:30 结束');
    expect(countdownText({ ...window, closedAt: '2026-12-02T01:15:00Z' }, NOW)).toBe(
      '投票已于 12月2日 09:15 结束',
    );
    const lastYear = { opensAt: '2025-12-01T00:00:00Z', closesAt: '2025-12-30T00:00:00Z', closedAt: null };
    expect(countdownText(lastYear, NOW)).toBe('投票已于 2025年12月30日 08:00 结束');
  });

  it('ticks each second in the last minute and not at all once closed', () => {
    expect(countdownTickMs(window, NOW)).toBe(30_000);
    expect(countdownTickMs(window, new Date('2026-12-04T05:29:30Z'))).toBe(1000);
    expect(countdownTickMs(window, new Date('2026-12-05T00:00:00Z'))).toBeNull();
  });
});

describe('choosing', () => {
  const single = { multiple: false, maxChoices: 1 };
  it('single choice replaces, and a second tap clears', () => {
    expect(toggleChoice([], 0, single)).toEqual([0]);
    expect(toggleChoice([0], 1, single)).toEqual([1]);
    expect(toggleChoice([0], 0, single)).toEqual([]);
  });

  it('multiple choice toggles up to the cap', () => {
    const rules = { multiple: true, maxChoices: 2 };
    expect(toggleChoice([0], 1, rules)).toEqual([0, 1]);
    expect(toggleChoice([0, 1], 2, rules)).toEqual([0, 1]);
    expect(toggleChoice([0, 1], 0, rules)).toEqual([1]);
    expect(toggleChoice([0, 1], 2, { multiple: true, maxChoices: 3 })).toEqual([0, 1, 2]);
  });

  it('says what stops the vote', () => {
    expect(choiceProblem([], single)).toBe('请选择一项');
    expect(choiceProblem([], { multiple: true, maxChoices: 3 })).toBe('请至少选择一项');
    expect(choiceProblem([0, 1], single)).toBe('只能选择一项');
    expect(choiceProblem([0, 1, 2], { multiple: true, maxChoices: 2 })).toBe('最多选择 2 项');
    expect(choiceProblem([0], single)).toBeNull();
    expect(rulesText({ multiple: true, maxChoices: 3 }, 5)).toBe('多选，最多选 3 项');
    expect(rulesText({ multiple: true, maxChoices: 5 }, 5)).toBe('多选');
    expect(rulesText(single, 5)).toBe('单选');
  });
});

describe('the household vote and the results', () => {
  const options = [
    { index: 0, label: '装电梯' },
    { index: 1, label: '修车棚' },
  ];

  it('names the choice and who in the household cast it', () => {
    expect(householdVoteText({ voted: true, choices: [0], votedBy: '王**', byMe: false }, options)).toBe(
      '您家已投票：选了 装电梯（由 王** 投出）',
    );
    expect(householdVoteText({ voted: true, choices: [0, 1], votedBy: '李*', byMe: true }, options)).toBe(
      '您家已投票：选了 装电梯、修车棚（由您投出）',
    );
    expect(
      householdVoteText({ voted: false, choices: null, votedBy: null, byMe: false }, options),
    ).toBeNull();
    expect(householdVoteText(null, options)).toBeNull();
  });

  it("asks before the household's one vote, naming the choices", () => {
    expect(voteConfirmText([1, 0], options)).toBe('您选了：修车棚、装电梯。全家只能投一次，投出后不能修改。');
  });

  it('hides results until the setting allows', () => {
    expect(resultsHint('after_vote', false, 'open')).toBe('投票后可以看到结果');
    expect(resultsHint('after_vote', true, 'open')).toBeNull();
    expect(resultsHint('after_close', true, 'open')).toBe('投票截止后公布结果');
    expect(resultsHint('after_close', false, 'closed')).toBeNull();
  });

  it('gives percent of households and marks every leader', () => {
    const rows = resultRows(
      [
        { index: 0, label: '装电梯', votes: 3 },
        { index: 1, label: '修车棚', votes: 3 },
        { index: 2, label: '都不要', votes: 1 },
      ],
      7,
    );
    expect(rows.map((r) => [r.percent, r.leading])).toEqual([
      [43, true],
      [43, true],
      [14, false],
    ]);
    expect(resultRows([{ index: 0, label: 'x', votes: null }], 0)[0]).toMatchObject({
      percent: 0,
      leading: false,
    });
    expect(turnoutText(12, 40)).toBe('已有 12 户投票（共 40 户）');
    expect(turnoutText(null, 40)).toBe('本社区共 40 户，每户一票');
  });
});
