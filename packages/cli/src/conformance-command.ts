/**
 * `reelkit conformance`: check a server against a router's contract, print progress and a
 * summary, write JUnit, JSON and HTML reports, and exit non-zero when any check fails.
 * @module
 */
import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import type { ConformanceReport, ConformanceRunner, PrismProxy } from '@reelkit/conformance';
// The kit (prism, mp4box, reporters) loads only when the command runs: `reelkit mock` starts faster.
type ConformanceKit = typeof ConformanceKitModule;
import type { ProviderId } from '@reelkit/spec';
import { PROVIDER_IDS, providers } from '@reelkit/spec';
import type { ProgramIO } from './io.js';
import type * as ConformanceKitModule from '@reelkit/conformance';

/** What the command uses from the kit, replaceable in tests. */
export interface ConformanceCommandDeps {
  /** Default: the runner of `@reelkit/conformance`. */
  readonly loadRunner?: () => Promise<ConformanceRunner>;
  readonly startPrismProxy?: ConformanceKit['startPrismProxy'];
  /** ANSI colours; default when stdout and stderr are terminals and NO_COLOR is unset. */
  readonly color?: boolean;
  /** How long the reachability probe waits (default 10 s). */
  readonly probeTimeoutMs?: number;
}

interface ConformanceOptions {
  provider: ProviderId;
  baseUrl: string;
  apiKey?: string;
  junit?: string;
  json?: string;
  html?: string;
  only?: string[];
  skip?: string[];
  webhookPort?: number;
  controlToken?: string;
  namespace?: string;
  viaPrism?: boolean;
  maxCost?: number;
}

/** Exit status when the run could not start or stopped before finishing. */
const EXIT_NOT_RUN = 2;

/** Where `npm start` serves a router's mock: its default port and its real base path. */
const localBaseUrl = (id: ProviderId): string =>
  `http://127.0.0.1:${providers[id].defaultPort}${providers[id].basePath}`;

function httpUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError(
      `must be a URL with the base path, e.g. ${localBaseUrl('openrouter')}.`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidArgumentError('must be an http:// or https:// URL.');
  }
  return value.replace(/\/+$/, '');
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) {
    throw new InvalidArgumentError('must be a port number 0..65535 (0 picks a free one).');
  }
  return n;
}

function usd(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) {
    throw new InvalidArgumentError('must be an amount in USD >= 0, e.g. 0.25.');
  }
  return n;
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause;
  if (cause instanceof Error) {
    const code = (cause as Error & { code?: unknown }).code;
    return typeof code === 'string' && !cause.message.includes(code)
      ? `${code}: ${cause.message}`
      : cause.message;
  }
  return error.message;
}

