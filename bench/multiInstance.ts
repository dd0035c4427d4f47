import { lastValueFrom, map, tap, toArray } from 'rxjs';
import { aimlSuno, createClient, relay } from 'clipstream';
import { createRelay } from 'clipstream/relay';
import { startSimulator, type Simulator } from 'clipstream/simulator';
import { memoryStore } from 'clipstream/store';
import { startRedis } from '../test/support/redisServer.js';
import { killInstance, roundRobin, startInstance, type Instance } from '../test/support/roundRobin.js';

/**
 * The relay on several instances, on loopback: relay processes on one
 * redis-server behind a round-robin balancer, 100 jobs with two browser-side
 * viewers each. Figures: upstream requests per job with 1 and with 3
 * instances, the latency of a transition reaching a browser (from when the
 * simulator makes it), the time for a dead instance's jobs to be polled
 * again by another, and memory per stream and per upstream watch.
 */
export interface MultiInstanceFigures {
  readonly instances: Record<string, { requestsPerJob: number; p50: number; p99: number; runs: number }>;
  readonly takeoverMs: { p50: number; max: number; jobs: number };
  readonly memory: { streams: number; bytesPerStream: number; upstreams: number; bytesPerUpstream: number };
}

const timeScale = 0.2;
// Statuses 2 s apart at timeScale 0.2.
const timeline = [['submitted', 0], ['queued', 10_000], ['streaming', 20_000], ['complete', 30_000]] as const;
const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};

/** One population through `count` instances: requests per job and transition latency. */
async function throughInstances(sim: Simulator, redisUrl: string, count: number, tag: string, kill: boolean) {
  const balancer = await roundRobin();
  const env = { REDIS_URL: redisUrl, SIM_URL: sim.url, SIM_KEY: sim.apiKey, ALLOWED_HOST: `127.0.0.1:${balancer.port}`, LEASE_TTL: '600', MAX_CONNECTIONS: '256' };
  const started = await Promise.all(Array.from({ length: count }, () => startInstance(env)));
  started.forEach((instance, index) => (balancer.instances[index] = instance));
  const ids = Array.from({ length: 100 }, (_, index) => `${tag}-${index}`);
  const before = sim.requests().length;
  const startedAt = new Map<string, number>();
  for (const id of ids) {
    sim.addJob('aiml-suno', { id, timeline });
    startedAt.set(id, Date.now());
  }
  const latencies: number[] = [];
  const browsers = Array.from({ length: 200 }, () => createClient(relay({ baseUrl: balancer.url, api: 'aiml-suno' })));
  const offsets = new Map<string, number>(timeline.map(([status, at]) => [status, at * timeScale]));
  const runs = browsers.map((browser, index) =>
    lastValueFrom(
      browser.watch(ids[index % 100]!).pipe(
        map((clip) => clip.status),
        // A status the browser learns at once (its first) is not a transition it waited for.
        tap((status) => status !== 'submitted' && latencies.push(Date.now() - startedAt.get(ids[index % 100]!)! - offsets.get(status)!)),
        toArray(),
      ),
    ),
  );
  let takeovers: number[] = [];
  if (kill) {
    // During "queued", the instance that answered most is killed: its jobs are polled again by another.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    // The simulator's clock is the wall clock (its timeScale scales the lives, not the clock).
    const killedAt = Date.now();
    await killInstance(balancer.instances[0]!);
    balancer.instances[0] = undefined;
    await Promise.all(runs);
    // For each job whose poll was cut by the kill: the gap to the next poll of it, by another instance.
    takeovers = ids.flatMap((id) => {
      const polls = sim.requests().slice(before).filter((request) => request.kind === 'fetch' && request.ids.includes(id));
      const cut = polls.find((request) => request.status === undefined && (request.endedAt ?? 0) >= killedAt - 50);
      const next = cut && polls.find((request) => request.startedAt > cut.startedAt);
      return cut && next ? [next.startedAt - killedAt] : [];
    });
  } else await Promise.all(runs);
  const fetches = sim.requests().slice(before).filter((request) => request.kind === 'fetch').length;
  await Promise.all(balancer.instances.map((instance: Instance | undefined) => instance && killInstance(instance)));
  await balancer.close();
  return { requestsPerJob: fetches / ids.length, p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99), runs: latencies.length, takeovers };
}

