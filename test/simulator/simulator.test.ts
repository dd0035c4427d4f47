import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/simulator/index.js';
import { call, sleep } from '../support/simulatorHttp.js';

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});
async function start(options: SimulatorOptions = {}) {
  sim = await startSimulator(options);
  return sim;
}

// At timeScale 0.01, 1000 ms of the simulated world take 10 ms.
const scale = 0.01;
const clip = (body: unknown) => body as { id: string; status: string };
const statuses = (body: unknown) => (body as Array<{ id: string; status: string }>).map((job) => `${job.id}:${job.status}`);

describe('simulator: AI/ML API Suno fetch endpoints', () => {
  it('answers a long-poll as soon as the clip reaches the status asked for', async () => {
    const s = await start({ timeScale: 0.1 });
    const created = Date.now();
    s.addJob('aiml-suno', { id: 'a', timeline: [['submitted', 0], ['queued', 1000], ['streaming', 5000], ['complete', 60_000]] });
    const now = await call(s, '/v2/generate/audio/suno-ai/clip?clip_id=a&status=submitted');
    expect(['submitted', 'queued']).toContain(clip(now.body).status);
    const streaming = await call(s, '/v2/generate/audio/suno-ai/clip?clip_id=a&status=streaming');
    expect(clip(streaming.body)).toMatchObject({ id: 'a', status: 'streaming', audio_url: expect.stringContaining('audiopipe') });
    const createdAt = Date.parse((streaming.body as { created_at: string }).created_at);
    expect(Math.abs(createdAt - created)).toBeLessThan(1000);
    const held = s.requests()[1]!;
    // Streaming starts 500 ms after creation; the long-poll timeout would be 12 s.
    expect(held.endedAt).toBeGreaterThanOrEqual(created + 500);
    expect(held.endedAt! - created).toBeLessThan(3000);
  });

  it('answers with any higher status, so a failure ends a wait for completion', async () => {
    const s = await start({ timeScale: scale, jobs: [{ id: 'a', api: 'aiml-suno', timeline: [['queued', 0], ['error', 2000]] }] });
    const { body } = await call(s, '/v2/generate/audio/suno-ai/clip?clip_id=a&status=completed');
    expect(body).toMatchObject({ id: 'a', status: 'error', audio_url: 'None.mp3', metadata: { error_message: 'simulated failure' } });
  });

  it('answers at the long-poll timeout with the current status', async () => {
    const s = await start({
      timeScale: scale,
      longPollTimeout: { suno: 10_000 },
      jobs: [{ id: 'stuck', api: 'aiml-suno', timeline: [['queued', 0]] }],
    });
    const started = Date.now();
    const { body } = await call(s, '/v2/generate/audio/suno-ai/clip?clip_id=stuck&status=complete');
    expect(clip(body).status).toBe('queued');
    expect(Date.now() - started).toBeGreaterThanOrEqual(95);
  });

  it('holds a multi-id long-poll until every clip is at or above the status', async () => {
    const s = await start({
      timeScale: scale,
      jobs: [
        { id: 'fast', api: 'aiml-suno', timeline: [['queued', 0], ['streaming', 1000], ['complete', 2000]] },
        { id: 'slow', api: 'aiml-suno', timeline: [['queued', 0], ['streaming', 8000], ['complete', 60_000]] },
      ],
    });
    const { body } = await call(s, '/v2/generate/audio/suno-ai/clips?clip_ids[]=fast&clip_ids[]=slow&status=streaming');
    expect(statuses(body)).toEqual(['fast:complete', 'slow:streaming']);
  });

  it('refuses more than 6 ids, waiting for error, unknown statuses and unknown ids', async () => {
    const s = await start({ jobs: ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((id) => ({ id, api: 'aiml-suno' as const, timeline: [['queued', 0]] as const })) });
    const seven = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((id) => `clip_ids[]=${id}`).join('&');
    expect(await call(s, `/v2/generate/audio/suno-ai/clips?${seven}&status=queued`)).toMatchObject({
      status: 400,
      body: { message: 'at most 6 clip ids per request, got 7' },
    });
    expect(await call(s, '/v2/generate/audio/suno-ai/clip?clip_id=a&status=error')).toMatchObject({
      status: 400,
      body: { message: 'You cannot wait for an error status' },
    });
    expect(await call(s, '/v2/generate/audio/suno-ai/clip?clip_id=a&status=done')).toMatchObject({
      status: 400,
      body: { message: 'unknown status "done"' },
    });
    expect(await call(s, '/v2/generate/audio/suno-ai/clips?clip_ids[]=a&clip_ids[]=zz&status=queued')).toMatchObject({
      status: 404,
      body: { message: 'clip not found: zz' },
    });
    expect(await call(s, '/v2/generate/audio/suno-ai/clip?status=queued')).toMatchObject({ status: 400, body: { message: 'no clip id given' } });
    expect(await call(s, '/v2/generate/audio/suno-ai/clip?clip_id=a&clip_id=b&status=queued')).toMatchObject({
      status: 400,
      body: { message: 'give one clip_id; use the clips endpoint for several' },
    });
  });

  it('refuses a missing or wrong bearer key with 401, and unknown endpoints', async () => {
    const s = await start({ jobs: [{ id: 'a', api: 'aiml-suno', timeline: [['queued', 0]] }] });
    expect(await call(s, '/v2/generate/audio/suno-ai/clip?clip_id=a', { key: null })).toMatchObject({
      status: 401,
      body: { message: 'Unauthorized: no bearer key' },
    });
    const wrong = await call(s, '/v2/generate/audio/suno-ai/clip?clip_id=a', { key: 'not-the-key' });
    expect(wrong).toMatchObject({ status: 401, body: { message: 'Unauthorized: the bearer key is not valid' } });
    expect(wrong.text).not.toContain('not-the-key');
    expect(wrong.headers.get('www-authenticate')).toBe('Bearer');
    expect((await call(s, '/v2/nothing')).status).toBe(404);
    const wrongMethod = await call(s, '/v2/generate/audio/suno-ai/clips', { method: 'POST', body: {} });
    expect([wrongMethod.status, wrongMethod.headers.get('allow')]).toEqual([405, 'GET, OPTIONS']);
  });

  it('creates two clips per request and answers with their ids', async () => {
    const s = await start({ timeScale: scale, seed: 3 });
    const created = await call(s, '/v2/generate/audio/suno-ai/clip', { method: 'POST', body: { prompt: 'a song about the sea', tags: 'folk' } });
    const { clip_ids } = created.body as { clip_ids: string[] };
    expect(clip_ids).toHaveLength(2);
    for (const id of clip_ids) expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const { body } = await call(s, `/v2/generate/audio/suno-ai/clips?clip_ids[]=${clip_ids[0]}&clip_ids[]=${clip_ids[1]}&status=submitted`);
    expect(body).toEqual([expect.objectContaining({ id: clip_ids[0], metadata: expect.objectContaining({ tags: 'folk' }) }), expect.objectContaining({ id: clip_ids[1] })]);
    expect((await call(s, '/v2/generate/audio/suno-ai/clip', { method: 'POST', body: {} })).body).toEqual({
      message: 'prompt or gpt_description_prompt is required',
    });
  });

  it('gives the same ids and lives for the same seed', async () => {
    const ids: string[][] = [];
    for (let run = 0; run < 2; run++) {
      const s = await start({ seed: 99 });
      ids.push((await call(s, '/v2/generate/audio/suno-ai/clip', { method: 'POST', body: { prompt: 'x' } })).body as never);
      ids.push(s.jobs().map((job) => JSON.stringify(job.timeline)));
      await s.close();
      sim = undefined;
    }
    expect(ids[0]).toEqual(ids[2]);
    expect(ids[1]).toEqual(ids[3]);
  });
});

