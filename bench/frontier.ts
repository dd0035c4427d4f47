// The polling frontier: latency against requests per job for each way of
// polling an API that cannot hold a request, side by side on the same jobs.
// Everything runs on the simulator in virtual time (VirtualTimeScheduler):
// on a polled API the latency comes from when a poller asks, not from the
// round trip, so virtual time measures exactly that, with no noise from the
// machine. Used by `npm run bench` and by test/polling/learning.test.ts.
import { VirtualAction, VirtualTimeScheduler } from 'rxjs';
import { aimlVideo, createClient, sunoApi, type ClientOptions } from 'clipstream';
import { Simulation, simulatedApis, simulatedTransport } from 'clipstream/simulator';
import { DurationSketch } from '../src/polling/DurationSketch.js';
import { nextPollIn } from '../src/polling/learnedPolicy.js';
import { seededRandom } from '../src/simulator/spec/random.js';
import type { ChartPoint } from './chart.js';

/** One job of a population: when it is created, and its life after that (`[status, ms after creation]`). */
export interface FrontierJob {
  readonly id: string;
  readonly arrival: number;
  readonly timeline: ReadonlyArray<readonly [string, number]>;
}

export interface Population {
  readonly name: string;
  readonly api: 'sunoapi' | 'aiml-video';
  readonly jobs: readonly FrontierJob[];
  /** The distribution each status's duration is drawn from, `[low, high]` ms per status, for each job: what the oracle knows. */
  readonly truth: (job: FrontierJob) => Readonly<Record<string, { sample(random: () => number): number; low: number; high: number }>>;
}

const uniform = (low: number, high: number) => ({ low, high, sample: (random: () => number) => low + random() * (high - low) });
/** Log-normal with median `median` and log-space spread `sigma`, cut at the 0.1 % and 99.9 % points. */
const logNormal = (median: number, sigma: number) => {
  const cut = 3.09 * sigma;
  return {
    low: median * Math.exp(-cut),
    high: median * Math.exp(cut),
    sample: (random: () => number) => {
      const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
      return median * Math.exp(Math.max(-cut, Math.min(cut, sigma * z)));
    },
  };
};

function lives(
  count: number,
  every: number,
  seed: number,
  order: readonly string[],
  truthOf: (index: number) => Record<string, ReturnType<typeof uniform>>,
): { jobs: FrontierJob[]; truth: Map<string, Record<string, ReturnType<typeof uniform>>> } {
  // Seeded (the simulator's generator), so every strategy sees the same jobs.
  const random = seededRandom(seed);
  const truth = new Map<string, Record<string, ReturnType<typeof uniform>>>();
  const jobs = Array.from({ length: count }, (_, index) => {
    const id = `job-${String(index).padStart(4, '0')}`;
    const durations = truthOf(index);
    truth.set(id, durations);
    let at = 0;
    const timeline: Array<readonly [string, number]> = [[order[0]!, 0]];
    for (let step = 0; step < order.length - 1; step++) {
      at += Math.round(durations[order[step]!]!.sample(random));
      timeline.push([order[step + 1]!, at]);
    }
    return { id, arrival: Math.round(index * every * (0.5 + random())), timeline };
  });
  return { jobs, truth };
}

const sunoOrder = ['submitted', 'queued', 'streaming', 'complete'];
// The Suno-like lives: queued after 1.0–1.6 s, streaming after 3–5 s, complete after 7–11 s.
const sunoLike = { submitted: uniform(1_000, 1_600), queued: uniform(2_000, 3_400), streaming: uniform(4_000, 6_000) };

/** The three populations of docs/benchmarks.md. */
export function populations(count = 100): Population[] {
  const suno = lives(count, 1_500, 1, sunoOrder, () => sunoLike);
  // Video: queued 5–20 s, then minutes of generating (log-normal, median 2 min).
  const video = lives(count, 3_000, 2, ['queued', 'generating', 'completed'], () => ({ queued: uniform(5_000, 20_000), generating: logNormal(120_000, 0.5) }));
  // A busy day: from the middle on, every status lasts twice as long.
  const doubled = { submitted: uniform(2_000, 3_200), queued: uniform(4_000, 6_800), streaming: uniform(8_000, 12_000) };
  const shifting = lives(count, 1_500, 3, sunoOrder, (index) => (index < count / 2 ? sunoLike : doubled));
  return [
    { name: 'Suno-like, arriving over time (sunoapi.com)', api: 'sunoapi', jobs: suno.jobs, truth: (job) => suno.truth.get(job.id)! },
    { name: 'video, minutes of generating (AI/ML API video)', api: 'aiml-video', jobs: video.jobs, truth: (job) => video.truth.get(job.id)! },
    { name: 'Suno-like, durations doubling half way (sunoapi.com)', api: 'sunoapi', jobs: shifting.jobs, truth: (job) => shifting.truth.get(job.id)! },
  ];
}

