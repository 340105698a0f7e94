import { describe, expect, it } from 'vitest';
import { drawLatency, MAX_FAULT_DELAY_MS, parseFaultRule } from './faults.js';
import { createRandom } from './random.js';

describe('parseFaultRule', () => {
  it('keeps a valid rule, field for field', () => {
    const rule = {
      kind: 'latency',
      operationId: 'getVideos',
      times: 3,
      latencyMs: { distribution: 'normal', mean: 500, stddev: 100 },
    };
    expect(parseFaultRule(rule)).toEqual(rule);
    expect(parseFaultRule({ kind: 'stall', stallMs: 0, once: true })).toEqual({
      kind: 'stall',
      stallMs: 0,
      once: true,
    });
  });

  it.each([
    [
      { kind: 'latency', latencyMs: 1e308 },
      /latencyMs must be a number of simulated ms from 0 to 3600000/,
    ],
    [
      { kind: 'latency', latencyMs: Infinity },
      /latencyMs must be a number of simulated ms from 0 to 3600000, or/,
    ],
    [{ kind: 'stall', stallMs: -1 }, /stallMs must be a number of simulated ms from 0 to 3600000/],
    [
      { kind: 'latency', latencyMs: { distribution: 'normal', mean: 10, stddev: -1 } },
      /latencyMs\.stddev must be a number of simulated ms from 0 to 3600000/,
    ],
    [
      { kind: 'latency', latencyMs: { distribution: 'uniform', min: 900, max: 100 } },
      /latencyMs\.min must not exceed latencyMs\.max/,
    ],
    [
      { kind: 'latency', latencyMs: { distribution: 'pareto', alpha: 1 } },
      /latencyMs must be .* or \{"distribution": uniform \(min, max\), exponential \(mean\) or normal/,
    ],
    [
      { kind: 'rate-limit', retryAfterSeconds: 1e9 },
      /retryAfterSeconds must be a number from 0 to 86400/,
    ],
    [{ kind: 'reset', probability: 1.5 }, /probability must be a number from 0 to 1/],
    [{ kind: 'reset', times: 0.5 }, /times must be an integer from 1 to 1000000/],
    [{ kind: 'reset', latency: 5 }, /unknown field latency/],
    [{ kind: 'explode' }, /kind must be one of latency, rate-limit/],
    [[1, 2], /a fault rule must be a JSON object/],
  ])('refuses %j naming the field and its range', (input, message) => {
    expect(() => parseFaultRule(input)).toThrow(message);
  });
});

describe('drawLatency', () => {
  it('never draws more than the longest delay a rule may ask for', () => {
    const random = createRandom(1);
    for (let i = 0; i < 200; i++) {
      const ms = drawLatency({ distribution: 'exponential', mean: MAX_FAULT_DELAY_MS }, random);
      expect(ms).toBeGreaterThanOrEqual(0);
      expect(ms).toBeLessThanOrEqual(MAX_FAULT_DELAY_MS);
    }
  });
});
