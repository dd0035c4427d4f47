// Learned polling with the rest of a client, on the simulator in virtual
// time: `since` (a generate's watch), a pushed job (`ingest`), the
// rate-limit governor, `timeout`, and batching of jobs due together.
import fc from 'fast-check';
import { VirtualAction, VirtualTimeScheduler } from 'rxjs';
import { createClient, sunoApi, type ClientOptions } from '../../src/index.js';
import { Simulation, simulatedTransport, type SimulationOptions } from '../../src/simulator/index.js';

const life = (): Array<[string, number]> => [['submitted', 0], ['queued', 1_200], ['streaming', 4_000], ['complete', 9_000]];

function setUp(options: SimulationOptions = {}, clientOptions: ClientOptions = {}) {
  const scheduler = new VirtualTimeScheduler(VirtualAction, Infinity);
  const simulation = new Simulation({ scheduler, failureRate: 0, ...options });
  const client = createClient(sunoApi({ apiKey: simulation.apiKey, baseUrl: 'https://simulator.invalid' }), { transport: simulatedTransport(simulation), scheduler, ...clientOptions });
  const fetchTimes = (id: string) => simulation.requests().filter((request) => request.kind === 'fetch' && request.ids.includes(id)).map((request) => request.startedAt);
  return { scheduler, simulation, client, fetchTimes };
}

/** Watches `count` jobs one after another (each created when the last ends), so the client learns from the ones before. */
function learnFrom(setup: ReturnType<typeof setUp>, count: number) {
  const { scheduler, simulation, client } = setup;
  for (let index = 0; index < count; index++) {
    simulation.addJob('sunoapi', { id: `warm-${index}`, timeline: life() });
    client.watch(`warm-${index}`).subscribe();
    scheduler.flush();
  }
}

