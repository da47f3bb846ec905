import { describe, expect, it } from 'vitest';
import { cleanContacts, contactProblem } from './profile-model';

describe('emergency contacts', () => {
  it('names the first contact that cannot be saved, and why', () => {
    const ok = { name: '刘晓明', phone: '13800000021', relation: '儿子' };
    expect(contactProblem([ok])).toBeNull();
    expect(contactProblem([ok, { ...ok, name: ' ' }])).toBe('请填写第2位紧急联系人的姓名');
    expect(contactProblem([{ ...ok, phone: '1380000' }])).toBe('第1位紧急联系人的手机号应为11位数字');
    expect(contactProblem([{ ...ok, relation: '' }])).toBe('请填写第1位紧急联系人与长者的关系');
    expect(cleanContacts([{ name: ' 刘晓明 ', phone: '13800000021 ', relation: '儿子' }])).toEqual([ok]);
  });
});