describe('simulator: AI/ML API Luma', () => {
  const jobs = [
    { id: 'g1', api: 'aiml-luma' as const, timeline: [['queued', 0], ['dreaming', 1000], ['completed', 3000]] as const },
    { id: 'g2', api: 'aiml-luma' as const, timeline: [['queued', 0], ['failed', 1500]] as const },
  ];

  it('reads the wait from `state`, or from `status` as one of its examples sends it', async () => {
    const s = await start({ timeScale: scale, jobs });
    expect((await call(s, '/v2/generate/video/luma-ai/generation?generation_id=g1&state=dreaming')).body).toMatchObject({ id: 'g1', state: 'dreaming' });
    expect((await call(s, '/v2/generate/video/luma-ai/generation?generation_id=g1&status=completed')).body).toMatchObject({
      state: 'completed',
      assets: { video: expect.stringContaining('g1.mp4') },
    });
    expect(await call(s, '/v2/generate/video/luma-ai/generation?generation_id=g2&state=failed')).toMatchObject({
      status: 400,
      body: { message: 'You cannot wait for an failed state' },
    });
  });

  it('takes generation_ids[] or a comma list, answering {generations: [...]}', async () => {
    const s = await start({ timeScale: scale, jobs });
    const brackets = await call(s, '/v2/generate/video/luma-ai/generations?generation_ids[]=g1&generation_ids[]=g2&state=completed');
    const comma = await call(s, '/v2/generate/video/luma-ai/generations?generation_ids=g1,g2&state=completed');
    for (const { body } of [brackets, comma]) {
      expect(body).toEqual({
        generations: [
          expect.objectContaining({ id: 'g1', state: 'completed' }),
          expect.objectContaining({ id: 'g2', state: 'failed', failure_reason: expect.any(String) }),
        ],
      });
    }
  });

  it('creates a generation and answers with it', async () => {
    const s = await start();
    const { body } = await call(s, '/v2/generate/video/luma-ai/generation', { method: 'POST', body: { prompt: 'a cat at a piano' } });
    expect(body).toMatchObject({ state: 'queued', request: { prompt: 'a cat at a piano' } });
    expect(s.job((body as { id: string }).id)).toMatchObject({ api: 'aiml-luma', status: 'queued' });
  });
});

