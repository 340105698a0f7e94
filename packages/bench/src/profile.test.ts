import { describe, expect, it } from 'vitest';
import type { CpuProfile, ProfileSummary } from './profile.js';
import { compareProfiles, formatComparison, summariseProfile } from './profile.js';

/** A profile whose samples land on `leaves` in turn, one per millisecond, after a root. */
function profileOf(leaves: readonly { fn: string; url: string }[]): CpuProfile {
  const ids = leaves.map((_, i) => i + 2);
  const root = {
    id: 1,
    callFrame: { functionName: '(root)', url: '', lineNumber: 0 },
    children: ids,
  };
  const nodes = leaves.map((leaf, i) => ({
    id: i + 2,
    callFrame: { functionName: leaf.fn, url: leaf.url, lineNumber: 9 },
  }));
  return {
    nodes: [root, ...nodes],
    startTime: 0,
    endTime: leaves.length * 1000,
    samples: ids,
    timeDeltas: leaves.map(() => 1000),
  };
}

const NOW = { fn: 'now', url: 'file:///r/packages/mocks/dist/core/clock.js' };
const WRITE = { fn: 'writev', url: '' };
const ROUTE = { fn: 'handleRoute', url: 'file:///r/packages/mocks/dist/core/engine.js' };

describe('compareProfiles', () => {
  const a = summariseProfile(profileOf([WRITE, WRITE, ROUTE, NOW]), {
    workload: 'poll',
    target: 'reelkit-default',
    cpuUsPerReq: 40,
  });
  const b = summariseProfile(profileOf([WRITE, WRITE, ROUTE, ROUTE]), {
    workload: 'poll',
    target: 'reelkit-manual',
    cpuUsPerReq: 20,
  });

  it('turns shares of busy samples into µs per response and ranks the differences', () => {
    const comparison = compareProfiles(a, b);
    expect(comparison?.aCpuUsPerReq).toBe(40);
    // `now` is a quarter of a's 40 µs and absent from b.
    const now = comparison?.functions.find((f) => f.name.startsWith('now '));
    expect(now).toEqual(expect.objectContaining({ aUs: 10, bUs: 0, moreUs: 10 }));
    // writev is half of each: 20 vs 10 µs, the largest difference, so it comes first.
    expect(comparison?.functions[0]).toEqual(
      expect.objectContaining({ name: 'writev', aUs: 20, bUs: 10, moreUs: 10 }),
    );
    expect(formatComparison(comparison as NonNullable<typeof comparison>)[0]).toContain(
      'reelkit-default vs reelkit-manual under poll load',
    );
  });

  it('compares nothing when a profile lacks its CPU per response', () => {
    const { cpuUsPerReq: _dropped, ...withoutCpu } = b;
    expect(compareProfiles(a, withoutCpu as ProfileSummary)).toBeUndefined();
  });
});
