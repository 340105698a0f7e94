import { describe, expect, it } from 'vitest';
import { assertSkipRules, selects, skipReasonFor } from './skip.js';

const check = {
  id: 'createVideos: webhook signature verifies',
  check: 'webhook-signature',
  operationId: 'createVideos',
};

describe('skip rules', () => {
  it('refuse a skip without a reason, or without tests', () => {
    expect(() => assertSkipRules([{ tests: ['x'], reason: '' }])).toThrow(TypeError);
    expect(() => assertSkipRules([{ tests: ['x'] } as never])).toThrow(/has no reason/);
    expect(() => assertSkipRules([{ tests: [], reason: 'why' }])).toThrow(/names no checks/);
    expect(() => assertSkipRules([{ tests: /x/, reason: 'why' }])).not.toThrow();
  });

  it('match ids, families and operations exactly, and patterns against ids', () => {
    expect(selects([check.id], check)).toBe(true);
    expect(selects(['webhook-signature'], check)).toBe(true);
    expect(selects(['createVideos'], check)).toBe(true);
    expect(selects(['webhook'], check)).toBe(false);
    expect(selects(/signature/g, check)).toBe(true);
    expect(selects(/signature/g, check)).toBe(true);
  });

  it('give the reason of the first matching rule', () => {
    const rules = [
      { tests: ['getVideos'], reason: 'a' },
      { tests: /webhook/, reason: 'no receiver in CI' },
    ];
    expect(skipReasonFor(rules, check)).toBe('no receiver in CI');
    expect(skipReasonFor(undefined, check)).toBeUndefined();
  });
});
