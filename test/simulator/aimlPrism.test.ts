// The simulator's AI/ML API generic endpoints as the vendor's own OpenAPI
// documents describe them (test/fixtures/aimlapi/, from aimlapi/api-docs).
// One Stoplight Prism proxy per document, with `--errors`, in front of the
// simulator; clipstream's `aimlVideo` and `aimlAudio` clients create and
// watch through them. A request or an answer a document does not allow fails
// the spec. Real processes and sockets on 127.0.0.1, so real time.
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { aimlAudio, aimlVideo, createClient, isClipstreamError } from '../../src/index.js';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { brokenAnswers, recordingFetch, startPrism, type CheckedAnswer, type PrismProxy } from '../support/prism.js';

const fixture = (name: string) => join(__dirname, '..', 'fixtures', 'aimlapi', name);

describe("the simulator's AI/ML API video and audio endpoints behind Prism, checked against the vendor's OpenAPI documents", () => {
  let sim: Simulator;
  const prisms: Record<'videoFetch' | 'audioFetch' | 'videoCreate' | 'audioCreate', PrismProxy> = {} as never;
  const answers: CheckedAnswer[] = [];
  const recording = recordingFetch(answers);

  beforeAll(async () => {
    // Each generation is generating from 300 ms and done at 900 ms.
    sim = await startSimulator({
      timeScale: 0.15,
      failureRate: 0,
      timelines: {
        'aiml-video': [['queued', 0], ['generating', 2_000], ['completed', 6_000]],
        'aiml-audio': [['queued', 0], ['generating', 2_000], ['completed', 6_000]],
      },
    });
    const started = await Promise.all([
      startPrism(fixture('universal-video-fetch.json'), sim.url),
      startPrism(fixture('universal-audio-fetch.json'), sim.url),
      startPrism(fixture('ray-2.json'), sim.url),
      startPrism(fixture('stable-audio.json'), sim.url),
    ]);
    [prisms.videoFetch, prisms.audioFetch, prisms.videoCreate, prisms.audioCreate] = started;
  }, 90_000);
  afterAll(async () => {
    for (const prism of Object.values(prisms)) prism?.stop();
    await sim?.close();
  });
  afterEach(() => expect(brokenAnswers(answers)).toEqual([]));

  it.each([
    ['video', aimlVideo, 'videoCreate', 'videoFetch', { model: 'luma/ray-2', prompt: 'a paper boat on a river', aspect_ratio: '16:9' }, 'video'],
    ['audio', aimlAudio, 'audioCreate', 'audioFetch', { model: 'stable-audio', prompt: 'rain on a tin roof', seconds_total: 10 }, 'audio_file'],
  ] as const)('%s: a create the document allows, then every transition polled to completed', async (_kind, factory, createVia, fetchVia, input, fileField) => {
    const creating = createClient((factory as typeof aimlVideo)({ apiKey: sim.apiKey, baseUrl: prisms[createVia].url }), { fetch: recording });
    const [id] = await creating.create(input as never);
    expect(id).toEqual(expect.stringContaining(`:${input.model}`));
    const watching = createClient((factory as typeof aimlVideo)({ apiKey: sim.apiKey, baseUrl: prisms[fetchVia].url }), { fetch: recording, polling: 50 });
    const seen = await lastValueFrom(watching.watch(id!).pipe(toArray()));
    expect(seen.map((job) => job.status)).toEqual(['queued', 'generating', 'completed']);
    expect((seen.at(-1) as unknown as Record<string, { url: string }>)[fileField]!.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    // Both documents saw traffic: the create, and one poll or more per status.
    expect(answers.filter((answer) => answer.method === 'POST')).toHaveLength(1);
    expect(answers.filter((answer) => answer.method === 'GET').length).toBeGreaterThanOrEqual(3);
  });

  it.each([
    ['video', aimlVideo, 'videoFetch', 'aiml-video'],
    ['audio', aimlAudio, 'audioFetch', 'aiml-audio'],
  ] as const)("%s: a failed generation is the document's error object, and the watch's JobFailedError with its message", async (_kind, factory, fetchVia, api) => {
    const id = `0f0f0f0f-0000-4000-8000-00000000000${api.length}:model`;
    sim.addJob(api, { id, timeline: [['queued', 0], ['error', 1_000]] });
    const client = createClient((factory as typeof aimlVideo)({ apiKey: sim.apiKey, baseUrl: prisms[fetchVia].url }), { fetch: recording, polling: 50 });
    const failure = await client.waitFor(id, 'completed').catch((error: unknown) => error);
    expect(isClipstreamError(failure, 'JobFailedError')).toBe(true);
    expect(failure).toMatchObject({ id, status: 'error', reason: 'simulated failure' });
  });

  it('refuses, before the simulator sees it, a create the document does not allow: Prism is checking requests', async () => {
    const client = createClient(aimlAudio({ apiKey: sim.apiKey, baseUrl: prisms.audioCreate.url }), { fetch: recording, retry: { limit: 0 } });
    const before = sim.stats().requests;
    // stable-audio makes 47 s at most.
    const refused = await client.create({ model: 'stable-audio', prompt: 'a kite', seconds_total: 99 }).catch((error: unknown) => error);
    expect(refused).toMatchObject({ name: 'HttpError', status: 422 });
    expect(sim.stats().requests).toBe(before);
    answers.length = 0;
  });
});
