// The simulator's Luma API as Luma's own tools see it. Stoplight Prism runs in
// proxy mode with Luma's OpenAPI document (test/fixtures/luma-openapi.yaml)
// in front of the simulator, with `--errors`: a request or an answer the
// document does not allow becomes a 500 with its violations, and any
// violation at all is named in an `sl-violations` header, which every spec
// here fails on. Through it go the official `lumaai` SDK (create, poll, list,
// delete, read a failure) and clipstream's own `lumaLabs` client; the SDK also
// reads the simulator's errors directly (Prism would answer an invalid request
// itself). Real processes and sockets on 127.0.0.1, so real time.
import { join } from 'node:path';
import LumaAI from 'lumaai';
import { lastValueFrom, toArray } from 'rxjs';
import { createClient, isClipstreamError, lumaLabs } from '../../src/index.js';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { brokenAnswers, recordingFetch, startPrism, type CheckedAnswer, type PrismProxy } from '../support/prism.js';

const fixture = join(__dirname, '..', 'fixtures', 'luma-openapi.yaml');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
describe("the simulator's Luma API behind Prism, checked against Luma's OpenAPI document", () => {
  let sim: Simulator;
  let prism: PrismProxy;
  /** Every answer Prism gave, with the violations it found (none allowed). */
  const answers: CheckedAnswer[] = [];
  const recording = recordingFetch(answers);
  const sdk = (baseURL: string, authToken = sim.apiKey) => new LumaAI({ authToken, baseURL, maxRetries: 0, fetch: recording as never });

  beforeAll(async () => {
    // Each generation dreams from 300 ms and completes at 900 ms: a request through Prism takes a few ms.
    sim = await startSimulator({ timeScale: 0.15, failureRate: 0, timelines: { 'luma-labs': [['queued', 0], ['dreaming', 2_000], ['completed', 6_000]] } });
    prism = await startPrism(fixture, sim.configFor('luma-labs').baseUrl);
  }, 90_000);
  afterAll(async () => {
    prism?.stop();
    await sim?.close();
  });
  afterEach(() => {
    // Whatever a spec asserted, no answer broke the document.
    expect(brokenAnswers(answers)).toEqual([]);
  });

  it('lumaai creates, polls to completed, lists and deletes, through Prism', async () => {
    const luma = sdk(prism.url);
    const created = await luma.generations.create({ prompt: 'a paper boat on a pond', model: 'ray-2', aspect_ratio: '9:16' });
    expect(created).toMatchObject({ state: 'queued', model: 'ray-2', request: { prompt: 'a paper boat on a pond', aspect_ratio: '9:16' } });
    const states: string[] = [created.state!];
    let generation = created;
    for (let poll = 0; poll < 100 && generation.state !== 'completed'; poll++) {
      await sleep(30);
      generation = await luma.generations.get(created.id!);
      if (states.at(-1) !== generation.state) states.push(generation.state!);
    }
    expect(states).toEqual(['queued', 'dreaming', 'completed']);
    expect(generation.assets?.video).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/.*\.mp4$/);
    const listed = await luma.generations.list({ limit: 10 });
    expect(listed.generations.map((entry) => entry.id)).toContain(created.id);
    await luma.generations.delete(created.id!);
    const gone = await luma.generations.get(created.id!).catch((error: unknown) => error);
    expect(gone).toBeInstanceOf(LumaAI.NotFoundError);
    expect((gone as InstanceType<typeof LumaAI.NotFoundError>).status).toBe(404);
  });

  it('lumaai reads a failed generation and its reason, through Prism', async () => {
    const id = '0f0f0f0f-0000-4000-8000-000000000001';
    sim.addJob('luma-labs', { id, timeline: [['queued', 0], ['failed', 1_000]] });
    await sleep(200);
    const failed = await sdk(prism.url).generations.get(id);
    expect(failed.state).toBe('failed');
    expect(failed.failure_reason).toEqual(expect.any(String));
    expect(failed.failure_reason!.length).toBeGreaterThan(0);
  });

  it("lumaai reads the simulator's errors as Luma's: 401 for a bad key, 404 for an unknown id, 400 for a model Luma does not have", async () => {
    const direct = sim.configFor('luma-labs').baseUrl;
    const unauthorized = await sdk(direct, 'not-the-key').generations.get('0f0f0f0f-0000-4000-8000-000000000002').catch((error: unknown) => error);
    expect(unauthorized).toBeInstanceOf(LumaAI.AuthenticationError);
    expect((unauthorized as InstanceType<typeof LumaAI.APIError>).status).toBe(401);
    const unknown = await sdk(direct).generations.get('0f0f0f0f-0000-4000-8000-000000000003').catch((error: unknown) => error);
    expect(unknown).toBeInstanceOf(LumaAI.NotFoundError);
    const refused = await sdk(direct)
      .generations.create({ prompt: 'a kite', model: 'ray-99' as never })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(LumaAI.BadRequestError);
    expect((refused as InstanceType<typeof LumaAI.APIError>).status).toBe(400);
    expect((refused as InstanceType<typeof LumaAI.APIError>).error).toEqual({ detail: expect.stringContaining('model') });
  });

  it("clipstream's lumaLabs client creates and watches through Prism: its requests are the document's too", async () => {
    const client = createClient(lumaLabs({ apiKey: sim.apiKey, baseUrl: prism.url }), { fetch: recording, polling: 50 });
    const seen = await lastValueFrom(client.generate({ prompt: 'a lighthouse at dusk', model: 'ray-flash-2' }).pipe(toArray()));
    // generate starts after the status every new job has (queued): the transitions from there.
    expect(seen.map((job) => job.state)).toEqual(['dreaming', 'completed']);
    expect(seen.at(-1)!.assets?.video).toMatch(/\.mp4$/);
    // A failed job: waitFor rejects with a JobFailedError carrying Luma's reason.
    const id = '0f0f0f0f-0000-4000-8000-000000000004';
    sim.addJob('luma-labs', { id, timeline: [['queued', 0], ['failed', 1_000]] });
    const failure = await client.waitFor(id, 'completed').catch((error: unknown) => error);
    expect(isClipstreamError(failure, 'JobFailedError')).toBe(true);
    expect(failure).toMatchObject({ id, status: 'failed', reason: 'the generation was stopped: simulated failure' });
    expect(answers.length).toBeGreaterThanOrEqual(4);
  });
});
