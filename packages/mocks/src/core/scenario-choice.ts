/**
 * Which scenario a request plays: the one it asks for (header or prompt token), else one drawn at
 * the configured fault rates, else the engine's default.
 * @module
 */
import { MockError } from './errors.js';
import type { Random } from './random.js';
import type { IncomingRequest } from './request.js';
import type { Scenario, ScenarioEffect } from './scenarios.js';
import { promptOf, requestedScenario, SCENARIOS, WIRE_SCENARIOS } from './scenarios.js';
import type { MockProvider } from './types.js';

/** Options of {@link createScenarioChooser}. */
export interface ScenarioChooserOptions {
  readonly provider: Pick<MockProvider, 'spec' | 'scenarios'>;
  /** Probability per request of each HTTP-failure scenario. */
  readonly faultRates: Readonly<Record<string, number>>;
  /** The default scenario the engine was created with, if any: checked at once. */
  readonly initialDefault?: string;
}

/** Chooses the scenario of each request; see {@link createScenarioChooser}. */
export interface ScenarioChooser {
  /** The scenario a request plays, or the mock's 400 for a scenario the router cannot act out. */
  /**
   * `defaultScenario` is the namespace's (it can change at run time); fault rates draw from
   * `random`, the namespace's sequence.
   */
  choose(
    request: IncomingRequest,
    body: Readonly<Record<string, unknown>>,
    defaultScenario: string,
    random: Random,
  ): Scenario | MockError;
  /** Every scenario name this router acts out: its own plus the faults on the wire. */
  readonly names: readonly string[];
}

/**
 * Creates the scenario chooser of a router, refusing at once a default scenario or fault rate the
 * router cannot act out.
 *
 * @example
 * const chooser = createScenarioChooser({ provider, faultRates: {} });
 * chooser.choose(new Request(url, { headers: { 'x-reelkit-scenario': 'failed' } }), {}, 'success', random); // { name: 'failed', ... }
 */
export function createScenarioChooser(options: ScenarioChooserOptions): ScenarioChooser {
  const { provider, faultRates } = options;
  const names = [...provider.scenarios, ...Object.keys(WIRE_SCENARIOS)];
  // Own-property lookups only: a scenario named `constructor` must not find Object.prototype's.
  const effectOf = (name: string): ScenarioEffect | undefined =>
    provider.scenarios.includes(name) && Object.hasOwn(SCENARIOS, name)
      ? SCENARIOS[name]?.effect
      : Object.hasOwn(WIRE_SCENARIOS, name)
        ? WIRE_SCENARIOS[name]?.effect
        : undefined;
  for (const [name, rate] of Object.entries(faultRates)) {
    if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1))
      throw new RangeError(
        `[reelkit] the fault rate of '${name}' must be from 0 to 1, got ${rate}.`,
      );
  }
  for (const name of [options.initialDefault, ...Object.keys(faultRates)]) {
    if (name && !effectOf(name)) {
      throw new MockError(
        'MOCK_ERR_UNKNOWN_SCENARIO',
        `${provider.spec.title} has no scenario '${name}'; known: ${names.join(', ')}.`,
      );
    }
  }

  return {
    names,
    choose(request, body, defaultScenario, random) {
      const asked = requestedScenario(request.headers, promptOf(body));
      if (asked) {
        const effect = effectOf(asked.name);
        if (!effect) {
          return new MockError(
            'MOCK_ERR_UNKNOWN_SCENARIO',
            `${provider.spec.title} has no scenario '${asked.name}' (from the ${asked.source}); known: ${names.join(', ')}.`,
          );
        }
        return { name: asked.name, effect, source: asked.source };
      }
      // Read at each request: the rates object is the caller's, and a test may change it.
      for (const [name, rate] of Object.entries(faultRates)) {
        if (random.next() < rate) return { name, effect: effectOf(name)!, source: 'random' };
      }
      const name = defaultScenario;
      return { name, effect: (SCENARIOS[name] ?? SCENARIOS.success)!.effect, source: 'default' };
    },
  };
}
