import { asyncScheduler } from 'rxjs';
import { createClient } from '../client/createClient.js';
import { aimlLuma } from '../providers/aimlLuma.js';
import { aimlSuno } from '../providers/aimlSuno.js';
import type { AnyProvider } from '../providers/Provider.js';
import { sunoApi } from '../providers/sunoApi.js';
import { startSimulator } from '../simulator/createSimulator.js';
import { numberFlag, parseArgs, UsageError } from './args.js';
import { createJobs } from './createJobs.js';
import { followToTheEnd, rowsFor, type JobGroup } from './followJobs.js';
import { outcomeOf } from './JobRow.js';
import type { Io } from './Output.js';
import { formatElapsed, jsonLines, liveTable, logLines } from './renderers.js';

export const demoHelp = `Usage: clipstream demo [options]

Starts the simulator in this process, creates Suno clips (AI/ML API and
sunoapi.com) and Luma generations, and watches them to the end. No API key or
network needed.

Options:
  --time-scale X   speed of the simulated world (default 0.04: minutes become seconds)
  --seed N         seed of the simulated lives (default 7)
  --json           JSON lines instead of the live table
`;

export async function demoCommand(argv: readonly string[], io: Io, signal: AbortSignal): Promise<number> {
  const args = parseArgs(argv, ['time-scale', 'seed'], ['json', 'help']);
  if (args.flags.has('help')) {
    io.stdout.write(demoHelp);
    return 0;
  }
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument "${args.positionals[0]}"`);
  const timeScale = numberFlag(args, 'time-scale', 0) ?? 0.04;
  if (timeScale === 0) throw new UsageError('--time-scale must be above 0');

  const sim = await startSimulator({ timeScale, seed: numberFlag(args, 'seed', 0) ?? 7, failureRate: 0.15 });
  try {
    const config = { apiKey: sim.apiKey, baseUrl: sim.url };
    // sunoapi.com has no long-poll: scale its polling with the simulated world.
    const polling = { interval: Math.max(20, 3_000 * timeScale), maxInterval: Math.max(50, 15_000 * timeScale) };
    const providers: Array<{ provider: string; made: AnyProvider; prompts: string[] }> = [
      { provider: 'aiml-suno', made: aimlSuno(config), prompts: ['a synthwave drive at night', 'lo-fi rain on the window'] },
      { provider: 'aiml-luma', made: aimlLuma(config), prompts: ['a paper boat on a river', 'a cat playing piano'] },
      { provider: 'sunoapi', made: sunoApi(config), prompts: ['epic reggae'] },
    ];
    const groups: JobGroup[] = [];
    for (const { provider, made, prompts } of providers) {
      const ids = (await Promise.all(prompts.map((prompt) => createJobs(made, prompt)))).flat();
      groups.push({ provider, client: createClient(made, { polling }), ids });
    }

    const scheduler = asyncScheduler;
    const started = scheduler.now();
    const rows = rowsFor(groups, started);
    const renderer = args.flags.has('json')
      ? jsonLines(io.stdout, () => scheduler.now())
      : io.stdout.isTTY
        ? liveTable(io.stdout, rows, () => scheduler.now(), io.env.NO_COLOR === undefined)
        : logLines(io.stdout, () => scheduler.now());
    if (!args.flags.has('json')) {
      io.stdout.write(`clipstream demo: ${rows.length} jobs on the simulator at ${sim.url} (time ×${1 / timeScale})\n`);
    }
    if (await followToTheEnd(groups, rows, renderer, { scheduler }, signal)) return 130;

    const stats = sim.stats();
    const outcomes = rows.map(outcomeOf);
    const failed = outcomes.filter((outcome) => outcome === 'failed').length;
    const broken = rows.filter((row) => row.error);
    for (const row of broken) io.stderr.write(`clipstream: ${row.id}: ${row.error!.message}\n`);
    const fetches = Object.values(stats.idsPerRequest).reduce((sum, count) => sum + count, 0);
    const summary =
      `${rows.length} jobs watched in ${formatElapsed(scheduler.now() - started)}: ${rows.length - failed - broken.length} done, ` +
      `${failed} failed (simulated); ${fetches} fetch requests, ids per request ${JSON.stringify(stats.idsPerRequest)}\n`;
    (args.flags.has('json') ? io.stderr : io.stdout).write(summary);
    // A simulated failure is part of the show; a job that could not be watched is not.
    return broken.length > 0 ? 3 : 0;
  } finally {
    await sim.close();
  }
}
