import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { call } from '../support/simulatorHttp.js';

// What only real sockets show: CORS for pages on other origins, dropped and
// cut connections, the traffic views, a client closing a long-poll.
let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

/** Waits (on the wall clock: real sockets) until `check` holds, for at most 2 s. */
async function eventually(check: () => boolean): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > 2_000) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('simulator over HTTP', () => {
  it('answers CORS preflights and marks every answer for other origins', async () => {
    sim = await startSimulator();
    const preflight = await fetch(`${sim.url}/v2/generate/audio/suno-ai/clip`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://127.0.0.1:5000', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('Authorization');
    expect((await call(sim, '/v2/generate/audio/suno-ai/clip?clip_id=x', { key: null })).headers.get('access-control-allow-origin')).toBe('*');
  });

  it('drops connections and cuts bodies short on real sockets', async () => {
    sim = await startSimulator({ jobs: [{ id: 'a', api: 'aiml-suno', timeline: [['queued', 0]] }], faults: { script: ['drop', 'truncate'] } });
    const fetchA = () => call(sim!, '/v2/generate/audio/suno-ai/clip?clip_id=a&status=queued');
    await expect(fetchA()).rejects.toThrow();
    await expect(fetchA()).rejects.toThrow();
    expect((await fetchA()).body).toMatchObject({ id: 'a', status: 'queued' });
    expect(sim.stats()).toMatchObject({ requests: 3, open: 0, aborted: 0, byStatus: { dropped: 2, 200: 1 } });
  });

  it('sees a client close a held long-poll, and shows the traffic over HTTP without counting it', async () => {
    sim = await startSimulator({ jobs: [{ id: 'a', api: 'aiml-suno', timeline: [['queued', 0]] }] });
    const controller = new AbortController();
    const held = call(sim, '/v2/generate/audio/suno-ai/clip?clip_id=a&status=complete', { signal: controller.signal });
    await eventually(() => sim!.stats().open === 1);
    controller.abort();
    await expect(held).rejects.toThrow();
    await eventually(() => sim!.stats().open === 0);
    const stats = await call(sim, '/_simulator/stats', { key: null });
    expect(stats.body).toMatchObject({ requests: 1, open: 0, aborted: 1 });
    expect((await call(sim, '/_simulator/requests?limit=1', { key: null })).body).toEqual([
      expect.objectContaining({ seq: 0, url: '/v2/generate/audio/suno-ai/clip?clip_id=a&status=complete', aborted: true }),
    ]);
    expect((await call(sim, '/_simulator/jobs', { key: null })).body).toEqual([expect.objectContaining({ id: 'a', api: 'aiml-suno', status: 'queued' })]);
    expect(sim.connections().max).toBeGreaterThanOrEqual(1);
  });

  it('gives each API\'s provider config, base path included, and refuses an API it does not simulate', async () => {
    sim = await startSimulator();
    expect(sim.configFor('luma-labs')).toEqual({ apiKey: sim.apiKey, baseUrl: `${sim.url}/dream-machine/v1` });
    expect(sim.configFor('aiml-suno')).toEqual({ apiKey: sim.apiKey, baseUrl: sim.url });
    expect(() => sim!.configFor('midjourney')).toThrow(expect.objectContaining({ name: 'ConfigError', message: expect.stringContaining('"midjourney" is not a simulated API') }));
  });

  it('serves playable media for result URLs without a key: WAV audio, WebM video, SVG covers; 404 for other names', async () => {
    sim = await startSimulator();
    const bytes = async (file: string) => {
      const response = await fetch(`${sim!.url}/_simulator/media/${file}`);
      return { status: response.status, type: response.headers.get('content-type'), head: Buffer.from(await response.arrayBuffer()).subarray(0, 4) };
    };
    expect(await bytes('clip-1.mp3')).toEqual({ status: 200, type: 'audio/wav', head: Buffer.from('RIFF') });
    // EBML magic: the start of every Matroska/WebM file.
    expect(await bytes('g1.mp4')).toEqual({ status: 200, type: 'video/webm', head: Buffer.from([0x1a, 0x45, 0xdf, 0xa3]) });
    expect(await bytes('g1.jpg')).toMatchObject({ status: 200, type: 'image/svg+xml', head: Buffer.from('<svg') });
    expect((await bytes('g1.exe')).status).toBe(404);
  });
});
