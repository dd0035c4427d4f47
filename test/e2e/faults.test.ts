import { lastValueFrom, merge, toArray } from 'rxjs';
import { aimlLuma, aimlSuno, createClient, lumaStatuses, sunoApi, sunoStatuses, type ClientOptions, type StatusModel } from '../../src/index.js';
import { faultKinds, startSimulator, type Simulator } from '../../src/simulator/index.js';

// 1,000 jobs with random lives (seeded) under a 30 % fault rate of every kind:
// every job must reach its final status with its transitions in order, none
// twice, none reported by the server and lost, and no request left open.
const counts = { 'aiml-suno': 400, 'aiml-luma': 300, sunoapi: 300 } as const;
// 30 %, so the share measured (at least 20 % required) stays clear of it even
// when a loaded machine makes only ~600 requests: 20 % is then over 5 sigma away.
const faultRate = 0.3;

let sim: Simulator;
afterAll(() => sim?.close());

it('1,000 jobs under 30 % injected faults all reach their final status, with nothing lost, doubled or reversed', async () => {
  sim = await startSimulator({
    timeScale: 0.02,
    seed: 2026,
    failureRate: 0.1,
    faults: { rate: faultRate, kinds: [...faultKinds], retryAfter: 1, slowBy: 5_000 },
  });
  const ids = Object.fromEntries(
    Object.entries(counts).map(([api, count]) => [api, Array.from({ length: count }, () => sim.addJob(api as keyof typeof counts).id)]),
  ) as Record<keyof typeof counts, string[]>;

  const options: ClientOptions = { retry: { limit: 12, baseDelay: 10, maxDelay: 200 }, polling: { interval: 20, maxInterval: 100 }, overflowInterval: 20 };
  const provider = { apiKey: sim.apiKey, baseUrl: sim.url };
  const suno = createClient(aimlSuno(provider), options);
  const luma = createClient(aimlLuma(provider), options);
  const sunoapi = createClient(sunoApi(provider), options);
  const seen = await lastValueFrom(
    merge(suno.watchMany(ids['aiml-suno']), luma.watchMany(ids['aiml-luma']), sunoapi.watchMany(ids.sunoapi)).pipe(toArray()),
  );

  const emitted = new Map<string, string[]>();
  for (const job of seen) {
    const status = (job as { status?: string; state?: string }).state ?? (job as { status?: string }).status!;
    emitted.set(job.id, [...(emitted.get(job.id) ?? []), status]);
  }
  const problems: string[] = [];
  for (const job of sim.jobs()) {
    const model: StatusModel = job.api === 'aiml-luma' ? lumaStatuses : sunoStatuses;
    const got = emitted.get(job.id) ?? [];
    const ranks = got.map((status) => model.priority(model.parse(status)!));
    const life = job.timeline.map(([status]) => status);
    if (got.at(-1) !== job.finalStatus) problems.push(`${job.id}: ended at ${got.at(-1)}, not ${job.finalStatus}`);
    if (ranks.some((rank, index) => index > 0 && rank <= ranks[index - 1]!)) problems.push(`${job.id}: not rising: ${got.join(' ')}`);
    if (got.some((status) => !life.includes(status))) problems.push(`${job.id}: ${got.join(' ')} is not from its life ${life.join(' ')}`);
    const lost = job.delivered.filter((status) => !got.includes(status));
    if (lost.length > 0) problems.push(`${job.id}: the server sent ${lost.join(', ')} but it was not emitted`);
  }
  expect(problems).toEqual([]);
  expect(emitted.size).toBe(1000);

  // Every request has ended, and the faults really were at the rate asked.
  await new Promise((resolve) => setTimeout(resolve, 50));
  const stats = sim.stats();
  expect(stats.open).toBe(0);
  const fetches = Object.values(stats.idsPerRequest).reduce((sum, n) => sum + n, 0);
  const faults = Object.values(stats.faults).reduce((sum, n) => sum + n, 0);
  expect(faults / fetches).toBeGreaterThanOrEqual(0.2);
  expect(Object.keys(stats.faults).sort()).toEqual([...faultKinds].sort());
  // Batching held: never more ids per request than each API allows.
  const maxIds = Math.max(...Object.keys(stats.idsPerRequest).map(Number));
  expect(maxIds).toBeLessThanOrEqual(6);
  console.log(
    `fault suite: ${seen.length} transitions of 1000 jobs, ${fetches} fetch requests, ${faults} faults ` +
      `(${((100 * faults) / fetches).toFixed(1)} %): ${JSON.stringify(stats.faults)}; ids per request ${JSON.stringify(stats.idsPerRequest)}`,
  );
}, 120_000);
