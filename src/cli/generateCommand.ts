import { asyncScheduler } from 'rxjs';
import { commandArgs, numberFlag, stringFlag, UsageError } from './args.js';
import { followAndReport } from './followJobs.js';
import type { Io } from './Output.js';
import { followFlagsHelp, followSetupFromFlags, inFlagTerms, keyEnvironment, providerNames } from './providerFlags.js';

export const generateHelp = `Usage: clipstream generate --provider NAME --prompt TEXT [options]

Creates jobs at an API from a prompt, then watches them to the end: a live
table on a terminal, one JSON line per transition on a pipe or with --json.
The ids of the new jobs are printed first, on stderr.

Options:
  --provider NAME      ${providerNames.join(', ')} (required)
  --prompt TEXT        what to generate (required)
  --count N            how many creates to send (default 1; a Suno create makes two clips)
${followFlagsHelp}

The key comes from ${keyEnvironment}, or --api-key-file.

Exit codes: 0 every job reached the target, 1 some failed, 2 usage error,
3 transport or auth error (or --timeout).
`;

export async function generateCommand(argv: readonly string[], io: Io, signal: AbortSignal): Promise<number> {
  const args = commandArgs(argv, ['provider', 'prompt', 'count', 'until', 'base-url', 'api-key-file', 'timeout', 'interval'], ['json'], generateHelp, io);
  if (!args) return 0;
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument "${args.positionals[0]}": give the prompt as --prompt "${args.positionals.join(' ')}"`);
  const prompt = stringFlag(args, 'prompt');
  if (prompt === undefined || prompt.trim() === '') throw new UsageError('--prompt is required');
  const count = numberFlag(args, 'count', 1) ?? 1;
  if (!Number.isInteger(count) || count > 20) throw new UsageError(`--count expects a whole number from 1 to 20, got ${count}`);
  const { entry, provider, client, until, timeout } = followSetupFromFlags(args, io);

  let ids: string[];
  try {
    ids = (await Promise.all(Array.from({ length: count }, () => client.create(entry.prompt(prompt) as never, { signal })))).flat();
  } catch (error) {
    if (signal.aborted) return 130;
    throw inFlagTerms(error, entry);
  }
  const json = args.flags.has('json');
  // A line for people: on stderr always, so stdout carries JSON lines only on a pipe (clipstream generate … | jq).
  io.stderr.write(`created ${ids.length} job${ids.length === 1 ? '' : 's'} at ${provider.title}: ${ids.join(' ')}\n`);

  const groups = [{ provider: entry.factory.spec.name, client, ids, since: provider.statuses.statuses[0] }];
  return followAndReport(io, groups, { until, timeout, json, scheduler: asyncScheduler }, signal);
}