/** One way of polling: clipstream with client options, or a poller of its own on the same transport. */
export interface FrontierStrategy {
  readonly name: string;
  readonly options?: (population: Population, job: FrontierJob) => ClientOptions;
  /** A poller outside clipstream: the pause before poll `attempt` (1 for the second poll). */
  readonly schedule?: (attempt: number, random: () => number) => number;
  /** An oracle: clipstream's learned policy, fed each job's true distribution instead of what it learned. */
  readonly oracle?: { pollsPerStatus: number };
}

export function frontierStrategies(): FrontierStrategy[] {
  return [
    { name: 'fixed 1 s', options: () => ({ polling: { interval: 1_000, backoff: 1 } }) },
    { name: 'fixed 3 s', options: () => ({ polling: { interval: 3_000, backoff: 1 } }) },
    { name: 'growing 3 s ×1.5 to 15 s (before)', options: () => ({ polling: { interval: 3_000 } }) },
    // @smithy/util-waiter's schedule with its defaults (minDelay 2 s, maxDelay 120 s): exponential backoff with full jitter.
    {
      name: 'smithy waiter',
      schedule: (attempt, random) => {
        const [min, max] = [2_000, 120_000];
        if (attempt > Math.log2(max / min) + 1) return max;
        return min + random() * (Math.min(max, min * 2 ** (attempt - 1)) - min);
      },
    },
    { name: 'learned, 1 per status', options: () => ({ polling: { learn: { pollsPerStatus: 1 } } }) },
    { name: 'learned, 1.5 per status (default)', options: () => ({}) },
    { name: 'learned, 2.5 per status', options: () => ({ polling: { learn: { pollsPerStatus: 2.5 } } }) },
    { name: 'learned, 5 per status', options: () => ({ polling: { learn: { pollsPerStatus: 5 } } }) },
    { name: 'learned, 10 per status', options: () => ({ polling: { learn: { pollsPerStatus: 10 } } }) },
    // Past 10 per status the 1 s floor is what limits: on the Suno-like populations these spend what fixed 1 s polling spends.
    { name: 'learned, 5 per status, floor 250 ms', options: () => ({ polling: { learn: { pollsPerStatus: 5, floor: 250 } } }) },
    { name: 'learned, 10 per status, floor 250 ms', options: () => ({ polling: { learn: { pollsPerStatus: 10, floor: 250 } } }) },
    // The oracle polls each job alone (1 id a request): on sunoapi.com learned polling shares requests it cannot.
    { name: 'oracle, 1 per status', oracle: { pollsPerStatus: 1 } },
    { name: 'oracle, 1.5 per status', oracle: { pollsPerStatus: 1.5 } },
    { name: 'oracle, 2.5 per status', oracle: { pollsPerStatus: 2.5 } },
    { name: 'oracle, 5 per status', oracle: { pollsPerStatus: 5 } },
  ];
}

export interface FrontierResult {
  readonly strategy: string;
  readonly population: string;
  readonly requestsPerJob: number;
  readonly latency: { p50: number; p99: number; max: number };
  /** Transitions after the first status never reported, as a share of all of them. */
  readonly skippedShare: number;
  /** Jobs whose last report was not their last status. */
  readonly unfinished: number;
  /** Median latency of the first half of the jobs (by arrival) and of the second. */
  readonly halves: readonly [number, number];
}

const quantile = (sorted: readonly number[], p: number) => (sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!);

