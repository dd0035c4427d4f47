import fc from 'fast-check';
import { concat, defer, finalize, map, Observable, of, Subject, takeWhile } from 'rxjs';
import { aimlSuno, createClient, relay, type Client } from '../../src/index.js';
import type { AnyProvider } from '../../src/providers/Provider.js';
import { createRelay } from '../../src/relayServer/index.js';
import { sunoClip } from '../../src/testing/index.js';
import { VirtualClock } from '../support/virtualClock.js';

// The relay's promise under random timelines, watch starts and stream cuts:
// every browser watch sees a contiguous run of its job's statuses, rising,
// without a duplicate or a gap, to the last one (or to when it unsubscribed);
// and afterwards no stream
// and no upstream watch is left open. In process and in virtual time: the
// browser client's fetch is the relay's own `.fetch`, with streams that the
// scenario cuts as a network would; the relay, its store, the browser client
// and the jobs all run on one VirtualClock, so a run takes milliseconds and
// a failure shrinks.
// `moderating` is a status no model has (as a later API version might send it): the relay and the browser report it once.
const statuses = ['submitted', 'queued', 'moderating', 'streaming', 'complete'] as const;
type Status = (typeof statuses)[number];

/** One upstream job: its status now, and its changes as they happen. */
class FakeJob {
  status: Status = 'submitted';
  readonly changes = new Subject<Status>();
  readonly seen: Status[] = ['submitted'];
  /** Upstream watches of this job still subscribed. */
  watching = 0;
  move(to: Status): void {
    this.status = to;
    this.seen.push(to);
    this.changes.next(to);
  }
  watch(id: string): Observable<ReturnType<typeof sunoClip>> {
    return defer(() => {
      this.watching += 1;
      return concat(of(this.status), this.changes);
    }).pipe(
      takeWhile((status) => status !== 'complete', true),
      map((status) => ({ ...sunoClip(id, status === 'moderating' ? 'queued' : status), status })),
      finalize(() => (this.watching -= 1)),
    );
  }
}

/** A scenario whose network outages last at most `longest` virtual ms. */
const scenarioArb = (longest: number) =>
  fc.record({
    // Each job: which statuses it passes after submitted (in order), and the pause before each, in virtual ms.
    jobs: fc.array(
      fc.record({
        // A job that never finishes is watched until its watchers leave.
        steps: fc
          .tuple(fc.subarray(['queued', 'moderating', 'streaming'] as Status[]), fc.boolean())
          .map(([picked, finishes]) => (finishes ? [...picked, 'complete'] : picked) as Status[]),
        pauses: fc.array(fc.integer({ min: 1, max: 3_000 }), { minLength: 4, maxLength: 4 }),
      }),
      { minLength: 1, maxLength: 3 },
    ),
    // Each watcher: its job, when it starts, and how long after that it unsubscribes if the job has not ended (never: 20 s for a job that never finishes).
    watchers: fc.array(fc.record({ job: fc.nat(), startAt: fc.integer({ min: 0, max: 6_000 }), leavesAfter: fc.option(fc.integer({ min: 0, max: 8_000 })) }), {
      minLength: 1,
      maxLength: 4,
    }),
    // When the network goes down (every open stream is cut, every request fails, as when the relay restarts) and for how long (0: a cut, and it is back at once).
    outages: fc.array(fc.record({ at: fc.integer({ min: 0, max: 10_000 }), lasts: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: longest })) }), { maxLength: 3 }),
    // The browser's reconnection jitter.
    jitter: fc.double({ min: 0, max: 0.999, noNaN: true }),
  });
type Scenario = ReturnType<typeof scenarioArb> extends fc.Arbitrary<infer T> ? T : never;

interface WatchResult {
  readonly index: number;
  readonly seen: Status[];
  started: boolean;
  ended: boolean;
  /** When it ended (virtual ms). */
  endedAt?: number;
  /** It unsubscribed before its watch completed. */
  left: boolean;
  error: unknown;
}

