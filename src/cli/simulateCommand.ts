import { simulatedApis } from '../simulator/apis/index.js';
import { startSimulator } from '../simulator/server.js';
import { commandArgs, noPositionals, numberFlag, portFlag, timeScaleFlag, UsageError } from './args.js';
import { simulateHelp } from './help.js';
import type { Io } from './Output.js';


export async function simulateCommand(argv: readonly string[], io: Io, signal: AbortSignal): Promise<number> {
  const args = commandArgs(argv, ['port', 'time-scale', 'seed', 'fault-rate', 'failure-rate'], [], simulateHelp, io);
  if (!args) return 0;
  noPositionals(args);
  const port = portFlag(args);
  const faultRate = numberFlag(args, 'fault-rate', 0);
  const failureRate = numberFlag(args, 'failure-rate', 0);
  if ((faultRate ?? 0) > 1 || (failureRate ?? 0) > 1) throw new UsageError('--fault-rate and --failure-rate are shares between 0 and 1');
  const timeScale = timeScaleFlag(args);

  const sim = await startSimulator({
    port,
    timeScale,
    seed: numberFlag(args, 'seed', 0),
    failureRate,
    faults: faultRate === undefined ? undefined : { rate: faultRate },
    apiKey: io.env.SIMULATOR_API_KEY || undefined,
  });
  const width = Math.max(...simulatedApis.map((api) => api.title.length));
  io.stdout.write(
    `clipstream simulator listening on ${sim.url}\n` +
      simulatedApis
        .map((api) => `  ${api.title.padEnd(width)}  ${api.routes.map((route) => `${route.method} ${route.path}`).join(', ')}  (--base-url ${sim.url}${api.basePath})\n`)
        .join('') +
      `  ${'traffic'.padEnd(width)}  GET /_simulator/stats, /_simulator/requests, /_simulator/jobs\n`,
  );
  await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
  await sim.close();
  io.stdout.write(`clipstream simulator stopped after ${sim.stats().requests} requests\n`);
  return 0;
}
