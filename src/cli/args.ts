import type { Io } from './Output.js';

/** A mistake in how the command was called: exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface ParsedArgs {
  readonly positionals: string[];
  readonly flags: Map<string, string | true>;
}

/**
 * Splits `argv` into positionals and `--flags`. `valued` flags take the next
 * argument (or `--flag=value`); the others are switches. Unknown flags are
 * usage errors, so a typo never passes silently.
 */
export function parseArgs(argv: readonly string[], valued: readonly string[], switches: readonly string[]): ParsedArgs {
  const positionals: string[] = [];
  const flags = new Map<string, string | true>();
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    if (arg === '--') {
      positionals.push(...argv.slice(index + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const [name, inline] = arg.startsWith('--') ? splitOnce(arg.slice(2)) : [arg === '-h' ? 'help' : arg.slice(1), undefined];
    if (name === 'api-key' || name === 'key') {
      throw new UsageError(
        `--${name} is not accepted: a key on the command line stays in shell history; set the API's key variable (AIMLAPI_KEY, SUNOAPI_KEY, LUMA_API_KEY) or use --api-key-file`,
      );
    }
    if (valued.includes(name)) {
      const value = inline ?? argv[++index];
      if (value === undefined || (inline === undefined && value.startsWith('--'))) throw new UsageError(`--${name} needs a value`);
      flags.set(name, value);
    } else if (switches.includes(name)) {
      if (inline !== undefined) throw new UsageError(`--${name} takes no value`);
      flags.set(name, true);
    } else {
      throw new UsageError(`unknown option ${arg}`);
    }
  }
  return { positionals, flags };
}

function splitOnce(text: string): [string, string | undefined] {
  const at = text.indexOf('=');
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

/** A flag's value as a number of at least `min`, or `undefined` when absent. */
export function numberFlag(args: ParsedArgs, name: string, min: number): number | undefined {
  const value = args.flags.get(name);
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (value === true || !Number.isFinite(parsed) || parsed < min) throw new UsageError(`--${name} expects a number of at least ${min}, got ${String(value)}`);
  return parsed;
}

export function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const value = args.flags.get(name);
  return value === true ? undefined : value;
}

/** A command's arguments (`--help` is always a switch), or undefined once `--help` has printed `help`. */
export function commandArgs(argv: readonly string[], valued: readonly string[], switches: readonly string[], help: string, io: Io): ParsedArgs | undefined {
  const args = parseArgs(argv, valued, [...switches, 'help']);
  if (!args.flags.has('help')) return args;
  io.stdout.write(help);
  return undefined;
}

/** Refuses arguments that are not flags, for commands that take none. */
export function noPositionals(args: ParsedArgs): void {
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument "${args.positionals[0]}"`);
}

/** `--port N`: a port number, 0 for a free one; undefined when absent. */
export function portFlag(args: ParsedArgs): number | undefined {
  const port = numberFlag(args, 'port', 0);
  if (port !== undefined && (!Number.isInteger(port) || port > 65535)) throw new UsageError(`--port expects a port number, got ${port}`);
  return port;
}

/** `--time-scale X`: a factor above 0 for every simulated duration; undefined when absent. */
export function timeScaleFlag(args: ParsedArgs): number | undefined {
  const timeScale = numberFlag(args, 'time-scale', 0);
  if (timeScale === 0) throw new UsageError('--time-scale must be above 0');
  return timeScale;
}
