import { readFileSync } from 'node:fs';
import { isClipstreamError } from '../errors/isClipstreamError.js';
import { UsageError } from './args.js';
import { demoCommand, demoHelp } from './demoCommand.js';
import { generateCommand, generateHelp } from './generateCommand.js';
import type { Io } from './Output.js';
import { simulateCommand, simulateHelp } from './simulateCommand.js';
import { watchCommand, watchHelp } from './watchCommand.js';

const help = `Usage: clipstream <command> [options]

Commands:
  watch <id...>   watch jobs of an API until they end (live table or JSON lines)
  generate        create jobs from a prompt and watch them to the end
  simulate        run the simulator of every API clipstream speaks on 127.0.0.1
  demo            create and watch jobs on an in-process simulator (no key needed)

Run "clipstream <command> --help" for a command's options.
`;

/** Runs the CLI; resolves with the exit code. Messages go to stderr, never the API key. */
export async function main(argv: readonly string[], io: Io, signal: AbortSignal): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'watch':
        return await watchCommand(rest, io, signal);
      case 'generate':
        return await generateCommand(rest, io, signal);
      case 'simulate':
        return await simulateCommand(rest, io, signal);
      case 'demo':
        return await demoCommand(rest, io, signal);
      case 'help':
      case '--help':
      case '-h':
        io.stdout.write(({ watch: watchHelp, generate: generateHelp, simulate: simulateHelp, demo: demoHelp } as Record<string, string>)[rest[0] ?? ''] ?? help);
        return 0;
      case undefined:
        io.stderr.write(help);
        return 2;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError || isClipstreamError(error, 'ConfigError')) {
      io.stderr.write(`clipstream: ${error.message}\nRun "clipstream ${command && command !== 'help' ? `${command} ` : ''}--help" for usage.\n`);
      return 2;
    }
    io.stderr.write(`clipstream: ${error instanceof Error ? error.message : String(error)}\n`);
    return 3;
  }
}

/** The process's own streams and environment. */
export function processIo(): Io {
  const stream = (target: NodeJS.WriteStream) => ({
    write: (text: string) => void target.write(text),
    get isTTY() {
      return target.isTTY === true;
    },
    get columns() {
      return target.columns;
    },
    get rows() {
      return target.rows;
    },
  });
  return { stdout: stream(process.stdout), stderr: stream(process.stderr), env: process.env, readFile: (path) => readFileSync(path, 'utf8') };
}

/** Entry point of the `clipstream` binary: Ctrl-C or SIGTERM stop the command cleanly. */
export function run(argv: readonly string[]): void {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  main(argv, processIo(), controller.signal).then(
    (code) => {
      process.removeListener('SIGINT', stop);
      process.removeListener('SIGTERM', stop);
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`clipstream: unexpected error: ${String(error)}\n`);
      process.exitCode = 3;
    },
  );
}
