import { describe, expect, it } from 'vitest';
import { escalationCount, handlerChoices, limitDrafts, limitStateText, limitsToSave } from './requests-model';

const settings = {
  limits: [
    { category: 'repair' as const, respondHours: 4, resolveHours: 48, custom: true },
    { category: 'need' as const, respondHours: 24, resolveHours: 72, custom: false },
  ],
};

describe('时限设置', () => {
  it("sends only the community's own limits", () => {
    const drafts = limitDrafts(settings);
    expect(drafts.map(limitStateText)).toEqual(['本社区设置', '默认']);
    expect(limitsToSave(drafts)).toEqual({
      ok: true,
      limits: [{ category: 'repair', respondHours: 4, resolveHours: 48 }],
    });
  });

  it('leaves a row out once it is set back to the default', () => {
    const [repair, need] = limitDrafts(settings);
    const reset = { ...repair!, custom: false };
    expect(limitStateText(reset)).toBe('保存后改回默认');
    expect(limitsToSave([reset, need!])).toEqual({ ok: true, limits: [] });
  });

  it('names each bad row', () => {
    const [repair, need] = limitDrafts(settings);
    const result = limitsToSave([
      { ...repair!, respondHours: '0' },
      { ...need!, custom: true, respondHours: '30', resolveHours: '12' },
    ]);
    expect(result).toEqual({
      ok: false,
      errors: { repair: '响应时限请填 1 到 720 小时', need: '解决时限不能短于响应时限' },
    });
    expect(limitsToSave([{ ...need!, custom: true, resolveHours: '3000' }]).ok).toBe(false);
    expect(limitsToSave([{ ...need!, custom: true, respondHours: 'abc' }]).ok).toBe(false);
  });
});

describe('派单', () => {
  const options = {
    staff: [{ userId: 's1', name: '王社工' }],
    merchants: [{ merchantId: 'm1', name: '邻里快修', category: 'repairs' }],
  };

  it('offers the shops first, then staff, the current handler marked', () => {
    const choices = handlerChoices(options, {
      handler: { kind: 'merchant', id: 'm1', name: '邻里快修', phone: null },
    });
    expect(choices.map((c) => [c.key, c.label])).toEqual([
      ['merchant:m1', '邻里快修（当前）'],
      ['staff:s1', '王社工'],
    ]);
    expect(choices[0]?.handler).toEqual({ kind: 'merchant', merchantId: 'm1' });
    expect(choices[1]?.handler).toEqual({ kind: 'staff', userId: 's1' });
    expect(handlerChoices(undefined, { handler: null })).toEqual([]);
  });

  it('counts escalations', () => {
    const at = '2026-12-01T00:00:00Z';
    expect(
      escalationCount([
        { at, kind: 'submit', by: 'resident', byName: null, note: '' },
        { at, kind: 'escalate_response', by: 'system', byName: null, note: '' },
        { at, kind: 'escalate_resolution', by: 'system', byName: null, note: '' },
      ]),
    ).toBe(2);
  });
});
