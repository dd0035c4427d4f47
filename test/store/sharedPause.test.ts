import { createClient as createRedis } from 'redis';
import { firstValueFrom, filter } from 'rxjs';
import { aimlLuma, aimlSuno, createClient, type ClientHealth, type FetchLike, type JobStore } from '../../src/index.js';
import { redisStore } from '../../src/redis/index.js';
import { memoryStore } from '../../src/store/index.js';
import { hasRedis, startRedis, type RedisServer } from '../support/redisServer.js';

// One process's 429 pauses every process's requests to the API: two clients
// on one store (two instances of an app), the first told to wait by its API.
let redis: RedisServer | undefined;
const closers: Array<() => Promise<unknown>> = [];
const redisHere = hasRedis();
beforeAll(async () => {
  if (redisHere) redis = await startRedis();
}, 20_000);
afterAll(async () => {
  for (const close of closers) await close().catch(() => undefined);
  await redis?.stop();
});

const stores: Array<[string, () => Promise<JobStore>, boolean]> = [
  ['memoryStore', async () => memoryStore(), true],
  [
    'redisStore',
    async () => {
      const client = createRedis({ url: redis!.url });
      client.on('error', () => undefined);
      await client.connect();
      closers.push(() => client.close());
      const store = redisStore({ client, prefix: `pause${Date.now()}:` });
      closers.unshift(() => store.close!());
      return store;
    },
    redisHere,
  ],
];

/** An API that answers every request 429 with Retry-After: 2. */
const slowDown: FetchLike = async () => new Response(JSON.stringify({ message: 'slow down' }), { status: 429, headers: { 'retry-after': '2', 'content-type': 'application/json' } });
/** An API that never answers (the second instance's requests must wait anyway). */
const silent: FetchLike = (_url, init) => new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
const paused = (health$: import('rxjs').Observable<ClientHealth>) => firstValueFrom(health$.pipe(filter((health) => health.state === 'paused')));

describe.each(stores)('shared rate-limit pauses on %s', (_name, makeStore, runs) => {
  (runs ? it : it.skip)("a 429 seen by one instance pauses the other's requests to the same API, and not another API's", async () => {
    const store = await makeStore();
    const first = createClient(aimlSuno({ apiKey: 'sk-pause-0123456789', baseUrl: 'http://127.0.0.1:9' }), { store, fetch: slowDown, retry: 0 });
    const second = createClient(aimlSuno({ apiKey: 'sk-pause-0123456789', baseUrl: 'http://127.0.0.1:9' }), { store, fetch: silent });
    const otherApi = createClient(aimlLuma({ apiKey: 'sk-pause-0123456789', baseUrl: 'http://127.0.0.1:9' }), { store, fetch: silent });
    const otherStates: string[] = [];
    const watching = otherApi.health$.subscribe((health) => otherStates.push(health.state));
    const secondPaused = paused(second.health$);
    await new Promise((resolve) => setTimeout(resolve, 50));
    first.watch('job-1').subscribe({ error: () => undefined });
    const health = await secondPaused;
    expect(health).toMatchObject({ state: 'paused', status: 429, retryAfter: 2_000 });
    const own = await firstValueFrom(first.health$);
    expect(own).toMatchObject({ state: 'paused', status: 429 });
    // Another API's clients on the same store go on.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(otherStates).toEqual(['ok']);
    watching.unsubscribe();
  });
});
