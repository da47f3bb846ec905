import { describe, expect, it } from 'vitest';
import { findBadInput, MAX_INPUT_DEPTH } from './input-guard';

const nestedArrays = (n: number) => JSON.parse(`${'['.repeat(n)}${']'.repeat(n)}`);
const nestedObjects = (n: number) => JSON.parse(`${'{"a":'.repeat(n)}1${'}'.repeat(n)}`);

describe('findBadInput', () => {
  it('passes ordinary input, emoji and CJK included', () => {
    expect(findBadInput({ name: '刘奶奶 👵', items: [{ q: 1 }], note: null }, 'body')).toBeNull();
    expect(findBadInput(nestedArrays(MAX_INPUT_DEPTH), 'body')).toBeNull();
  });

  it('stops at the depth limit without recursing, however deep the input', () => {
    for (const deep of [nestedArrays(5_000), nestedObjects(20_000), nestedArrays(MAX_INPUT_DEPTH + 1)]) {
      const bad = findBadInput(deep, 'body');
      expect(bad?.code).toBe('INPUT_TOO_DEEP');
      expect(bad!.path.split('.').length).toBeLessThanOrEqual(MAX_INPUT_DEPTH + 1);
    }
  });

  it('names the field with a NUL or a lone surrogate, in values and keys', () => {
    expect(findBadInput({ a: { b: 'x\u0000' } }, 'body')).toMatchObject({ path: 'body.a.b' });
    expect(findBadInput({ name: 'abc\ud800' }, 'body')).toMatchObject({
      code: 'VALIDATION_FAILED',
      path: 'body.name',
    });
    expect(findBadInput({ name: '\udc00abc' }, 'body')?.path).toBe('body.name');
    expect(findBadInput({ list: ['ok', '\ud83d'] }, 'body')?.path).toBe('body.list.1');
    expect(findBadInput({ ['k\ud800']: 1 }, 'body')?.message).toMatch(/key/);
    // A well-formed pair is fine.
    expect(findBadInput({ name: '\ud83d\ude00' }, 'body')).toBeNull();
  });
});
