import { VirtualAction, VirtualTimeScheduler } from 'rxjs';
import { Simulation, startSimulator, type SimulationOptions } from '../../src/simulator/index.js';

// The simulation in virtual time: requests go straight to `handle`, and a
// VirtualTimeScheduler is the clock, so a two-minute long-poll takes no time.

interface Answer {
  status?: number;
  headers?: Record<string, string>;
  text?: string;
  body?: unknown;
  /** Virtual time of the answer. */
  at?: number;
  outcome?: 'sent' | 'truncated' | 'dropped';
}

function world(options: SimulationOptions = {}) {
  const scheduler = new VirtualTimeScheduler(VirtualAction, Infinity);
  const sim = new Simulation({ scheduler, ...options });
  /** Sends a request; the answer object fills in when the simulation answers. */
  const request = (path: string, init: { method?: string; body?: unknown; key?: string | null } = {}): Answer & { close(): void } => {
    const answer: Answer & { close(): void } = { close: () => exchange.clientClosed() };
    const key = init.key === undefined ? sim.apiKey : init.key;
    const exchange = sim.handle(
      {
        method: init.method ?? 'GET',
        url: path,
        authorization: key === null ? undefined : `Bearer ${key}`,
        readBody: () => Promise.resolve(init.body === undefined ? '' : JSON.stringify(init.body)),
      },
      {
        send(status, headers, sent) {
          const text = typeof sent === 'string' ? sent : new TextDecoder().decode(sent);
          Object.assign(answer, { status, headers, text, at: scheduler.now(), outcome: 'sent' });
          try {
            answer.body = JSON.parse(text);
          } catch {
            answer.body = text;
          }
        },
        truncate: (status) => Object.assign(answer, { status, at: scheduler.now(), outcome: 'truncated' }),
        drop: () => Object.assign(answer, { at: scheduler.now(), outcome: 'dropped' }),
      },
    );
    return answer;
  };
  /** Runs the world until `until` (virtual ms). */
  const runUntil = (until: number) => {
    scheduler.maxFrames = until;
    scheduler.flush();
    scheduler.maxFrames = Infinity;
    (scheduler as unknown as { frame: number }).frame = Math.max(scheduler.frame, until);
  };
  /** Lets a create's body be read (a promise), then runs the world on. */
  const settle = async () => {
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { sim, scheduler, request, runUntil, settle };
}

const ids = (body: unknown) => (body as Array<{ id: string; status: string }>).map((job) => `${job.id}:${job.status}`);

describe('simulation options', () => {
  it('refuses an unknown option, naming the one meant, in memory and on a server', async () => {
    expect(() => new Simulation({ timescale: 0.1 } as never)).toThrow(expect.objectContaining({ name: 'ConfigError', field: 'options.timescale', message: expect.stringContaining('did you mean "timeScale"') }));
    await expect(startSimulator({ prot: 8080 } as never)).rejects.toThrow(expect.objectContaining({ field: 'options.prot', message: expect.stringContaining('did you mean "port"') }));
  });
});

describe('simulation: AI/ML API Suno long-polls', () => {
  const life = [['submitted', 0], ['queued', 1_000], ['streaming', 5_000], ['complete', 60_000]] as const;

  it('answers a long-poll the moment the clip reaches the status, with any higher one too', () => {
    const { request, runUntil } = world({ jobs: [{ id: 'a', api: 'aiml-suno', timeline: life }] });
    const now = request('/v2/generate/audio/suno-ai/clip?clip_id=a&status=submitted');
    const streaming = request('/v2/generate/audio/suno-ai/clip?clip_id=a&status=streaming');
    const queued = request('/v2/generate/audio/suno-ai/clip?clip_id=a&status=queued');
    runUntil(200_000);
    expect([now.at, now.body]).toEqual([0, expect.objectContaining({ id: 'a', status: 'submitted', audio_url: '' })]);
    expect([queued.at, (queued.body as { status: string }).status]).toEqual([1_000, 'queued']);
    expect(streaming).toMatchObject({ at: 5_000, body: { status: 'streaming', audio_url: 'https://simulator.invalid/_simulator/media/a.mp3?stream=1' } });
  });

  it('answers with a failure at once for a wait for completion, and at the timeout with the status then', () => {
    const { request, runUntil } = world({
      longPollTimeout: { 'aiml-suno': 10_000 },
      jobs: [
        { id: 'doomed', api: 'aiml-suno', timeline: [['queued', 0], ['error', 2_000]] },
        { id: 'stuck', api: 'aiml-suno', timeline: [['queued', 0]] },
      ],
    });
    const doomed = request('/v2/generate/audio/suno-ai/clip?clip_id=doomed&status=completed');
    const stuck = request('/v2/generate/audio/suno-ai/clip?clip_id=stuck&status=complete');
    runUntil(60_000);
    expect(doomed).toMatchObject({ at: 2_000, body: { status: 'error', audio_url: 'None.mp3', metadata: { error_message: 'simulated failure' } } });
    expect(stuck).toMatchObject({ at: 10_000, body: { status: 'queued' } });
  });

  it('holds a multi-id long-poll until every clip is at or above the status', () => {
    const { request, runUntil } = world({
      jobs: [
        { id: 'fast', api: 'aiml-suno', timeline: [['queued', 0], ['streaming', 1_000], ['complete', 2_000]] },
        { id: 'slow', api: 'aiml-suno', timeline: [['queued', 0], ['streaming', 8_000], ['complete', 60_000]] },
      ],
    });
    const both = request('/v2/generate/audio/suno-ai/clips?clip_ids[]=fast&clip_ids[]=slow&status=streaming');
    runUntil(100_000);
    expect(both.at).toBe(8_000);
    expect(ids(both.body)).toEqual(['fast:complete', 'slow:streaming']);
  });

  it('refuses more than 6 ids, waiting for error, unknown statuses and unknown ids, a missing or wrong key', () => {
    const { request } = world({ jobs: ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((id) => ({ id, api: 'aiml-suno', timeline: [['queued', 0]] as const })) });
    const seven = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((id) => `clip_ids[]=${id}`).join('&');
    const refusals = [
      [`/v2/generate/audio/suno-ai/clips?${seven}&status=queued`, 400, 'at most 6 clip ids per request, got 7'],
      ['/v2/generate/audio/suno-ai/clip?clip_id=a&status=error', 400, 'You cannot wait for an error status'],
      ['/v2/generate/audio/suno-ai/clip?clip_id=a&status=done', 400, 'unknown status "done"'],
      ['/v2/generate/audio/suno-ai/clips?clip_ids[]=a&clip_ids[]=zz&status=queued', 404, 'clip not found: zz'],
      ['/v2/generate/audio/suno-ai/clip?status=queued', 400, 'no clip id given'],
      ['/v2/generate/audio/suno-ai/clip?clip_id=a&clip_id=b&status=queued', 400, 'give one clip_id; use the clips endpoint for several'],
    ] as const;
    for (const [path, status, message] of refusals) expect(request(path)).toMatchObject({ status, body: { message } });
    expect(request('/v2/generate/audio/suno-ai/clip?clip_id=a', { key: null })).toMatchObject({ status: 401, body: { message: 'Unauthorized: no bearer key' } });
    const wrong = request('/v2/generate/audio/suno-ai/clip?clip_id=a', { key: 'not-the-key' });
    expect(wrong).toMatchObject({ status: 401, headers: { 'www-authenticate': 'Bearer' }, body: { message: 'Unauthorized: the bearer key is not valid' } });
    expect(wrong.text).not.toContain('not-the-key');
    expect(request('/v2/nothing').status).toBe(404);
    expect(request('/v2/generate/audio/suno-ai/clips', { method: 'POST' })).toMatchObject({ status: 405, headers: { allow: 'GET, OPTIONS' } });
  });

  it('creates two clips per request, and gives the same ids and lives for the same seed', async () => {
    const runs: unknown[] = [];
    for (let run = 0; run < 2; run++) {
      const { request, settle, sim } = world({ seed: 99 });
      const created = request('/v2/generate/audio/suno-ai/clip', { method: 'POST', body: { prompt: 'a song about the sea', tags: 'folk' } });
      await settle();
      const { clip_ids } = created.body as { clip_ids: string[] };
      expect(clip_ids).toHaveLength(2);
      expect(sim.job(clip_ids[0]!)).toMatchObject({ api: 'aiml-suno', status: 'submitted' });
      runs.push([clip_ids, sim.jobs().map((job) => job.timeline)]);
      const refused = request('/v2/generate/audio/suno-ai/clip', { method: 'POST', body: {} });
      await settle();
      expect(refused).toMatchObject({ status: 400, body: { message: 'prompt or gpt_description_prompt is required' } });
    }
    expect(runs[0]).toEqual(runs[1]);
  });
});

describe('simulation: the other APIs', () => {
  const luma = [
    { id: 'g1', api: 'aiml-luma', timeline: [['queued', 0], ['dreaming', 1_000], ['completed', 3_000]] as const },
    { id: 'g2', api: 'aiml-luma', timeline: [['queued', 0], ['failed', 1_500]] as const },
  ];

  it('AI/ML Luma: reads the wait from `state` or `status`, takes generation_ids[] or a comma list', () => {
    const { request, runUntil } = world({ jobs: luma });
    const dreaming = request('/v2/generate/video/luma-ai/generation?generation_id=g1&state=dreaming');
    const completed = request('/v2/generate/video/luma-ai/generation?generation_id=g1&status=completed');
    const brackets = request('/v2/generate/video/luma-ai/generations?generation_ids[]=g1&generation_ids[]=g2&state=completed');
    const comma = request('/v2/generate/video/luma-ai/generations?generation_ids=g1,g2&state=completed');
    runUntil(60_000);
    expect(dreaming).toMatchObject({ at: 1_000, body: { id: 'g1', state: 'dreaming' } });
    expect(completed).toMatchObject({ at: 3_000, body: { state: 'completed', assets: { video: 'https://simulator.invalid/_simulator/media/g1.mp4' } } });
    for (const answer of [brackets, comma]) {
      expect(answer).toMatchObject({ at: 3_000, body: { generations: [{ id: 'g1', state: 'completed' }, { id: 'g2', state: 'failed', failure_reason: expect.any(String) }] } });
    }
    expect(request('/v2/generate/video/luma-ai/generation?generation_id=g2&state=failed')).toMatchObject({ status: 400, body: { message: 'You cannot wait for an failed state' } });
  });

  it('sunoapi.com: answers at once in the envelope of its documentation; at most 2 ids', async () => {
    const { request, settle } = world({ seed: 5 });
    const created = request('/api/v2/suno/v3.5/custom/create-pure-music', { method: 'POST', body: { tags: 'epic reggae', title: 'Electric Dreams' } });
    await settle();
    const clips = (created.body as { clips: Array<{ id: string; status: string }> }).clips;
    expect(clips.map((clip) => clip.status)).toEqual(['submitted', 'submitted']);
    const both = request(`/api/v2/suno/v3.5/clips?ids=${clips[0]!.id},${clips[1]!.id}`);
    expect(both).toMatchObject({ at: 0, body: { num_total_results: 2, current_page: 0, clips: [{ id: clips[0]!.id, major_model_version: 'v3.5' }, { id: clips[1]!.id }] } });
    expect(request(`/api/v2/suno/v3.5/clips?ids=${clips[0]!.id},${clips[1]!.id},${clips[0]!.id}`).status).toBe(400);
  });

  it("the AI/ML API's generic endpoints: ids with a model, errors in their shape, polled", async () => {
    const { request, settle, runUntil } = world({ seed: 2, timelines: { 'aiml-video': [['queued', 0], ['generating', 1_000], ['completed', 2_000]] } });
    const created = request('/v2/video/generations', { method: 'POST', body: { model: 'luma/ray-2', prompt: 'a boat' } });
    await settle();
    const { id, status } = created.body as { id: string; status: string };
    expect([id, status]).toEqual([expect.stringMatching(/^[0-9a-f-]{36}:luma\/ray-2$/), 'queued']);
    runUntil(2_500);
    expect(request(`/v2/video/generations?generation_id=${encodeURIComponent(id)}`).body).toMatchObject({ id, status: 'completed', video: { url: expect.stringMatching(/\.mp4$/) }, error: null });
    expect(request('/v2/video/generations?generation_id=nope').body).toMatchObject({
      message: 'generation not found: nope',
      path: '/v2/video/generations',
      statusCode: 404,
      requestId: expect.stringMatching(/^sim-/),
    });
  });

  it("Luma's own API: the id in the path, 201 on create, {detail} errors, pushes to callback_url", async () => {
    const pushed: Array<[number, string, string]> = [];
    const { request, settle, runUntil, scheduler } = world({
      timelines: { 'luma-labs': [['queued', 0], ['dreaming', 1_000], ['completed', 4_000]] },
      callback: (url, job) => pushed.push([scheduler.now(), url, (job as { state: string }).state]),
    });
    const created = request('/dream-machine/v1/generations/video', { method: 'POST', body: { model: 'ray-2', prompt: 'a cat', callback_url: 'http://127.0.0.1:9/hook' } });
    await settle();
    expect(created).toMatchObject({ status: 201, body: { state: 'queued', generation_type: 'video' } });
    const { id } = created.body as { id: string };
    runUntil(10_000);
    expect(pushed).toEqual([
      [1_000, 'http://127.0.0.1:9/hook', 'dreaming'],
      [4_000, 'http://127.0.0.1:9/hook', 'completed'],
    ]);
    expect(request(`/dream-machine/v1/generations/${id}`).body).toMatchObject({ id, state: 'completed' });
    expect(request('/dream-machine/v1/generations/nope')).toMatchObject({ status: 404, body: { detail: 'generation not found: nope' } });
    const elsewhere = request('/dream-machine/v1/generations/video', { method: 'POST', body: { model: 'ray-2', prompt: 'x', callback_url: 'https://example.com/hook' } });
    await settle();
    expect(elsewhere).toMatchObject({ status: 400, body: { detail: expect.stringContaining('only calls back to 127.0.0.1') } });
  });
});

describe('simulation: faults', () => {
  const jobs = [{ id: 'a', api: 'aiml-suno', timeline: [['queued', 0], ['streaming', 100]] as const }];
  const fetchA = '/v2/generate/audio/suno-ai/clip?clip_id=a&status=queued';

  it('plays a script of faults in the order requests arrive', () => {
    const { request, runUntil, sim } = world({
      jobs,
      faults: { script: ['500', '502', '503', '429', 'malformed', 'drop', 'truncate', null, 'slow', 'stale'], retryAfter: 7, slowBy: 300 },
    });
    expect(request(fetchA)).toMatchObject({ status: 500, body: { message: 'simulated 500' } });
    expect(request(fetchA).status).toBe(502);
    expect(request(fetchA)).toMatchObject({ status: 503, headers: { 'retry-after': '7' } });
    expect(request(fetchA)).toMatchObject({ status: 429, headers: { 'retry-after': '7' } });
    const malformed = request(fetchA);
    expect(malformed.status).toBe(200);
    expect(() => JSON.parse(malformed.text!)).toThrow();
    expect(request(fetchA).outcome).toBe('dropped');
    expect(request(fetchA).outcome).toBe('truncated');
    runUntil(150);
    expect((request(fetchA).body as { status: string }).status).toBe('streaming');
    const slow = request(fetchA);
    const stale = request(fetchA);
    runUntil(1_000);
    expect(slow).toMatchObject({ at: 450, body: { status: 'streaming' } });
    expect((stale.body as { status: string }).status).toBe('queued');
    expect(sim.stats()).toMatchObject({ faults: { 500: 1, 502: 1, 503: 1, 429: 1, malformed: 1, drop: 1, truncate: 1, slow: 1, stale: 1 }, byStatus: { dropped: 2 } });
    expect(sim.job('a')!.delivered).toEqual(['streaming']);
  });

  it('draws faults at the given rate from a seed, the same way each time', () => {
    const runs: string[] = [];
    for (let run = 0; run < 2; run++) {
      const { request } = world({ jobs, faults: { rate: 0.3, seed: 11, kinds: ['500', '503'], retryAfter: 0 } });
      const codes = Array.from({ length: 400 }, () => request(fetchA).status);
      runs.push(codes.join(','));
      const faulty = codes.filter((code) => code !== 200).length;
      expect(faulty).toBeGreaterThan(90);
      expect(faulty).toBeLessThan(150);
    }
    expect(runs[0]).toEqual(runs[1]);
  });

  it('counts requests, the most open at once, ids per request and aborted long-polls; never logs the key', () => {
    const { request, runUntil, sim } = world({
      jobs: [
        { id: 'a', api: 'aiml-suno', timeline: [['queued', 0]] },
        { id: 'b', api: 'aiml-suno', timeline: [['queued', 0]] },
      ],
    });
    request('/v2/generate/audio/suno-ai/clips?clip_ids[]=a&clip_ids[]=b&status=queued');
    const held = request('/v2/generate/audio/suno-ai/clip?clip_id=a&status=complete');
    const other = request('/v2/generate/audio/suno-ai/clip?clip_id=b&status=complete');
    runUntil(1_000);
    expect(sim.stats()).toMatchObject({ open: 2, maxOpen: 2 });
    held.close();
    runUntil(200_000);
    expect(other).toMatchObject({ at: 120_000, body: { status: 'queued' } });
    expect(sim.stats()).toEqual({ requests: 3, open: 0, maxOpen: 2, aborted: 1, idsPerRequest: { 1: 2, 2: 1 }, byStatus: { 200: 2 }, faults: {}, jobs: 2 });
    expect(sim.requests().map((record) => [record.kind, record.ids, record.wanted, record.status, record.aborted, record.endedAt])).toEqual([
      ['fetch', ['a', 'b'], 'queued', 200, false, 0],
      ['fetch', ['a'], 'complete', undefined, true, 1_000],
      ['fetch', ['b'], 'complete', 200, false, 120_000],
    ]);
    expect(JSON.stringify(sim.requests())).not.toContain(sim.apiKey);
  });

  it('refuses bad options with ConfigErrors naming them', () => {
    expect(() => new Simulation({ timeScale: 0 })).toThrow('timeScale: expected a positive number, got 0');
    expect(() => new Simulation({ faults: { rate: 2 } })).toThrow('faults.rate: expected a number in [0, 1], got 2');
    expect(() => new Simulation({ jobs: [{ id: 'x', api: 'midjourney', timeline: [['queued', 0]] }] })).toThrow('jobs[0].api: "midjourney" is not a simulated API');
    expect(() => new Simulation({ jobs: [{ id: 'x', api: 'aiml-suno', timeline: [['queued', 0], ['submitted', 5]] }] })).toThrow(
      'jobs[0].timeline[1]: "submitted" does not rise above the status before it',
    );
    const refusal = (options: unknown) => {
      try {
        new Simulation(options as SimulationOptions);
      } catch (error) {
        return { name: (error as Error).name, field: (error as { field?: string }).field, message: (error as Error).message };
      }
      return undefined;
    };
    expect(refusal({ faults: { rtae: 0.1 } })).toEqual({ name: 'ConfigError', field: 'faults.rtae', message: expect.stringContaining('did you mean "rate"') });
    expect(refusal({ faults: 'often' })).toEqual({ name: 'ConfigError', field: 'faults', message: 'faults: expected an object, got "often"' });
    expect(refusal({ faults: { retryAfter: 0.5 } })).toEqual({ name: 'ConfigError', field: 'faults.retryAfter', message: 'faults.retryAfter: expected a whole number, got 0.5' });
    expect(refusal({ faults: { slowBy: -1 } })).toEqual({ name: 'ConfigError', field: 'faults.slowBy', message: 'faults.slowBy: expected a finite number of at least 0, got -1' });
    expect(refusal({ logLimit: -1 })).toEqual({ name: 'ConfigError', field: 'logLimit', message: 'logLimit: expected a finite number of at least 0, got -1' });
    expect(refusal({ logLimit: 2.5 })).toEqual({ name: 'ConfigError', field: 'logLimit', message: 'logLimit: expected a whole number, got 2.5' });
    expect(refusal({ faults: { script: 'drop' } })).toEqual({ name: 'ConfigError', field: 'faults.script', message: 'faults.script: expected an array of faults, got "drop"' });
    expect(refusal({ faults: { seed: '7' } })).toEqual({ name: 'ConfigError', field: 'faults.seed', message: 'faults.seed: expected a number, got "7"' });
    expect(refusal({ faults: { slowBy: 2 ** 31 }, timeScale: 2 })).toEqual({ name: 'ConfigError', field: 'faults.slowBy', message: expect.stringContaining('longer than a timer can wait') });
    expect(refusal({ callback: 'https://example.test/hook' })).toEqual({ name: 'ConfigError', field: 'callback', message: expect.stringContaining('callback: expected a function') });
    // What is right is taken: a Retry-After of 0 for fast tests.
    expect(refusal({ faults: { retryAfter: 0, slowBy: 0 }, logLimit: 0 })).toBeUndefined();
    expect(refusal({ logLimit: Infinity })).toBeUndefined();
  });
});