describe('learned polling, with the rest of the client', () => {
  it('polls a learned job near its changes: fewer polls than the floor would allow, and none inside the floor', () => {
    const setup = setUp();
    learnFrom(setup, 8);
    const { scheduler, simulation, client, fetchTimes } = setup;
    simulation.addJob('sunoapi', { id: 'x', timeline: life() });
    const seen: Array<[string, number]> = [];
    const start = scheduler.now();
    client.watch('x').subscribe((clip) => seen.push([clip.status, scheduler.now() - start]));
    scheduler.flush();
    expect(seen.map(([status]) => status)).toEqual(['submitted', 'queued', 'streaming', 'complete']);
    const times = fetchTimes('x');
    for (let index = 1; index < times.length; index++) expect(times[index]! - times[index - 1]!).toBeGreaterThanOrEqual(1_000);
    // 9 s of life at a 1 s floor would allow 10 polls; the learned ones are fewer.
    expect(times.length).toBeLessThan(8);
  });

  it('with since (as generate watches), the first poll waits for the known status to be likely over', () => {
    const setup = setUp();
    learnFrom(setup, 8);
    const { scheduler, simulation, client, fetchTimes } = setup;
    simulation.addJob('sunoapi', { id: 'g', timeline: life() });
    const start = scheduler.now();
    client.watch('g', { since: 'submitted' }).subscribe();
    scheduler.flush();
    const [first] = fetchTimes('g');
    // The snapshot asked at once for the job's status; submitted lasts 1.2 s: the next poll is not before it is likely over.
    expect(first! - start).toBe(0);
    expect(fetchTimes('g')[1]! - start).toBeGreaterThanOrEqual(1_000);
  });

  it('a pushed job (ingest) is a transition at once, and the next poll is planned from its status', () => {
    const setup = setUp();
    learnFrom(setup, 8);
    const { scheduler, simulation, client, fetchTimes } = setup;
    simulation.addJob('sunoapi', { id: 'p', timeline: life() });
    const seen: Array<[string, number]> = [];
    const start = scheduler.now();
    client.watch('p').subscribe((clip) => seen.push([clip.status, scheduler.now() - start]));
    // The clock moves to 4.1 s (streaming since 4 s), where the push comes.
    scheduler.schedule(() => undefined, 4_100);
    scheduler.maxFrames = start + 4_100;
    scheduler.flush();
    const before = fetchTimes('p').length;
    const pushed = simulation.job('p')!;
    expect(pushed.status).toBe('streaming');
    client.ingest({ id: 'p', status: 'streaming', title: '', audio_url: '', metadata: {} });
    expect(seen.at(-1)).toEqual(['streaming', 4_100]);
    scheduler.maxFrames = Infinity;
    scheduler.flush();
    expect(seen.map(([status]) => status).slice(-2)).toEqual(['streaming', 'complete']);
    // After the push, the next poll waited for streaming to be likely over (it lasts 5 s), not the floor.
    const after = fetchTimes('p').slice(before);
    expect(after[0]! - (start + 4_100)).toBeGreaterThan(2_000);
  });

  it('holds every poll through a rate-limit pause, then goes on to the end', () => {
    const setup = setUp({ faults: { script: [null, '429'], retryAfter: 3 } });
    const { scheduler, simulation, client, fetchTimes } = setup;
    simulation.addJob('sunoapi', { id: 'r', timeline: life() });
    const seen: string[] = [];
    client.watch('r').subscribe((clip) => seen.push(clip.status));
    scheduler.flush();
    expect(seen.at(-1)).toBe('complete');
    const times = fetchTimes('r');
    const limited = simulation.requests().find((request) => request.status === 429)!;
    // Nothing was sent during the 3 s Retry-After.
    expect(times.filter((at) => at > limited.startedAt && at < limited.startedAt + 3_000)).toEqual([]);
  });

  it('plans no poll after the watch\'s timeout', () => {
    const setup = setUp();
    const { scheduler, simulation, client, fetchTimes } = setup;
    simulation.addJob('sunoapi', { id: 't', timeline: [['submitted', 0], ['queued', 500], ['streaming', 60_000], ['complete', 90_000]] });
    let failed: unknown;
    const start = scheduler.now();
    client.watch('t', { timeout: 20_000 }).subscribe({ error: (error: unknown) => (failed = error) });
    scheduler.flush();
    expect(failed).toMatchObject({ name: 'WatchTimeoutError', timeout: 20_000, pending: ['t'] });
    expect(Math.max(...fetchTimes('t'))).toBeLessThanOrEqual(start + 20_000);
  });

  it('jobs created together share their polls where the API takes several ids', () => {
    const setup = setUp();
    learnFrom(setup, 4);
    const { scheduler, simulation, client } = setup;
    const before = { ...simulation.stats().idsPerRequest };
    for (const id of ['pair-a', 'pair-b']) simulation.addJob('sunoapi', { id, timeline: life() });
    client.watchMany(['pair-a', 'pair-b']).subscribe();
    scheduler.flush();
    const after = simulation.stats().idsPerRequest;
    const shared = (after['2'] ?? 0) - (before['2'] ?? 0);
    const single = (after['1'] ?? 0) - (before['1'] ?? 0);
    expect(shared).toBeGreaterThan(0);
    expect(shared).toBeGreaterThanOrEqual(single);
  });

  it('a poll due soon rides in another job\'s request with room: fewer requests than polls, none inside the floor', () => {
    const setup = setUp();
    learnFrom(setup, 6);
    const { scheduler, simulation, client, fetchTimes } = setup;
    const before = simulation.requests().filter((request) => request.kind === 'fetch').length;
    const ids = ['early-a', 'early-b', 'early-c'];
    ids.forEach((id, index) => {
      // Separate watches, created 300 ms apart: no watchMany groups them.
      scheduler.schedule(() => {
        simulation.addJob('sunoapi', { id, timeline: life() });
        client.watch(id).subscribe();
      }, index * 300);
    });
    scheduler.flush();
    const requests = simulation.requests().filter((request) => request.kind === 'fetch').slice(before);
    const polls = ids.reduce((sum, id) => sum + fetchTimes(id).length, 0);
    expect(requests.some((request) => request.ids.length === 2)).toBe(true);
    expect(requests.length).toBeLessThan(polls);
    for (const id of ids) {
      const times = fetchTimes(id);
      for (let index = 1; index < times.length; index++) expect(times[index]! - times[index - 1]!).toBeGreaterThanOrEqual(1_000);
    }
  });

  it('properties: with early polls, every watch sees a rising run to its end, never two polls of a job inside the floor, at most 2 ids a request, nothing left open', () => {
    const jobArb = fc.record({
      arrival: fc.integer({ min: 0, max: 4_000 }),
      waits: fc.tuple(fc.integer({ min: 100, max: 3_000 }), fc.integer({ min: 100, max: 6_000 }), fc.integer({ min: 100, max: 8_000 })),
    });
    const budgetArb = fc.record({ floor: fc.constantFrom(250, 500, 1_000, 2_000), pollsPerStatus: fc.constantFrom(1, 1.5, 2.5, 5) });
    fc.assert(
      fc.property(fc.array(jobArb, { minLength: 2, maxLength: 7 }), budgetArb, (jobs, learn) => {
        const setup = setUp({}, { polling: { learn } });
        learnFrom(setup, 3);
        const { scheduler, simulation, client, fetchTimes } = setup;
        const start = scheduler.now();
        const seen = new Map<string, string[]>();
        const ended = new Set<string>();
        jobs.forEach(({ arrival, waits: [toQueued, toStreaming, toEnd] }, index) => {
          const id = `job-${index}`;
          seen.set(id, []);
          scheduler.schedule(() => {
            const timeline: Array<[string, number]> = [['submitted', 0], ['queued', toQueued], ['streaming', toQueued + toStreaming], ['complete', toQueued + toStreaming + toEnd]];
            simulation.addJob('sunoapi', { id, timeline });
            client.watch(id).subscribe({ next: (clip) => seen.get(id)!.push(clip.status), complete: () => ended.add(id) });
          }, arrival);
        });
        scheduler.flush();
        for (const [id, statuses] of seen) {
          expect(ended.has(id)).toBe(true);
          // Each status at most once, in order, ending at the last (a short status may be passed over).
          const order = ['submitted', 'queued', 'streaming', 'complete'];
          expect(statuses.map((status) => order.indexOf(status))).toEqual([...new Set(statuses.map((status) => order.indexOf(status)))].sort((x, y) => x - y));
          expect(statuses.at(-1)).toBe('complete');
          const times = fetchTimes(id);
          for (let index = 1; index < times.length; index++) expect(times[index]! - times[index - 1]!).toBeGreaterThanOrEqual(learn.floor);
        }
        for (const request of simulation.requests().filter((request) => request.kind === 'fetch' && request.startedAt >= start)) expect(request.ids.length).toBeLessThanOrEqual(2);
        expect(simulation.stats().open).toBe(0);
      }),
      { numRuns: 60 },
    );
  });
});
