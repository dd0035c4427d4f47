import { createClient as createRedis } from 'redis';
import { firstValueFrom, lastValueFrom, map, take, toArray } from 'rxjs';
import { aimlSuno, createClient, type JobStore } from '../../src/index.js';
import { memoryStore } from '../../src/store/index.js';
import { redisStore } from '../../src/redis/index.js';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { keyEchoes } from '../support/keyLeaks.js';
import { hasRedis, startRedis, type RedisServer } from '../support/redisServer.js';

// A Node pipeline that restarts: a second client on the same store (a new
// process) lists what the first was following and continues each job from
// its stored status, to the end, with nothing twice. Against both stores.
let sim: Simulator;
let redis: RedisServer | undefined;
const closers: Array<() => Promise<unknown>> = [];
const redisHere = hasRedis();

beforeAll(async () => {
  sim = await startSimulator({ timeScale: 0.1 });
  if (redisHere) redis = await startRedis();
}, 20_000);
afterAll(async () => {
  for (const close of closers) await close().catch(() => undefined);
  await redis?.stop();
  await sim.close();
});

async function redisClient() {
  const client = createRedis({ url: redis!.url });
  client.on('error', () => undefined);
  await client.connect();
  closers.push(() => client.close());
  return client;
}

const stores: Array<[string, () => Promise<JobStore>, boolean]> = [
  ['memoryStore', async () => memoryStore(), true],
  [
    'redisStore',
    async () => {
      const store = redisStore({ client: await redisClient(), prefix: `t${Date.now()}:` });
      // Its subscriber connections first, then the client they duplicate.
      closers.unshift(() => store.close!());
      return store;
    },
    redisHere,
  ],
];

let unique = 0;
describe.each(stores)('a client with %s', (_name, makeStore, runs) => {
  const it_ = runs ? it : it.skip;

  it_('continues after a crash: unfinished() lists the job, and the new watch emits only what came after, to the end', async () => {
    const store = await makeStore();
    const id = `pipeline-${++unique}`;
    sim.addJob('aiml-suno', { id, timeline: [['submitted', 0], ['queued', 3_000], ['streaming', 12_000], ['complete', 20_000]] });
    const first = createClient(aimlSuno({ apiKey: sim.apiKey, baseUrl: sim.url }), { store });
    // The first process sees two statuses, then dies.
    const before = await lastValueFrom(first.watch(id).pipe(map((clip) => clip.status), take(2), toArray()));
    expect(before).toEqual(['submitted', 'queued']);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = createClient(aimlSuno({ apiKey: sim.apiKey, baseUrl: sim.url }), { store });
    expect(await second.unfinished()).toEqual([id]);
    const after = await lastValueFrom(second.watch(id).pipe(map((clip) => clip.status), toArray()));
    expect(after).toEqual(['streaming', 'complete']);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await second.unfinished()).toEqual([]);
    // A job that ended is told once more, as it ended, with no request upstream.
    const requests = sim.requests().length;
    expect(await firstValueFrom(second.watch(id).pipe(map((clip) => clip.status), toArray()))).toEqual(['complete']);
    expect(sim.requests().length).toBe(requests);
  });

  it_('notes the jobs generate creates as followed before it watches them', async () => {
    const store = await makeStore();
    const client = createClient(aimlSuno({ apiKey: sim.apiKey, baseUrl: sim.url }), { store });
    const jobs = await firstValueFrom(client.generate({ prompt: 'a crash course' }).pipe(take(1)));
    const unfinished = await client.unfinished();
    expect(unfinished).toContain(jobs.id);
    expect(unfinished).toHaveLength(2);
  });
});

(redisHere ? it : it.skip)('stores no byte of the key in Redis, in any key or value', async () => {
  const client = await redisClient();
  const prefix = `leak${Date.now()}:`;
  const store = redisStore({ client, prefix });
  closers.unshift(() => store.close!());
  const apiClient = createClient(aimlSuno({ apiKey: sim.apiKey, baseUrl: sim.url }), { store });
  const id = `leak-${++unique}`;
  sim.addJob('aiml-suno', { id, timeline: [['submitted', 0], ['complete', 2_000]] });
  await lastValueFrom(apiClient.watch(id));
  await new Promise((resolve) => setTimeout(resolve, 50));
  const keys = (await client.sendCommand(['KEYS', `${prefix}*`])) as string[];
  expect(keys.length).toBeGreaterThan(0);
  let everything = keys.join('\n');
  for (const key of keys) {
    const type = String(await client.sendCommand(['TYPE', key]));
    const dump = type === 'hash' ? await client.sendCommand(['HGETALL', key]) : type === 'zset' ? await client.sendCommand(['ZRANGE', key, '0', '-1']) : await client.sendCommand(['GET', key]);
    everything += JSON.stringify(dump instanceof Map ? [...dump] : dump);
  }
  expect(everything).toContain(id);
  for (const form of keyEchoes(sim.apiKey)) expect(everything).not.toContain(form);
});

(redisHere ? it : it.skip)('lets a pipeline process exit once it has closed its own Redis client: the store keeps nothing open of its own', async () => {
  const { spawn } = await import('node:child_process');
  const { join } = await import('node:path');
  const id = `exit-${++unique}`;
  // Submitted for 3 s: the process starts (tsx compiles) and sees it before it completes.
  sim.addJob('aiml-suno', { id, timeline: [['submitted', 0], ['complete', 30_000]] });
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '..', 'support', 'pipelineProcess.ts')], {
    env: { ...process.env, REDIS_URL: redis!.url, SIM_URL: sim.url, SIM_KEY: sim.apiKey, JOB_ID: id },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  // A real process: its exit is awaited on the wall clock, and a hang would hit the deadline.
  const code = await new Promise<number | null | 'hung'>((resolve) => {
    const deadline = setTimeout(() => (child.kill('SIGKILL'), resolve('hung')), 15_000);
    child.once('exit', (exit) => (clearTimeout(deadline), resolve(exit)));
  });
  expect({ code, out }).toEqual({ code: 0, out: 'submitted complete\n' });
}, 20_000);