/** Heap per stream and per upstream watch of one in-process relay on memoryStore. */
async function memory(sim: Simulator): Promise<MultiInstanceFigures['memory']> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) process.stdout.write('(no gc: run node with --expose-gc for steady heap figures)\n');
  const heap = () => {
    gc?.();
    gc?.();
    return process.memoryUsage().heapUsed;
  };
  const handler = createRelay({ clients: { 'aiml-suno': createClient(aimlSuno({ apiKey: sim.apiKey, baseUrl: sim.url })) }, store: memoryStore(), maxUpstreams: 100_000 });
  const json = { 'content-type': 'application/json' };
  const streams = 10_000;
  const readers: Array<ReadableStreamDefaultReader<Uint8Array>> = [];
  const base = heap();
  const sids: string[] = [];
  for (let index = 0; index < streams; index++) {
    const response = await handler.fetch(new Request('http://127.0.0.1/r/events'));
    const reader = response.body!.getReader();
    readers.push(reader);
    sids.push(/"stream":"([0-9a-f]+)"/.exec(new TextDecoder().decode((await reader.read()).value))![1]!);
  }
  const withStreams = heap();
  // Settled the same way before and after the watches start: the earlier phases' garbage is not counted against them.
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  const beforeUpstreams = heap();
  // 1,000 jobs watched upstream (long-polls held by the simulator), each followed by one stream.
  const upstreams = 1_000;
  for (let index = 0; index < upstreams; index++) sim.addJob('aiml-suno', { id: `mem-${index}`, timeline: [['submitted', 0], ['complete', 3_600_000]] });
  for (let index = 0; index < upstreams; index++) {
    await handler.fetch(new Request(`http://127.0.0.1/r/streams/${sids[index]}`, { method: 'POST', headers: json, body: JSON.stringify({ add: [{ api: 'aiml-suno', id: `mem-${index}` }] }) }));
  }
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  const withUpstreams = heap();
  await handler.close();
  for (const reader of readers) await reader.cancel().catch(() => undefined);
  return { streams, bytesPerStream: (withStreams - base) / streams, upstreams, bytesPerUpstream: (withUpstreams - beforeUpstreams) / upstreams };
}

/** Rounds of each set-up, interleaved (1, 3, 3 with a kill, then again): each figure is the median of its rounds. */
const rounds = 3;
const median = (values: number[]) => quantile(values, 0.5);

export async function multiInstanceBench(): Promise<MultiInstanceFigures> {
  const sim = await startSimulator({ timeScale });
  const redis = await startRedis();
  try {
    type Run = Awaited<ReturnType<typeof throughInstances>>;
    const results: { one: Run[]; three: Run[]; killed: Run[] } = { one: [], three: [], killed: [] };
    for (let round = 0; round < rounds; round++) {
      results.one.push(await throughInstances(sim, redis.url, 1, `one-${round}`, false));
      results.three.push(await throughInstances(sim, redis.url, 3, `three-${round}`, false));
      results.killed.push(await throughInstances(sim, redis.url, 3, `kill-${round}`, true));
    }
    const row = (all: Run[]) => ({
      requestsPerJob: median(all.map((run) => run.requestsPerJob)),
      p50: median(all.map((run) => run.p50)),
      p99: median(all.map((run) => run.p99)),
      runs: median(all.map((run) => run.runs)),
    });
    const takeovers = results.killed.map((run) => run.takeovers);
    return {
      instances: { '1 instance': row(results.one), '3 instances': row(results.three), '3 instances, one killed': row(results.killed) },
      takeoverMs: { p50: median(takeovers.map((run) => quantile(run, 0.5))), max: Math.max(...takeovers.flat()), jobs: median(takeovers.map((run) => run.length)) },
      memory: await memory(sim),
    };
  } finally {
    await redis.stop();
    await sim.close();
  }
}
