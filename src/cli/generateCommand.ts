import { asyncScheduler } from 'rxjs';
import { commandArgs, numberFlag, stringFlag, UsageError } from './args.js';
import { followAndReport } from './followJobs.js';
import type { Io } from './Output.js';
import { followSetupFromFlags, inFlagTerms } from './providerFlags.js';
import { generateHelp } from './help.js';


export async function generateCommand(argv: readonly string[], io: Io, signal: AbortSignal): Promise<number> {
  const args = commandArgs(argv, ['provider', 'provider-module', 'prompt', 'count', 'until', 'base-url', 'api-key-file', 'timeout', 'interval'], ['json'], generateHelp, io);
  if (!args) return 0;
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument "${args.positionals[0]}": give the prompt as --prompt "${args.positionals.join(' ')}"`);
  const prompt = stringFlag(args, 'prompt');
  if (prompt === undefined || prompt.trim() === '') throw new UsageError('--prompt is required');
  const count = numberFlag(args, 'count', 1) ?? 1;
  if (!Number.isInteger(count) || count > 20) throw new UsageError(`--count expects a whole number from 1 to 20, got ${count}`);
  const { entry, provider, client, until, timeout } = await followSetupFromFlags(args, io);

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
