import { asyncScheduler } from 'rxjs';
import { checkIds } from '../internal/jobId.js';
import { commandArgs, UsageError } from './args.js';
import { followAndReport } from './followJobs.js';
import type { Io } from './Output.js';
import { followFlagsHelp, followSetupFromFlags, inFlagTerms, keyEnvironment, providerNames } from './providerFlags.js';

export const watchHelp = `Usage: clipstream watch <id...> --provider NAME [options]

Watches jobs until they end (or reach --until), as a live table on a terminal,
or as one JSON line per transition on a pipe or with --json.

Options:
  --provider NAME      ${providerNames.join(', ')} (required)
${followFlagsHelp}

The key comes from ${keyEnvironment},
or --api-key-file. It is never taken as a flag: that would keep it in shell history.

Exit codes: 0 every job reached the target, 1 some failed, 2 usage error,
3 transport or auth error (or --timeout).
`;

export async function watchCommand(argv: readonly string[], io: Io, signal: AbortSignal): Promise<number> {
  const args = commandArgs(argv, ['provider', 'until', 'base-url', 'api-key-file', 'timeout', 'interval'], ['json'], watchHelp, io);
  if (!args) return 0;
  if (args.positionals.length === 0 && args.flags.has('provider')) throw new UsageError('no job id given: clipstream watch <id...> --provider NAME');
  const { entry, provider, client, until, timeout } = followSetupFromFlags(args, io);
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
