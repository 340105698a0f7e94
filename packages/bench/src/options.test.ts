import { describe, expect, it } from 'vitest';
import { ALL_TARGETS, WORKLOADS } from './load.js';
import { parseOptions } from './options.js';

describe('parseOptions', () => {
  it('drives every workload and target by default', () => {
    expect(parseOptions([])?.workloads).toEqual(WORKLOADS);
    expect(parseOptions([])?.targets).toEqual(ALL_TARGETS);
  });

  it('takes subsets, kept in the canonical order', () => {
    const options = parseOptions([
      '--workloads',
      'submit,poll',
      '--targets',
      'node-http,reelkit-default',
    ]);
    expect(options?.workloads).toEqual(['poll', 'submit']);
    expect(options?.targets).toEqual(['reelkit-default', 'node-http']);
  });

  it('refuses names it does not know, saying which it does', () => {
    expect(() => parseOptions(['--targets', 'reelkit'])).toThrow(/reelkit-default, reelkit-manual/);
    expect(() => parseOptions(['--workloads', 'poll,'])).toThrow(/--workloads/);
  });
});
