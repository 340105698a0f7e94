/**
 * `reelkit webhook send` and `reelkit webhook listen`: test an OpenRouter webhook receiver without
 * running a job, or watch deliveries arrive and check their signatures.
 * @module
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import { buildPath, fullPath, openrouter, openrouterSpec } from '@reelkit/spec';
import type { ProgramIO } from './io.js';
import { untilStopped } from './io.js';

const {
  deliveryHeaders,
  idempotencyKey,
  SIGNATURE_TOLERANCE_SECONDS,
  WEBHOOK_HEADER_KEYS,
  WEBHOOK_HEADERS,
  WEBHOOK_STATUSES,
  webhookEventType,
} = openrouterSpec;
type Status = openrouterSpec.WebhookStatus;
const contentPath = fullPath(openrouter, openrouter.routes.getVideoContent);

/** The `error` text of each failure event, as OpenRouter's webhook examples word them (spec facts). */
const FAILURE_TEXT: Readonly<Record<Exclude<Status, 'completed'>, string>> = {
  failed: openrouter.facts.errors.moderation.message,
  cancelled: openrouterSpec.openrouterFacts.job.endings.cancelled,
  expired: openrouterSpec.openrouterFacts.job.endings.expired,
};

/**
 * The documented example event of a status, for a given job id, at a given time.
 *
 * @example
 * exampleEvent('completed', 'job_test', new Date()).type; // 'video.generation.completed'
 */
export function exampleEvent(
  status: Status,
  jobId: string,
  at: Date,
): openrouterSpec.VideoWebhookEvent {
  const common = { id: jobId, generation_id: 'gen-xyz789', model: 'google/veo-3.1' };
  const created_at = at.toISOString();
  if (status === 'completed') {
    return {
      type: webhookEventType(status),
      created_at,
      data: {
        ...common,
        status,
        unsigned_urls: [`${openrouter.origin}${buildPath(contentPath, { jobId })}?index=0`],
        usage: { cost: 0.5, is_byok: false },
      },
    };
  }
  return {
    type: webhookEventType(status),
    created_at,
    data: { ...common, status, error: FAILURE_TEXT[status] },
  } as openrouterSpec.VideoWebhookEvent;
}

function readBody(value: string): string {
  const text = value.startsWith('@') ? readFileSync(value.slice(1), 'utf8') : value;
  try {
    JSON.parse(text);
  } catch {
    throw new InvalidArgumentError('--body must be JSON (or @file containing JSON).');
  }
  return text;
}

/**
 * Adds `webhook send` and `webhook listen` to the program.
 *
 * @example
 * registerWebhookCommands(program, io);
 */
