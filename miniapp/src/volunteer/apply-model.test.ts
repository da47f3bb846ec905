import type { VolunteerProfile } from 'shared';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/errors';
import { draftFromProfile, EMPTY_DRAFT, fieldErrorsOf, homeChoices, parseDraft } from './apply-model';

const filled = {
  ...EMPTY_DRAFT,
  realName: ' 赵志愿 ',
  idTail: '135x',
  compoundId: 'c1',
  skills: ['errands' as const],
  rows: [{ days: [1, 2], from: '18:00', to: '21:00' }],
  capHours: '10',
};

describe('apply form', () => {
  it('builds the API body: trimmed name, upper-case X, slots, cap in minutes', () => {
    expect(parseDraft(filled, false)).toEqual({
      ok: true,
      body: {
        realName: '赵志愿',
        idTail: '135X',
        compoundId: 'c1',
        skills: ['errands'],
        availability: [
          { weekday: 1, startMin: 1080, endMin: 1260 },
          { weekday: 2, startMin: 1080, endMin: 1260 },
        ],
        weeklyCapMin: 600,
      },
      leaderboardOptOut: false,
    });
    const withBuilding = parseDraft({ ...filled, buildingId: 'b1', capHours: '1.5' }, false);
    expect(withBuilding.ok && withBuilding.body).toMatchObject({ buildingId: 'b1', weeklyCapMin: 90 });
  });

  it('puts each problem under its field', () => {
    const r = parseDraft({ ...EMPTY_DRAFT, idTail: '12a4', capHours: '80' }, false);
    expect(r.ok).toBe(false);
    expect(!r.ok && Object.keys(r.errors).sort()).toEqual([
      'compoundId',
      'idTail',
      'realName',
      'skills',
      'weeklyCapMin',
    ]);
  });

  it('does not ask again for the name and ID when editing', () => {
    const r = parseDraft({ ...filled, realName: '', idTail: '' }, true);
    expect(r.ok).toBe(true);
  });

  it('prefills from a profile', () => {
    const v = {
      realName: '赵志愿',
      idTail: '1234',
      compoundId: 'c1',
      buildingId: null,
      skills: ['visit'],
      availability: [{ weekday: 0, startMin: 540, endMin: 600 }],
      weeklyCapMin: 900,
      leaderboardOptOut: true,
    } as unknown as VolunteerProfile;
    expect(draftFromProfile(v)).toEqual({
      realName: '赵志愿',
      idTail: '1234',
      compoundId: 'c1',
      buildingId: null,
      skills: ['visit'],
      rows: [{ days: [0], from: '09:00', to: '10:00' }],
      capHours: '15',
      leaderboardOptOut: true,
    });
  });

  it('maps the envelope’s details and field codes to the form’s fields', () => {
    const invalid = new ApiError({
      code: 'VALIDATION_FAILED',
      message: 'x',
      status: 400,
      details: [
        { path: 'body.availability.3.endMin', message: 'must end after it starts' },
        { path: 'body.idTail', message: 'must be the last 4 characters' },
        { path: 'body.somethingElse', message: 'x' },
      ],
    });
    expect(fieldErrorsOf(invalid)).toEqual({
      availability: '可服务时间有误，请检查后再保存',
      idTail: '请填写身份证号码的后四位（最后一位可以是 X）',
    });
    const home = new ApiError({
      code: 'VOLUNTEER_HOME_NOT_VERIFIED',
      message: 'x',
      status: 422,
      details: [{ path: 'body.compoundId', message: 'x' }],
    });
    expect(fieldErrorsOf(home)).toEqual({ compoundId: '只能选择您已通过住户认证的小区' });
  });
});

describe('home choices', () => {
  it('offers each approved compound once, with its buildings and the home building', () => {
    const memberships = [
      {
        status: 'approved',
        compoundId: 'c1',
        communityId: 'm1',
        householdId: 'h2',
        address: '黌门街社区 · 银杏院 · 2栋 · 301',
      },
      {
        status: 'approved',
        compoundId: 'c1',
        communityId: 'm1',
        householdId: 'h1',
        address: '黌门街社区 · 银杏院 · 1栋 · 101',
      },
      {
        status: 'pending',
        compoundId: 'c2',
        communityId: 'm1',
        householdId: 'h3',
        address: '黌门街社区 · 梧桐里 · 1栋 · 1',
      },
      {
        status: 'approved',
        compoundId: 'c9',
        communityId: 'm9',
        householdId: 'h9',
        address: '别的社区 · 海棠苑 · 3栋 · 2',
      },
    ];
    const trees = [
      {
        id: 'm1',
        compounds: [
          {
            id: 'c1',
            name: '银杏院',
            buildings: [
              { id: 'b1', name: '1栋', households: [{ id: 'h1' }] },
              { id: 'b2', name: '2栋', households: [{ id: 'h2' }] },
            ],
          },
        ],
      },
    ];
    expect(homeChoices(memberships, trees)).toEqual([
      {
        id: 'c1',
        name: '银杏院',
        communityId: 'm1',
        buildings: [
          { id: 'b1', name: '1栋' },
          { id: 'b2', name: '2栋' },
        ],
        homeBuildingId: 'b2',
      },
      // No tree loaded for it: the address's compound part, no buildings.
      { id: 'c9', name: '海棠苑', communityId: 'm9', buildings: [], homeBuildingId: null },
    ]);
  });
});