/** Runs one strategy over one population in virtual time. */
export function runFrontier(strategy: FrontierStrategy, population: Population, seed = 7): FrontierResult {
  const scheduler = new VirtualTimeScheduler(VirtualAction, Infinity);
  const simulation = new Simulation({ scheduler, faults: { rate: 0 }, failureRate: 0 });
  const transport = simulatedTransport(simulation);
  const reported = new Map<string, Array<[string, number]>>();
  const random = seededRandom(seed);
  const factory = population.api === 'sunoapi' ? sunoApi : aimlVideo;
  const basePath = simulatedApis.find((api) => api.name === population.api)!.basePath;
  const config = { apiKey: simulation.apiKey, baseUrl: `https://simulator.invalid${basePath}` };

  // One client for the clipstream strategies: it learns across jobs.
  const shared = strategy.options ? createClient(factory(config), { transport, scheduler, ...strategy.options(population, population.jobs[0]!) }) : undefined;
  for (const job of population.jobs) {
    reported.set(job.id, []);
    scheduler.schedule(() => {
      simulation.addJob(population.api, { id: job.id, timeline: job.timeline.map(([status, at]) => [status, at] as [string, number]) });
      const see = (status: string) => reported.get(job.id)!.push([status, scheduler.now() - job.arrival]);
      if (strategy.schedule) return poll(job, fixedSchedule(strategy.schedule), see);
      if (strategy.oracle) return poll(job, oracleSchedule(job, strategy.oracle.pollsPerStatus), see);
      shared!.watch(job.id).subscribe({ next: (found) => see(shared!.statusOf(found)!) });
    }, job.arrival);
  }

  /** A schedule fixed in advance: the pause before each poll after the first. */
  function fixedSchedule(pauseBefore: (attempt: number, random: () => number) => number): Planner {
    let attempt = 0;
    return () => pauseBefore(++attempt, random);
  }

  /**
   * The oracle: clipstream's learned policy (the same pure function), fed each
   * status's true distribution for this job instead of what was learned, and
   * the same estimate of when the job entered its status.
   */
  function oracleSchedule(job: FrontierJob, pollsPerStatus: number): Planner {
    const truth = Object.fromEntries(Object.entries(population.truth(job)).map(([status, distribution]) => [status, histogramOf(distribution, random)]));
    const budget = { pollsPerStatus, floor: 1_000, maxPause: 15_000 };
    return (status, inStatusFor, sinceLastPoll) => nextPollIn({ inStatusFor, sinceLastPoll, durations: truth[status], budget }) ?? budget.maxPause;
  }

  /** A poller outside clipstream, on the same transport: asks, and asks again after what `plan` says. */
  function poll(job: FrontierJob, plan: Planner, see: (status: string) => void) {
    const provider = factory(config);
    const order = job.timeline.map(([status]) => status);
    let rank = -1;
    let enteredAt = scheduler.now();
    let lastSeenAt = scheduler.now();
    const ask = () => {
      const askedAt = scheduler.now();
      transport.request(provider.fetchRequest([job.id], undefined)).subscribe((response) => {
        const [result] = provider.decode(JSON.parse(response.body), [job.id], 'bench', () => 0);
        const found = result?.job === undefined ? undefined : provider.statuses.statusOf(result.job);
        const now = order.indexOf(found ?? '');
        if (now > rank) {
          if (rank >= 0) enteredAt = (lastSeenAt + askedAt) / 2;
          rank = now;
          see(found!);
        }
        lastSeenAt = askedAt;
        if (rank < order.length - 1) scheduler.schedule(ask, plan(order[rank] ?? '', scheduler.now() - enteredAt, scheduler.now() - askedAt));
      });
    };
    ask();
  }

  scheduler.flush();
  const latencies: number[] = [];
  const byHalf: [number[], number[]] = [[], []];
  let skipped = 0;
  let transitions = 0;
  let unfinished = 0;
  population.jobs.forEach((job, index) => {
    const seen = reported.get(job.id)!;
    const seenAt = new Map(seen);
    const last = job.timeline.at(-1)![0];
    if (seen.at(-1)?.[0] !== last) unfinished++;
    for (const [status, at] of job.timeline.slice(1)) {
      transitions++;
      const when = seenAt.get(status);
      if (when === undefined) {
        skipped++;
        continue;
      }
      latencies.push(when - at);
      byHalf[index < population.jobs.length / 2 ? 0 : 1].push(when - at);
    }
  });
  const sorted = [...latencies].sort((a, b) => a - b);
  const median = (values: number[]) => quantile([...values].sort((a, b) => a - b), 0.5);
  const stats = simulation.stats();
  const fetches = Object.values(stats.idsPerRequest).reduce((sum, count) => sum + count, 0);
  return {
    strategy: strategy.name,
    population: population.name,
    requestsPerJob: fetches / population.jobs.length,
    latency: { p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), max: sorted.at(-1) ?? Number.NaN },
    skippedShare: skipped / transitions,
    unfinished,
    halves: [median(byHalf[0]), median(byHalf[1])],
  };
}

