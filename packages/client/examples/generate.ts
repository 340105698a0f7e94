/**
 * Generates a video through any router (live or mock) with a progress bar, and saves the MP4.
 *
 *   npx tsx packages/client/examples/generate.ts --provider openrouter --model google/veo-3.1 \
 *     --prompt "a lighthouse at dawn" --base-url http://127.0.0.1:4010/api/v1 --out video.mp4
 *
 * Against `npm start` the mocks listen on 127.0.0.1:4010 (openrouter, base path /api/v1), 4011
 * (imagerouter, no base path), 4012 (fastrouter, /api/v1) and 4013 (routmy, /v1). Without
 * --base-url it talks to the real API with the key from --api-key or <PROVIDER>_API_KEY.
 * @module
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { Clock, ProgressEvent, VideoImage } from '@reelkit/client';
import { createReelkit, PROFILES, ReelkitError } from '@reelkit/client';
import type { ProviderId } from '@reelkit/spec';
import { PROVIDER_IDS } from '@reelkit/spec';

const USAGE = `Usage: generate.ts --provider <${PROVIDER_IDS.join('|')}> --model <id> --prompt <text> [options]

  --duration <s>         seconds
  --resolution <r>       480p, 720p, 1080p, ...
  --aspect-ratio <a>     16:9, 9:16, 1:1, ...
  --size <WxH>           exact size (wins over resolution and aspect ratio)
  --image <path|url>     input image (repeatable: first frame, then last frame)
  --audio / --no-audio   ask for sound, or silence
  --seed <n>
  --base-url <url>       e.g. http://127.0.0.1:4010/api/v1 for the OpenRouter mock
  --api-key <key>        default: $<PROVIDER>_API_KEY (any key works against a mock)
  --out <file>           default video.mp4
  --timeout <s>          whole generation (default: the router's, 15–30 min)
  --poll-interval <ms>   first poll wait for asynchronous routers (default 10000)
  --scenario <name>      ask a reelkit mock for a scenario (failed, moderation, slow, ...)
  --help`;

/**
 * Where the program writes; injectable so that a test can capture it.
 *
 * @example
 * await main(['--help'], { stdout: (t) => out.push(t), stderr: (t) => err.push(t), tty: false });
 */
export interface ExampleIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Whether stderr is a terminal (redraw the bar in place) or a log (one line per event). */
  readonly tty: boolean;
  /** The client's clock (a test passes a mock engine's clock). */
  readonly clock?: Clock;
}

const defaultIo: ExampleIo = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  tty: Boolean(process.stderr.isTTY),
};

const isProvider = (value: string): value is ProviderId =>
  (PROVIDER_IDS as readonly string[]).includes(value);

