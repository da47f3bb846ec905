import { describe, expect, it } from 'vitest';
import { auditActionLabel, familyMemberLabel } from './audit-labels';

describe('audit action labels', () => {
  it('maps the codes the BFF writes to Chinese', () => {
    expect(auditActionLabel('read /v1/notifications')).toBe('查看了消息');
    expect(auditActionLabel('read /v1/me')).toBe('查看了首页信息');
    expect(auditActionLabel('read /v1/home')).toBe('查看了首页信息');
    expect(auditActionLabel('read /v1/memberships')).toBe('查看了住户认证');
    expect(auditActionLabel('membership.requested')).toBe('提交了住户认证');
    expect(auditActionLabel('proxy_link.consented')).toBe('确认了代办授权');
  });

  it('shows an unknown code as it is rather than hiding it', () => {
    expect(auditActionLabel('read /v1/lockers')).toBe('read /v1/lockers');
    expect(auditActionLabel('orders.placed')).toBe('orders.placed');
    expect(auditActionLabel('')).toBe('');
  });
});

describe('family member label', () => {
  it('names the person with the relationship, and falls back to 家属 without a name', () => {
    expect(familyMemberLabel('刘晓明', '儿子')).toBe('刘晓明（儿子）');
    expect(familyMemberLabel('', '女儿')).toBe('家属（女儿）');
    expect(familyMemberLabel(null, null)).toBe('家属');
  });
});
