import { map, merge } from 'rxjs';
import { aimlSuno, createClient, type Client, type ClientOptions, type SunoClip } from '../../../src/index.js';
import type { SimulationOptions, Timeline } from '../../../src/simulator/index.js';
import { testScheduler } from '../../support/marbles.js';
import { virtualApi } from '../../support/virtualApi.js';

// The simulator on a TestScheduler: every time below is virtual, in ms, and
// the simulated server answers a long-poll the moment its job reaches the status.
const life = (queued: number, streaming: number, complete: number): Timeline => [
  ['submitted', 0],
  ['queued', queued],
  ['streaming', streaming],
  ['complete', complete],
];
const label = map((clip: SunoClip) => `${clip.id}:${clip.status}`);

function setup(jobs: Record<string, Timeline>, options: ClientOptions = {}, simulation: SimulationOptions = {}) {
  const scheduler = testScheduler();
  const run = <T>(body: (api: ReturnType<typeof virtualApi>, client: Client<ReturnType<typeof aimlSuno>>) => T) =>
    scheduler.run(() => {
      const api = virtualApi(scheduler, { jobs: Object.entries(jobs).map(([id, timeline]) => ({ id, api: 'aiml-suno', timeline })), ...simulation });
      const client = createClient(aimlSuno({ apiKey: api.sim.apiKey, baseUrl: 'https://simulator.invalid' }), { transport: api.transport, ...options });
      return body(api, client);
    });
  return { scheduler, run };
}

/** Each emission with its virtual time. */
function record<T>(scheduler: { now(): number }, source: import('rxjs').Observable<T>, out: Array<[number, T]>) {
  return source.subscribe((value) => out.push([scheduler.now(), value]));
}

const shape = (exchanges: ReturnType<typeof virtualApi>['exchanges']) => exchanges.map((exchange) => `${exchange.ids.join('+')}@${exchange.wanted}`);

describe('scheduler: latency first', () => {
  it('gives each watched job a long-poll of its own, so each change is seen the moment the server makes it', () => {
    const { scheduler, run } = setup({ a: life(100, 500, 900), b: life(200, 300, 1200), c: life(150, 700, 800) });
    run((api, client) => {
      const seen: Array<[number, string]> = [];
      for (const id of ['a', 'b', 'c']) record(scheduler, client.watch(id).pipe(label), seen);
      scheduler.flush();
      expect(seen.filter(([, what]) => what.startsWith('b'))).toEqual([[0, 'b:submitted'], [200, 'b:queued'], [300, 'b:streaming'], [1200, 'b:complete']]);
      expect(seen.filter(([, what]) => what.startsWith('c'))).toEqual([[0, 'c:submitted'], [150, 'c:queued'], [700, 'c:streaming'], [800, 'c:complete']]);
      // The first reads share one snapshot; after that, one id per long-poll.
      expect(shape(api.exchanges).slice(0, 1)).toEqual(['a+b+c@submitted']);
      expect(api.exchanges.slice(1).every((exchange) => exchange.ids.length === 1)).toBe(true);
      expect(api.exchanges).toHaveLength(1 + 3 * 3);
    });
  });

  it('batches the jobs of one watchMany while they sit at the same status, and parts them when they diverge', () => {
    // a and b move in lockstep (the two clips of one create); c does not.
    const { scheduler, run } = setup({ a: life(100, 500, 900), b: life(100, 500, 900), c: life(50, 80, 600) });
    run((api, client) => {
      const seen: Array<[number, string]> = [];
      record(scheduler, client.watchMany(['a', 'b', 'c']).pipe(label), seen);
      scheduler.flush();
      expect(shape(api.exchanges)).toEqual(['a+b+c@submitted', 'a+b+c@queued', 'a+b@streaming', 'c@completed', 'a+b@completed']);
      expect(seen.filter(([, what]) => what.startsWith('a')).map(([at]) => at)).toEqual([0, 100, 500, 900]);
      // The price of a shared wait: c was held until a and b were queued too, and its queued was passed by unseen.
      expect(seen.filter(([, what]) => what.startsWith('c'))).toEqual([[0, 'c:submitted'], [100, 'c:streaming'], [600, 'c:complete']]);
    });
  });

  it("batches every job waiting for the same status with batching: 'always', and none with 'never'", () => {
    const jobs = { a: life(100, 500, 900), b: life(100, 500, 900) };
    const always = setup(jobs, { batching: 'always' });
    always.run((api, client) => {
      merge(client.watch('a'), client.watch('b')).subscribe();
      always.scheduler.flush();
      expect(shape(api.exchanges)).toEqual(['a+b@submitted', 'a+b@queued', 'a+b@streaming', 'a+b@completed']);
    });
    const never = setup(jobs, { batching: 'never' });
    never.run((api, client) => {
      client.watchMany(['a', 'b']).subscribe();
      never.scheduler.flush();
      expect(shape(api.exchanges)).toEqual(['a+b@submitted', 'a@queued', 'b@queued', 'a@streaming', 'b@streaming', 'a@completed', 'b@completed']);
    });
  });

  it('shares one long-poll between two watches of the same job', () => {
    const { scheduler, run } = setup({ a: life(100, 500, 900) });
    run((api, client) => {
      const first: Array<[number, string]> = [];
      const second: Array<[number, string]> = [];
      record(scheduler, client.watch('a').pipe(label), first);
      record(scheduler, client.watch('a').pipe(label), second);
      scheduler.flush();
      expect(second).toEqual(first);
      expect(shape(api.exchanges)).toEqual(['a@submitted', 'a@queued', 'a@streaming', 'a@completed']);
    });
  });
});

