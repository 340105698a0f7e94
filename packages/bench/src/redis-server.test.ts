/** Reading Redis's INFO: calls per command and CPU, and their deltas per request. */
import { describe, expect, it } from 'vitest';
import { countersPerRequest, parseInfo } from './redis-server.js';

const INFO = [
  '# CPU',
  'used_cpu_sys:1.250000',
  'used_cpu_user:0.750000',
  'used_cpu_sys_children:9.000000',
  '# Commandstats',
  'cmdstat_evalsha:calls=10,usec=50,usec_per_call=5.00,rejected_calls=0,failed_calls=0',
  'cmdstat_hgetall:calls=30,usec=30,usec_per_call=1.00,rejected_calls=0,failed_calls=0',
  'cmdstat_info:calls=7,usec=70,usec_per_call=10.00,rejected_calls=0,failed_calls=0',
].join('\r\n');

describe('INFO cpu commandstats', () => {
  it("reads calls per command, leaving out the benchmark's own INFO, and Redis's own CPU", () => {
    // Children's CPU (background saves) is not Redis answering commands.
    expect(parseInfo(INFO)).toEqual({ calls: { evalsha: 10, hgetall: 30 }, cpuUs: 2_000_000 });
  });

  it('turns two readings into commands and CPU per request, new commands included', () => {
    const before = parseInfo(INFO);
    const after = { calls: { evalsha: 30, hgetall: 90, get: 20 }, cpuUs: 2_002_000 };
    expect(countersPerRequest(before, after, 20)).toEqual({
      commands: 5,
      byCommand: { evalsha: 1, hgetall: 3, get: 1 },
      cpuUs: 100,
    });
  });
});
