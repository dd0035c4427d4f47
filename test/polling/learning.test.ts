// Learned polling end to end, on the simulator in virtual time: 100 Suno-like
// jobs arriving one after another at sunoapi.com (polled), each watched with
// the client's defaults. Every job's statuses come as a rising run to the
// end, and the later jobs are reported sooner than the first ones: the
// client learned when jobs change.
import { VirtualAction, VirtualTimeScheduler } from 'rxjs';
import { aimlSuno, createClient, sunoApi } from '../../src/index.js';
import { Simulation, simulatedTransport } from '../../src/simulator/index.js';
import { populations } from '../../bench/frontier.js';

const lifecycle = ['submitted', 'queued', 'streaming', 'complete'];

describe('learned polling, 100 jobs arriving at sunoapi.com', () => {
  const scheduler = new VirtualTimeScheduler(VirtualAction, Infinity);
  const simulation = new Simulation({ scheduler, failureRate: 0 });
  const client = createClient(sunoApi({ apiKey: simulation.apiKey, baseUrl: 'https://simulator.invalid' }), { transport: simulatedTransport(simulation), scheduler });
  const population = populations(100)[0]!;
  const seen = new Map<string, Array<[string, number]>>();
  const completed = new Set<string>();

  beforeAll(() => {
    for (const job of population.jobs) {
      scheduler.schedule(() => {
        simulation.addJob('sunoapi', { id: job.id, timeline: job.timeline.map(([status, at]) => [status, at] as [string, number]) });
        seen.set(job.id, []);
        client.watch(job.id).subscribe({
          next: (clip) => seen.get(job.id)!.push([client.statusOf(clip)!, scheduler.now() - job.arrival]),
          complete: () => completed.add(job.id),
        });
      }, job.arrival);
    }
    scheduler.flush();
  });

  it('reports each job as a rising run of its statuses to the last, and completes every watch', () => {
    expect(completed.size).toBe(100);
    for (const job of population.jobs) {
      const statuses = seen.get(job.id)!.map(([status]) => status);
      expect({ id: job.id, statuses }).toEqual({ id: job.id, statuses: lifecycle.slice(lifecycle.indexOf(statuses[0]!)) });
      expect(statuses.at(-1)).toBe('complete');
    }
    expect(simulation.stats().open).toBe(0);
  });

  it('reports the later half of the jobs sooner than the first half', () => {
    const lateness = (jobs: typeof population.jobs) => {
      const all = jobs.flatMap((job) => {
        const at = new Map(job.timeline);
        return seen.get(job.id)!.slice(1).map(([status, when]) => when - at.get(status)!);
      });
      return all.sort((a, b) => a - b)[Math.floor(all.length / 2)]!;
    };
    const [first, second] = [lateness(population.jobs.slice(0, 50)), lateness(population.jobs.slice(50))];
    expect(second).toBeLessThan(first);
    // And sooner than the growing schedule learned polling replaced (3 s, ×1.5 to 15 s) gets anywhere.
    expect(second).toBeLessThan(1_500);
  });
});

describe('learned polling options', () => {
  const provider = () => sunoApi({ apiKey: 'test-key' });
  it('refuses learn together with a fixed schedule, on a long-poll API, and budgets out of range', () => {
    expect(() => createClient(provider(), { polling: { learn: true, interval: 1_000 } })).toThrow(
      expect.objectContaining({ name: 'ConfigError', field: 'options.polling.learn', message: expect.stringContaining('not both') }),
    );
    expect(() => createClient(aimlSuno({ apiKey: 'test-key' }), { polling: { learn: true } })).toThrow(
      expect.objectContaining({ name: 'ConfigError', field: 'options.polling.learn', message: expect.stringContaining('long-poll') }),
    );
    expect(() => createClient(provider(), { polling: { learn: { pollsPerStatus: 0.5 } } })).toThrow(expect.objectContaining({ field: 'options.polling.learn.pollsPerStatus' }));
    expect(() => createClient(provider(), { polling: { learn: { learningRate: 0 } } })).toThrow(expect.objectContaining({ field: 'options.polling.learn.learningRate' }));
    expect(() => createClient(provider(), { polling: { learn: { floor: 5 } } })).toThrow(expect.objectContaining({ field: 'options.polling.learn.floor' }));
    expect(() => createClient(provider(), { polling: { learn: { flor: 500 } as never } })).toThrow(expect.objectContaining({ field: 'options.polling.learn.flor', message: expect.stringContaining('did you mean "floor"') }));
  });
});
