/**
 * The `reelkit` command line.
 * @module
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import type { ProviderId } from '@reelkit/spec';
import { declaredStatuses, fullPath, PROVIDER_IDS, providers } from '@reelkit/spec';
import type { FaultRule } from '@reelkit/mocks';
import { parseFaultRule } from '@reelkit/mocks';
import { DEFAULT_TIME_SCALE, startMocks } from '@reelkit/mocks/serve';
import type { ConformanceCommandDeps } from './conformance-command.js';
import { registerConformanceCommand } from './conformance-command.js';
import type { ProgramIO } from './io.js';
import { defaultIO, untilStopped } from './io.js';
import { registerWebhookCommands } from './webhook-command.js';

function number(name: string, { min = -Infinity, integer = false } = {}) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < min || (integer && !Number.isInteger(n))) {
      throw new InvalidArgumentError(
        `${name} must be ${integer ? 'an integer' : 'a number'} >= ${min}.`,
      );
    }
    return n;
  };
}

/**
 * Parses `--fault`: JSON (`{"kind":"latency","latencyMs":500}`) or the short form
 * `<kind>[@<operationId>][*<times>|%<probability>]`, e.g. `truncate@listVideosContent*1`.
 */
function faultRule(value: string, previous: FaultRule[] = []): FaultRule[] {
  let raw: unknown;
  if (value.trim().startsWith('{')) {
    try {
      raw = JSON.parse(value);
    } catch {
      throw new InvalidArgumentError('--fault JSON does not parse.');
    }
  } else {
    const match = /^([a-z-]+)(?:@([A-Za-z0-9_]+))?(?:\*(\d+)|%(0(?:\.\d+)?|1))?$/.exec(
      value.trim(),
    );
    if (!match)
      throw new InvalidArgumentError('use <kind>[@<operationId>][*<times>|%<probability>] or JSON');
    raw = {
      kind: match[1],
      ...(match[2] ? { operationId: match[2] } : {}),
      ...(match[3] ? { times: Number(match[3]) } : {}),
      ...(match[4] ? { probability: Number(match[4]) } : {}),
    };
  }
  try {
    return [...previous, parseFaultRule(raw)];
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message.replace('[reelkit] ', ''));
  }
}

function faultRate(value: string, previous: Record<string, number> = {}): Record<string, number> {
  const match = /^([a-z-]+)=(0(\.\d+)?|1(\.0+)?)$/.exec(value);
  if (!match)
    throw new InvalidArgumentError('use <scenario>=<probability 0..1>, e.g. server-error=0.05');
  return { ...previous, [match[1] as string]: Number(match[2]) };
}

/** A store URL as printed: without its password. */
function redactedStore(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}

/**
 * Builds the `reelkit` program; `bin.ts` runs it with `process.argv`.
 *
 * @example
 * await createProgram().parseAsync(['node', 'reelkit', 'routes']);
 */
