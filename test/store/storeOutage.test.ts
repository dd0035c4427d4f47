// A client's store going down while it watches: the watch goes on from the
// API with every transition, health$ says the store is unreachable, and says
// so no more once a write gets through again.
import type { ClientHealth } from '../../src/index.js';
import { createClient, sunoApi } from '../../src/index.js';
import { Simulation, simulatedTransport } from '../../src/simulator/index.js';
import { memoryStore, StoreError, type JobStore } from '../../src/store/index.js';

/** A memoryStore whose writes and reads fail while `down` is set, as Redis does when it is gone. */
function flakyStore(): { store: JobStore; setDown(down: boolean): void } {
  const inner = memoryStore();
  let down = false;
  const failing = <T>(operation: string, run: () => Promise<T>) =>
    down ? Promise.reject(new StoreError({ store: 'flaky', operation, reason: 'unreachable', detail: 'the test took it down' })) : run();
  const store: JobStore = Object.assign(Object.create(inner) as JobStore, {
    record: (...args: Parameters<JobStore['record']>) => failing('record', () => inner.record(...args)),
    history: (...args: Parameters<JobStore['history']>) => failing('history', () => inner.history(...args)),
    follow: (...args: Parameters<JobStore['follow']>) => failing('follow', () => inner.follow(...args)),
  });
  return { store, setDown: (value) => (down = value) };
}

describe('a store lost while a client watches', () => {
  it('goes on from the API, tells health$ it is unreachable, and clears that when the store answers again', async () => {
    const simulation = new Simulation({ timeScale: 0.01, failureRate: 0 });
    const { store, setDown } = flakyStore();
    const client = createClient(sunoApi({ apiKey: simulation.apiKey, baseUrl: 'https://simulator.invalid' }), {
      transport: simulatedTransport(simulation),
      store,
      polling: { interval: 20, backoff: 1 },
    });
    const health: ClientHealth[] = [];
    const subscription = client.health$.subscribe((state) => health.push(state));
    expect(health).toEqual([{ state: 'ok' }]);

    setDown(true);
    // Wall clock (the store's promises): queued lasts 370 ms real, so a 20 ms poll sees it even on a busy CI machine
    // (30 ms was missed once, with every suite running on 2 cores).
    simulation.addJob('sunoapi', { id: 'while-down', timeline: [['submitted', 0], ['queued', 3_000], ['complete', 40_000]] });
    const statuses = await new Promise<string[]>((resolve, reject) => {
      const seen: string[] = [];
      client.watch('while-down').subscribe({ next: (clip) => seen.push(clip.status), error: reject, complete: () => resolve(seen) });
    });
    expect(statuses).toEqual(['submitted', 'queued', 'complete']);
    expect(health.at(-1)).toEqual({ state: 'ok', store: 'unreachable' });
    expect(await store.history({ api: 'sunoapi', id: 'while-down' }).catch((error: unknown) => error)).toMatchObject({ name: 'StoreError', reason: 'unreachable' });

    setDown(false);
    simulation.addJob('sunoapi', { id: 'after', timeline: [['submitted', 0], ['complete', 3_000]] });
    await new Promise<void>((resolve, reject) => client.watch('after').subscribe({ error: reject, complete: resolve }));
    expect(health.at(-1)).toEqual({ state: 'ok' });
    expect((await store.history({ api: 'sunoapi', id: 'after' })).length).toBeGreaterThan(0);
    subscription.unsubscribe();
    await store.close?.();
  });
});
