// Under 20 % upstream faults (503s with Retry-After and dropped connections),
// a server-side watch with the client's defaults misses no status that lasts
// 3 s or more at a long-poll API, and at most 2 % at a polled one. In virtual
// time on the simulator's fault injection: 200 jobs per API arriving over
// time, each status living 3 to 6 s.
import { VirtualAction, VirtualTimeScheduler } from 'rxjs';
import { aimlLuma, aimlSuno, aimlVideo, createClient, lumaLabs, sunoApi } from '../../src/index.js';
import { Simulation, simulatedTransport } from '../../src/simulator/index.js';
import { seededRandom } from '../../src/simulator/spec/random.js';

const apis = [
  { api: 'aiml-suno', factory: aimlSuno, path: '', life: ['submitted', 'queued', 'streaming', 'complete'], waits: true },
  { api: 'aiml-luma', factory: aimlLuma, path: '', life: ['queued', 'dreaming', 'completed'], waits: true },
  { api: 'sunoapi', factory: sunoApi, path: '', life: ['submitted', 'queued', 'streaming', 'complete'], waits: false },
  { api: 'aiml-video', factory: aimlVideo, path: '', life: ['queued', 'generating', 'completed'], waits: false },
  { api: 'luma-labs', factory: lumaLabs, path: '/dream-machine/v1', life: ['queued', 'dreaming', 'completed'], waits: false },
] as const;
const jobs = 200;

describe.each(apis)('$api under 20 % faults (503 with Retry-After, dropped connections)', ({ api, factory, path, life, waits }) => {
  const scheduler = new VirtualTimeScheduler(VirtualAction, Infinity);
  const simulation = new Simulation({ scheduler, seed: 31, failureRate: 0, faults: { rate: 0.2, kinds: ['503', 'drop'], retryAfter: 1 } });
  // Defaults, but for the jitter's randomness: seeded, so the run is the same each time.
  const client = createClient((factory as typeof aimlSuno)({ apiKey: simulation.apiKey, baseUrl: `https://simulator.invalid${path}` }), {
    transport: simulatedTransport(simulation),
    scheduler,
    retry: { random: seededRandom(7) },
  });
  const random = seededRandom(11);
  const seen = new Map<string, string[]>();
  const failures: string[] = [];
  let missed = 0;

  beforeAll(() => {
    for (let n = 0; n < jobs; n++) {
      const id = api === 'luma-labs' ? `00000000-0000-4000-8000-${String(n).padStart(12, '0')}` : `job-${n}`;
      let at = 0;
      const timeline = life.map((status) => {
        const entry: [string, number] = [status, at];
        at += 3_000 + Math.floor(random() * 3_000);
        return entry;
      });
      scheduler.schedule(() => {
        simulation.addJob(api, { id, timeline });
        seen.set(id, []);
        client.watch(id).subscribe({
          next: (job) => seen.get(id)!.push(client.statusOf(job as never)!),
          error: (error: { name: string; status?: number; attempt?: number }) => failures.push(`${id}: ${error.name} ${error.status ?? ''} attempt ${error.attempt ?? '?'}`),
        });
      }, n * 500);
    }
    scheduler.flush();
    for (const statuses of seen.values()) missed += life.filter((status) => !statuses.includes(status)).length;
    const stats = simulation.stats();
    const fetches = Object.values(stats.idsPerRequest).reduce((sum, count) => sum + count, 0);
    const faults = Object.values(stats.faults).reduce((sum, count) => sum + count, 0);
    console.log(`${api}: ${missed} of ${jobs * life.length} statuses missed, ${failures.length} watches failed; ${faults} faults in ${fetches} fetches (${((100 * faults) / fetches).toFixed(1)} %)`);
    expect(faults / fetches).toBeGreaterThanOrEqual(0.18);
  });

  it('reports each job as a rising run to its end', () => {
    expect(failures).toEqual([]);
    for (const [id, statuses] of seen) {
      const ranks = statuses.map((status) => life.indexOf(status as never));
      expect({ id, rising: ranks.every((rank, index) => rank >= 0 && (index === 0 || rank > ranks[index - 1]!)) }).toEqual({ id, rising: true });
      expect({ id, last: statuses.at(-1) }).toEqual({ id, last: life.at(-1) });
    }
  });

  // A long-poll is held for the next status before it begins: none is missed. A polled job is asked when its
  // change is likely, and a fault there costs a second or more: 2 % of statuses at most (before, 9 to 11 % were missed).
  it(waits ? 'misses no status' : 'misses at most 2 % of statuses', () => {
    expect(missed).toBeLessThanOrEqual(waits ? 0 : Math.floor(0.02 * jobs * life.length));
  });
});
