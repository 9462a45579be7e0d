import { describe, expect, it } from 'vitest';
import { closestName, editDistance } from './closest-name';

describe('editDistance', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(editDistance('', '')).toBe(0);
    expect(editDistance('abc', '')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('freezeDept', 'freezeDepth')).toBe(1);
  });
});

describe('closestName', () => {
  const names = ['headLr', 'baseLr', 'freezeDepth', 'dropout'];
  it('finds the nearest candidate, ignoring case', () => {
    expect(closestName('freezeDept', names)).toBe('freezeDepth');
    expect(closestName('HEADLR', names)).toBe('headLr');
    expect(closestName('dropuot', names)).toBe('dropout');
  });
  it('breaks ties by order and is undefined without candidates', () => {
    expect(closestName('ab', ['ac', 'ad'])).toBe('ac');
    expect(closestName('x', [])).toBeUndefined();
  });
});
