/**
 * `npm run bench`: benchmarks of the reelkit mock, as `npm start` runs it and alone on a manual
 * clock, against a bare node:http server, raw fastify and Prism, on loopback. Progress goes to
 * stderr, the report to stdout, the numbers to a JSON file.
 * @module
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { format, resolveConfig } from 'prettier';
import type { BenchOptions } from './options.js';
import { parseOptions, USAGE } from './options.js';
import { compareProfiles, formatComparison, formatProfile } from './profile.js';
import { MOCK_CONFIG_NAMES } from './protocol.js';
import { consoleReport, markdownReport } from './report.js';
import type { BenchResults } from './results.js';
import { profileMocks, runBench } from './run.js';
import { checkTargets } from './verdicts.js';

const started = performance.now();
const log = (line: string) => {
  const seconds = ((performance.now() - started) / 1000).toFixed(1).padStart(6);
  process.stderr.write(`[${seconds}s] ${line}\n`);
};

/** Writes a file formatted as the repository's prettier config says, so `npm run format` passes. */
async function writeFormatted(file: string, text: string): Promise<void> {
  mkdirSync(dirname(file), { recursive: true });
  const config = (await resolveConfig(file)) ?? {};
  writeFileSync(file, await format(text, { ...config, filepath: file }));
}

/** Paths on the command line are relative to where `npm run` was typed. */
const fromInvocation = (path: string) => resolve(process.env.INIT_CWD ?? process.cwd(), path);

async function main(options: BenchOptions): Promise<void> {
  if (options.profileOnly) {
    const configs = MOCK_CONFIG_NAMES.filter((config) =>
      options.targets.includes(`reelkit-${config}`),
    );
    const workloads = (['poll', 'submit'] as const).filter((w) => options.workloads.includes(w));
    for (const workload of workloads) {
      const summaries = await profileMocks(options, workload, configs, log);
      const lines = summaries.flatMap((summary) => ['', ...formatProfile(summary)]);
      const [a, b] = summaries;
      const comparison = a && b ? compareProfiles(a, b) : undefined;
      if (comparison) lines.push('', ...formatComparison(comparison));
      process.stdout.write(`${lines.join('\n')}\n`);
    }
    return;
  }
  if (options.fromResults) {
    const stored = JSON.parse(
      readFileSync(fromInvocation(options.fromResults), 'utf8'),
    ) as BenchResults;
    const results: BenchResults = { ...stored, verdicts: checkTargets(stored) };
    process.stdout.write(`${consoleReport(results).join('\n')}\n`);
    if (options.markdown) {
      const file = fromInvocation(options.markdown);
      await writeFormatted(file, markdownReport(results));
      log(`markdown written to ${file}`);
    }
    return;
  }
  const args = process.argv.slice(2);
  const command = args.length > 0 ? `npm run bench -- ${args.join(' ')}` : 'npm run bench';
  const out = fromInvocation(options.out);
  const results = await runBench({ ...options, out }, log, command);
  process.stdout.write(`${consoleReport(results).join('\n')}\n`);
  await writeFormatted(out, JSON.stringify(results, null, 2));
  log(`results written to ${out}`);
  if (options.markdown) {
    const file = fromInvocation(options.markdown);
    await writeFormatted(file, markdownReport(results));
    log(`markdown written to ${file}`);
  }
}

// Ctrl-C or a kill: exit normally, so that 'exit' handlers stop what the run started (its
// redis-server; forked workers stop themselves when the IPC channel closes).
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => process.exit(signal === 'SIGINT' ? 130 : 143));
}

let options: BenchOptions | undefined;
try {
  options = parseOptions(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
  process.exit(2);
}
if (!options) {
  process.stdout.write(`${USAGE}\n`);
} else {
  try {
    await main(options);
  } catch (error) {
    process.stderr.write(
      `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  }
}