describe('simulator: sunoapi.com', () => {
  it('answers at once, in the envelope of its documentation, and creates two clips', async () => {
    const s = await start({ timeScale: scale, seed: 5 });
    const created = await call(s, '/api/v2/suno/v3.5/custom/create-pure-music', { method: 'POST', body: { tags: 'epic reggae', title: 'Electric Dreams' } });
    const { clips } = created.body as { clips: Array<{ id: string; status: string }> };
    expect(clips.map((c) => c.status)).toEqual(['submitted', 'submitted']);
    const { body } = await call(s, `/api/v2/suno/v3.5/clips?ids=${clips[0]!.id},${clips[1]!.id}`);
    expect(body).toMatchObject({ num_total_results: 2, current_page: 0, clips: [{ id: clips[0]!.id, major_model_version: 'v3.5' }, { id: clips[1]!.id }] });
    expect((await call(s, `/api/v2/suno/v3.5/clips?ids=${clips[0]!.id},${clips[1]!.id},${clips[0]!.id}`)).status).toBe(400);
  });
});

describe('simulator: fault injection', () => {
  const jobs = [{ id: 'a', api: 'aiml-suno' as const, timeline: [['queued', 0], ['streaming', 100]] as const }];
  const fetchA = (s: Simulator) => call(s, '/v2/generate/audio/suno-ai/clip?clip_id=a&status=queued');

  it('plays a script of faults in the order requests arrive', async () => {
    const s = await start({
      jobs,
      faults: { script: ['500', '502', '503', '429', 'malformed', 'stale', null, 'slow'], retryAfter: 7, slowBy: 300 },
    });
    expect(await fetchA(s)).toMatchObject({ status: 500, body: { message: 'simulated 500' } });
    expect((await fetchA(s)).status).toBe(502);
    const unavailable = await fetchA(s);
    expect([unavailable.status, unavailable.headers.get('retry-after')]).toEqual([503, '7']);
    const limited = await fetchA(s);
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '7']);
    const malformed = await fetchA(s);
    expect(malformed.status).toBe(200);
    expect(() => JSON.parse(malformed.text)).toThrow();
    await sleep(150);
    expect(clip((await fetchA(s)).body).status).toBe('queued'); // stale: one step back
    expect(clip((await fetchA(s)).body).status).toBe('streaming');
    const started = Date.now();
    expect(clip((await fetchA(s)).body).status).toBe('streaming');
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    expect(s.stats().faults).toEqual({ 500: 1, 502: 1, 503: 1, 429: 1, malformed: 1, stale: 1, slow: 1 });
    expect(s.job('a')!.delivered).toEqual(['streaming']);
  });

  it('drops connections and cuts bodies short', async () => {
    const s = await start({ jobs, faults: { script: ['drop', 'truncate'] } });
    await expect(fetchA(s)).rejects.toThrow();
    await expect(fetchA(s)).rejects.toThrow();
    expect(clip((await fetchA(s)).body).status).toBe('queued');
    expect(s.stats()).toMatchObject({ requests: 3, open: 0, aborted: 0, byStatus: { dropped: 2, 200: 1 } });
  });

  it('draws faults at the given rate from a seed, the same way each time', async () => {
    const runs: string[] = [];
    for (let run = 0; run < 2; run++) {
      const s = await start({ jobs, faults: { rate: 0.3, seed: 11, kinds: ['500', '503'], retryAfter: 0 } });
      const codes: number[] = [];
      for (let i = 0; i < 200; i++) codes.push((await fetchA(s)).status);
      runs.push(codes.join(','));
      const faulty = codes.filter((code) => code !== 200).length;
      expect(faulty).toBeGreaterThan(40);
      expect(faulty).toBeLessThan(80);
      await s.close();
      sim = undefined;
    }
    expect(runs[0]).toEqual(runs[1]);
  });
});

