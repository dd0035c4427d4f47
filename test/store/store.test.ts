import fc from 'fast-check';
import { createClient as createRedis } from 'redis';
import { ConfigError, isClipstreamError } from '../../src/index.js';
import { memoryStore } from '../../src/store/index.js';
import { redisStore, type JobStore, type StoreNews } from '../../src/redis/index.js';
import { hasRedis, startRedis, type RedisServer } from '../support/redisServer.js';

// One set of specs, run against both stores: what any JobStore must do.
let redis: RedisServer | undefined;
const connections: Array<{ close(): Promise<unknown> }> = [];
const redisHere = hasRedis();

async function connectRedis() {
  const client = createRedis({ url: redis!.url });
  client.on('error', () => undefined);
  await client.connect();
  connections.push(client);
  return client;
}

beforeAll(async () => {
  if (redisHere) redis = await startRedis();
}, 20_000);
/** Every Redis store made: their subscriber connections close before the clients they duplicate. */
const stores: JobStore[] = [];
afterAll(async () => {
  for (const store of stores) await store.close?.();
  for (const client of connections) await client.close().catch(() => undefined);
  await redis?.stop();
});

/** Two handles on one store, as two instances of an app would have. */
type Pair = () => Promise<[JobStore, JobStore]>;
const cases: Array<[string, Pair, boolean]> = [
  [
    'memoryStore',
    async () => {
      const store = memoryStore({ retention: 150 });
      return [store, store];
    },
    true,
  ],
  [
    'redisStore',
    async () => {
      const pair: [JobStore, JobStore] = [redisStore({ client: await connectRedis(), retention: 150 }), redisStore({ client: await connectRedis(), retention: 150 })];
      stores.push(...pair);
      return pair;
    },
    redisHere,
  ],
];

let unique = 0;
const job = (id: string, status: string) => ({ id, status });