function duration(ms: number): string {
  const s = Math.floor(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/**
 * One line of the progress bar: a bar when the router reports progress, a bouncing block when it
 * does not.
 *
 * @example
 * progressLine(event); // '[###########-------------]  45% in_progress 1m02s'
 */
export function progressLine(event: ProgressEvent, width = 24): string {
  let bar: string;
  if (event.progress !== undefined) {
    const filled = Math.round((event.progress / 100) * width);
    bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(event.progress).padStart(3)}%`;
  } else if (event.canonicalStatus === 'completed') {
    bar = `[${'#'.repeat(width)}] 100%`;
  } else {
    const span = width - 3;
    const step = Math.floor(event.elapsedMs / 1000) % (2 * span);
    const at = step < span ? step : 2 * span - step;
    bar = `[${' '.repeat(at)}<=>${' '.repeat(span - at)}]     `;
  }
  const words =
    event.status === event.canonicalStatus
      ? event.status
      : `${event.canonicalStatus} (${event.status})`;
  return `${bar} ${words} ${duration(event.elapsedMs)}`;
}

async function toImage(source: string): Promise<VideoImage> {
  if (/^(https?:|data:)/.test(source)) return { url: source };
  const type = source.endsWith('.png') ? 'image/png' : 'image/jpeg';
  return { data: await readFile(source), mimeType: type, filename: basename(source) };
}

/**
 * Runs the program; resolves to its exit code (0 done, 1 the router or the client failed,
 * 2 bad usage).
 *
 * @example
 * process.exitCode = await main(process.argv.slice(2));
 */
export async function main(argv: readonly string[], io: ExampleIo = defaultIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        provider: { type: 'string' },
        model: { type: 'string' },
        prompt: { type: 'string' },
        duration: { type: 'string' },
        resolution: { type: 'string' },
        'aspect-ratio': { type: 'string' },
        size: { type: 'string' },
        image: { type: 'string', multiple: true },
        audio: { type: 'boolean' },
        'no-audio': { type: 'boolean' },
        seed: { type: 'string' },
        'base-url': { type: 'string' },
        'api-key': { type: 'string' },
        out: { type: 'string', default: 'video.mp4' },
        timeout: { type: 'string' },
        'poll-interval': { type: 'string' },
        scenario: { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    io.stderr(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  const provider = values.provider ?? '';
  if (!isProvider(provider) || !values.model) {
    io.stderr(`--provider (${PROVIDER_IDS.join(', ')}) and --model are required.\n\n${USAGE}\n`);
    return 2;
  }
  const number = (value: string | undefined) => (value === undefined ? undefined : Number(value));
  const audio = values.audio ? true : values['no-audio'] ? false : undefined;
  let apiKey = values['api-key'] ?? process.env[PROFILES[provider].envKey];
  if (!apiKey) {
    if (!values['base-url']) {
      io.stderr(`No API key: pass --api-key or set ${PROFILES[provider].envKey}.\n`);
      return 2;
    }
    // A reelkit mock accepts any key; a real router behind --base-url will answer 401.
    apiKey = 'sk-reelkit-mock';
    io.stderr(`No API key given; sending a placeholder (fine for a reelkit mock).\n`);
  }
  const reelkit = createReelkit({
    ...(io.clock ? { clock: io.clock } : {}),
    providers: {
      [provider]: { apiKey, ...(values['base-url'] ? { baseUrl: values['base-url'] } : {}) },
    },
  });

  const controller = new AbortController();
  const onSignal = () => controller.abort(new Error('interrupted'));
  process.once('SIGINT', onSignal);
  let lastLine = '';
  const draw = (event: ProgressEvent) => {
    const line = progressLine(event);
    if (io.tty) io.stderr(`\r${line.padEnd(lastLine.length)}`);
    else if (event.changed || event.progress !== undefined) io.stderr(`${line}\n`);
    lastLine = line;
  };
  try {
    const images = await Promise.all((values.image ?? []).map(toImage));
    const seconds = number(values.timeout);
    const pollMs = number(values['poll-interval']);
    const seed = number(values.seed);
    const result = await reelkit.generateVideo({
      provider,
      model: values.model,
      ...(values.prompt !== undefined ? { prompt: values.prompt } : {}),
      ...(values.duration !== undefined ? { duration: Number(values.duration) } : {}),
      ...(values.resolution !== undefined ? { resolution: values.resolution } : {}),
      ...(values['aspect-ratio'] !== undefined ? { aspectRatio: values['aspect-ratio'] } : {}),
      ...(values.size !== undefined ? { size: values.size } : {}),
      ...(images.length > 0 ? { images } : {}),
      ...(audio !== undefined ? { audio } : {}),
      ...(seed !== undefined ? { seed } : {}),
      ...(seconds !== undefined ? { timeoutMs: seconds * 1000 } : {}),
      ...(pollMs !== undefined ? { pollIntervalMs: pollMs } : {}),
      ...(values.scenario ? { headers: { 'X-Reelkit-Scenario': values.scenario } } : {}),
      signal: controller.signal,
      onProgress: draw,
    });
    if (io.tty) io.stderr('\n');
    const saved = await reelkit.downloadVideo(result, {
      to: values.out,
      signal: controller.signal,
    });
    const cost = result.cost !== undefined ? `, cost $${result.cost}` : '';
    io.stdout(
      `${result.provider} ${result.id}: ${result.status} in ${duration(result.timings.totalMs)}${cost}; ` +
        `saved ${saved.bytes} bytes to ${saved.path}\n`,
    );
    return 0;
  } catch (error) {
    if (io.tty && lastLine) io.stderr('\n');
    if (error instanceof ReelkitError) {
      io.stderr(`error [${error.code}] ${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    process.off('SIGINT', onSignal);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
