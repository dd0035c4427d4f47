import fc from 'fast-check';
import { asyncScheduler, concat, defer, lastValueFrom, map, Observable, of, Subject, takeWhile, timeout, toArray, type SchedulerLike } from 'rxjs';
import { aimlSuno, createClient, relay, type Client } from '../../src/index.js';
import type { AnyProvider } from '../../src/providers/Provider.js';
import { createRelay } from '../../src/relayServer/index.js';
import { sunoClip } from '../../src/testing/index.js';

// The relay's promise under random timelines, watch starts and stream cuts:
// every browser watch sees a contiguous run of its job's statuses, rising,
// without a duplicate or a gap, to the last one; and no stream is left open.
// In process: the browser client's fetch is the relay's own `.fetch`, with
// streams that the scenario cuts as a network would. Real time (streams and
// promises), with the client's timers sped up 50 times.
const statuses = ['submitted', 'queued', 'streaming', 'complete'] as const;
type Status = (typeof statuses)[number];

/** The client's scheduler, 50 times faster: reconnection back-off and idle timers in milliseconds. */
const hurried: SchedulerLike = {
  now: () => Date.now(),
  schedule: ((work: never, delay = 0, state?: never) => asyncScheduler.schedule(work, delay / 50, state)) as SchedulerLike['schedule'],
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One upstream job: its status now, and its changes as they happen. */
class FakeJob {
  status: Status = 'submitted';
  readonly changes = new Subject<Status>();
  readonly seen: Status[] = ['submitted'];
  move(to: Status): void {
    this.status = to;
    this.seen.push(to);
    this.changes.next(to);
  }
  watch(id: string): Observable<ReturnType<typeof sunoClip>> {
    return defer(() => concat(of(this.status), this.changes)).pipe(
      takeWhile((status) => status !== 'complete', true),
      map((status) => sunoClip(id, status)),
    );
  }
}

const scenarioArb = fc.record({
  // Each job: which statuses it passes after submitted (in order), and the pause before each, in ms.
  jobs: fc.array(
    fc.record({
      steps: fc.subarray(['queued', 'streaming'] as Status[]).map((picked) => [...picked, 'complete'] as Status[]),
      pauses: fc.array(fc.integer({ min: 1, max: 25 }), { minLength: 3, maxLength: 3 }),
    }),
    { minLength: 1, maxLength: 3 },
  ),
  watchers: fc.array(fc.record({ job: fc.nat(), startAt: fc.integer({ min: 0, max: 40 }) }), { minLength: 1, maxLength: 4 }),
  cuts: fc.array(fc.integer({ min: 0, max: 80 }), { maxLength: 3 }),
});

describe('relay (fast-check, in process)', () => {
  it('every watch sees a contiguous rising run of its job to the end, through cut streams; nothing stays open', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async ({ jobs, watchers, cuts }) => {
        const fakes = jobs.map(() => new FakeJob());
        const upstream = createClient(aimlSuno({ apiKey: 'sk-property-0123456789' }));
        const client: Client<AnyProvider> = { ...upstream, watch: (id: string) => fakes[Number(id.slice(4))]!.watch(id) as never };
        const relayHandler = createRelay({ clients: { 'aiml-suno': client }, grace: 20 });
        const open = new Set<ReadableStreamDefaultController<Uint8Array>>();
        const cutAll = () => {
          for (const controller of open) controller.error(new Error('the network cut the stream'));
          open.clear();
        };
        // The browser's fetch: straight to the relay, with event streams the scenario can cut.
        const fetch = async (url: string, init: { method: string; headers: Record<string, string>; body?: string; signal: AbortSignal }) => {
          const response = await relayHandler.fetch(new Request(url, init), '127.0.0.1');
          if (!response.headers.get('content-type')?.startsWith('text/event-stream') || !response.body) return response;
          const reader = response.body.getReader();
          let mine: ReadableStreamDefaultController<Uint8Array>;
          const body = new ReadableStream<Uint8Array>({
            start(controller) {
              mine = controller;
              open.add(controller);
              void (async () => {
                try {
                  for (;;) {
                    const { done, value } = await reader.read();
                    if (done || !open.has(controller)) break;
                    controller.enqueue(value);
                  }
                } catch {
                  /* cut */
                }
                open.delete(controller);
                void reader.cancel().catch(() => undefined);
              })();
            },
            cancel() {
              open.delete(mine);
              void reader.cancel().catch(() => undefined);
            },
          });
          init.signal.addEventListener('abort', () => {
            if (open.delete(mine)) mine.error(new Error('aborted'));
            void reader.cancel().catch(() => undefined);
          });
          return new Response(body, { status: response.status, headers: response.headers });
        };
        const browser = createClient(relay({ baseUrl: 'http://relay.test/api/clipstream', api: aimlSuno }), { fetch: fetch as never, scheduler: hurried });

        const runs = watchers.map(async ({ job, startAt }) => {
          await sleep(startAt);
          const index = job % fakes.length;
          // A watch that hangs (a lost last status) fails the run in 2 s, with the scenario, instead of the whole test timing out.
          const seen = browser.watch(`job-${index}`).pipe(map((clip) => clip.status as Status), timeout({ each: 2_000 }), toArray());
          return { index, seen: await lastValueFrom(seen) };
        });
        const timelines = jobs.map(async ({ steps, pauses }, index) => {
          for (const [step, to] of steps.entries()) {
            await sleep(pauses[step]!);
            fakes[index]!.move(to);
          }
        });
        const cutting = cuts.map(async (at) => {
          await sleep(at);
          cutAll();
        });
        const results = await Promise.all(runs);
        await Promise.all([...timelines, ...cutting]);

        for (const { index, seen } of results) {
          const all = fakes[index]!.seen;
          const from = all.indexOf(seen[0]!);
          expect(from).toBeGreaterThanOrEqual(0);
          // A contiguous run of the job's statuses, to its last: nothing skipped, nothing twice, nothing reversed.
          expect(seen).toEqual(all.slice(from));
        }
        // Every watch is over: the client closes its stream, and the relay lets go of the upstream watches.
        await sleep(150);
        expect(open.size).toBe(0);
        relayHandler.close();
      }),
      // Each failing run takes seconds: report the first one found rather than shrink it.
      { numRuns: Number(process.env.RELAY_RUNS ?? 25), seed: Number(process.env.RELAY_SEED ?? 20261123), endOnFailure: true },
    );
  }, 60_000);
});