export function createProgram(
  io: ProgramIO = defaultIO,
  deps: { conformance?: ConformanceCommandDeps } = {},
): Command {
  const program = new Command('reelkit')
    .description('Mock servers, conformance checks and webhook tools for video-generation routers.')
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .showHelpAfterError();

  program
    .command('routes')
    .description("List every router's endpoints, as declared in the spec")
    .option('--provider <id>', 'only this router')
    .action((options: { provider?: string }) => {
      for (const provider of Object.values(providers)) {
        if (options.provider && provider.id !== options.provider) continue;
        io.out(`${provider.title} (${provider.id}) — ${provider.origin}${provider.basePath}`);
        for (const route of Object.values(provider.routes)) {
          const statuses = declaredStatuses(route).join(' ');
          io.out(
            `  ${route.method.padEnd(5)}${fullPath(provider, route).padEnd(42)}${route.operationId.padEnd(22)}${statuses}`,
          );
        }
      }
    });

  program
    .command('mock')
    .description(
      'Start mock servers of the routers on 127.0.0.1, each on its own origin with the real paths',
    )
    .addOption(
      new Option('--provider <id>', 'which router to serve')
        .choices([...PROVIDER_IDS, 'all'])
        .default('all'),
    )
    .option(
      '--port <port>',
      'port (only with a single --provider; default its usual port)',
      number('--port', { min: 0, integer: true }),
    )
    .addOption(
      new Option(
        '--clock <mode>',
        'real: wall clock × time scale; manual: moves only via POST /__reelkit/clock/advance; auto: never waits',
      )
        .choices(['real', 'manual', 'auto'])
        .default('real'),
    )
    .option(
      '--time-scale <n>',
      'simulated seconds per real second with --clock real',
      number('--time-scale', { min: 0.001 }),
      DEFAULT_TIME_SCALE,
    )
    .option(
      '--seed <n>',
      'seed for ids, timings and random faults (in memory; with --store each replica draws its own)',
      number('--seed', { integer: true }),
      1,
    )
    .option('--api-key <key...>', 'accept only these Bearer keys (default: any key)')
    .option('--scenario <name>', 'scenario of requests that name none (default success)')
    .option(
      '--fault <rule>',
      'a fault on the wire, repeatable: <kind>[@<operationId>][*<times>|%<p>] or JSON (kinds: latency, rate-limit, server-error, reset, truncate, stall, malformed-json)',
      faultRule,
    )
    .option('--webhook-secret <secret>', 'sign OpenRouter webhooks with this secret')
    .option('--webhook-url <url>', 'default callback for jobs without callback_url (OpenRouter)')
    .option(
      '--allow-http-callbacks',
      'accept http:// callback URLs to 127.0.0.1/localhost (the real router requires HTTPS)',
    )
    .option(
      '--allow-private-callbacks',
      'accept callback URLs to private and link-local networks (10/8, 172.16/12, 192.168/16, 169.254/16, fc00::/7, ...)',
    )
    .option(
      '--max-jobs <n>',
      'most jobs stored per router; finished jobs make room first, then creates get the router 429 (default 100000)',
      number('--max-jobs', { min: 1, integer: true }),
    )
    .option(
      '--headers-timeout <seconds>',
      'close a connection whose request headers take longer (default 10)',
      number('--headers-timeout', { min: 0.1 }),
    )
    .option(
      '--request-timeout <seconds>',
      'close a connection whose whole request takes longer (default 30)',
      number('--request-timeout', { min: 0.1 }),
    )
    .option(
      '--max-connections-per-client <n>',
      'open connections allowed per client address (default 256)',
      number('--max-connections-per-client', { min: 1, integer: true }),
    )
    .option(
      '--fault-rate <scenario=p>',
      'random failure rate, repeatable (e.g. server-error=0.05)',
      faultRate,
    )
    .option(
      '--host <addr>',
      'address to listen on; anything but loopback needs --control-token',
      '127.0.0.1',
    )
    .addOption(
      new Option(
        '--control-token <token>',
        'every /__reelkit/* call except health needs "Authorization: Bearer <token>" or "X-Reelkit-Control-Token: <token>"',
      ).env('REELKIT_CONTROL_TOKEN'),
    )
    .option(
      '--store <url>',
      'keep state in a store shared by replicas: redis://host:port/db (or rediss://), or memory:// for namespaces in this process (default: this process, one namespace)',
    )
    .option(
      '--max-namespaces <n>',
      'with --store: most namespaces per router (X-Reelkit-Namespace); a new one past it gets the router 429 (default 1000)',
      number('--max-namespaces', { min: 1, integer: true }),
    )
    .option(
      '--replica <name>',
      'with --store: this process in leases and health answers (default host-pid-random)',
    )
    .option(
      '--public-url <origin>',
      'origin clients reach the mock at, behind a proxy (only with a single --provider); URLs in answers use it',
    )
    .addHelpText(
      'after',
      `
Ports: ${PROVIDER_IDS.map((id) => `${id} ${providers[id].defaultPort}`).join(', ')}.
Scenarios per request: header "X-Reelkit-Scenario: <name>" or a "[reelkit:<name>]" token in the prompt.
Control plane on every origin: GET /__reelkit/health, /__reelkit/jobs, /__reelkit/clock, ...

Examples:
  reelkit mock                                   all four routers, 30× faster than life
  reelkit mock --provider openrouter --port 8080 --clock manual
  reelkit mock --time-scale 1 --fault-rate server-error=0.1 --seed 7
  reelkit mock --host 0.0.0.0 --control-token "$(openssl rand -hex 16)"   reachable by others
  reelkit mock --provider openrouter --port 4101 --store redis://127.0.0.1:6379/0   one replica of a fleet

With --store, every process started with the same URL (and the same --provider, --clock and
--time-scale) serves the same jobs, balances, faults, clock and webhooks, so replicas behind a load
balancer act as one mock; requests pick a namespace with "X-Reelkit-Namespace: <name>" or a
"<name>~<key>" Bearer key, and POST /__reelkit/reset resets that namespace only. --clock auto needs
no store (it runs inside one process).`,
    )
    .action(
      async (
        options: {
          provider: ProviderId | 'all';
          port?: number;
          clock: 'real' | 'manual' | 'auto';
          timeScale: number;
          seed: number;
          apiKey?: string[];
          scenario?: string;
          faultRate?: Record<string, number>;
          fault?: FaultRule[];
          webhookSecret?: string;
          webhookUrl?: string;
          allowHttpCallbacks?: boolean;
          host: string;
          controlToken?: string;
          publicUrl?: string;
          allowPrivateCallbacks?: boolean;
          maxJobs?: number;
          headersTimeout?: number;
          requestTimeout?: number;
          maxConnectionsPerClient?: number;
          store?: string;
          maxNamespaces?: number;
          replica?: string;
        },
        command: Command,
      ) => {
        const ids = options.provider === 'all' ? [...PROVIDER_IDS] : [options.provider];
        // command.error prints the message (and usage) instead of a stack trace.
        if (options.port !== undefined && ids.length > 1) {
          command.error('reelkit mock: --port needs a single --provider.');
        }
        if (options.publicUrl !== undefined && ids.length > 1) {
          command.error(
            'reelkit mock: --public-url needs a single --provider (each router has its own origin).',
          );
        }
        if (options.store !== undefined && options.clock === 'auto') {
          command.error(
            'reelkit mock: --clock auto runs inside one process; with --store, use --clock real or manual.',
          );
        }
        if (
          options.store === undefined &&
          (options.maxNamespaces ?? options.replica) !== undefined
        ) {
          command.error('reelkit mock: --max-namespaces and --replica need --store.');
        }
        const mocks = await startMocks({
          providers: ids,
          ...(options.port !== undefined
            ? { ports: { [ids[0] as ProviderId]: options.port } }
            : {}),
          clock: options.clock,
          timeScale: options.timeScale,
          seed: options.seed,
          ...(options.apiKey ? { apiKeys: options.apiKey } : {}),
          ...(options.scenario ? { defaultScenario: options.scenario } : {}),
          ...(options.faultRate ? { faultRates: options.faultRate } : {}),
          ...(options.fault ? { faults: options.fault } : {}),
          webhooks: {
            ...(options.webhookSecret ? { secret: options.webhookSecret } : {}),
            ...(options.webhookUrl ? { defaultCallbackUrl: options.webhookUrl } : {}),
            allowHttpLoopback: Boolean(options.allowHttpCallbacks),
            allowPrivateNetworks: Boolean(options.allowPrivateCallbacks),
          },
          ...(options.maxJobs !== undefined ? { maxJobs: options.maxJobs } : {}),
          ...(options.store !== undefined ? { store: options.store } : {}),
          ...(options.maxNamespaces !== undefined ? { maxNamespaces: options.maxNamespaces } : {}),
          ...(options.replica !== undefined ? { replica: options.replica } : {}),
          server: {
            ...(options.headersTimeout !== undefined
              ? { headersTimeoutSeconds: options.headersTimeout }
              : {}),
            ...(options.requestTimeout !== undefined
              ? { requestTimeoutSeconds: options.requestTimeout }
              : {}),
            ...(options.maxConnectionsPerClient !== undefined
              ? { maxConnectionsPerClient: options.maxConnectionsPerClient }
              : {}),
          },
          host: options.host,
          ...(options.controlToken !== undefined ? { controlToken: options.controlToken } : {}),
          ...(options.publicUrl !== undefined
            ? { publicUrls: { [ids[0] as ProviderId]: options.publicUrl } }
            : {}),
        }).catch((error: unknown) =>
          // A refused --host, a bad --public-url, a port in use: one line that says why (the
          // options were fine, so no usage text).
          command
            .showHelpAfterError(false)
            .error(
              `reelkit mock: ${String((error as Error).message ?? error).replace('[reelkit] ', '')}`,
            ),
        );
        const clockNote =
          options.clock === 'real' ? `real clock × ${options.timeScale}` : `${options.clock} clock`;
        io.out(`reelkit mocks running (${clockNote}, seed ${options.seed}). Ctrl-C to stop.`);
        if (options.store !== undefined) {
          const replica = mocks.servers[0]?.engine.replica ?? '';
          io.out(
            `  State in ${redactedStore(options.store)} (replica ${replica}); namespaces by X-Reelkit-Namespace.`,
          );
        }
        if (options.controlToken !== undefined) {
          io.out('  The control plane (/__reelkit/*, except health) needs the control token.');
        }
        for (const server of mocks.servers) {
          io.out(
            `  ${server.engine.provider.spec.title.padEnd(12)} ${server.baseUrl}   control: ${server.origin}/__reelkit/health`,
          );
        }
        await untilStopped(io);
        await mocks.close();
        io.out('reelkit mocks stopped.');
      },
    );

  registerWebhookCommands(program, io);
  registerConformanceCommand(program, io, deps.conformance);

  return program;
}