/** Decides the pause before the next poll of a job: from its status, how long it has been in it, and since the last poll. */
type Planner = (status: string, inStatusFor: number, sinceLastPoll: number) => number;

/** A histogram of a distribution, from many samples of it. */
function histogramOf(distribution: { sample(random: () => number): number }, random: () => number): DurationSketch {
  const sketch = new DurationSketch(1);
  for (let index = 1; index <= 2_000; index++) sketch.add(distribution.sample(random), 1 / index);
  return sketch;
}

/** A strategy's curve in the chart (its budgets joined) and its label on it: "learned, 2.5 per status" is "2.5" on "learned polling". */
function seriesOf(strategy: string): { series?: string; short?: string } {
  const budget = /^(learned|oracle), ([\d.]+) per status( \(default\))?(, floor 250 ms)?$/.exec(strategy);
  if (budget) {
    const [, kind, perStatus, isDefault, lowFloor] = budget;
    const series = kind === 'oracle' ? 'oracle (knows each job)' : lowFloor ? 'learned, 250 ms floor' : 'learned polling (polls per status; * default)';
    return { series, short: `${perStatus}${isDefault ? '*' : ''}` };
  }
  const fixed = /^fixed (\d+) s$/.exec(strategy);
  if (fixed) return { series: 'fixed interval', short: `${fixed[1]} s` };
  return {};
}