describe('simulator: log, counters, CORS', () => {
  it('counts requests, ids per request and aborted long-polls, in code and over HTTP', async () => {
    const s = await start({
      jobs: [
        { id: 'a', api: 'aiml-suno', timeline: [['queued', 0]] },
        { id: 'b', api: 'aiml-suno', timeline: [['queued', 0]] },
      ],
    });
    await call(s, '/v2/generate/audio/suno-ai/clips?clip_ids[]=a&clip_ids[]=b&status=queued');
    const controller = new AbortController();
    const held = call(s, '/v2/generate/audio/suno-ai/clip?clip_id=a&status=complete', { signal: controller.signal });
    await sleep(50);
    expect(s.stats().open).toBe(1);
    controller.abort();
    await expect(held).rejects.toThrow();
    await sleep(50);
    const stats = await call(s, '/_simulator/stats', { key: null });
    expect(stats.body).toEqual({
      requests: 2,
      open: 0,
      aborted: 1,
      idsPerRequest: { 1: 1, 2: 1 },
      byStatus: { 200: 1 },
      faults: {},
      jobs: 2,
    });
    expect(s.stats()).toEqual(stats.body);
    expect(s.requests().map((r) => [r.kind, r.ids, r.wanted, r.status, r.aborted])).toEqual([
      ['fetch', ['a', 'b'], 'queued', 200, false],
      ['fetch', ['a'], 'complete', undefined, true],
    ]);
    expect((await call(s, '/_simulator/requests?limit=1', { key: null })).body).toEqual([
      expect.objectContaining({ seq: 1, url: '/v2/generate/audio/suno-ai/clip?clip_id=a&status=complete', aborted: true }),
    ]);
    expect(JSON.stringify(s.requests())).not.toContain(s.apiKey);
  });

  it('answers CORS preflights and marks every answer for other origins', async () => {
    const s = await start();
    const preflight = await fetch(`${s.url}/v2/generate/audio/suno-ai/clip`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://127.0.0.1:5000', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('Authorization');
    expect((await call(s, '/v2/generate/audio/suno-ai/clip?clip_id=x', { key: null })).headers.get('access-control-allow-origin')).toBe('*');
  });
});
