import { lastValueFrom, map, toArray } from 'rxjs';
import { aimlLuma, aimlSuno, createClient, isClipstreamError, JobFailedError, sunoApi } from '../../src/index.js';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { call } from '../support/simulatorHttp.js';

// Each step of a life lasts 500 ms (5 s before timeScale): long enough that a loaded machine sees every
// transition (at 50 ms, a CI run once missed a first status between the create and the first request).
const timelines = {
  'aiml-suno': [['submitted', 0], ['queued', 5_000], ['streaming', 10_000], ['complete', 15_000]],
  'aiml-luma': [['queued', 0], ['dreaming', 5_000], ['completed', 10_000]],
  sunoapi: [['submitted', 0], ['queued', 5_000], ['streaming', 10_000], ['complete', 15_000]],
} as const;

let sim: Simulator;
beforeEach(async () => {
  sim = await startSimulator({ timeScale: 0.1, seed: 21, timelines });
});
afterEach(() => sim.close());

const fast = { polling: { interval: 10, maxInterval: 20 } };
const history = <T extends { id: string }>(jobs: T[], statusOf: (job: T) => string | undefined) => {
  const byId: Record<string, Array<string | undefined>> = {};
  for (const job of jobs) (byId[job.id] ??= []).push(statusOf(job));
  return byId;
};

describe('end to end against the simulator', () => {
  it('AI/ML API Suno: create two clips, watch both through every status', async () => {
    const created = await call(sim, '/v2/generate/audio/suno-ai/clip', { method: 'POST', body: { prompt: 'sea shanty' } });
    const { clip_ids: ids } = created.body as { clip_ids: string[] };
    const client = createClient(aimlSuno({ apiKey: sim.apiKey, baseUrl: sim.url }), fast);
    const clips = await lastValueFrom(client.watchMany(ids).pipe(toArray()));
    expect(history(clips, (clip) => clip.status)).toEqual({
      [ids[0]!]: ['submitted', 'queued', 'streaming', 'complete'],
      [ids[1]!]: ['submitted', 'queued', 'streaming', 'complete'],
    });
    expect(clips.at(-1)).toMatchObject({ audio_url: expect.stringMatching(/\.mp3$/), metadata: { duration: expect.any(Number) } });
    // Both clips in every request: one request per transition, not one per clip.
    expect(sim.requests().filter((r) => r.kind === 'fetch').map((r) => r.ids.length)).toEqual([2, 2, 2, 2]);
  });

  it('AI/ML API Luma: create a generation and wait for it', async () => {
    const created = await call(sim, '/v2/generate/video/luma-ai/generation', { method: 'POST', body: { prompt: 'a cat at a piano' } });
    const { id } = created.body as { id: string };
    const client = createClient(aimlLuma({ apiKey: sim.apiKey, baseUrl: sim.url }), fast);
    const states = await lastValueFrom(client.watch(id).pipe(map((g) => g.state), toArray()));
    expect(states).toEqual(['queued', 'dreaming', 'completed']);
    const done = await client.waitFor(id, 'completed');
    expect(done.assets?.video).toMatch(/\.mp4$/);
  });

  it('sunoapi.com: create, then poll to the end', async () => {
    const created = await call(sim, '/api/v2/suno/v3.5/custom/create-pure-music', { method: 'POST', body: { tags: 'epic reggae' } });
    const ids = (created.body as { clips: Array<{ id: string }> }).clips.map((clip) => clip.id);
    const client = createClient(sunoApi({ apiKey: sim.apiKey, baseUrl: sim.url }), fast);
    const clips = await lastValueFrom(client.watchMany(ids).pipe(toArray()));
    for (const id of ids) {
      expect(history(clips, (clip) => clip.status)[id]).toEqual(['submitted', 'queued', 'streaming', 'complete']);
    }
    expect(clips.at(-1)).toMatchObject({ major_model_version: 'v3.5', is_video_pending: false });
  });

  it('reports failures as the last transition, and waitFor rejects with the failed job', async () => {
    sim.addJob('aiml-suno', { id: 'doomed', timeline: [['queued', 0], ['streaming', 3_000], ['error', 6_000]] });
    sim.addJob('aiml-luma', { id: 'refused', timeline: [['queued', 0], ['failed', 3_000]] });
    const suno = createClient(aimlSuno({ apiKey: sim.apiKey, baseUrl: sim.url }), fast);
    expect(await lastValueFrom(suno.watch('doomed').pipe(map((clip) => clip.status), toArray()))).toEqual(['queued', 'streaming', 'error']);
    const luma = createClient(aimlLuma({ apiKey: sim.apiKey, baseUrl: sim.url }), fast);
    const error = await luma.waitFor('refused', 'completed').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobFailedError);
    expect(isClipstreamError(error, 'JobFailedError') && error.job).toMatchObject({ id: 'refused', state: 'failed' });
  });

  it('completes at `until` without asking further', async () => {
    sim.addJob('aiml-suno', { id: 'half', timeline: [['queued', 0], ['streaming', 2_000], ['complete', 60_000]] });
    const client = createClient(aimlSuno({ apiKey: sim.apiKey, baseUrl: sim.url }), fast);
    const statuses = await lastValueFrom(client.watch('half', { until: 'streaming' }).pipe(map((clip) => clip.status), toArray()));
    expect(statuses).toEqual(['queued', 'streaming']);
    expect(sim.stats()).toMatchObject({ requests: 2, open: 0 });
  });

  it('fails with the API refusals: unknown id (404) and a wrong key (401)', async () => {
    const client = createClient(aimlSuno({ apiKey: sim.apiKey, baseUrl: sim.url }));
    await expect(lastValueFrom(client.watch('no-such-clip'))).rejects.toMatchObject({ name: 'HttpError', status: 404 });
    const wrong = createClient(aimlSuno({ apiKey: 'sk-wrong-key-123', baseUrl: sim.url }));
    const error = await lastValueFrom(wrong.watch('no-such-clip')).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'HttpError', status: 401 });
    expect((error as Error).message).not.toContain('sk-wrong-key-123');
  });
});
