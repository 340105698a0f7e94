/**
 * The rout.my mock: one synchronous `POST /v1/video/generations` that holds the connection while
 * the provider renders (`held-connection.ts`), a per-key token quota checked against a worst-case
 * estimate before generation (`quota.ts`), and `GET /v1/models` with plan availability. Timings,
 * error answers and scenarios are the spec's facts (`routmy.facts`).
 * @see https://docs.rout.my/api/videos
 * @module
 */
import { routmy, routmySpec, timingOf } from '@reelkit/spec';
import type { MockProvider } from '../../core/types.js';
import { routmyErrorReply } from './errors.js';
import { createHeldGeneration } from './held-connection.js';
import { ROUTMY_DEFAULT_QUOTA_TOKENS } from './quota.js';

const { ROUTMY_CATALOG, findRoutMyModel } = routmySpec;

export { ROUTMY_DEFAULT_QUOTA_TOKENS } from './quota.js';

/**
 * Texts of rout.my's failures (the spec's `routmySpec.ROUTMY_FAILURES`).
 *
 * @example
 * ROUTMY_FAILURES.provider; // 'Upstream provider failed or no provider succeeded.'
 */
export const ROUTMY_FAILURES = routmySpec.ROUTMY_FAILURES;

/** Options of {@link createRoutMyMock}. */
export interface RoutMyMockOptions {
  /** Each API key's daily token balance. Default {@link ROUTMY_DEFAULT_QUOTA_TOKENS}. */
  readonly quotaTokens?: number;
  /**
   * The caller's plan: whether `apiKey` may use `modelId`. Default: the catalog's `is_available`
   * (so `openai/sora-2-pro` is locked for every key and answers 403).
   */
  readonly isAvailable?: (modelId: string, apiKey: string) => boolean;
}

/** The rout.my mock provider. Token balances live in the engine's ledger (`engine.ledger`). */
export type RoutMyMockProvider = MockProvider<typeof routmy>;

/**
 * Creates the rout.my mock provider. Each engine keeps its own daily token balances.
 *
 * @example
 * const engine = createMockEngine({ provider: createRoutMyMock({ quotaTokens: 2_000_000 }) });
 * engine.ledger.balanceOf('sk-test'); // 2000000
 */
export function createRoutMyMock(options: RoutMyMockOptions = {}): RoutMyMockProvider {
  const available = (modelId: string, apiKey: string): boolean =>
    options.isAvailable?.(modelId, apiKey) ?? findRoutMyModel(modelId)?.model.is_available ?? false;

  return {
    spec: routmy,
    // rout.my counts "daily tokens"; balances come back at 00:00 UTC (the hour is provisional).
    balance: {
      unit: 'tokens',
      defaultBalance: options.quotaTokens ?? ROUTMY_DEFAULT_QUOTA_TOKENS,
      resetsDaily: true,
    },
    scenarios: routmy.facts.scenarios,
    jobTtlMs: routmy.facts.jobTtlMs,
    timing: (generation) => timingOf(routmy.facts.timing, generation.model),
    error: routmyErrorReply,
    handlers: {
      createVideo: createHeldGeneration(available),
      listModels(ctx) {
        const key = ctx.apiKey;
        const data = ROUTMY_CATALOG.map(({ model }) => ({
          ...model,
          // Without a key the catalog default; what rout.my sends then is not documented.
          is_available: key === undefined ? model.is_available : available(model.id, key),
        }));
        return { status: 200, body: { object: 'list', data } };
      },
    },
  };
}

/**
 * The rout.my mock with default options (100,000,000 tokens per key per day).
 *
 * @example
 * const engine = createMockEngine({ provider: routmyMock });
 */
export const routmyMock = createRoutMyMock();