/** The three tables, the goals checked against the figures, and the chart's panels: what `npm run bench` prints. */
export function frontierReport(results: readonly FrontierResult[]): { markdown: string[]; panels: Array<{ title: string; points: ChartPoint[] }> } {
  const markdown: string[] = [];
  const panels: Array<{ title: string; points: ChartPoint[] }> = [];
  const ms = (value: number) => (Number.isNaN(value) ? '–' : Math.round(value).toLocaleString('en'));
  for (const population of [...new Set(results.map((result) => result.population))]) {
    const rows = results.filter((result) => result.population === population);
    markdown.push(`#### ${population}`, '', '| strategy | requests/job | p50 ms | p99 ms | max ms | statuses skipped | p50 first half / second half |', '|---|---|---|---|---|---|---|');
    for (const row of rows) {
      markdown.push(
        `| ${row.strategy} | ${row.requestsPerJob.toFixed(2)} | ${ms(row.latency.p50)} | ${ms(row.latency.p99)} | ${ms(row.latency.max)} | ${(100 * row.skippedShare).toFixed(1)} % | ${ms(row.halves[0])} / ${ms(row.halves[1])} |`,
      );
    }
    const before = rows.find((row) => row.strategy.startsWith('growing'))!;
    const fixed1 = rows.find((row) => row.strategy === 'fixed 1 s')!;
    const learned = rows.filter((row) => row.strategy.startsWith('learned'));
    const cheapest = learned.reduce((a, b) => (a.requestsPerJob <= b.requestsPerJob ? a : b));
    const atBefore = learned.filter((row) => row.requestsPerJob <= before.requestsPerJob * 1.05).sort((a, b) => b.requestsPerJob - a.requestsPerJob)[0];
    // The learned budget that spends the most without spending more than fixed 1 s polling (5 % of slack), if it is within 10 % of it.
    const atFixed1 = learned
      .filter((row) => row.requestsPerJob <= fixed1.requestsPerJob * 1.05 && row.requestsPerJob >= fixed1.requestsPerJob * 0.9)
      .sort((a, b) => b.requestsPerJob - a.requestsPerJob)[0];
    const goal = (ok: boolean) => (ok ? 'met' : 'missed');
    const lines: string[] = [];
    if (atBefore) {
      lines.push(
        `At the requests of the schedule before (${before.requestsPerJob.toFixed(2)}/job), ${atBefore.strategy}: p50 ${(atBefore.latency.p50 / before.latency.p50).toFixed(2)}×, p99 ${(atBefore.latency.p99 / before.latency.p99).toFixed(2)}× (goal ≤ 0.6×: ${goal(atBefore.latency.p50 <= 0.6 * before.latency.p50 && atBefore.latency.p99 <= 0.6 * before.latency.p99)}), skipped ${(100 * atBefore.skippedShare).toFixed(1)} % against ${(100 * before.skippedShare).toFixed(1)} %.`,
      );
    } else {
      lines.push(
        `The schedule before spends ${before.requestsPerJob.toFixed(2)} requests/job; the cheapest learned budget (${cheapest.strategy}) spends ${cheapest.requestsPerJob.toFixed(2)} (${(cheapest.requestsPerJob / before.requestsPerJob).toFixed(2)}×), for p50 ${(cheapest.latency.p50 / before.latency.p50).toFixed(2)}× and p99 ${(cheapest.latency.p99 / before.latency.p99).toFixed(2)}× theirs: the goal at equal requests is missed (no learned budget goes that low).`,
      );
    }
    if (atFixed1) {
      const { p50, p99 } = atFixed1.latency;
      lines.push(
        `At the requests of fixed 1 s polling (${fixed1.requestsPerJob.toFixed(2)}/job), ${atFixed1.strategy} (${atFixed1.requestsPerJob.toFixed(2)}/job): p50 ${ms(p50)} against ${ms(fixed1.latency.p50)} ms (goal no worse: ${goal(p50 <= fixed1.latency.p50)}), p99 ${ms(p99)} against ${ms(fixed1.latency.p99)} ms (${goal(p99 <= fixed1.latency.p99)}).`,
      );
    } else {
      const most = learned.reduce((a, b) => (a.requestsPerJob >= b.requestsPerJob ? a : b));
      const closest = learned.reduce((a, b) => (Math.abs(a.requestsPerJob - fixed1.requestsPerJob) <= Math.abs(b.requestsPerJob - fixed1.requestsPerJob) ? a : b));
      lines.push(
        most.requestsPerJob < fixed1.requestsPerJob * 0.9
          ? `Fixed 1 s polling spends ${fixed1.requestsPerJob.toFixed(2)} requests/job; the most a learned budget here spends is ${most.requestsPerJob.toFixed(2)} (${most.strategy}), for p50 ${ms(most.latency.p50)} and p99 ${ms(most.latency.p99)} against ${ms(fixed1.latency.p50)} and ${ms(fixed1.latency.p99)} ms: the goal at equal requests is missed (no learned budget goes that high).`
          : `Fixed 1 s polling spends ${fixed1.requestsPerJob.toFixed(2)} requests/job; no learned budget spends within 10 % below or 5 % above it; the closest, ${closest.strategy} (${closest.requestsPerJob.toFixed(2)}/job), has p50 ${ms(closest.latency.p50)} and p99 ${ms(closest.latency.p99)} against ${ms(fixed1.latency.p50)} and ${ms(fixed1.latency.p99)} ms (goal not checked at equal requests).`,
      );
    }
    // Against each oracle budget, the learned budget nearest it in requests, at the oracle's floor (the default):
    // the goal holds at equal requests (within 10 %).
    const atDefaultFloor = learned.filter((row) => !row.strategy.includes('floor'));
    for (const oracle of rows.filter((row) => row.strategy.startsWith('oracle'))) {
      const nearest = atDefaultFloor.reduce((a, b) => (Math.abs(a.requestsPerJob - oracle.requestsPerJob) <= Math.abs(b.requestsPerJob - oracle.requestsPerJob) ? a : b));
      const share = nearest.requestsPerJob / oracle.requestsPerJob;
      const ratio = `p50 ${(nearest.latency.p50 / oracle.latency.p50).toFixed(2)}× the ${oracle.strategy} (${oracle.requestsPerJob.toFixed(2)}/job), at ${share.toFixed(2)}× its requests`;
      lines.push(
        share >= 0.9 && share <= 1.1
          ? `At the requests of the ${oracle.strategy}, ${nearest.strategy}: ${ratio} (goal ≤ 1.3×: ${goal(nearest.latency.p50 <= 1.3 * oracle.latency.p50)}).`
          : `No learned budget spends within 10 % of the ${oracle.strategy}; the nearest, ${nearest.strategy}: ${ratio} (not at equal requests).`,
      );
    }
    markdown.push('', ...lines, '');
    panels.push({ title: population, points: rows.map((row): ChartPoint => ({ ...seriesOf(row.strategy), label: row.strategy, requestsPerJob: row.requestsPerJob, p50: Math.max(1, row.latency.p50), clipstream: row.strategy.startsWith('learned') || row.strategy.startsWith('oracle') })) });
  }
  return { markdown, panels };
}
