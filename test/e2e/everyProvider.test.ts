import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { lastValueFrom, map, toArray } from 'rxjs';
import { aimlAudio, aimlVideo, createClient, lumaLabs } from '../../src/index.js';
import { builtInProviders, registeredProviders } from '../../src/providers/registry.js';
import { apiIdentities } from '../../src/providers/identities.js';
import { webhookHandler } from '../../src/relayServer/index.js';
import { simulatedApis } from '../../src/simulator/apis/index.js';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';

// Every provider of the registry, against its simulated API on 127.0.0.1:
// create, generate, the result URLs, and pushed updates where the API pushes.
let sim: Simulator;
afterEach(() => sim?.close());

const fast = { polling: { interval: 10, maxInterval: 20 } };

describe('every registered provider', () => {
  it('has a simulation, and the simulator plays no API the registry does not list', () => {
    expect(simulatedApis.map((api) => api.name).sort()).toEqual(registeredProviders.map((entry) => entry.factory.spec.name).sort());
  });

  it("is listed under its API's name, which the relay's names (RelayApis) are derived from, and has an identity a page can name", () => {
    expect(Object.entries(builtInProviders).map(([name, entry]) => [name, entry.factory.spec.name])).toEqual(Object.keys(builtInProviders).map((name) => [name, name]));
    expect(Object.keys(apiIdentities).sort()).toEqual(Object.keys(builtInProviders).sort());
  });

  it.each(registeredProviders.map((entry) => [entry.factory.spec.name, entry] as const))('%s: create, generate, watch to the result, ingest a pushed job', async (name, entry) => {
    sim = await startSimulator({ timeScale: 0.002, seed: 5, failureRate: 0 });
    const provider = entry.factory(sim.configFor(name));
    const client = createClient(provider, fast);
    const created = await client.create(entry.prompt('a test of every provider') as never);
    // The ids read from the create's answer are the jobs the simulator made, none invented, none dropped.
    expect([...created].sort()).toEqual(sim.jobs().filter((job) => job.api === name).map((job) => job.id).sort());
    const jobs = await lastValueFrom(client.generate(entry.prompt('another') as never).pipe(toArray()));
    const last = jobs.at(-1)!;
    expect(provider.statuses.isTerminal(client.statusOf(last))).toBe(true);
    // `since` the first status: it is never emitted.
    expect(jobs.map((job) => client.statusOf(job))).not.toContain(provider.statuses.statuses[0]);
    const urls = provider.resultUrls(last);
    expect(Object.values(urls).length).toBeGreaterThan(0);
    for (const url of Object.values(urls)) expect(url).toMatch(new RegExp(`^${sim.url}/_simulator/media/`));

    // ingest: a job pushed to the client reaches a watch of it at once, though the server would not move it for an hour.
    const first = provider.statuses.statuses[0]!;
    const stuck = sim.addJob(name, { id: `pushed-${name}:model/x`, timeline: [[first, 0]] });
    const slow = createClient(provider, { polling: { interval: 3_600_000 } });
    const idField = entry.factory.spec.idField ?? 'id';
    const watched = lastValueFrom(slow.watch(stuck.id).pipe(map((job) => slow.statusOf(job)), toArray()));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const pushed = slow.ingest({ ...(last as Record<string, unknown>), [idField]: stuck.id });
    expect(slow.statusOf(pushed)).toBe(client.statusOf(last));
    expect(await watched).toEqual([first, client.statusOf(last)]);
  });
});

