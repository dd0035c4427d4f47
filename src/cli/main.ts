import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isClipstreamError } from '../errors/isClipstreamError.js';
import { editDistance } from '../internal/validate.js';
import { UsageError } from './args.js';
import { demoHelp, generateHelp, relayHelp, simulateHelp, watchHelp } from './help.js';
import type { Io } from './Output.js';

const help = `Usage: clipstream <command> [options]

Commands:
  watch <id...>   watch jobs of an API until they end (live table or JSON lines)
  generate        create jobs from a prompt and watch them to the end
  simulate        run the simulator of every API clipstream speaks on 127.0.0.1
  relay           run a relay for browsers on 127.0.0.1 (the key stays here)
  demo            create and watch jobs on an in-process simulator (no key needed)

Run "clipstream <command> --help" for a command's options; "clipstream --version" for the version.
`;

type Command = (argv: readonly string[], io: Io, signal: AbortSignal) => Promise<number>;

// Each command is loaded when it runs, so `--help` and `--version` load none of them.
const commands: Record<string, { help: string; load(): Promise<Command> }> = {
  watch: { help: watchHelp, load: async () => (await import('./watchCommand.js')).watchCommand },
  generate: { help: generateHelp, load: async () => (await import('./generateCommand.js')).generateCommand },
  simulate: { help: simulateHelp, load: async () => (await import('./simulateCommand.js')).simulateCommand },
  relay: { help: relayHelp, load: async () => (await import('./relayCommand.js')).relayCommand },
  demo: { help: demoHelp, load: async () => (await import('./demoCommand.js')).demoCommand },
};
const isHelp = (arg: string) => arg === '--help' || arg === '-h';

/** The package's version, from its package.json (found upward from here: src/cli in tests, dist/cjs/cli when installed). */
export function version(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (manifest.name === 'clipstream' && manifest.version) return manifest.version;
  }
  return 'unknown';
}

/** The command closest to a mistyped one (at most two edits away), for "did you mean". */
function closest(typed: string): string | undefined {
  const [best] = Object.keys(commands).map((name) => [name, editDistance(typed, name)] as const).sort((a, b) => a[1] - b[1]);
  return best && best[1] <= 2 ? best[0] : undefined;
}

/** Runs the CLI; resolves with the exit code. Messages go to stderr, never the API key. */
export async function main(argv: readonly string[], io: Io, signal: AbortSignal): Promise<number> {
  const [command, ...rest] = argv;
  try {
    const known = command === undefined ? undefined : Object.hasOwn(commands, command) ? commands[command] : undefined;
    if (known !== undefined) {
      // `watch --help` (anywhere before a `--`) answers from the help texts alone.
      const beforeDashes = rest.indexOf('--') < 0 ? rest : rest.slice(0, rest.indexOf('--'));
      if (beforeDashes.some(isHelp)) {
        io.stdout.write(known.help);
        return 0;
      }
      return await (await known.load())(rest, io, signal);
    }
    switch (command) {
      case '--version':
      case '-v':
      case '-V':
      case 'version':
        io.stdout.write(`clipstream ${version()}\n`);
        return 0;
      case 'help':
      case '--help':
      case '-h':
        io.stdout.write((rest[0] !== undefined && Object.hasOwn(commands, rest[0]) ? commands[rest[0]]!.help : undefined) ?? help);
        return 0;
      case undefined:
        io.stderr.write(help);
        return 2;
      default: {
        const guess = closest(command);
        io.stderr.write(`clipstream: unknown command "${command}"${guess ? `; did you mean "${guess}"?` : ''}\nRun "clipstream --help" for the commands.\n`);
        return 2;
      }
    }
  } catch (error) {
    if (error instanceof UsageError || isClipstreamError(error, 'ConfigError')) {
      io.stderr.write(`clipstream: ${error.message}\nRun "clipstream ${command !== 'help' ? `${command} ` : ''}--help" for usage.\n`);
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
  // A reader that went away (`clipstream watch … | head -1`) is not a failure: stop quietly, exit 0.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') process.exit(0);
      throw error;
    });
  }
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
