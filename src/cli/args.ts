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
        `--${name} is not accepted: a key on the command line stays in shell history; set AIMLAPI_KEY / SUNOAPI_KEY or use --api-key-file`,
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