describe('scheduler: every answer counts', () => {
  it('gives a job in any answer to every open question it answers, whichever request brought it', () => {
    // w2's long-poll for streaming is slow (answered 700 ms late); w1's first read at 200 already shows streaming.
    const { scheduler, run } = setup({ a: life(0, 100, 5_000) }, {}, { faults: { script: ['slow'], slowBy: 700 } });
    run((api, client) => {
      const early: Array<[number, string]> = [];
      record(scheduler, client.watch('a', { since: 'queued', until: 'streaming' }).pipe(label), early);
      scheduler.schedule(() => client.watch('a', { until: 'streaming' }).subscribe(), 200);
      scheduler.flush();
      expect(early).toEqual([[200, 'a:streaming']]);
      // Nobody waited on the slow long-poll any more: it was aborted then and there.
      expect(api.exchanges[0]).toMatchObject({ wanted: 'streaming', outcome: 'aborted', closedAt: 200 });
    });
  });
});

describe('scheduler: since', () => {
  it('waits for the status after `since` in its first request, and does not emit `since`', () => {
    const { scheduler, run } = setup({ a: life(100, 500, 900) });
    run((api, client) => {
      const seen: Array<[number, string]> = [];
      record(scheduler, client.watch('a', { since: 'submitted' }).pipe(label), seen);
      scheduler.flush();
      expect(seen).toEqual([[100, 'a:queued'], [500, 'a:streaming'], [900, 'a:complete']]);
      expect(shape(api.exchanges)).toEqual(['a@queued', 'a@streaming', 'a@completed']);
    });
  });
});