/**
 * Runs one scenario to its end on a VirtualClock: the relay (with its
 * default grace, 10 s), its store, the browser client and the jobs. Returns
 * what each watch saw, once every watch is over and thirty more virtual
 * seconds have passed, with what is still open then.
 */
async function run({ jobs, watchers, outages, jitter }: Scenario) {
  const clock = new VirtualClock();
  const { scheduler } = clock;
  const fakes = jobs.map(() => new FakeJob());
  const upstream = createClient(aimlSuno({ apiKey: 'sk-property-0123456789' }));
  const client: Client<AnyProvider> = { ...upstream, watch: (id: string) => fakes[Number(id.slice(4))]!.watch(id) as never };
  const relayHandler = createRelay({ clients: { 'aiml-suno': client }, scheduler });
  const open = new Set<ReadableStreamDefaultController<Uint8Array>>();
  let down = 0;
  /** When the browser tried to open or resume its stream, and when the network came back with a watch still going. */
  const streamTries: number[] = [];
  const returns: number[] = [];
  const cutAll = () => {
    for (const controller of open) controller.error(new Error('the network cut the stream'));
    open.clear();
  };
  // The browser's fetch: straight to the relay, with event streams the scenario can cut. As over
  // TCP, the relay learns of a cut when it next writes to the stream (a heartbeat, an event).
  const fetch = async (url: string, init: { method: string; headers: Record<string, string>; body?: string; signal: AbortSignal }) => {
    if (init.method === 'GET') streamTries.push(clock.now());
    if (down > 0) throw new TypeError('fetch failed: the network is down');
    const response = await relayHandler.fetch(new Request(url, init), '127.0.0.1');
    // Aborted while the relay answered: as a real fetch, it rejects, and nothing stays open.
    if (init.signal.aborted) {
      void response.body?.cancel().catch(() => undefined);
      throw new DOMException('the request was aborted', 'AbortError');
    }
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
            if (open.delete(controller)) controller.close();
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
  const browser = createClient(relay({ baseUrl: 'http://relay.test/api/clipstream', api: 'aiml-suno', reconnect: { random: () => jitter } }), {
    fetch: fetch as never,
    scheduler,
  });

  const results: WatchResult[] = watchers.map(({ job }) => ({ index: job % fakes.length, seen: [], started: false, ended: false, left: false, error: undefined }));
  for (const [n, { startAt, leavesAfter }] of watchers.entries()) {
    const result = results[n]!;
    const finishes = jobs[result.index]!.steps.includes('complete');
    const leaves = leavesAfter ?? (finishes ? undefined : 20_000);
    scheduler.schedule(() => {
      result.started = true;
      const watch = browser.watch(`job-${result.index}`).subscribe({
        next: (clip) => result.seen.push(clip.status as Status),
        error: (error: unknown) => {
          result.error = error;
          result.ended = true;
          result.endedAt = clock.now();
        },
        complete: () => {
          result.ended = true;
          result.endedAt = clock.now();
        },
      });
      if (leaves !== undefined) {
        scheduler.schedule(() => {
          if (result.ended) return;
          watch.unsubscribe();
          result.left = result.ended = true;
          result.endedAt = clock.now();
        }, leaves);
      }
    }, startAt);
  }
  for (const [index, { steps, pauses }] of jobs.entries()) {
    let at = 0;
    for (const [step, to] of steps.entries()) {
      at += pauses[step]!;
      scheduler.schedule(() => fakes[index]!.move(to), at);
    }
  }
  for (const { at, lasts } of outages) {
    scheduler.schedule(() => {
      down += 1;
      cutAll();
      scheduler.schedule(() => {
        down -= 1;
        if (down === 0 && results.some((result) => result.started && !result.ended)) returns.push(clock.now());
      }, lasts);
    }, at);
  }

  // Ten virtual minutes is far past every timeline, outage and reconnection in a scenario.
  await clock.advanceTo(600_000, () => results.every((result) => result.ended));
  // Every watch is over: the client closes its stream after its linger (2 s); the relay learns of a stream cut silently at
  // its next heartbeat (15 s) at the latest, and lets go of the upstream watches after grace (10 s).
  await clock.advanceBy(30_000);
  const left = { streams: open.size, upstreams: fakes.reduce((sum, fake) => sum + fake.watching, 0) };
  await relayHandler.close();
  // Each return of the network with a watch going on for 4 s more: the browser tried its stream again within 4 s (the longest
  // back-off), unless the network went down again before.
  const outageStarts = outages.map(({ at }) => at);
  const stillWatching = (back: number) => results.some((result) => result.started && (result.endedAt === undefined || result.endedAt > back + 4_000));
  const lateReturns = returns.filter(
    (back) => stillWatching(back) && !streamTries.some((at) => at >= back && at <= back + 4_000) && !outageStarts.some((at) => at > back && at <= back + 4_000),
  );
  return { results, histories: fakes.map((fake) => fake.seen), left, lateReturns };
}

const runs = { numRuns: Number(process.env.RELAY_RUNS ?? 100), seed: Number(process.env.RELAY_SEED ?? 20261123) };

describe('relay (fast-check, in process, virtual time)', () => {
  it('a browser away for less than grace sees a contiguous rising run of each job to the end; nothing stays open', async () => {
    // Outages of up to 3 s: with the back-off (0.5, 1, 2 s…), every browser is back within grace (10 s).
    await fc.assert(
      fc.asyncProperty(scenarioArb(3_000), async (scenario) => {
        const { results, histories, left, lateReturns } = await run(scenario);
        expect(lateReturns).toEqual([]);
        for (const { index, seen: reported, left, error } of results) {
          expect(error).toBeUndefined();
          // moderating (a status no model has) is reported at most once, right after the status it came after; a browser
          // away while a known status passed it does not get it on its resume.
          const all = histories[index]!;
          expect(reported.filter((status) => status === 'moderating').length).toBeLessThanOrEqual(1);
          const at = reported.indexOf('moderating');
          if (at > 0) expect(all[all.indexOf('moderating') - 1]).toBe(reported[at - 1]);
          if (at === 0) expect(all.indexOf('moderating')).toBe(0);
          const seen = reported.filter((status) => status !== 'moderating');
          const known = all.filter((status) => status !== 'moderating');
          if (left && seen.length === 0) continue;
          const from = known.indexOf(seen[0]!);
          expect(from).toBeGreaterThanOrEqual(0);
          // Of the statuses a model knows, a contiguous run, to its last unless it left: nothing skipped, nothing twice, nothing reversed.
          expect(seen).toEqual(known.slice(from, left ? from + seen.length : undefined));
        }
        expect(left).toEqual({ streams: 0, upstreams: 0 });
      }),
      runs,
    );
  }, 120_000);

  it('a browser away for longer still sees each job rising to its end, nothing twice (a status passed while nobody watched is skipped)', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb(40_000), async (scenario) => {
        const { results, histories, left, lateReturns } = await run(scenario);
        // However long the outage, the browser is back within seconds of the network.
        expect(lateReturns).toEqual([]);
        for (const { index, seen, left, error } of results) {
          expect(error).toBeUndefined();
          const all = histories[index]!;
          const positions = seen.map((status) => all.indexOf(status));
          // In the job's order, strictly rising (each once), to its last status unless it left.
          expect(positions.every((position) => position >= 0)).toBe(true);
          expect(positions).toEqual([...new Set(positions)].sort((a, b) => a - b));
          if (!left) expect(seen.at(-1)).toBe(all.at(-1));
        }
        expect(left).toEqual({ streams: 0, upstreams: 0 });
      }),
      runs,
    );
  }, 120_000);
});
