/**
 * The `reelkit` command line.
 * @module
 */
import { Command } from 'commander';
import { declaredStatuses, fullPath, providers } from '@reelkit/spec';

/** Output sinks, injectable for tests. */
export interface ProgramIO {
  out: (line: string) => void;
  err: (line: string) => void;
}

const defaultIO: ProgramIO = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/**
 * Builds the `reelkit` program; `bin.ts` runs it with `process.argv`.
 *
 * @example
 * await createProgram().parseAsync(['node', 'reelkit', 'routes']);
 */
export function createProgram(io: ProgramIO = defaultIO): Command {
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

  return program;
}
