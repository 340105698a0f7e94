/**
 * The same flows against the live APIs, with the cheapest models, when a key is in the
 * environment. Without a key each block is skipped with the reason in its title, and nothing
 * contacts the internet (the blocks' bodies do no I/O at collection time).
 *
 * Costs when keys are set: ImageRouter's ir/test-video is free; OpenRouter runs its cheapest
 * listed model at its shortest duration and lowest resolution (cents); FastRouter runs
 * `FASTROUTER_VIDEO_MODEL` (default bytedance/seedance at 5 s, 480p); rout.my publishes no video
 * model ids, so it generates only when `ROUTMY_VIDEO_MODEL` names one.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProviderId } from '@reelkit/spec';
import { openrouterSpec, providers } from '@reelkit/spec';
import { createTrafficAuditor } from '@reelkit/conformance';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GenerateVideoRequest, SchemaDrift } from '../src/index.js';
import {
  createFastRouterClient,
  createImageRouterClient,
  createOpenRouterClient,
  createReelkit,
  createRoutMyClient,
  PROFILES,
} from '../src/index.js';
import { expectMp4 } from './harness.js';

const LIVE_TIMEOUT = 30 * 60_000;

const keyOf = (id: ProviderId): string | undefined => process.env[PROFILES[id].envKey] || undefined;

const title = (id: ProviderId): string =>
  keyOf(id) ? `live ${id}` : `live ${id} (skipped: no ${PROFILES[id].envKey} in the environment)`;

/** Live answers may drift from the spec: accept them and print what drifted. */
const drifts: SchemaDrift[] = [];
const lenient = {
  lenient: true,
  onSchemaDrift: (drift: SchemaDrift) => {
    drifts.push(drift);
    console.warn(
      `[live drift] ${drift.provider} ${drift.operationId} ${drift.status}`,
      drift.issues,
    );
  },
} as const;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'reelkit-live-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function generateAndSave(request: GenerateVideoRequest): Promise<void> {
  // The conformance kit audits the live traffic: the client's requests must keep the contract;
  // what the live answers do differently is printed, as schema drift is.
  const spec = providers[request.provider];
  const auditor = createTrafficAuditor({ spec, baseUrl: `${spec.origin}${spec.basePath}` });
  const reelkit = createReelkit({ ...lenient, fetch: auditor.fetch });
  const result = await reelkit.generateVideo({
    ...request,
    onProgress: (e) => console.info(`[live ${e.provider}] ${e.status} ${e.elapsedMs} ms`),
  });
  expect(result.status).toBe('completed');
  const path = join(dir, `${request.provider}.mp4`);
  await reelkit.downloadVideo(result, { to: path });
  expectMp4(new Uint8Array(await readFile(path)));
  const findings = await auditor.findings();
  for (const f of findings.filter((x) => x.side === 'response')) console.warn('[live audit]', f);
  expect(auditor.audited).toBeGreaterThan(0);
  expect(findings.filter((x) => x.side === 'request')).toEqual([]);
}

describe.skipIf(!keyOf('openrouter'))(title('openrouter'), () => {
  it('lists models and generates with the cheapest one', { timeout: LIVE_TIMEOUT }, async () => {
    const client = createOpenRouterClient(lenient);
    const { data } = await client.listModels();
    expect(data.length).toBeGreaterThan(0);
    const priced = data
      .map((model) => ({
        model,
        rate: openrouterSpec.pricePerSecond(model, { audio: false, resolution: '720p' }),
      }))
      .filter((m): m is { model: typeof m.model; rate: number } => m.rate !== undefined)
      .sort((a, b) => a.rate - b.rate);
    const cheapest = priced[0]?.model ?? data[0]!;
    await generateAndSave({
      provider: 'openrouter',
      model: cheapest.id,
      prompt: 'a paper boat on a pond, gentle ripples',
      ...(cheapest.supported_durations?.length
        ? { duration: Math.min(...cheapest.supported_durations) }
        : {}),
      ...(cheapest.supported_resolutions?.includes('720p') ? { resolution: '720p' } : {}),
      ...(cheapest.generate_audio !== null ? { audio: false } : {}),
    });
  });
});

describe.skipIf(!keyOf('imagerouter'))(title('imagerouter'), () => {
  it(
    'lists models, reads credits and generates with ir/test-video (free)',
    async () => {
      const client = createImageRouterClient(lenient);
      const models = await client.listModelsV2({ query: { outputType: 'video' } });
      expect(models.length).toBeGreaterThan(0);
      await client.getCredits();
      await generateAndSave({ provider: 'imagerouter', model: 'ir/test-video', prompt: 'a cat' });
    },
    LIVE_TIMEOUT,
  );
});

describe.skipIf(!keyOf('fastrouter'))(title('fastrouter'), () => {
  it('lists models and generates a short, small video', { timeout: LIVE_TIMEOUT }, async () => {
    const { data } = await createFastRouterClient(lenient).listModels();
    expect(data.length).toBeGreaterThan(0);
    await generateAndSave({
      provider: 'fastrouter',
      model: process.env.FASTROUTER_VIDEO_MODEL ?? 'bytedance/seedance',
      prompt: 'a paper boat on a pond, gentle ripples',
      duration: 5,
      resolution: '480p',
    });
  });
});

describe.skipIf(!keyOf('routmy'))(title('routmy'), () => {
  it('lists the models visible to the key', async () => {
    const { data } = await createRoutMyClient(lenient).listModels();
    expect(data.length).toBeGreaterThan(0);
  });

  it.skipIf(!process.env.ROUTMY_VIDEO_MODEL)(
    process.env.ROUTMY_VIDEO_MODEL
      ? 'generates with ROUTMY_VIDEO_MODEL'
      : 'generates (skipped: set ROUTMY_VIDEO_MODEL; rout.my publishes no video model ids)',
    { timeout: LIVE_TIMEOUT },
    async () => {
      await generateAndSave({
        provider: 'routmy',
        model: process.env.ROUTMY_VIDEO_MODEL ?? '',
        prompt: 'a paper boat on a pond, gentle ripples',
        duration: 4,
        resolution: '480p',
      });
    },
  );
});
