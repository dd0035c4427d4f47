import { asyncScheduler } from 'rxjs';
import { createClient } from '../client/createClient.js';
import { registeredProviders } from '../providers/registry.js';
import { startSimulator } from '../simulator/server.js';
import { commandArgs, noPositionals, numberFlag, timeScaleFlag } from './args.js';
import { followToTheEnd, rowsFor, type JobGroup } from './followJobs.js';
import { outcomeOf } from './JobRow.js';
import { demoHelp } from './help.js';
import type { Io } from './Output.js';
import { chooseRenderer, formatElapsed } from './renderers.js';


/** Prompts for the demo's jobs: two creates for the AI/ML APIs with batching to show, one elsewhere. */
const prompts: Record<string, string[]> = {
  'aiml-suno': ['a synthwave drive at night', 'lo-fi rain on the window'],
  'aiml-luma': ['a paper boat on a river', 'a cat playing piano'],
};

/** `{ "1": 75, "2": 5 }` as "75 for 1 id, 5 for 2 ids". */
function idsPerRequest(counts: Readonly<Record<string, number>>): string {
  return Object.entries(counts)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([ids, requests]) => `${requests} for ${ids} id${ids === '1' ? '' : 's'}`)
    .join(', ');
}

export async function demoCommand(argv: readonly string[], io: Io, signal: AbortSignal): Promise<number> {
  const args = commandArgs(argv, ['time-scale', 'seed'], ['json'], demoHelp, io);
  if (!args) return 0;
  noPositionals(args);
  const timeScale = timeScaleFlag(args) ?? 0.04;

  const sim = await startSimulator({ timeScale, seed: numberFlag(args, 'seed', 0) ?? 7, failureRate: 0.15 });
  try {
    // APIs without a long-poll are polled: pace them with the simulated world.
    const polling = { interval: Math.max(20, 3_000 * timeScale), maxInterval: Math.max(50, 15_000 * timeScale) };
    const groups: JobGroup[] = [];
    for (const entry of registeredProviders) {
      const { name } = entry.factory.spec;
      const provider = entry.factory(sim.configFor(name));
      const client = createClient(provider, { polling });
      const asks = prompts[name] ?? ['an evening by the sea'];
      const ids = (await Promise.all(asks.map((prompt) => client.create(entry.prompt(prompt) as never)))).flat();
      groups.push({ provider: name, client, ids, since: provider.statuses.statuses[0] });
    }

    const scheduler = asyncScheduler;
    const started = scheduler.now();
    const rows = rowsFor(groups, started);
    const json = args.flags.has('json');
    const header = `clipstream demo: ${rows.length} jobs at ${groups.length} APIs on the simulator at ${sim.url} (simulated time runs ${1 / timeScale}× faster)\n`;
    // The header goes first, so the table (which redraws from its own first line) never overwrites it.
    if (!json) io.stdout.write(header);
    const renderer = chooseRenderer(io, rows, () => scheduler.now(), json, 'log');
    if (await followToTheEnd(groups, rows, renderer, { scheduler }, signal)) return 130;

    const stats = sim.stats();
    const outcomes = rows.map(outcomeOf);
    const failed = outcomes.filter((outcome) => outcome === 'failed').length;
    const broken = rows.filter((row) => row.error);
    for (const row of broken) io.stderr.write(`clipstream: ${row.id}: ${row.error!.message}\n`);
    const fetches = Object.values(stats.idsPerRequest).reduce((sum, count) => sum + count, 0);
    const summary =
      `${rows.length} jobs watched in ${formatElapsed(scheduler.now() - started)}: ${rows.length - failed - broken.length} done, ` +
      `${failed} failed (simulated); ${fetches} fetch requests (${idsPerRequest(stats.idsPerRequest)})\n`;
    (json ? io.stderr : io.stdout).write(summary);
    // A simulated failure is part of the show; a job that could not be watched is not.
    return broken.length > 0 ? 3 : 0;
  } finally {
    await sim.close();
  }
}