describe("the AI/ML API's generic endpoints", () => {
  it('video: ids with ":" and "/" travel encoded, one id per request, polled', async () => {
    sim = await startSimulator({ timeScale: 0.002, seed: 8, failureRate: 0 });
    const client = createClient(aimlVideo({ apiKey: sim.apiKey, baseUrl: sim.url }), fast);
    const [id] = await client.create({ model: 'luma/ray-2', prompt: 'a paper boat' });
    expect(id).toMatch(/^[0-9a-f-]{36}:luma\/ray-2$/);
    const statuses = await lastValueFrom(client.watch(id!).pipe(map((job) => job.status), toArray()));
    expect(statuses).toEqual(['queued', 'generating', 'completed']);
    const fetches = sim.requests().filter((request) => request.kind === 'fetch');
    expect(fetches.every((request) => request.ids.length === 1 && request.ids[0] === id && request.url.includes('%3Aluma%2Fray-2'))).toBe(true);
  });

  it('audio: a failed generation rejects waitFor with its reason; errors come in the API shape', async () => {
    sim = await startSimulator({ timeScale: 0.002, seed: 8, jobs: [{ id: 'gen-1:stable-audio', api: 'aiml-audio', timeline: [['queued', 0], ['generating', 1_000], ['error', 2_000]] }] });
    const client = createClient(aimlAudio({ apiKey: sim.apiKey, baseUrl: sim.url }), fast);
    await expect(client.waitFor('gen-1:stable-audio', 'completed')).rejects.toMatchObject({ name: 'JobFailedError', status: 'error', reason: 'simulated failure' });
    const error = await lastValueFrom(client.watch('nope:x')).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'HttpError', status: 404, requestId: expect.stringMatching(/^sim-\d+$/), body: { message: 'generation not found: nope:x', statusCode: 404 } });
  });
});

describe("Luma's own API", () => {
  let hooks: Server | undefined;
  afterEach(async () => {
    hooks?.closeAllConnections();
    await new Promise((resolve) => (hooks ? hooks.close(resolve) : resolve(undefined)));
    hooks = undefined;
  });

  it('creates with a 201, fetches by path, and takes pushed updates through callback_url and the webhook handler', async () => {
    sim = await startSimulator({ timeScale: 0.002, seed: 3, failureRate: 0 });
    // Polling every 10 s: only a push can bring the changes in time.
    const client = createClient(lumaLabs({ apiKey: sim.apiKey, baseUrl: `${sim.url}/dream-machine/v1` }), { polling: { interval: 10_000 } });
    const secret = 'webhook-secret-0123456789';
    hooks = createServer(webhookHandler(client, { secret }));
    await new Promise<void>((resolve) => hooks!.listen(0, '127.0.0.1', resolve));
    const callback = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/luma?secret=${secret}`;
    const started = Date.now();
    const states = await lastValueFrom(client.generate({ model: 'ray-2', prompt: 'a cat playing piano', callback_url: callback }).pipe(map((job) => job.state), toArray()));
    expect(states).toEqual(['dreaming', 'completed']);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(sim.requests().find((request) => request.kind === 'create')).toMatchObject({ method: 'POST', url: '/dream-machine/v1/generations/video', status: 201 });
    // A push with a shared secret only is a hint: the job is read again from the API, once per push (two here), never polled on a schedule.
    const fetches = sim.requests().filter((request) => request.kind === 'fetch');
    expect(fetches.length).toBeLessThanOrEqual(3);
  });

  it('refuses a wrong webhook secret with 401, and a body that is not a job with 400', async () => {
    sim = await startSimulator({ seed: 3 });
    const client = createClient(lumaLabs({ apiKey: sim.apiKey, baseUrl: `${sim.url}/dream-machine/v1` }));
    const handler = webhookHandler(client, { secret: 'webhook-secret-0123456789' });
    const post = (query: string, body: unknown) => handler.fetch(new Request(`http://hooks.test/luma${query}`, { method: 'POST', body: JSON.stringify(body) }));
    expect((await post('?secret=wrong-secret-000000000', { id: 'g', state: 'queued' })).status).toBe(401);
    expect((await post('?secret=webhook-secret-0123456789', { nope: true })).status).toBe(400);
    expect((await post('?secret=webhook-secret-0123456789', { id: 'g', state: 'dreaming' })).status).toBe(200);
    expect(() => webhookHandler(client, { secret: 'short' })).toThrow('webhookHandler.secret: expected a secret of at least 16 characters');
  });
});
