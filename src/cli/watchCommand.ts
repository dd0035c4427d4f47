import { asyncScheduler } from 'rxjs';
import { createClient } from '../client/createClient.js';
import { checkIds, checkWaitableStatus } from '../client/checkInput.js';
import { aimlLuma } from '../providers/aimlLuma.js';
import { aimlSuno } from '../providers/aimlSuno.js';
import type { AnyProvider } from '../providers/Provider.js';
import { sunoApi } from '../providers/sunoApi.js';
import { numberFlag, parseArgs, stringFlag, UsageError } from './args.js';
import { followToTheEnd, rowsFor } from './followJobs.js';
import { exitCodeOf, outcomeOf } from './JobRow.js';
import type { Io } from './Output.js';
import { jsonLines, liveTable } from './renderers.js';

export const watchHelp = `Usage: clipstream watch <id...> --provider aiml-suno|aiml-luma|sunoapi [options]

Watches jobs until they end (or reach --until), as a live table on a terminal,
or as one JSON line per transition on a pipe or with --json.

Options:
  --provider NAME      aiml-suno, aiml-luma or sunoapi (required)
  --until STATUS       stop each job at this status or a higher one
  --json               JSON lines even on a terminal
  --base-url URL       the API's address (https, or http on 127.0.0.1/localhost/[::1])
  --api-key-file PATH  read the key from a file instead of the environment
  --timeout MS         give up on jobs not done after MS milliseconds

The key comes from AIMLAPI_KEY (aiml-suno, aiml-luma) or SUNOAPI_KEY (sunoapi),
or --api-key-file. It is never taken as a flag: that would keep it in shell history.

Exit codes: 0 every job reached the target, 1 some failed, 2 usage error,
3 transport or auth error (or --timeout).
`;

const providers = {
  'aiml-suno': { make: aimlSuno, env: 'AIMLAPI_KEY' },
  'aiml-luma': { make: aimlLuma, env: 'AIMLAPI_KEY' },
  sunoapi: { make: sunoApi, env: 'SUNOAPI_KEY' },
} as const;

export async function watchCommand(argv: readonly string[], io: Io, signal: AbortSignal): Promise<number> {
  const args = parseArgs(argv, ['provider', 'until', 'base-url', 'api-key-file', 'timeout'], ['json', 'help']);
  if (args.flags.has('help')) {
    io.stdout.write(watchHelp);
    return 0;
  }
  const name = stringFlag(args, 'provider');
  if (name === undefined) throw new UsageError('--provider is required: aiml-suno, aiml-luma or sunoapi');
  if (!(name in providers)) throw new UsageError(`unknown provider "${name}": use aiml-suno, aiml-luma or sunoapi`);
  const { make, env } = providers[name as keyof typeof providers];
  if (args.positionals.length === 0) throw new UsageError('no job id given');

  const keyFile = stringFlag(args, 'api-key-file');
  let apiKey: string | undefined;
  if (keyFile !== undefined) {
    try {
      apiKey = io.readFile(keyFile).trim();
    } catch (error) {
      throw new UsageError(`cannot read --api-key-file ${keyFile}: ${(error as Error).message}`);
    }
  } else apiKey = io.env[env];
  if (!apiKey) throw new UsageError(`no API key: set ${env} or use --api-key-file`);

  const baseUrl = stringFlag(args, 'base-url');
  const provider: AnyProvider = make(baseUrl === undefined ? { apiKey } : { apiKey, baseUrl });
  const client = createClient(provider);
  const until = stringFlag(args, 'until');
  if (until !== undefined) checkWaitableStatus('--until', until, provider.statuses);
  const timeout = numberFlag(args, 'timeout', 1);

  const ids = checkIds('ids', args.positionals);
  if (signal.aborted) return 130;

  const scheduler = asyncScheduler;
  const groups = [{ provider: name, client, ids }];
  const rows = rowsFor(groups, scheduler.now());
  const table = io.stdout.isTTY && !args.flags.has('json');
  const renderer = table
    ? liveTable(io.stdout, rows, () => scheduler.now(), io.env.NO_COLOR === undefined)
    : jsonLines(io.stdout, () => scheduler.now());

  if (await followToTheEnd(groups, rows, renderer, { until, timeout, scheduler }, signal)) {
    const running = rows.filter((row) => outcomeOf(row) === 'running').length;
    io.stderr.write(`clipstream: interrupted with ${running} of ${rows.length} jobs still running\n`);
    return 130;
  }
  for (const row of rows) {
    if (outcomeOf(row) === 'error') io.stderr.write(`clipstream: ${row.id}: ${row.error!.message}\n`);
  }
  return exitCodeOf(rows);
}