describe('scheduler: the connection budget', () => {
  it('keeps at most maxConnections requests open, checks the jobs beyond it with batched snapshots, and brings every job to its end', () => {
    const jobs = Object.fromEntries(Array.from({ length: 10 }, (_, index) => [`j${index}`, life(1_000 + index * 100, 5_000 + index * 300, 12_000 + index * 500)]));
    const { scheduler, run } = setup(jobs, { maxConnections: 3, overflowInterval: 1_000 });
    run((api, client) => {
      const seen: Array<[number, string]> = [];
      for (const id of Object.keys(jobs)) record(scheduler, client.watch(id).pipe(label), seen);
      scheduler.flush();
      expect(api.open()).toEqual({ now: 0, max: 3 });
      for (const id of Object.keys(jobs)) {
        expect(seen.filter(([, what]) => what.startsWith(`${id}:`)).at(-1)![1]).toBe(`${id}:complete`);
      }
      const snapshots = api.exchanges.filter((exchange) => exchange.wanted === 'submitted');
      expect(snapshots.length).toBeGreaterThan(0);
      expect(Math.max(...api.exchanges.map((exchange) => exchange.ids.length))).toBeLessThanOrEqual(6);
      // A job waiting for a slot hears of a change at the next check: at most an interval late.
      const late = seen.map(([at, what]) => {
        const [id, status] = what.split(':') as [string, string];
        const changedAt = (jobs[id] as Timeline).find(([name]) => name === status)![1];
        return at - changedAt;
      });
      expect(Math.max(...late)).toBeLessThanOrEqual(1_000);
    });
  });

  it('lets a job keep its slot for its next question, and gives a freed slot to the job that has waited longest', () => {
    // Three connections: p never changes, f moves at 40, 60 and ends at 100; w1, w2, w3 start watching at 10, 20 and 30.
    const stuck: Timeline = [['submitted', 0], ['queued', 0]];
    const later = life(5_000, 6_000, 7_000);
    const jobs = { p: stuck, f: life(40, 60, 100), w1: later, w2: later, w3: later };
    const { scheduler, run } = setup(jobs, { maxConnections: 3 });
    run((api, client) => {
      const stuckWatch = client.watch('p').subscribe();
      scheduler.schedule(() => stuckWatch.unsubscribe(), 10_000);
      client.watch('f').subscribe();
      scheduler.schedule(() => client.watch('w1').subscribe(), 10);
      scheduler.schedule(() => client.watch('w2').subscribe(), 20);
      scheduler.schedule(() => client.watch('w3').subscribe(), 30);
      scheduler.flush();
      expect(api.open().max).toBe(3);
      const longPolls = (from: number, to: number) =>
        api.exchanges
          .filter((exchange) => exchange.openedAt >= from && exchange.openedAt <= to && exchange.wanted !== 'submitted')
          .map((exchange) => `${exchange.ids.join('+')}@${exchange.wanted}@${exchange.openedAt}`);
      // w1 had a slot at 10 and gave it up at 20 for w2's first read. f kept its slot for its next
      // questions; when f ended at 100, the slot went to w1, which had waited longest.
      expect(longPolls(1, 100)).toEqual(['w1@queued@10', 'f@streaming@40', 'f@completed@60', 'w1@queued@100']);
      expect(api.exchanges.find((exchange) => exchange.ids[0] === 'w1' && exchange.outcome === 'aborted')?.closedAt).toBe(20);
    });
  });

  it('makes a job give up its slot after its quantum (10 checks) when others wait', () => {
    // Two connections. a takes a slot at 0, b the other at 1; c's first read at 2 takes b's back, so b and
    // c wait while a keeps the slot for each next question, until it has held it for 10 s.
    const steps = (...times: number[]): Timeline => [['submitted', 0], ['queued', times[0]!], ['streaming', times[1]!], ['complete', times[2]!]];
    const jobs = { a: steps(9_500, 12_000, 30_000), b: steps(20_000, 25_000, 40_000), c: steps(20_000, 25_000, 40_000) };
    const { scheduler, run } = setup(jobs, { maxConnections: 2, overflowInterval: 1_000 });
    run((api, client) => {
      client.watch('a').subscribe();
      scheduler.schedule(() => client.watch('b').subscribe(), 1);
      scheduler.schedule(() => client.watch('c').subscribe(), 2);
      scheduler.flush();
      const longPolls = api.exchanges
        .filter((exchange) => exchange.wanted !== 'submitted' && exchange.openedAt <= 12_000)
        .map((exchange) => `${exchange.ids[0]}@${exchange.wanted}@${exchange.openedAt}${exchange.outcome === 'aborted' ? ` (given up at ${exchange.closedAt})` : ''}`);
      expect(longPolls).toEqual(['a@queued@0', 'b@queued@1 (given up at 2)', 'a@streaming@9500', 'b@queued@12000']);
      expect(api.open().max).toBe(2);
    });
  });

  it('gives up the youngest long-poll when every connection holds one and a new watch needs its first read', () => {
    const jobs = { a: life(5_000, 6_000, 7_000), b: life(5_000, 6_000, 7_000), late: life(2_000, 3_000, 4_000) };
    const { scheduler, run } = setup(jobs, { maxConnections: 2 });
    run((api, client) => {
      client.watch('a').subscribe();
      client.watch('b').subscribe();
      const seen: Array<[number, string]> = [];
      scheduler.schedule(() => record(scheduler, client.watch('late').pipe(label), seen), 1_000);
      scheduler.flush();
      // The first read of "late" went at 1000, not when a or b finished at 7000.
      expect(seen[0]).toEqual([1_000, 'late:submitted']);
      const aborted = api.exchanges.filter((exchange) => exchange.outcome === 'aborted');
      expect(aborted.map((exchange) => `${exchange.ids.join('+')}@${exchange.closedAt}`)).toEqual(['b@1000']);
      expect(api.open().max).toBe(2);
    });
  });
});

describe('scheduler: waitForAll', () => {
  it('waits for jobs of one create together, in one long-poll per server timeout, and answers in the order of the ids', async () => {
    const { scheduler, run } = setup({ a: life(100, 500, 900), b: life(100, 500, 950) });
    await run(async (api, client) => {
      const result = client.waitForAll(['b', 'a'], 'complete');
      scheduler.flush();
      expect((await result).map((clip) => `${clip.id}:${clip.status}`)).toEqual(['b:complete', 'a:complete']);
      expect(shape(api.exchanges)).toEqual(['b+a@completed']);
    });
  });

  it('rejects with the JobFailedError of the first job that fails', async () => {
    const { scheduler, run } = setup({ a: life(100, 500, 900), b: [['submitted', 0], ['queued', 100], ['error', 300]] });
    await run(async (_api, client) => {
      const result = client.waitForAll(['a', 'b'], 'complete').catch((error: unknown) => error);
      scheduler.flush();
      expect(await result).toMatchObject({ name: 'JobFailedError', id: 'b', status: 'error', target: 'complete', reason: 'simulated failure' });
    });
  });
});
