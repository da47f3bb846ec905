import { describe, expect, it } from 'vitest';
import { EMPTY_APPLY, parseProviderApply } from './apply-model';

describe('provider application', () => {
  it('builds the body with trimmed text', () => {
    const r = parseProviderApply({
      communityId: '0190f5a0-0000-7000-8000-000000000001',
      name: ' 安康居家养老服务中心 ',
      licenseNo: ' 91510100MA6C ',
      contactPhone: '13800000031',
      description: '',
      servesMeals: true,
    });
    expect(r).toEqual({
      ok: true,
      body: {
        communityId: '0190f5a0-0000-7000-8000-000000000001',
        name: '安康居家养老服务中心',
        licenseNo: '91510100MA6C',
        contactPhone: '13800000031',
        description: '',
        servesMeals: true,
      },
    });
  });

  it('names every missing field in Chinese', () => {
    const r = parseProviderApply({ ...EMPTY_APPLY, licenseNo: 'ab', contactPhone: '1380' });
    expect(r).toEqual({
      ok: false,
      errors: {
        communityId: '请选择服务的社区',
        name: '请填写机构名称（40 字以内）',
        licenseNo: '请填写营业执照或备案编号（4 到 40 位）',
        contactPhone: '请输入 11 位联系电话',
      },
    });
  });
});
