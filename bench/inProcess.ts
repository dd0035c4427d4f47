import { NEVER, Observable } from 'rxjs';
import { aimlSuno, createClient, type HttpRequest, type HttpResponse, type Transport } from 'clipstream';

/**
 * The pipeline in process: an in-memory transport that answers every request
 * at once, so what is measured is clipstream (scheduling, requests, JSON,
 * io-ts, the expand chain), not a network. Run with --expose-gc.
 */

const order = ['submitted', 'queued', 'streaming', 'complete'];
const waitIndex: Record<string, number> = { submitted: 0, queued: 1, streaming: 2, completed: 3 };
const largest = 30_000;
// Answers are rendered once, up front: the transport should cost next to nothing.
const answers = Array.from({ length: largest }, (_, index) =>
  order.map((status) => ({
    status: 200,
    headers: {},
    body: JSON.stringify({ id: `job-${index}`, status, title: `clip ${index}`, audio_url: '', image_url: '', metadata: { tags: 'lo-fi', prompt: 'rain' } }),
  })),
);
const answer = (response: HttpResponse) =>
  new Observable<HttpResponse>((subscriber) => {
    subscriber.next(response);
    subscriber.complete();
  });

/** Answers with each asked job at the status waited for (a long-poll the server answers at once), or at `submitted`. */
const instant: Transport = {
  request(request: HttpRequest) {
    const { url } = request;
    const wait = waitIndex[url.slice(url.lastIndexOf('status=') + 7)]!;
    const single = url.indexOf('clip_id=job-');
    if (single >= 0) return answer(answers[Number(url.slice(single + 12, url.indexOf('&', single)))]![wait]!);
    const bodies = url
      .split('clip_ids%5B%5D=job-')
      .slice(1)
      .map((part) => answers[Number(part.slice(0, part.indexOf('&')))]![wait]!.body);
    return answer({ status: 200, headers: {}, body: `[${bodies.join(',')}]` });
  },
};

/** Watches `jobs` jobs from submitted to complete with default options; µs of wall time per transition. */
async function throughput(jobs: number): Promise<number> {
  const client = createClient(aimlSuno({ apiKey: 'bench-key-0123456789' }), { transport: instant });
  let transitions = 0;
  let done = 0;
  const started = performance.now();
  await new Promise<void>((resolve) => {
    for (let index = 0; index < jobs; index++) {
      client.watch(`job-${index}`).subscribe({
        next: () => transitions++,
        complete: () => {
          if (++done === jobs) resolve();
        },
      });
    }
  });
  if (transitions !== jobs * 4) throw new Error(`expected ${jobs * 4} transitions, saw ${transitions}`);
  return ((performance.now() - started) * 1000) / transitions;
}

const gc = () => (globalThis as { gc?: () => void }).gc!();

/** Heap kept per watched job while it waits (its long-poll open or queued for a slot), default options. */
async function idleHeap(jobs: number): Promise<number> {
  const client = createClient(aimlSuno({ apiKey: 'bench-key-0123456789' }), { transport: { request: () => NEVER } });
  const ids = Array.from({ length: jobs }, (_, index) => `job-${index}`);
  await settle();
  const before = process.memoryUsage().heapUsed;
  const watches = ids.map((id) => client.watch(id, { since: 'submitted' }).subscribe());
  await settle();
  const perJob = (process.memoryUsage().heapUsed - before) / jobs;
  for (const watch of watches) watch.unsubscribe();
  return perJob;
}

/** Lets pending timers run, then collects everything collectable. */
async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 20));
  for (let round = 0; round < 3; round++) gc();
}

/** Milliseconds to unsubscribe `jobs` watches waiting for their first read. */
function unsubscribeAll(jobs: number): number {
  const client = createClient(aimlSuno({ apiKey: 'bench-key-0123456789' }), { transport: { request: () => NEVER } });
  const watches = Array.from({ length: jobs }, (_, index) => client.watch(`job-${index}`).subscribe());
  const started = performance.now();
  for (const watch of watches) watch.unsubscribe();
  return performance.now() - started;
}

const stats = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { min: sorted[0]!, median: sorted[Math.floor(sorted.length / 2)]!, max: sorted.at(-1)!, runs: sorted.length, values: sorted };
};

async function main() {
  const repeats = Number(process.argv[2] ?? 7);
  for (let warmup = 0; warmup < 3; warmup++) await throughput(3_000);
  const perTransition: Record<string, ReturnType<typeof stats>> = {};
  for (const jobs of [1_000, 10_000, 30_000]) {
    const runs: number[] = [];
    // No forced GC between runs: a full GC shrinks the young generation, and the next short run would pay to grow it back.
    for (let run = 0; run < repeats; run++) runs.push(await throughput(jobs));
    perTransition[jobs] = stats(runs);
  }
  const heaps: number[] = [];
  for (let run = 0; run < 3; run++) heaps.push(await idleHeap(10_000));
  const heap = stats(heaps);
  const unsubscribe = stats([unsubscribeAll(200_000), unsubscribeAll(200_000), unsubscribeAll(200_000)]);
  process.stdout.write(`${JSON.stringify({ perTransitionMicros: perTransition, idleHeapBytesPerJob: heap, unsubscribe200kMs: unsubscribe })}\n`);
  process.exit(0);
}

void main();
