import { lastValueFrom, map, toArray } from 'rxjs';
import { aimlSuno, createClient, isClipstreamError, relay, type Client } from '../../src/index.js';
import type { AnyProvider } from '../../src/providers/Provider.js';
import { memoryStore } from '../../src/store/index.js';
import { createRelay, type RelayOptions } from '../../src/relayServer/index.js';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { keyEchoes } from '../support/keyLeaks.js';
import { relaySimulation, relaysPerTest } from '../support/relayServer.js';

// Real sockets end to end: the simulator (its time ×0.1), a server-side
// client with the key, the relay on node:http, and browser-side clients
// (createClient(relay(…))) streaming with Node's fetch, as a page would.
let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator(relaySimulation);
});
afterAll(() => sim.close());
const relays = relaysPerTest();

/** A relay for the simulator's Suno API, counting the upstream watches it starts. */
async function startRelay(options: Partial<RelayOptions> = {}) {
  const upstream = createClient(aimlSuno({ apiKey: sim.apiKey, baseUrl: sim.url }));
  const watched: string[] = [];
  const counted: Client<AnyProvider> = {
    ...upstream,
    watch: (id, watchOptions) => {
      watched.push(id);
      return upstream.watch(id, watchOptions);
    },
  };
  const handler = createRelay({ clients: { 'aiml-suno': counted }, ...options });
  const server = await relays.serve(handler);
  return { watched, baseUrl: server.baseUrl };
}

const jsonType = { 'content-type': 'application/json' };
const browserClient = (baseUrl: string) => createClient(relay({ baseUrl, api: 'aiml-suno' }));
const statuses = (client: ReturnType<typeof browserClient>, id: string) => lastValueFrom(client.watch(id).pipe(map((clip) => clip.status), toArray()));
const keyForms = () => keyEchoes(sim.apiKey);

