import { fork, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { startSimulator } from 'clipstream/simulator';
import { browserBundles, bundleSize } from './bundles.js';
import { chart, type ChartPoint } from './chart.js';
import { cliStartupBench, cliStartupCases } from './cliStartup.js';
import { frontierReport, frontierStrategies, populations, runFrontier } from './frontier.js';
import type { ChildReport, ChildTask } from './child.js';
import { multiInstanceBench } from './multiInstance.js';
import { population, type BenchJob } from './population.js';
import { strategies } from './strategies.js';

/**
 * `npm run bench`: prints and writes figures, asserts nothing.
 *
 *   --quick            one run, 60 jobs, a few strategies (a minute), written to .tmp/bench-quick
 *   --runs N           runs of each strategy (default 3); results are min, median, max
 *   --sizes 60,600     population sizes (default 60,600,6000)
 *   --strategies a,b   only these strategies (names as in bench/strategies.ts)
 *   --skip-inprocess   --skip-transports   --skip-bundles   --skip-loopback   --skip-multi   --skip-cli   --skip-frontier
 *   --only-multi       the multi-instance relay alone (needs redis-server)
 *   --baseline C       the commit the in-process bench runs side by side with (default c701203; "none": no side-by-side)
 */
const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
const value = (name: string) => {
  const at = argv.indexOf(`--${name}`);
  return at >= 0 ? argv[at + 1] : undefined;
};
const quick = flag('quick');
const runs = Number(value('runs') ?? (quick ? 1 : 3));
const sizes = (value('sizes') ?? (quick ? '60' : '60,600,6000')).split(',').map(Number);
const here = __dirname;
// A quick or partial run does not overwrite the full run's figures, which docs/benchmarks.md quotes.
const partial = argv.some((arg) => arg.startsWith('--skip-') || arg === '--strategies' || arg === '--sizes');
const out = quick ? join(here, '..', '.tmp', 'bench-quick') : partial ? join(here, '..', '.tmp', 'bench-partial') : join(here, 'results');
const buildDir = join(here, '..', '.tmp', 'bench');

/** Which strategies run at which size: every one at 60 and 600; at 6000, those that are not a thousand loops a second. */
function strategiesFor(size: number, api: 'aiml-suno' | 'sunoapi'): string[] {
  const only = value('strategies')?.split(',');
  if (only) return api === 'sunoapi' ? only.filter((name) => ['clipstream', 'naive-1s'].includes(name)) : only;
  if (api === 'sunoapi') return ['clipstream', 'naive-1s'];
  if (quick) return ['clipstream', 'clipstream-since', 'clipstream-mc6', 'naive-1s'];
  if (size >= 6000) return ['clipstream', 'clipstream-all', 'clipstream-since-all', 'clipstream-mc50', 'naive-1s'];
  const all = ['clipstream', 'clipstream-since', 'clipstream-fewest', 'clipstream-mc6', 'clipstream-mc50', 'naive-1s', 'smithy-waiter'];
  return size > 60 ? [...all.slice(0, 1), 'clipstream-all', 'clipstream-since-all', ...all.slice(1)] : all;
}

interface RunResult {
  readonly strategy: string;
  readonly api: string;
  readonly size: number;
  readonly requestsPerJob: number;
  readonly latency: { p50: number; p99: number; max: number; samples: number };
  /** Transitions the server made while the job was watched that the strategy never reported. */
  readonly skipped: number;
  readonly skippedShare: number;
  /** Jobs whose last report was not their final status. */
  readonly unfinished: number;
  readonly cpuMs: number;
  readonly maxRss: number;
  readonly peakHeap: number;
  readonly maxOpenConnections: number;
  readonly maxOpenRequests: number;
  readonly wallMs: number;
}

async function runOne(strategy: string, api: 'aiml-suno' | 'sunoapi', jobs: readonly BenchJob[], lifeScale: number): Promise<RunResult> {
  // execArgv: [] so the child does not inherit tsx's loader from this process: it runs plain compiled JS.
  const child = fork(join(buildDir, 'child.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [] });
  await new Promise<void>((resolve) => child.once('message', () => resolve()));
  const sim = await startSimulator({ logLimit: 10 });
  for (const job of jobs) sim.addJob(api, { id: job.id, timeline: job.timeline });
  const createdAt = new Map(sim.jobs().map((job) => [job.id, job.createdAt]));
  const watchStart = Date.now();
  const task: ChildTask = { strategy, api, baseUrl: sim.url, apiKey: sim.apiKey, ids: jobs.map((job) => job.id) };
  const report = await new Promise<ChildReport>((resolve) => {
    child.once('message', (message) => resolve(message as ChildReport));
    child.send(task);
  });
  const stats = sim.stats();
  const connections = sim.connections();
  await sim.close();

  const seen = new Map<string, Map<string, number>>();
  for (const [id, status, at] of report.observations) {
    const byStatus = seen.get(id) ?? new Map<string, number>();
    if (!byStatus.has(status)) byStatus.set(status, at);
    seen.set(id, byStatus);
  }
  const latencies: number[] = [];
  let skipped = 0;
  let transitions = 0;
  let unfinished = 0;
  for (const job of jobs) {
    const byStatus = seen.get(job.id) ?? new Map<string, number>();
    const born = createdAt.get(job.id)!;
    for (const [status, at] of job.timeline) {
      const madeAt = born + Math.ceil(at * lifeScale);
      if (madeAt <= watchStart) continue;
      transitions += 1;
      const observed = byStatus.get(status);
      if (observed === undefined) skipped += 1;
      else latencies.push(observed - madeAt);
    }
    if (!byStatus.has(job.timeline.at(-1)![0])) unfinished += 1;
  }
  latencies.sort((a, b) => a - b);
  const quantile = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  const fetches = Object.values(stats.idsPerRequest).reduce((sum, count) => sum + count, 0);
  return {
    strategy,
    api,
    size: jobs.length,
    requestsPerJob: fetches / jobs.length,
    latency: { p50: quantile(0.5), p99: quantile(0.99), max: latencies.at(-1) ?? NaN, samples: latencies.length },
    skipped,
    skippedShare: transitions === 0 ? 0 : skipped / transitions,
    unfinished,
    cpuMs: report.cpuMs,
    maxRss: report.maxRss,
    peakHeap: report.peakHeap,
    maxOpenConnections: connections.max,
    maxOpenRequests: stats.maxOpen,
    wallMs: report.wallMs,
  };
}

type Spread = { min: number; median: number; max: number };
const spread = (values: number[]): Spread => {
  const sorted = [...values].filter((value) => !Number.isNaN(value)).sort((a, b) => a - b);
  return { min: sorted[0] ?? NaN, median: sorted[Math.floor((sorted.length - 1) / 2)] ?? NaN, max: sorted.at(-1) ?? NaN };
};

function summarise(results: readonly RunResult[]) {
  return {
    strategy: results[0]!.strategy,
    label: strategies[results[0]!.strategy]!.label,
    api: results[0]!.api,
    size: results[0]!.size,
    runs: results.length,
    requestsPerJob: spread(results.map((r) => r.requestsPerJob)),
    p50: spread(results.map((r) => r.latency.p50)),
    p99: spread(results.map((r) => r.latency.p99)),
    max: spread(results.map((r) => r.latency.max)),
    skippedShare: spread(results.map((r) => r.skippedShare)),
    unfinished: spread(results.map((r) => r.unfinished)),
    cpuMs: spread(results.map((r) => r.cpuMs)),
    maxRssMB: spread(results.map((r) => r.maxRss / 2 ** 20)),
    peakHeapMB: spread(results.map((r) => r.peakHeap / 2 ** 20)),
    maxOpenConnections: spread(results.map((r) => r.maxOpenConnections)),
    maxOpenRequests: spread(results.map((r) => r.maxOpenRequests)),
  };
}
type Summary = ReturnType<typeof summarise>;

const fmt = (value: number, digits = 1) => (Number.isNaN(value) ? '–' : value >= 100 ? Math.round(value).toString() : value.toFixed(digits));
const cell = (s: Spread, digits = 1) => `${fmt(s.median, digits)} (${fmt(s.min, digits)}–${fmt(s.max, digits)})`;

function table(rows: readonly Summary[]): string {
  const header = '| strategy | requests/job | latency p50 ms | p99 ms | max ms | skipped | CPU ms | peak RSS MB | peak heap MB | max open requests | max open sockets |';
  const lines = rows.map(
    (row) =>
      `| ${row.label} | ${cell(row.requestsPerJob, 2)} | ${cell(row.p50)} | ${cell(row.p99)} | ${cell(row.max)} | ${(100 * row.skippedShare.median).toFixed(1)} % | ${cell(row.cpuMs, 0)} | ${cell(row.maxRssMB, 0)} | ${cell(row.peakHeapMB)} | ${cell(row.maxOpenRequests, 0)} | ${cell(row.maxOpenConnections, 0)} |`,
  );
  return [header, '|---|---|---|---|---|---|---|---|---|---|---|', ...lines].join('\n');
}

/** The commit whose full run (2026-11-23) issue 15 quotes, 113,301 transitions/s: the in-process bench runs its code side by side. */
const inProcessBaseline = 'c701203';

type InProcessFigures = { perTransitionMicros: Record<string, Spread & { values: number[] }>; idleHeapBytesPerJob: Spread & { values: number[] }; unsubscribe200kMs: Spread & { values: number[] } };

function inProcessRun(script: string, repeats: number): InProcessFigures {
  const run = spawnSync(process.execPath, ['--expose-gc', script, String(repeats)], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`in-process bench failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as InProcessFigures;
}

/** The runs of several processes as one spread per figure. */
function mergeInProcess(all: readonly InProcessFigures[]): InProcessFigures {
  const spread = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return { min: sorted[0]!, median: sorted[Math.floor(sorted.length / 2)]!, max: sorted.at(-1)!, values: sorted };
  };
  const sizes = Object.keys(all[0]!.perTransitionMicros);
  return {
    perTransitionMicros: Object.fromEntries(sizes.map((jobs) => [jobs, spread(all.flatMap((one) => one.perTransitionMicros[jobs]!.values))])),
    idleHeapBytesPerJob: spread(all.flatMap((one) => one.idleHeapBytesPerJob.values)),
    unsubscribe200kMs: spread(all.flatMap((one) => one.unsubscribe200kMs.values)),
  };
}

/**
 * bench/inProcess.ts built against `commit`'s src (from git), to run side by
 * side; undefined, said loudly, where the commit is not in the checkout.
 */
async function buildBaseline(commit: string): Promise<{ commit: string; script: string } | undefined> {
  if (commit === 'none') return undefined;
  const dir = join(here, '..', '.tmp', 'bench-baseline');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const tarball = join(dir, 'src.tar');
  const archive = /^[0-9a-f]{7,40}$/.test(commit) ? spawnSync('git', ['archive', '-o', tarball, commit, 'src'], { cwd: join(here, '..'), encoding: 'utf8' }) : undefined;
  const unpacked = archive?.status === 0 ? spawnSync('tar', ['-xf', tarball, '-C', dir], { encoding: 'utf8' }) : undefined;
  if (unpacked?.status !== 0) {
    process.stdout.write(`*** in-process baseline ${commit} is not in this checkout (${(archive?.stderr ?? 'not a commit id').trim()}): no side-by-side run ***\n`);
    return undefined;
  }
  await build({
    entryPoints: [join(here, 'inProcess.ts')],
    outdir: join(dir, 'out'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    alias: { clipstream: join(dir, 'src', 'index.ts') },
    external: ['rxjs', 'io-ts', 'fp-ts', 'cross-fetch', '@smithy/*'],
    logLevel: 'warning',
  });
  return { commit, script: join(dir, 'out', 'inProcess.js') };
}

function machine(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return `${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}`;
}

async function main() {
  mkdirSync(out, { recursive: true });
  await build({
    entryPoints: [join(here, 'child.ts'), join(here, 'inProcess.ts'), join(here, 'transports.ts')],
    outdir: buildDir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    // clipstream itself is bundled from src, so building the package while a bench runs changes nothing under it.
    alias: { clipstream: join(here, '..', 'src', 'index.ts') },
    external: ['rxjs', 'io-ts', 'fp-ts', 'cross-fetch', '@smithy/*'],
    logLevel: 'warning',
  });
  const date = new Date().toISOString().slice(0, 10);
  const report: Record<string, unknown> = { date, machine: machine(), runs };
  const markdown: string[] = [`Run on ${date}: ${machine()}. ${runs} run(s) of each; cells are median (min–max).`, ''];

  if (!flag('skip-multi') && spawnSync('redis-server', ['--version']).status === 0) {
    const figures = await multiInstanceBench();
    report.multiInstance = figures;
    markdown.push(
      '### The relay on several instances (round-robin balancer, one redis-server, 100 jobs, 200 browser-side viewers; median of 3 interleaved rounds)',
      '',
      '| relay | upstream requests/job | transition to browser p50 ms | p99 ms | transitions timed |',
      '|---|---|---|---|---|',
      ...Object.entries(figures.instances).map(([name, row]) => `| ${name} | ${row.requestsPerJob.toFixed(2)} | ${fmt(row.p50)} | ${fmt(row.p99)} | ${row.runs} |`),
      '',
      `A dead instance's jobs polled again by another: p50 ${fmt(figures.takeoverMs.p50)} ms, max ${fmt(figures.takeoverMs.max)} ms after the kill (${figures.takeoverMs.jobs} jobs; lease 600 ms).`,
      `One instance on memoryStore: ${fmt(figures.memory.bytesPerStream / 1024, 2)} KB of heap per open stream (${figures.memory.streams.toLocaleString('en')} streams), ${fmt(figures.memory.bytesPerUpstream / 1024, 2)} KB per upstream watch (${figures.memory.upstreams.toLocaleString('en')}).`,
      '',
    );
    process.stdout.write(`${markdown.slice(-(Object.keys(figures.instances).length + 7)).join('\n')}\n`);
  } else if (!flag('skip-multi')) process.stdout.write('*** redis-server is missing: the multi-instance bench is SKIPPED (apt-get install redis-server) ***\n');
  if (flag('only-multi')) {
    writeFileSync(join(out, 'report-multi.md'), `${markdown.join('\n')}\n`);
    return;
  }

  if (!flag('skip-inprocess')) {
    // Side by side with the baseline's code, processes interleaved: machines differ too much for figures of other runs to compare.
    const baseline = await buildBaseline(value('baseline') ?? inProcessBaseline);
    const rounds = quick ? 1 : 2;
    const current: InProcessFigures[] = [];
    const before: InProcessFigures[] = [];
    for (let round = 0; round < rounds; round++) {
      current.push(inProcessRun(join(buildDir, 'inProcess.js'), quick ? 3 : 4));
      if (baseline) before.push(inProcessRun(baseline.script, quick ? 3 : 4));
    }
    const figures = mergeInProcess(current);
    const baselineFigures = before.length > 0 ? mergeInProcess(before) : undefined;
    report.inProcess = { ...figures, ...(baseline && baselineFigures ? { baseline: { commit: baseline.commit, ...baselineFigures } } : {}) };
    const per = figures.perTransitionMicros;
    const ratio = per['30000']!.median / per['1000']!.median;
    markdown.push(
      '### In process (in-memory transport that answers at once)',
      '',
      baseline ? `| jobs | µs per transition | transitions/s | ${baseline.commit} µs | ${baseline.commit} / now |` : '| jobs | µs per transition | transitions/s |',
      baseline ? '|---|---|---|---|---|' : '|---|---|---|',
    );
    for (const [jobs, s] of Object.entries(per)) {
      const then = baselineFigures?.perTransitionMicros[jobs];
      const side = then ? ` ${cell(then, 2)} | ${(then.median / s.median).toFixed(2)}× |` : '';
      markdown.push(`| ${Number(jobs).toLocaleString('en')} | ${cell(s, 2)} | ${Math.round(1e6 / s.median).toLocaleString('en')} |${side}`);
    }
    markdown.push(
      '',
      `Cost per transition at 30,000 jobs against 1,000: ${ratio.toFixed(2)}×. Heap per idle watched job at 10,000 jobs: ${cell({ min: figures.idleHeapBytesPerJob.min / 1024, median: figures.idleHeapBytesPerJob.median / 1024, max: figures.idleHeapBytesPerJob.max / 1024 }, 2)} KB${baselineFigures ? ` (${fmt(baselineFigures.idleHeapBytesPerJob.median / 1024, 2)} KB at ${baseline!.commit})` : ''}. Unsubscribing 200,000 watches: ${cell(figures.unsubscribe200kMs, 0)} ms.`,
      '',
    );
    process.stdout.write(`${markdown.slice(-9).join('\n')}\n`);
  }

  if (!flag('skip-transports')) {
    const transports = spawnSync(process.execPath, [join(buildDir, 'transports.js')], { encoding: 'utf8' });
    if (transports.status !== 0) throw new Error(`transport bench failed: ${transports.stderr}`);
    const figures = JSON.parse(transports.stdout) as Record<string, { sequential: { requestsPerSecond: number; connectionsOpened: number }; concurrent50: { requestsPerSecond: number; connectionsOpened: number }; cutBody: { outcome: string; ms: number } }>;
    report.transports = figures;
    markdown.push('### Transports in Node (loopback, 2,000 requests)', '', '| fetch | sequential req/s | connections opened | 50 at a time req/s | connections opened | body cut short |', '|---|---|---|---|---|---|');
    for (const [name, f] of Object.entries(figures)) {
      markdown.push(`| ${name} | ${f.sequential.requestsPerSecond} | ${f.sequential.connectionsOpened} | ${f.concurrent50.requestsPerSecond} | ${f.concurrent50.connectionsOpened} | ${f.cutBody.outcome} after ${f.cutBody.ms} ms |`);
    }
    markdown.push('');
    process.stdout.write(`${markdown.slice(-(Object.keys(figures).length + 4)).join('\n')}\n`);
  }

  if (!flag('skip-frontier')) {
    // Polling schedules side by side on the same jobs, in virtual time (bench/frontier.ts).
    const results = populations(100).flatMap((population) => frontierStrategies().map((strategy) => runFrontier(strategy, population)));
    report.frontier = results;
    const { markdown: tables, panels } = frontierReport(results);
    markdown.push('### Polled APIs: latency against requests (100 jobs per population, virtual time)', '', ...tables);
    writeFileSync(join(out, 'polling-frontier.svg'), chart(panels, `100 jobs per population, virtual time, ${date}; blue: clipstream's learned polling and its oracle, red: schedules fixed in advance`));
    process.stdout.write(`${tables.join('\n')}\n`);
  }

  if (!flag('skip-cli')) {
    const figures = cliStartupBench(quick ? 11 : 31);
    report.cliStartup = figures;
    markdown.push(`### CLI start-up (median of ${figures.runs} runs each, interleaved)`, '', '| command | median ms | × node -e 0 |', '|---|---|---|');
    for (const name of Object.keys(cliStartupCases) as Array<keyof typeof cliStartupCases>) {
      markdown.push(`| \`${name}\` | ${fmt(figures.medianMs[name])} | ${figures.ratio[name].toFixed(2)} |`);
    }
    markdown.push('', `The CLI's entry loads ${figures.modulesLoaded} modules before it runs a command (each command loads its own).`, '');
    process.stdout.write(`${markdown.slice(-(Object.keys(cliStartupCases).length + 6)).join('\n')}\n`);
  }

  if (!flag('skip-bundles')) {
    // What a page bundles from dist/esm (npm run bench builds it first); test/build/bundles.test.ts holds the budgets.
    const bundles = [];
    for (const [name, entry] of Object.entries(browserBundles)) bundles.push(await bundleSize(name, entry));
    report.bundles = bundles.map(({ name, minified, gzipped, inputs }) => ({ name, minified, gzipped, largest: inputs.slice(0, 5) }));
    markdown.push('### Browser bundles (esbuild, minified, rxjs external)', '', '| import | minified KB | gzipped KB | largest parts (minified bytes) |', '|---|---|---|---|');
    for (const bundle of bundles) {
      const largest = bundle.inputs.slice(0, 3).map(([file, bytes]) => `${file.replace(/^.*?(node_modules\/|dist\/esm\/)/, '')} ${bytes}`).join(', ');
      markdown.push(`| \`${bundle.name}\` | ${(bundle.minified / 1024).toFixed(1)} | ${(bundle.gzipped / 1024).toFixed(1)} | ${largest} |`);
    }
    markdown.push('');
    process.stdout.write(`${markdown.slice(-(bundles.length + 4)).join('\n')}\n`);
  }

  if (!flag('skip-loopback')) {
    const summaries: Summary[] = [];
    const cases: Array<{ api: 'aiml-suno' | 'sunoapi'; size: number }> = [
      ...sizes.map((size) => ({ api: 'aiml-suno' as const, size })),
      { api: 'sunoapi', size: 60 },
    ];
    for (const { api, size } of cases) {
      // 6,000 jobs live half as long: the run stays under a minute.
      const lifeScale = size >= 6000 ? 0.5 : 1;
      const jobs = population(size, { lifeScale });
      const names = strategiesFor(size, api);
      if (names.length === 0) continue;
      const results = new Map<string, RunResult[]>(names.map((name) => [name, []]));
      // Runs interleaved (a b c, a b c, ...), so a slow spell of the machine touches every strategy.
      for (let round = 0; round < runs; round++) {
        for (const name of names) {
          const result = await runOne(name, api, jobs, lifeScale);
          results.get(name)!.push(result);
          process.stdout.write(
            `${api} ${size} ${name} run ${round + 1}: ${result.requestsPerJob.toFixed(2)} req/job, p50 ${fmt(result.latency.p50)} ms, p99 ${fmt(result.latency.p99)} ms, max ${fmt(result.latency.max)} ms, skipped ${(100 * result.skippedShare).toFixed(1)} %, unfinished ${result.unfinished}, ${Math.round(result.cpuMs)} CPU ms, ${result.maxOpenConnections} conns\n`,
          );
        }
      }
      const rows = names.map((name) => summarise(results.get(name)!));
      summaries.push(...rows);
      writeFileSync(join(out, `loopback-${api}-${size}.json`), `${JSON.stringify({ date, machine: machine(), lifeScale, runs: Object.fromEntries(results) }, null, 2)}\n`);
      markdown.push(`### ${api === 'sunoapi' ? 'sunoapi.com (polled)' : 'AI/ML API Suno'}, ${size.toLocaleString('en')} jobs${lifeScale !== 1 ? ` (lives × ${lifeScale})` : ''}`, '', table(rows), '');
      process.stdout.write(`\n${table(rows)}\n\n`);
    }
    report.loopback = summaries;
    const panels = sizes
      .filter((size) => size <= 600)
      .map((size) => ({
        title: `AI/ML API Suno, ${size} jobs`,
        points: summaries
          .filter((row) => row.api === 'aiml-suno' && row.size === size)
          .map((row): ChartPoint => ({ label: row.strategy, requestsPerJob: row.requestsPerJob.median, p50: Math.max(0.1, row.p50.median), clipstream: row.strategy.startsWith('clipstream') })),
      }));
    writeFileSync(join(out, 'latency-vs-requests.svg'), chart(panels, `medians of ${runs} run(s), ${date}; blue: clipstream, red: other approaches`));
  }
  writeFileSync(join(out, 'summary.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(out, 'report.md'), `${markdown.join('\n')}\n`);
  process.stdout.write(`wrote ${out}/summary.json, report.md, loopback-*.json, latency-vs-requests.svg\n`);
  void readFileSync;
}

void main();
