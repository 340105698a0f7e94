/**
 * Where the `reelkit` commands write and how they learn to stop: one module that the program and
 * every command import, so that none of them imports another for its types.
 * @module
 */

/**
 * Output sinks, injectable for tests.
 *
 * @example
 * const lines: string[] = [];
 * createProgram({ out: (l) => lines.push(l), err: (l) => lines.push(l), untilStopped: async () => {} });
 */
export interface ProgramIO {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Resolves when the user asks to stop (Ctrl-C); default: SIGINT or SIGTERM. */
  untilStopped?: () => Promise<void>;
}

/**
 * Standard output and standard error, one line each.
 *
 * @example
 * await createProgram(defaultIO).parseAsync(process.argv);
 */
export const defaultIO: ProgramIO = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

const untilSignal = () =>
  new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });

/**
 * Resolves when a long-running command should stop: `io.untilStopped`, or else SIGINT or SIGTERM.
 *
 * @example
 * await untilStopped(io);
 * await server.close();
 */
export function untilStopped(io: ProgramIO): Promise<void> {
  return (io.untilStopped ?? untilSignal)();
}