describe('relay', () => {
  it('serves 50 browser clients watching one job from one upstream watch; each sees every transition; no byte of the key goes out', async () => {
    const { watched, baseUrl } = await startRelay({ maxStreamsPerAddress: 64 });
    // Submitted for 1.5 s, long enough for all 50 to join before the first change.
    sim.addJob('aiml-suno', { id: 'shared-1', timeline: [['submitted', 0], ['queued', 15_000], ['streaming', 18_000], ['complete', 21_000]] });
    const browsers = Array.from({ length: 50 }, () => browserClient(baseUrl));
    const seen = await Promise.all(browsers.map((browser) => statuses(browser, 'shared-1')));
    for (const each of seen) expect(each).toEqual(['submitted', 'queued', 'streaming', 'complete']);
    expect(watched).toEqual(['shared-1']);
    // One watch upstream: a long-poll per transition, not 50.
    const upstreamRequests = sim.requests().filter((request) => request.url.includes('clip_id=shared-1'));
    expect(upstreamRequests.length).toBeLessThanOrEqual(6);
    const sent = relays.server.sent().toString('latin1');
    expect(sent).toContain('"status":"complete"');
    for (const form of keyForms()) expect(sent).not.toContain(form);
  });

  it('resumes a dropped stream with Last-Event-ID: no transition lost, none twice', async () => {
    const { baseUrl } = await startRelay();
    sim.addJob('aiml-suno', { id: 'resume-1', timeline: [['submitted', 0], ['queued', 3_000], ['streaming', 9_000], ['complete', 15_000]] });
    const browser = browserClient(baseUrl);
    const seen: string[] = [];
    const done = lastValueFrom(
      browser.watch('resume-1').pipe(
        map((clip) => {
          seen.push(clip.status);
          // Cut the stream after the first transition; the next ones happen while it is away.
          if (seen.length === 1) setTimeout(() => relays.server.dropConnections(), 50);
          return clip.status;
        }),
        toArray(),
      ),
    );
    expect(await done).toEqual(['submitted', 'queued', 'streaming', 'complete']);
    const resumed = relays.server.requests.filter((request) => /^GET .*\/events\?stream=[0-9a-f]{32}$/.test(request));
    expect(resumed.length).toBeGreaterThanOrEqual(1);
  });

  it('relays an upstream error as a typed error event: the watch fails with the HttpError, status and all, without the key', async () => {
    const { baseUrl } = await startRelay();
    const error = await lastValueFrom(browserClient(baseUrl).watch('no-such-clip')).catch((caught: unknown) => caught);
    expect(isClipstreamError(error, 'HttpError')).toBe(true);
    expect(error).toMatchObject({ name: 'HttpError', status: 404 });
    for (const form of keyForms()) expect(JSON.stringify(relays.server.sent().toString('latin1'))).not.toContain(form);
  });

  it('creates through the relay with the server key, then watches the new jobs', async () => {
    const { baseUrl } = await startRelay({ authorize: () => true });
    const browser = browserClient(baseUrl);
    const jobs = await lastValueFrom(browser.generate({ prompt: 'a sea shanty' }).pipe(toArray()));
    const ids = [...new Set(jobs.map((clip) => clip.id))];
    expect(ids).toHaveLength(2);
    for (const id of ids) expect(jobs.filter((clip) => clip.id === id).at(-1)?.status).toMatch(/^(complete|error)$/);
    expect(relays.server.requests.filter((request) => request.startsWith('POST /api/clipstream/create?api=aiml-suno'))).toHaveLength(1);
    for (const form of keyForms()) expect(relays.server.sent().toString('latin1')).not.toContain(form);
  });

  it('refuses what authorize refuses (403), ids over the limit per stream (429), and bad ids (400), each with a message', async () => {
    const { baseUrl } = await startRelay({ maxIdsPerStream: 2, authorize: (_request, targets) => !targets.some((target) => target.id.startsWith('secret')) });
    for (const id of ['lim-1', 'lim-2', 'lim-3', 'secret-1']) sim.addJob('aiml-suno', { id, timeline: [['submitted', 0], ['complete', 600_000]] });
    const browser = browserClient(baseUrl);
    const forbidden = await lastValueFrom(browser.watch('secret-1')).catch((caught: unknown) => caught);
    expect(forbidden).toMatchObject({ name: 'HttpError', status: 403, message: expect.stringContaining('not allowed to watch these jobs') });

    const first = browser.watch('lim-1').subscribe({ error: () => undefined });
    const second = browser.watch('lim-2').subscribe({ error: () => undefined });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const third = await lastValueFrom(browser.watch('lim-3')).catch((caught: unknown) => caught);
    expect(third).toMatchObject({ name: 'HttpError', status: 429, message: expect.stringContaining('at most 2 ids per stream') });
    expect(first.closed || second.closed).toBe(false);
    first.unsubscribe();
    second.unsubscribe();

    const hello = await fetch(`${baseUrl}/events`, { headers: { accept: 'text/event-stream' } });
    const reader = hello.body!.getReader();
    const text = new TextDecoder().decode((await reader.read()).value);
    const stream = /"stream":"([0-9a-f]+)"/.exec(text)![1]!;
    const bad = await fetch(`${baseUrl}/streams/${stream}`, { method: 'POST', headers: jsonType, body: JSON.stringify({ add: [{ api: 'aiml-suno', id: 'a b' }] }) });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'target', message: expect.stringContaining('"a b" is not a job id') });
    const unknownApi = await fetch(`${baseUrl}/streams/${stream}`, { method: 'POST', headers: jsonType, body: JSON.stringify({ add: [{ api: 'midjourney', id: 'x' }] }) });
    expect(await unknownApi.json()).toEqual({ error: 'target', message: 'unknown api "midjourney"; this relay serves aiml-suno' });
    await reader.cancel();
  });

  it('ends the upstream watch a grace period after the last browser leaves', async () => {
    const { baseUrl } = await startRelay({ grace: 100 });
    sim.addJob('aiml-suno', { id: 'leave-1', timeline: [['submitted', 0], ['complete', 600_000]] });
    const subscription = browserClient(baseUrl).watch('leave-1').subscribe({ error: () => undefined });
    try {
      // The upstream long-poll for leave-1, held at the simulator until the job moves or the watch ends.
      const held = () => sim.requests().filter((request) => request.ids.includes('leave-1') && request.endedAt === undefined && !request.aborted).length;
      const upstreamFor = (id: string) => sim.requests().filter((request) => request.ids.includes(id)).length;
      for (let waited = 0; held() === 0 && waited < 2_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(held()).toBe(1);
      subscription.unsubscribe();
      for (let waited = 0; held() > 0 && waited < 3_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(held()).toBe(0);
      const after = upstreamFor('leave-1');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(upstreamFor('leave-1')).toBe(after);
    } finally {
      subscription.unsubscribe();
    }
  });
});