describe.each(cases)('%s', (_name, pair, runs) => {
  const it_ = runs ? it : it.skip;

  it_('writes a status only when it ranks above every stored one, and keeps the job at each status, lowest first', async () => {
    const [a, b] = await pair();
    const key = { api: 'aiml-suno', id: `rank-${++unique}` };
    expect(await a.record(key, { rank: 1, job: job(key.id, 'queued') }, false)).toBe(true);
    expect(await b.record(key, { rank: 1, job: job(key.id, 'queued again') }, false)).toBe(false);
    expect(await b.record(key, { rank: 0, job: job(key.id, 'submitted') }, false)).toBe(false);
    expect(await b.record(key, { rank: 3, job: job(key.id, 'complete') }, true)).toBe(true);
    expect(await a.history(key)).toEqual([
      { rank: 1, job: job(key.id, 'queued') },
      { rank: 3, job: job(key.id, 'complete') },
    ]);
    expect(await a.history({ api: 'aiml-suno', id: 'never-seen' })).toEqual([]);
  });

  it_('never goes back, whatever order writers on two instances come in; subscribers hear each written status once, rising (a property)', async () => {
    const [a, b] = await pair();
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.boolean()), { minLength: 1, maxLength: 12 }), async (writes) => {
        const key = { api: 'luma-labs', id: `race-${++unique}` };
        const heard: StoreNews[] = [];
        const stop = await a.subscribe((news) => news.id === key.id && heard.push(news));
        // Every write at once, half from each instance: their order is up to the store.
        const written = await Promise.all(writes.map(([rank, first]) => (first ? a : b).record(key, { rank, job: job(key.id, `s${rank}`) }, false)));
        const history = await b.history(key);
        const ranks = history.map((entry) => entry.rank);
        expect(ranks).toEqual([...ranks].sort((x, y) => x - y));
        expect(new Set(ranks).size).toBe(ranks.length);
        expect(ranks.at(-1)).toBe(Math.max(...writes.map(([rank]) => rank)));
        expect(written.filter(Boolean)).toHaveLength(history.length);
        // Pub/sub is asynchronous: wait for what was written to be heard.
        for (let waited = 0; heard.length < history.length && waited < 2_000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
        expect(heard.map((news) => news.rank)).toEqual(ranks);
        await stop();
      }),
      { numRuns: 40 },
    );
  });

  it_('gives a lease to one owner at a time, renews and releases it only for its owner, and lets another take it once it lapses', async () => {
    const [a, b] = await pair();
    const key = { api: 'aiml-suno', id: `lease-${++unique}` };
    expect(await a.acquire(key, 'instance-a', 200)).toBe(true);
    expect(await b.acquire(key, 'instance-b', 200)).toBe(false);
    expect(await a.acquire(key, 'instance-a', 200)).toBe(true);
    expect(await b.renew(key, 'instance-b', 200)).toBe(false);
    expect(await a.renew(key, 'instance-a', 200)).toBe(true);
    await b.release(key, 'instance-b');
    expect(await b.acquire(key, 'instance-b', 200)).toBe(false);
    await a.release(key, 'instance-a');
    expect(await b.acquire(key, 'instance-b', 60)).toBe(true);
    // Its owner died: the lease lapses and another instance takes the job over (real time: a real Redis expires it).
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(await a.renew(key, 'instance-b', 60)).toBe(false);
    expect(await a.acquire(key, 'instance-a', 200)).toBe(true);
  });

  it_('counts the other instances with viewers of a job, until each note runs out or is dropped', async () => {
    const [a, b] = await pair();
    const key = { api: 'aiml-suno', id: `viewers-${++unique}` };
    expect(await a.viewersElsewhere(key, 'instance-a')).toBe(0);
    await a.view(key, 'instance-a', 5_000);
    // Its own note is not another instance's.
    expect(await a.viewersElsewhere(key, 'instance-a')).toBe(0);
    expect(await b.viewersElsewhere(key, 'instance-b')).toBe(1);
    await b.view(key, 'instance-b', 80);
    await b.view({ ...key, id: `${key.id}-other` }, 'instance-c', 5_000);
    expect(await a.viewersElsewhere(key, 'instance-a')).toBe(1);
    expect(await a.viewersElsewhere(key, 'instance-c')).toBe(2);
    // instance-b's note runs out (its instance died), instance-a drops its own (its last viewer left).
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await a.viewersElsewhere(key, 'instance-a')).toBe(0);
    await a.view(key, 'instance-a', 0);
    expect(await b.viewersElsewhere(key, 'instance-b')).toBe(0);
  });

  it_('lists the jobs followed and not ended, per API; a terminal status ends the follow and, after retention, the job', async () => {
    const [a, b] = await pair();
    const api = `api-${++unique}`;
    await a.follow({ api, id: 'one' });
    await b.follow({ api, id: 'two' });
    await a.follow({ api, id: 'one' });
    await b.follow({ api: 'other', id: 'three' });
    expect(await b.unfinished(api)).toEqual([
      { api, id: 'one' },
      { api, id: 'two' },
    ]);
    await a.unfollow({ api, id: 'one' });
    await a.record({ api, id: 'two' }, { rank: 4, job: job('two', 'complete') }, true);
    expect(await b.unfinished(api)).toEqual([]);
    expect(await b.history({ api, id: 'two' })).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await b.history({ api, id: 'two' })).toEqual([]);
  });

  it_('keeps a relay stream any instance can find and change, within its limit, until it expires', async () => {
    const [a, b] = await pair();
    const sid = `sid-${++unique}`;
    const job = (id: string) => ({ api: 'aiml-suno', id });
    expect(await b.changeStream(sid, [job('x')], [], 3)).toBe('missing');
    await a.openStream(sid, '203.0.113.9', 150);
    expect(await b.stream(sid)).toEqual({ address: '203.0.113.9', targets: [] });
    expect(await b.changeStream(sid, [job('x'), job('y'), job('x')], [], 3)).toEqual({ targets: expect.arrayContaining([job('x'), job('y')]) });
    // Two more would make four: nothing changes, the removal included.
    expect(await a.changeStream(sid, [job('z'), job('w')], [job('x')], 2)).toBe('full');
    expect((await a.stream(sid))?.targets).toHaveLength(2);
    const changed = await a.changeStream(sid, [job('z')], [job('x')], 2);
    expect(changed !== 'full' && changed !== 'missing' && [...changed.targets].sort((p, q) => p.id.localeCompare(q.id))).toEqual([job('y'), job('z')]);
    await b.touchStream(sid, 400);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await a.stream(sid))?.targets).toHaveLength(2);
    await a.dropStream(sid);
    expect(await b.stream(sid)).toBeUndefined();
    await a.openStream(`${sid}-short`, undefined, 50);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(await b.stream(`${sid}-short`)).toBeUndefined();
  });

  it_('signals every instance, itself included', async () => {
    const [a, b] = await pair();
    const heard: unknown[][] = [[], []];
    const stops = await Promise.all([a, b].map((store, index) => store.onSignal((message) => heard[index]!.push(message))));
    await a.signal({ type: 'test', n: 1 });
    await b.signal({ type: 'test', n: 2 });
    for (let waited = 0; heard.some((list) => list.length < 2) && waited < 2_000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(heard).toEqual([
      [{ type: 'test', n: 1 }, { type: 'test', n: 2 }],
      [{ type: 'test', n: 1 }, { type: 'test', n: 2 }],
    ]);
    for (const stop of stops) await stop();
  });
});

(redisHere ? describe : describe.skip)('redisStore against a Redis that is not there', () => {
  it('refuses a client that is not connected with a ConfigError naming the store', () => {
    const client = createRedis({ url: redis!.url });
    expect(() => redisStore({ client })).toThrow(expect.objectContaining({ name: 'ConfigError', field: 'redisStore.client', message: expect.stringContaining('not connected') }));
    expect(() => redisStore({ client: {} as never })).toThrow(ConfigError);
  });

  it('fails an operation with a StoreError within commandTimeout when Redis is gone, and works again once it is back', async () => {
    const client = await connectRedis();
    const store = redisStore({ client, commandTimeout: 300 });
    const key = { api: 'aiml-suno', id: `gone-${++unique}` };
    await redis!.stop();
    const started = Date.now();
    const error = await store.record(key, { rank: 1, job: job(key.id, 'queued') }, false).catch((caught: unknown) => caught);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(isClipstreamError(error, 'StoreError')).toBe(true);
    expect(error).toMatchObject({ store: 'redisStore', operation: 'record', reason: expect.stringMatching(/^(unreachable|timeout)$/) });
    await redis!.restart();
    // node-redis reconnects by itself.
    for (let waited = 0; !client.isReady && waited < 5_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    // The write that timed out may still land once Redis is back (node-redis queues it): every write is a
    // compare-and-set, so whichever lands first, the job is at that status once.
    const again = await store.record(key, { rank: 1, job: job(key.id, 'queued') }, false);
    expect(typeof again).toBe('boolean');
    expect(await store.history(key)).toEqual([{ rank: 1, job: job(key.id, 'queued') }]);
    expect(await store.record(key, { rank: 2, job: job(key.id, 'streaming') }, false)).toBe(true);
  });
});
