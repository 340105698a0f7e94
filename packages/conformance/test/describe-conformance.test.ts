/**
 * `describeConformance`: the kit as vitest tests, one per check, skips titled with their reason.
 */
import { createManualClock, createMockEngine, mockProviders } from '@reelkit/mocks';
import { engineTarget } from '../src/index.js';
import { describeConformance } from '../src/vitest.js';

describeConformance({
  provider: 'routmy',
  title: 'rout.my mock, through describeConformance',
  target: () =>
    engineTarget(createMockEngine({ provider: mockProviders.routmy, clock: createManualClock() })),
  skip: [{ tests: ['scenario'], reason: 'covered by test/faithful.test.ts' }],
});