describe('relay: what a review found', () => {
  /** Reads SSE text from a response until `until` matches what came, or `ms` pass. */
  async function readUntil(response: Response, until: RegExp, ms = 3_000): Promise<string> {
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const deadline = Date.now() + ms;
    while (!until.test(text) && Date.now() < deadline) {
      const chunk = await Promise.race([reader.read(), new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), deadline - Date.now()))]);
      if (!chunk || chunk.done) break;
      text += decoder.decode(chunk.value);
    }
    void reader.cancel().catch(() => undefined);
    return text;
  }

  it('a stream resumed while its old connection is still open keeps its events, and one heartbeat', async () => {
    const { baseUrl } = await startRelay({ heartbeat: 100 });
    sim.addJob('aiml-suno', { id: 'half-open', timeline: [['submitted', 0], ['queued', 8_000], ['complete', 600_000]] });
    const first = new AbortController();
    const old = await fetch(`${baseUrl}/events`, { signal: first.signal });
    const reader = old.body!.getReader();
    const sid = /"stream":"([0-9a-f]+)"/.exec(new TextDecoder().decode((await reader.read()).value))![1]!;
    expect((await fetch(`${baseUrl}/streams/${sid}`, { method: 'POST', headers: jsonType, body: JSON.stringify({ add: [{ api: 'aiml-suno', id: 'half-open' }] }) })).status).toBe(204);
    // The browser takes the old connection for dead and resumes; the old request ends only later.
    const resumed = await fetch(`${baseUrl}/events?stream=${sid}`, { headers: { 'last-event-id': '0' } });
    first.abort();
    const text = await readUntil(resumed, /"status":"queued"/);
    expect(text).toContain('"status":"queued"');
    // About 10 heartbeats a second on this connection, not twice that.
    const beats = (await readUntil(await fetch(`${baseUrl}/events?stream=${sid}`), /(?!)/, 1_000)).match(/: heartbeat/g)?.length ?? 0;
    expect(beats).toBeGreaterThanOrEqual(5);
    expect(beats).toBeLessThanOrEqual(13);
  });

  it('watching again after an error asks the relay to try again: a job that did not exist yet is then followed', async () => {
    // With no memory of unknown ids (the default remembers a 404 for a minute, so strangers cannot spend the rate limit).
    const { baseUrl } = await startRelay({ unknownIdMemory: 0 });
    const browser = browserClient(baseUrl);
    const error = await lastValueFrom(browser.watch('late-1')).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'HttpError', status: 404, message: 'AI/ML API Suno answered HTTP 404' });
    // The relayed message is the relay's own: no upstream URL, no upstream body.
    expect((error as Error).message).not.toMatch(/clip_id|127\.0\.0\.1|not found/);
    sim.addJob('aiml-suno', { id: 'late-1', timeline: [['submitted', 0], ['complete', 3_000]] });
    expect(await statuses(browser, 'late-1')).toEqual(['submitted', 'complete']);
  });

  it('one refused id does not fail the others added in the same turn', async () => {
    const { baseUrl } = await startRelay({ authorize: (_request, targets) => !targets.some((target) => target.id.startsWith('secret')) });
    sim.addJob('aiml-suno', { id: 'mine-1', timeline: [['submitted', 0], ['complete', 2_000]] });
    const browser = browserClient(baseUrl);
    const seen: string[] = [];
    const error = await lastValueFrom(browser.watchMany(['mine-1', 'secret-9']).pipe(map((clip) => seen.push(`${clip.id}:${clip.status}`)))).catch((caught: unknown) => caught);
    expect(seen).toEqual(['mine-1:submitted', 'mine-1:complete']);
    expect(error).toMatchObject({ name: 'HttpError', status: 403 });
  });

  it('answers hostile requests with a status, not a crash: prototype names, bad escapes, a cap on upstream watches', async () => {
    const relayHandler = relays.own(createRelay({ clients: { 'aiml-suno': createClient(aimlSuno({ apiKey: sim.apiKey, baseUrl: sim.url })) }, maxUpstreams: 1 }));
    const at = (path: string, init?: RequestInit) => relayHandler.fetch(new Request(`http://relay.test/api/clipstream${path}`, { headers: jsonType, ...init }), '10.0.0.1');
    for (const api of ['constructor', '__proto__', 'toString']) {
      const response = await at(`/create?api=${api}`, { method: 'POST', body: '{}' });
      expect({ status: response.status, body: await response.json() }).toEqual({ status: 400, body: { error: 'api', message: `unknown api "${api}"; this relay serves aiml-suno` } });
    }
    expect((await at('/streams/%E0%A4%A', { method: 'POST', body: '{}' })).status).toBe(404);
    const events = await at('/events');
    // The stream stays open: only a stream with a connection watches anything upstream.
    const sid = /"stream":"([0-9a-f]+)"/.exec(new TextDecoder().decode((await events.body!.getReader().read()).value))![1]!;
    sim.addJob('aiml-suno', { id: 'cap-1', timeline: [['submitted', 0]] });
    sim.addJob('aiml-suno', { id: 'cap-2', timeline: [['submitted', 0]] });
    const add = (id: string) => at(`/streams/${sid}`, { method: 'POST', body: JSON.stringify({ add: [{ api: 'aiml-suno', id }] }) });
    expect((await add('cap-1')).status).toBe(204);
    const refused = await add('cap-2');
    expect({ status: refused.status, body: await refused.json() }).toEqual({ status: 429, body: { error: 'upstreams', message: 'the relay watches 1 jobs at most; try again later' } });
  });

  it('limits streams per address only where the address is known, and behind a proxy takes the entry the proxy added', async () => {
    const client = createClient(aimlSuno({ apiKey: sim.apiKey, baseUrl: sim.url }));
    const unknown = createRelay({ clients: { 'aiml-suno': client }, maxStreamsPerAddress: 1 });
    const proxied = createRelay({ clients: { 'aiml-suno': client }, maxStreamsPerAddress: 1, trustProxy: true });
    try {
      const open = (relayHandler: typeof unknown, forwarded?: string) =>
        relayHandler.fetch(new Request('http://relay.test/api/clipstream/events', { headers: forwarded ? { 'x-forwarded-for': forwarded } : {} }));
      // Next.js-style: no address given, so no per-address limit (authorize is the place to limit users).
      expect([(await open(unknown)).status, (await open(unknown)).status]).toEqual([200, 200]);
      // The client wrote the first entries; the proxy appended the last.
      expect((await open(proxied, '1.1.1.1, 203.0.113.9')).status).toBe(200);
      expect((await open(proxied, '2.2.2.2, 203.0.113.9')).status).toBe(429);
      expect((await open(proxied, '1.1.1.1, 203.0.113.10')).status).toBe(200);
    } finally {
      unknown.close();
      proxied.close();
    }
  });

  it('names what a store of an earlier version lacks, instead of a TypeError at the first viewer', () => {
    const { view: _view, viewersElsewhere: _elsewhere, ...older } = memoryStore();
    expect(() => createRelay({ clients: { 'aiml-suno': createClient(aimlSuno({ apiKey: 'k-123456' })) }, store: older as never })).toThrow(
      expect.objectContaining({ name: 'ConfigError', field: 'createRelay.store', message: expect.stringContaining('the store lacks view, viewersElsewhere') }),
    );
  });

  it('refuses a resume window a browser could outlive', () => {
    expect(() => createRelay({ clients: { 'aiml-suno': createClient(aimlSuno({ apiKey: 'k-123456' })) }, heartbeat: 15_000, resumeWindow: 30_000 })).toThrow(
      expect.objectContaining({ name: 'ConfigError', message: expect.stringContaining('createRelay.resumeWindow: 30000 must be longer than two heartbeats and a second (31000 ms)') }),
    );
  });
});

