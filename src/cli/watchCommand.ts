import { asyncScheduler } from 'rxjs';
import { checkIds } from '../internal/jobId.js';
import { commandArgs, UsageError } from './args.js';
import { followAndReport } from './followJobs.js';
import type { Io } from './Output.js';
import { followSetupFromFlags, inFlagTerms } from './providerFlags.js';
import { watchHelp } from './help.js';


export async function watchCommand(argv: readonly string[], io: Io, signal: AbortSignal): Promise<number> {
  const args = commandArgs(argv, ['provider', 'provider-module', 'until', 'base-url', 'api-key-file', 'timeout', 'interval'], ['json'], watchHelp, io);
  if (!args) return 0;
  if (args.positionals.length === 0 && args.flags.has('provider')) throw new UsageError('no job id given: clipstream watch <id...> --provider NAME');
  const { entry, provider, client, until, timeout } = await followSetupFromFlags(args, io);
  if (args.positionals.length === 0) throw new UsageError('no job id given: clipstream watch <id...> --provider NAME');
  const name = entry.factory.spec.name;

  let ids: string[];
  try {
    ids = checkIds('ids', args.positionals, (id) => provider.idProblem(id));
  } catch (error) {
    throw inFlagTerms(error, entry);
  }
  if (signal.aborted) return 130;

  const groups = [{ provider: name, client, ids }];
  return followAndReport(io, groups, { until, timeout, json: args.flags.has('json'), scheduler: asyncScheduler }, signal);
}
