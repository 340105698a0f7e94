import { openrouter } from '@reelkit/spec';
import { describe, expect, it } from 'vitest';
import { declaredStatusFinding } from './status.js';

describe('declaredStatusFinding', () => {
  it('passes declared statuses and names the rule for undeclared ones', () => {
    expect(declaredStatusFinding(openrouter.routes.createVideo, 202)).toBeUndefined();
    expect(declaredStatusFinding(openrouter.routes.createVideo, 200)).toEqual({
      rule: 'declared-status',
      message: 'createVideos answered 200; declared: 202, 400, 401, 402, 404, 429, 500',
    });
  });
});
