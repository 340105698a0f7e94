/**
 * `startPrismProxy`: Prism (`launcher.ts`) in front of the target, the recording relay
 * (`relay.ts`) in front of Prism, and the report's `prism-violation` checks (`violations.ts`).
 * @module
 */
import { defaultOpenApiFile, freePort, prismBin, startPrism, stopPrism } from './launcher.js';
import { startRelay } from './relay.js';
import type { PrismObservation, PrismProxy, PrismProxyOptions } from './types.js';
import { prismResults } from './violations.js';

/**
 * Starts `prism proxy` in front of a target, plus a recording relay in front of prism. Point the
 * checks at `baseUrl`, then add `results()` to the report.
 *
 * @example
 * const prism = await startPrismProxy({ provider: 'openrouter', upstream: 'http://127.0.0.1:4010/api/v1' });
 * try {
 *   const target = httpTarget({ provider: 'openrouter', baseUrl: prism.baseUrl, apiKey: 'test' });
 *   const report = await runConformance({ provider: 'openrouter', target });
 *   console.log(withResults(report, prism.results()).summary);
 * } finally {
 *   await prism.close();
 * }
 */
export async function startPrismProxy(options: PrismProxyOptions): Promise<PrismProxy> {
  const upstream = new URL(options.upstream);
  const basePath = upstream.pathname.replace(/\/+$/, '');
  const upstreamBase = `${upstream.origin}${basePath}`;
  const openapiFile = options.openapiFile ?? defaultOpenApiFile(options.provider);
  const prismPort = await freePort();
  const prism = await startPrism(
    [
      prismBin(),
      'proxy',
      openapiFile,
      upstreamBase,
      '-h',
      '127.0.0.1',
      '-p',
      String(prismPort),
      '--cors=false',
    ],
    options.startTimeoutMs ?? 60_000,
    options.log,
  );
  const prismUrl = `http://127.0.0.1:${prismPort}`;
  const observed: PrismObservation[] = [];

  const relay = await startRelay({
    provider: options.provider,
    upstream,
    basePath,
    prismUrl,
    maxBodyChars: options.maxBodyChars ?? 16_384,
    record: (observation) => observed.push(observation),
  }).catch(async (error: unknown) => {
    await stopPrism(prism);
    throw error;
  });

  const counted = (o: PrismObservation) =>
    o.violations.filter(
      (v) =>
        v.severity.toLowerCase() === 'error' &&
        (v.location[0] === 'response' || options.includeRequestViolations === true),
    );

  return {
    baseUrl: `${relay.origin}${basePath}`,
    prismUrl,
    upstream: upstreamBase,
    openapiFile,
    observations: () => [...observed],
    results: () => prismResults(observed, counted, openapiFile),
    close: async () => {
      await relay.close();
      await stopPrism(prism);
    },
  };
}