/** Any HTTP answer means the target is there; only a failed connection means it is not. */
async function probe(baseUrl: string, timeoutMs: number): Promise<string | undefined> {
  try {
    const response = await fetch(baseUrl, { signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return undefined;
  } catch (error) {
    if (error instanceof Error && error.name === 'TimeoutError') {
      return `no answer within ${Math.round(timeoutMs / 1000)} s`;
    }
    return describeError(error);
  }
}

function mockUrls(): string {
  return PROVIDER_IDS.map((id) => `  ${id.padEnd(12)} ${localBaseUrl(id)}`).join('\n');
}

/**
 * Adds `reelkit conformance` to the program.
 *
 * @example
 * const program = createProgram(io);
 * registerConformanceCommand(program, io);
 * await program.parseAsync(['node', 'reelkit', 'conformance', '--provider', 'openrouter',
 *   '--base-url', 'http://127.0.0.1:4010/api/v1', '--api-key', 'test', '--html', 'report.html']);
 */
export function registerConformanceCommand(
  program: Command,
  io: ProgramIO,
  deps: ConformanceCommandDeps = {},
): void {
  program
    .command('conformance')
    .description(
      "Check a server (a reelkit mock, the live API or a look-alike) against a router's contract",
    )
    .addOption(
      new Option('--provider <id>', 'which router contract to check against')
        .choices([...PROVIDER_IDS])
        .makeOptionMandatory(),
    )
    .addOption(
      new Option(
        '--base-url <url>',
        `the server under test, with the base path (e.g. ${localBaseUrl('openrouter')})`,
      )
        .argParser(httpUrl)
        .makeOptionMandatory(),
    )
    .addOption(
      new Option('--api-key <key>', 'key sent as the router expects it (Bearer …)').env(
        'REELKIT_API_KEY',
      ),
    )
    .option('--junit <file>', 'write JUnit XML (one testcase per check) for CI')
    .option('--json <file>', 'write the whole report as JSON')
    .option(
      '--html <file>',
      'write a standalone HTML report: failures with rule, curl and response; job timelines',
    )
    .option(
      '--only <check>',
      'run only checks matching this check id, family or operation (repeatable)',
      collect,
    )
    .option(
      '--skip <check>',
      'skip checks matching this check id, family or operation (repeatable; reported as skipped)',
      collect,
    )
    .option(
      '--webhook-port <port>',
      'receive webhook deliveries on this local port (0: any free port; the target must reach it), ' +
        'signed with $REELKIT_WEBHOOK_SECRET; without it a reelkit mock is set up by the kit ' +
        '(its own receiver and secret, for the run) and other targets skip the webhook checks',
      port,
    )
    .addOption(
      new Option(
        '--control-token <token>',
        'the mock’s control-plane token (reelkit mock --control-token), sent as X-Reelkit-Control-Token',
      ).env('REELKIT_CONTROL_TOKEN'),
    )
    .option(
      '--namespace <name>',
      'with a mock on a shared store (reelkit mock --store): run in this namespace (X-Reelkit-Namespace on every request)',
    )
    .option(
      '--via-prism',
      'send the traffic through `prism proxy` with reelkit’s OpenAPI document; every sl-violations finding fails',
    )
    .option(
      '--max-cost <usd>',
      'spend at most this much on a live API (default: the kit’s small cap; free or cheapest models first)',
      usd,
    )
    .addHelpText(
      'after',
      `
Exit status: 0 when no check failed, 1 when any check failed, ${EXIT_NOT_RUN} when the run could not start
(target unreachable, prism could not start, wrong provider) or stopped.
Progress goes to stderr; the summary and the report paths to stdout.
Against a reelkit mock the kit moves the mock's clock on its control plane instead of waiting (manual,
auto and real clocks) and says in the summary which way time moved; it also sets up the mock's webhooks
for the run. Against a target without the reelkit control plane (/__reelkit/), checks that need to move
the clock or inject faults are skipped, each with its reason.

Base URLs of \`npm start\`'s mocks:
${mockUrls()}

Examples:
  reelkit conformance --provider openrouter --base-url ${localBaseUrl('openrouter')} --api-key test --html report.html
  reelkit conformance --provider fastrouter --base-url ${localBaseUrl('fastrouter')} --junit reports/fastrouter.xml --via-prism
  REELKIT_API_KEY=sk-… reelkit conformance --provider openrouter --base-url ${providers.openrouter.origin}${providers.openrouter.basePath} --max-cost 0.20 --skip webhooks`,
    )
    .action(async (options: ConformanceOptions, command: Command) => {
      const kit: ConformanceKit = await import('@reelkit/conformance');
      // A failed run is not a usage mistake: no help text after these errors.
      const fail = (message: string, exitCode = EXIT_NOT_RUN): never =>
        command
          .showHelpAfterError(false)
          .error(`error: ${message}`, { exitCode, code: 'reelkit.conformance' });
      const color =
        deps.color ??
        (Boolean(process.stdout.isTTY && process.stderr.isTTY) && !('NO_COLOR' in process.env));
      const { provider, baseUrl } = options;
      const spec = providers[provider];

      // The webhook signing secret must be the one the target signs with; it is not an option
      // so it stays out of shell history and process lists.
      const webhookSecret =
        options.webhookPort !== undefined ? process.env.REELKIT_WEBHOOK_SECRET : undefined;
      if (options.webhookPort !== undefined && !webhookSecret) {
        fail(
          '--webhook-port needs the signing secret the target signs webhooks with: set ' +
            'REELKIT_WEBHOOK_SECRET (for a reelkit mock, the secret it was started with).',
        );
      }

      const unreachable = await probe(baseUrl, deps.probeTimeoutMs ?? 10_000);
      if (unreachable) {
        fail(
          `cannot reach ${baseUrl} (${unreachable}).\n` +
            `Is the server running? For the reelkit mock of ${spec.title}, start it with \`npm start\` ` +
            `or \`reelkit mock --provider ${provider}\`; it listens on ${localBaseUrl(provider)}.`,
        );
      }

      let runner: ConformanceRunner;
      try {
        runner = await (deps.loadRunner ?? kit.loadConformanceRunner)();
      } catch (error) {
        return fail(describeError(error));
      }

      let prism: PrismProxy | undefined;
      if (options.viaPrism) {
        io.err(`starting prism proxy in front of ${baseUrl} …`);
        try {
          prism = await (deps.startPrismProxy ?? kit.startPrismProxy)({
            provider,
            upstream: baseUrl,
          });
        } catch (error) {
          return fail(
            error instanceof kit.PrismProxyError
              ? error.message
              : `prism proxy did not start: ${describeError(error)}`,
          );
        }
        io.err(`prism proxy validating against ${prism.openapiFile}`);
      }

      let report: ConformanceReport | undefined;
      let stopped: string | undefined;
      // Which step failed: making the target (e.g. the wrong --provider) or the run itself.
      let stage: 'target' | 'run' = 'target';
      try {
        const target = await runner.httpTarget({
          provider,
          baseUrl: prism?.baseUrl ?? baseUrl,
          ...(options.apiKey ? { apiKey: options.apiKey } : {}),
          ...(prism ? { controlUrl: new URL(baseUrl).origin } : {}),
          ...(options.controlToken ? { controlToken: options.controlToken } : {}),
          ...(options.namespace ? { namespace: options.namespace } : {}),
        });
        stage = 'run';
        io.err(
          `reelkit conformance: ${spec.title} at ${baseUrl}${prism ? ' via prism proxy' : ''} ` +
            `(${target.controllable ? 'reelkit mock, controllable' : 'no control plane: live mode'})`,
        );
        report = await runner.runConformance({
          provider,
          target,
          ...(options.only ? { only: options.only } : {}),
          ...(options.skip
            ? {
                skip: options.skip.map((check) => ({
                  tests: [check],
                  reason: `skipped on the command line (--skip ${check})`,
                })),
              }
            : {}),
          ...(options.maxCost !== undefined ? { maxCostUsd: options.maxCost } : {}),
          ...(webhookSecret !== undefined
            ? { webhook: { port: options.webhookPort ?? 0, secret: webhookSecret } }
            : {}),
          onProgress: kit.createConsoleProgress({ write: io.err, color }),
        });
        if (prism) {
          const findings = prism.results();
          for (const result of findings) io.err(kit.formatProgressLine(result, { color }));
          report = kit.withResults({ ...report, target: { ...report.target, baseUrl } }, findings);
        }
      } catch (error) {
        stopped =
          stage === 'target'
            ? `cannot use ${baseUrl} as the target: ${describeError(error)}`
            : `the run stopped: ${describeError(error)}`;
      } finally {
        // Before any exit: a prism child left running would outlive the command.
        await prism?.close();
      }
      if (stopped !== undefined || !report) return fail(stopped ?? 'the run stopped: no report');

      io.out('');
      for (const line of kit.formatConsoleSummary(report, { color })) io.out(line);
      const written = await kit.writeReports(report, {
        ...(options.json ? { json: options.json } : {}),
        ...(options.junit ? { junit: options.junit } : {}),
        ...(options.html ? { html: options.html } : {}),
      });
      for (const file of written) io.out(`wrote ${file.kind} report: ${file.path}`);

      if (kit.reportFailed(report)) {
        fail(`${report.summary.failed} conformance check(s) failed.`, 1);
      }
    });
}