export function registerWebhookCommands(program: Command, io: ProgramIO): void {
  const webhook = program
    .command('webhook')
    .description('Send or receive OpenRouter webhooks, signed as OpenRouter signs them');

  webhook
    .command('send')
    .description('POST a signed OpenRouter webhook event (or any JSON body) to a URL')
    .requiredOption('--url <url>', 'the receiver URL')
    .option(
      '--secret <secret>',
      'signing secret; without it the delivery is unsigned, as OpenRouter sends it',
    )
    .addOption(
      new Option('--event <status>', 'which documented event to send')
        .choices([...WEBHOOK_STATUSES])
        .default('completed'),
    )
    .option('--job-id <id>', 'job id in the event and the idempotency key', 'job_test')
    .option(
      '--body <json>',
      'send this JSON instead of the documented example (or @file)',
      readBody,
    )
    .option(
      '--timestamp <unix>',
      'signature timestamp (default: now), e.g. to test stale-signature handling',
      (v) => {
        if (!/^\d+$/.test(v)) throw new InvalidArgumentError('--timestamp must be unix seconds.');
        return Number(v);
      },
    )
    .addHelpText(
      'after',
      '\nExample:\n  reelkit webhook send --url http://127.0.0.1:3000/hooks --secret whsec_test --event failed',
    )
    .action(
      async (options: {
        url: string;
        secret?: string;
        event: Status;
        jobId: string;
        body?: string;
        timestamp?: number;
      }) => {
        const rawBody =
          options.body ?? JSON.stringify(exampleEvent(options.event, options.jobId, new Date()));
        const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
        const key = idempotencyKey(options.jobId, options.event);
        const headers = deliveryHeaders({
          jobId: options.jobId,
          status: options.event,
          rawBody,
          secret: options.secret,
          timestamp,
        });
        let response: Response;
        try {
          response = await fetch(options.url, {
            method: 'POST',
            headers,
            body: rawBody,
            signal: AbortSignal.timeout(10_000),
          });
        } catch (error) {
          throw new Error(
            `[reelkit] could not reach ${options.url}: ${error instanceof Error ? error.message : String(error)}. Is the receiver running?`,
          );
        }
        io.out(`POST ${options.url} → ${response.status} ${response.statusText}`);
        io.out(`  ${WEBHOOK_HEADERS.idempotencyKey}: ${key}`);
        const signature = headers[WEBHOOK_HEADER_KEYS.signature];
        if (signature) io.out(`  ${WEBHOOK_HEADERS.signature}: ${signature}`);
        if (!response.ok) process.exitCode = 1;
      },
    );

  webhook
    .command('listen')
    .description("Listen on 127.0.0.1, verify each delivery's signature and print the event")
    .option('--port <port>', 'port to listen on (0 picks a free one)', '8787')
    .option(
      '--secret <secret>',
      `verify ${WEBHOOK_HEADERS.signature} with this secret (default: accept unsigned)`,
    )
    .option('--tolerance <seconds>', 'maximum signature age', String(SIGNATURE_TOLERANCE_SECONDS))
    .option('--fail <n>', 'answer 500 to the first n deliveries (to watch retries)', '0')
    .addHelpText(
      'after',
      "\nAnswers 204 to a valid delivery and 401 to one that fails verification, as the receivers in OpenRouter's docs do.\n\nExample:\n  reelkit webhook listen --port 8787 --secret whsec_test",
    )
    .action(async (options: { port: string; secret?: string; tolerance: string; fail: string }) => {
      // Loaded here so that other commands start without the client.
      const { verifyWebhook, WebhookVerificationError } = await import('@reelkit/client');
      let failuresLeft = Number(options.fail);
      const server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const key = req.headers[WEBHOOK_HEADER_KEYS.idempotencyKey] ?? '(no idempotency key)';
          const stamp = new Date().toISOString();
          try {
            const event = options.secret
              ? verifyWebhook(raw, req.headers, options.secret, {
                  toleranceSeconds: Number(options.tolerance),
                })
              : openrouterSpec.VideoWebhookEvent.parse(JSON.parse(raw));
            if (failuresLeft > 0) {
              failuresLeft--;
              io.out(
                `${stamp} ${String(key)} ${event.type} — answering 500 on purpose (${failuresLeft} more)`,
              );
              res.writeHead(500).end();
              return;
            }
            io.out(
              `${stamp} ${String(key)} ${event.type} ${options.secret ? 'signature ok' : 'unsigned'}`,
            );
            io.out(`  ${JSON.stringify(event.data)}`);
            res.writeHead(204).end();
          } catch (error) {
            const reason =
              error instanceof WebhookVerificationError
                ? error.code
                : error instanceof Error
                  ? error.message
                  : String(error);
            io.out(`${stamp} ${String(key)} REJECTED: ${reason}`);
            res.writeHead(401).end();
          }
        });
      });
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(Number(options.port), '127.0.0.1', resolve);
      });
      io.out(
        `listening on http://127.0.0.1:${(server.address() as AddressInfo).port}/ (Ctrl-C to stop)`,
      );
      await untilStopped(io);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });
}