describe('relay provider config', () => {
  it('reconnects as its reconnect option says, with its randomness, then fails the watch naming the attempt', async () => {
    const calls: string[] = [];
    const draws: number[] = [];
    const unreachable = async (url: string) => {
      calls.push(url);
      throw new TypeError('fetch failed');
    };
    const client = createClient(
      relay({ baseUrl: 'http://127.0.0.1:9/api/clipstream', api: 'aiml-suno', reconnect: { tries: 3, baseDelay: 5, maxDelay: 20, random: () => (draws.push(0), 0) } }),
      { fetch: unreachable as never },
    );
    const error = await lastValueFrom(client.watch('a')).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'NetworkError', reason: 'connection', attempt: 4 });
    expect(calls).toHaveLength(4);
    expect(draws).toHaveLength(3);
    expect(() => relay({ baseUrl: '/x', api: 'aiml-suno', reconnect: { tries: -1 } })).toThrow(expect.objectContaining({ field: 'relay.reconnect.tries' }));
    expect(() => relay({ baseUrl: '/x', api: 'aiml-suno', reconnect: { retries: 3 } as never })).toThrow(expect.objectContaining({ field: 'relay.reconnect.retries' }));
  });

  it('refuses the client options a relay client would ignore, naming each, and takes the ones it reads', () => {
    const provider = () => relay({ baseUrl: '/api/clipstream', api: 'aiml-suno' });
    for (const [key, value] of [['polling', 1_000], ['retry', 2], ['maxConnections', 2], ['store', {}], ['batching', 'always']] as const) {
      expect(() => createClient(provider(), { [key]: value })).toThrow(
        expect.objectContaining({ name: 'ConfigError', field: `options.${key}`, message: expect.stringContaining("the server's client does") }),
      );
    }
    expect(() => createClient(provider(), { snapshotTimeout: 5_000, fetch: globalThis.fetch })).not.toThrow();
  });

  it.each([
    [{ baseUrl: 'api/clipstream', api: aimlSuno }, 'relay.baseUrl: "api/clipstream": a path must start with "/"'],
    [{ baseUrl: 'https://user:pw@example.com/relay', api: aimlSuno }, 'relay.baseUrl: must not contain credentials: the relay needs none'],
    [{ baseUrl: '/api/clipstream', api: 'midjourney' }, 'relay.api: unknown API "midjourney": use aiml-suno, aiml-luma, sunoapi, aiml-video, aiml-audio, luma-labs, or pass a provider factory'],
    [{ baseUrl: '/api/clipstream', api: 'constructor' }, 'relay.api: unknown API "constructor": use aiml-suno, aiml-luma, sunoapi, aiml-video, aiml-audio, luma-labs, or pass a provider factory'],
    [{ baseUrl: '/api/clipstream' }, 'relay.api: expected an API name such as "aiml-suno", a provider factory such as aimlSuno, or an API\'s identity ({ name, title, statuses }), got undefined'],
  ])('refuses %j', (config, message) => {
    expect(() => relay(config as never)).toThrow(expect.objectContaining({ name: 'ConfigError', message }));
  });

  it('checks what the relay sends: its id and status by name; with a factory, its codec too', () => {
    const byName = relay({ baseUrl: '/api/clipstream', api: 'aiml-suno' });
    const decode = (provider: typeof byName, job: unknown) => provider.decode(job, ['a'], 'test', () => 0)[0]!;
    expect(decode(byName, { id: 'a', status: 'streaming' })).toEqual({ id: 'a', job: { id: 'a', status: 'streaming' } });
    expect(decode(byName, { id: 'b', status: 'streaming' }).error).toMatchObject({ name: 'DecodeError', lines: ['/id: expected "a" but got "b"'] });
    // A status of a later API version passes (the watch reports it once); no status at all does not.
    expect(decode(byName, { id: 'a', status: 'paused' })).toEqual({ id: 'a', job: { id: 'a', status: 'paused' } });
    expect(decode(byName, { id: 'a', status: 7 }).error).toMatchObject({ name: 'DecodeError', lines: [expect.stringContaining('/: expected a job with a status of aiml-suno')] });
    const byFactory = relay({ baseUrl: '/api/clipstream', api: aimlSuno });
    expect(decode(byFactory, { id: 'a', status: 'streaming', title: 7 }).error).toMatchObject({ name: 'DecodeError', id: 'a', lines: ['/title: expected (string | null) but got 7'] });
  });

  it('gives up on a create the relay does not answer within snapshotTimeout; refuses a transport; health$ stays open', async () => {
    const { createServer } = await import('node:http');
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as import('node:net').AddressInfo;
      const client = createClient(relay({ baseUrl: `http://127.0.0.1:${port}/api/clipstream`, api: 'aiml-suno' }), { snapshotTimeout: 200 });
      const error = await client.create({ prompt: 'x' }).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ name: 'NetworkError', reason: 'timeout', message: expect.stringContaining('the relay did not answer within 200 ms') });
      let completed = false;
      const health = client.health$.subscribe({ complete: () => (completed = true) });
      health.unsubscribe();
      expect(completed).toBe(false);
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
    expect(() => createClient(relay({ baseUrl: '/api/clipstream', api: 'aiml-suno' }), { transport: { request: () => undefined as never } })).toThrow(
      expect.objectContaining({ name: 'ConfigError', message: 'options.transport: a relay client streams events with fetch: give options.fetch, not a transport' }),
    );
  });

  it('watches with a factory as with a name', async () => {
    const { baseUrl } = await startRelay();
    sim.addJob('aiml-suno', { id: 'factory-1', timeline: [['submitted', 0], ['complete', 2_000]] });
    const client = createClient(relay({ baseUrl, api: aimlSuno }));
    expect(await lastValueFrom(client.watch('factory-1').pipe(map((clip) => clip.status), toArray()))).toEqual(['submitted', 'complete']);
  });

  it('takes a same-origin path and needs no key: no header to send, nothing to redact', () => {
    const provider = relay({ baseUrl: '/api/clipstream/', api: 'aiml-suno' });
    expect({ baseUrl: provider.baseUrl, headers: provider.headers(), canCreate: provider.canCreate }).toEqual({ baseUrl: '/api/clipstream', headers: {}, canCreate: true });
    expect(provider.createRequest({ prompt: 'x' })).toMatchObject({ method: 'POST', url: '/api/clipstream/create?api=aiml-suno', body: '{"prompt":"x"}' });
  });
});
