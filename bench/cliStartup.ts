import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** What `npm run bench` compares: the CLI's quick answers against bare node. */
export const cliStartupCases = {
  'node -e 0': ['-e', '0'],
  'clipstream --version': [join(__dirname, '..', 'bin', 'clipstream.js'), '--version'],
  'clipstream watch --help': [join(__dirname, '..', 'bin', 'clipstream.js'), 'watch', '--help'],
} as const;

export interface StartupFigures {
  readonly runs: number;
  /** Median wall-clock ms of each case. */
  readonly medianMs: Record<keyof typeof cliStartupCases, number>;
  /** Each case's median over the median of `node -e 0`. */
  readonly ratio: Record<keyof typeof cliStartupCases, number>;
  /** Modules the CLI's entry loads before it runs a command (require.cache). */
  readonly modulesLoaded: number;
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

/** Runs every case `runs` times, interleaved (a b c, a b c, …), so a slow spell of the machine touches all of them. */
export function cliStartupBench(runs: number): StartupFigures {
  const names = Object.keys(cliStartupCases) as Array<keyof typeof cliStartupCases>;
  const times = new Map(names.map((name) => [name, [] as number[]]));
  for (let round = 0; round < runs; round++) {
    for (const name of names) {
      const start = process.hrtime.bigint();
      const result = spawnSync(process.execPath, cliStartupCases[name], { encoding: 'utf8' });
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (result.status !== 0) throw new Error(`${name} exited ${result.status}: ${result.stderr}`);
      times.get(name)!.push(ms);
    }
  }
  const medianMs = Object.fromEntries(names.map((name) => [name, median(times.get(name)!)])) as StartupFigures['medianMs'];
  const ratio = Object.fromEntries(names.map((name) => [name, medianMs[name] / medianMs['node -e 0']])) as StartupFigures['ratio'];
  const probe = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(join(__dirname, '..', 'dist', 'cjs', 'cli', 'main.js'))}); console.log(Object.keys(require.cache).length)`], { encoding: 'utf8' });
  return { runs, medianMs, ratio, modulesLoaded: Number(probe.stdout.trim()) };
}
