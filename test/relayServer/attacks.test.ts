import fc from 'fast-check';
import { setTimeout as sleep } from 'node:timers/promises';
import { Webhook } from 'standardwebhooks';
import { lastValueFrom, map, toArray } from 'rxjs';
import { aimlSuno, createClient, lumaLabs, relay } from '../../src/index.js';
import { createRelay, webhookHandler, type RelayOptions } from '../../src/relayServer/index.js';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { memoryStore } from '../../src/store/index.js';
import { relaySimulation, relaysPerTest } from '../support/relayServer.js';

// Attacks a stranger can make on a relay exposed on the internet, each on a
// real node:http relay on 127.0.0.1 in front of the simulator, with the
// defaults a user gets (no authorize unless the test says so).
let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator(relaySimulation);
});
afterAll(() => sim.close());
const relays = relaysPerTest();

async function startRelay(options: Partial<RelayOptions> = {}) {
  const handler = createRelay({ clients: { 'aiml-suno': createClient(aimlSuno({ apiKey: sim.apiKey, baseUrl: sim.url })) }, ...options });
  return (await relays.serve(handler)).baseUrl;
}

const json = { 'content-type': 'application/json' };
const upstreamCount = (predicate: (url: string, kind: string) => boolean) => sim.requests().filter((request) => predicate(request.url, request.kind)).length;

/** Opens a stream; answers its id and a reader of its text. */
async function openStream(baseUrl: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${baseUrl}/events`, { headers });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  // One read at a time: a read the timer outran still brings its chunk to the next round.
  let pending: Promise<ReadableStreamReadResult<Uint8Array>> | undefined;
  const readUntil = async (pattern: RegExp, ms = 5_000) => {
    const deadline = Date.now() + ms;
    while (!pattern.test(text) && Date.now() < deadline) {
      pending ??= reader.read();
      const timer = new AbortController();
      const chunk = await Promise.race([pending, sleep(Math.max(1, deadline - Date.now()), undefined, { signal: timer.signal }).catch(() => undefined)]);
      timer.abort();
      if (!chunk) continue;
      pending = undefined;
      if (chunk.done) break;
      text += decoder.decode(chunk.value, { stream: true });
    }
    return text;
  };
  const sid = /"stream":"([0-9a-f]+)"/.exec(await readUntil(/"stream"/))![1]!;
  return { sid, readUntil, text: () => text, close: () => reader.cancel() };
}

const change = (baseUrl: string, sid: string, body: unknown) => fetch(`${baseUrl}/streams/${sid}`, { method: 'POST', headers: json, body: JSON.stringify(body) });

describe('a lone surrogate in an id', () => {
  it('is a 400 at the relay, and the relay keeps serving every other stream', async () => {
    const baseUrl = await startRelay();
    sim.addJob('aiml-suno', { id: 'bystander-1', timeline: [['submitted', 0], ['queued', 3_000], ['complete', 6_000]] });
    const bystander = lastValueFrom(createClient(relay({ baseUrl, api: 'aiml-suno' })).watch('bystander-1').pipe(map((clip) => clip.status), toArray()));
    const attacker = await openStream(baseUrl);
    const refused = await fetch(`${baseUrl}/streams/${attacker.sid}`, { method: 'POST', headers: json, body: '{"add":[{"api":"aiml-suno","id":"\\ud800"}]}' });
    expect({ status: refused.status, body: await refused.json() }).toEqual({
      status: 400,
      body: { error: 'target', message: expect.stringContaining('lone UTF-16 surrogate (U+D800) at position 1') },
    });
    expect(await bystander).toEqual(['submitted', 'queued', 'complete']);
    await attacker.close();
  });

  it('is a ConfigError at watch, for any string: a property over arbitrary ids, in the client and at the relay and webhook handler', async () => {
    const client = createClient(lumaLabs({ apiKey: sim.apiKey, baseUrl: `${sim.url}/dream-machine/v1` }));
    const hooks = webhookHandler(client, { secret: 'webhook-secret-0123456789' });
    const handler = relays.own(createRelay({ clients: { 'luma-labs': client } }));
    const events = await handler.fetch(new Request('http://127.0.0.1/r/events'));
    const sid = /"stream":"([0-9a-f]+)"/.exec(new TextDecoder().decode((await events.body!.getReader().read()).value))![1]!;
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.constantFrom('.', '..', '\ud800', 'a\udc00b', 'a\u202eb')), async (id) => {
        // The client: a ConfigError at once, or a watch that can start (its URL can be built).
        let thrown: unknown;
        try {
          client.watch(id).subscribe({ error: () => undefined }).unsubscribe();
        } catch (error) {
          thrown = error;
        }
        if (thrown !== undefined) expect(thrown).toMatchObject({ name: 'ConfigError', field: 'id' });
        else expect(() => encodeURIComponent(id)).not.toThrow();
        // The relay: a 204 for an id it takes, a 400 naming the id's problem for any other; never a 500.
        const added = await handler.fetch(new Request(`http://127.0.0.1/r/streams/${sid}`, { method: 'POST', headers: json, body: JSON.stringify({ add: [{ api: 'luma-labs', id }] }) }));
        expect(added.status).toBe(thrown === undefined ? 204 : 400);
        if (added.status === 204) {
          const removed = await handler.fetch(new Request(`http://127.0.0.1/r/streams/${sid}`, { method: 'POST', headers: json, body: JSON.stringify({ remove: [{ api: 'luma-labs', id }] }) }));
          expect(removed.status).toBe(204);
        }
        const pushed = await hooks.fetch(new Request('http://127.0.0.1/hook?secret=webhook-secret-0123456789', { method: 'POST', body: JSON.stringify({ id, state: 'dreaming' }) }));
        expect([200, 400]).toContain(pushed.status);
        if (thrown !== undefined) expect(pushed.status).toBe(400);
      }),
      { numRuns: 300 },
    );
  });

  it('dot segments are no ids: lumaLabs would send GET /dream-machine/v1/ with the key', () => {
    const client = createClient(lumaLabs({ apiKey: sim.apiKey, baseUrl: `${sim.url}/dream-machine/v1` }));
    const before = sim.requests().length;
    for (const id of ['.', '..']) expect(() => client.watch(id)).toThrow(expect.objectContaining({ name: 'ConfigError', field: 'id', message: expect.stringContaining('is a dot segment, not a job id') }));
    expect(sim.requests().length).toBe(before);
  });
});

describe('creating spends the owner credits', () => {
  it('is refused (403) without authorize, and nothing goes upstream', async () => {
    const baseUrl = await startRelay();
    const creates = upstreamCount((_url, kind) => kind === 'create');
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => fetch(`${baseUrl}/create?api=aiml-suno`, { method: 'POST', headers: json, body: '{"prompt":"spend it"}' })),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(403));
    expect(await answers[0]!.json()).toEqual({ error: 'forbidden', message: expect.stringContaining('no jobs without an authorize option') });
    expect(upstreamCount((_url, kind) => kind === 'create')).toBe(creates);
  });

  it('takes JSON only (415), from its own host (421, 400) and origin (403), and checks the input before it goes upstream', async () => {
    const baseUrl = await startRelay({ authorize: () => true });
    const creates = upstreamCount((_url, kind) => kind === 'create');
    const create = (body: string, headers: Record<string, string> = json) => fetch(`${baseUrl}/create?api=aiml-suno`, { method: 'POST', headers, body });
    const refusal = async (answer: Promise<Response>) => {
      const response = await answer;
      return { status: response.status, error: ((await response.json()) as { error: string }).error, nosniff: response.headers.get('x-content-type-options') };
    };
    // A cross-site form can send these without a preflight.
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      expect(await refusal(create('{"prompt":"x"}', { 'content-type': type }))).toEqual({ status: 415, error: 'content-type', nosniff: 'nosniff' });
    }
    expect(await refusal(create('{"prompt":"x"}', { ...json, origin: 'https://evil.example' }))).toEqual({ status: 403, error: 'origin', nosniff: 'nosniff' });
    for (const body of ['null', '[1,2]', '{"prompt":42}', JSON.stringify({ prompt: 'x'.repeat(20_000) }), '{"prompt":"x","callback_url":"https://attacker.example/hook"}', '{"prompt":']) {
      expect(await refusal(create(body))).toEqual({ status: 400, error: 'body', nosniff: 'nosniff' });
    }
    expect(upstreamCount((_url, kind) => kind === 'create')).toBe(creates);
    // DNS rebinding: a page of evil.example resolved to 127.0.0.1 sends its own Host.
    const { request } = await import('node:http');
    const withHost = (host: string) =>
      new Promise<number>((resolve, reject) => {
        const url = new URL(`${baseUrl}/events`);
        request({ host: '127.0.0.1', port: url.port, path: url.pathname, headers: { host } }, (res) => {
          res.resume();
          resolve(res.statusCode!);
        })
          .on('error', reject)
          .end();
      });
    expect(await withHost('evil.example')).toBe(421);
    expect(await withHost('a b')).toBe(400);
    // The page's own origin may create.
    const ok = await create('{"prompt":"a sea shanty"}', { ...json, origin: new URL(baseUrl).origin });
    expect({ status: ok.status, ids: ((await ok.json()) as { ids: string[] }).ids.length }).toEqual({ status: 201, ids: 2 });
  });
});

describe('amplification and the owner rate limit', () => {
  it('one id listed 15,624 times is one watch and one event', async () => {
    const baseUrl = await startRelay();
    sim.addJob('aiml-suno', { id: 'amp-1', timeline: [['submitted', 0], ['complete', 600_000]] });
    const stream = await openStream(baseUrl);
    const answer = await change(baseUrl, stream.sid, { add: Array(15_624).fill({ api: 'aiml-suno', id: 'amp-1' }) });
    // More entries than a stream may ever hold are refused before anything is looked at.
    expect(answer.status).toBe(400);
    expect((await change(baseUrl, stream.sid, { add: Array(150).fill({ api: 'aiml-suno', id: 'amp-1' }) })).status).toBe(204);
    await stream.readUntil(/"status":"submitted"/);
    await stream.readUntil(/(?!)/, 300);
    expect(stream.text().match(/event: job/g)).toHaveLength(1);
    await stream.close();
  });

  it('100 nonexistent ids re-added in a loop are asked upstream once, not once per add', async () => {
    const baseUrl = await startRelay();
    const stream = await openStream(baseUrl);
    const targets = Array.from({ length: 100 }, (_, index) => ({ api: 'aiml-suno', id: `ghost-${index}` }));
    const before = upstreamCount((url) => url.includes('ghost-'));
    await change(baseUrl, stream.sid, { add: targets });
    const errors = () => stream.text().match(/event: error/g)?.length ?? 0;
    for (const deadline = Date.now() + 10_000; errors() < 100 && Date.now() < deadline; ) await stream.readUntil(/(?!)/, 100);
    expect(errors()).toBe(100);
    const firstRound = upstreamCount((url) => url.includes('ghost-')) - before;
    for (let round = 0; round < 30; round++) {
      await change(baseUrl, stream.sid, { remove: targets });
      await change(baseUrl, stream.sid, { add: targets });
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    const total = upstreamCount((url) => url.includes('ghost-')) - before;
    // The first round: about one request per ghost (a batch the API refuses whole is asked again id by id).
    expect(firstRound).toBeGreaterThanOrEqual(17);
    expect(firstRound).toBeLessThanOrEqual(200);
    // 30 more rounds of 100 adds: answered from the memory of 404s.
    expect(total).toBe(firstRound);
    console.log(`nonexistent ids: ${firstRound} upstream requests for the first 100 adds, ${total - firstRound} for 3,000 more`);
    await stream.close();
  });

  it('counts open streams per address in O(1), and a dropped stream stops counting at once', async () => {
    const baseUrl = await startRelay({ maxStreamsPerAddress: 3 });
    const first = await Promise.all([openStream(baseUrl), openStream(baseUrl), openStream(baseUrl)]);
    expect((await fetch(`${baseUrl}/events`)).status).toBe(429);
    // A reload: the page's streams drop, and the new page gets its streams at once (not after the resume window).
    await Promise.all(first.map((stream) => stream.close()));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const again = await Promise.all([openStream(baseUrl), openStream(baseUrl), openStream(baseUrl)]);
    expect(again.map((stream) => stream.sid)).toHaveLength(3);
    await Promise.all(again.map((stream) => stream.close()));
  });

  it('behind two proxies, takes the second entry from the end of X-Forwarded-For', async () => {
    const handler = relays.own(createRelay({ clients: { 'aiml-suno': createClient(aimlSuno({ apiKey: sim.apiKey, baseUrl: sim.url })) }, maxStreamsPerAddress: 1, trustProxy: 2 }));
    const open = (forwarded: string) => handler.fetch(new Request('http://relay.test/r/events', { headers: { 'x-forwarded-for': forwarded } }));
    expect((await open('6.6.6.6, 198.51.100.7, 10.0.0.2')).status).toBe(200);
    // The client spoofed its first entry: the proxies' own entries say it is the same client.
    expect((await open('7.7.7.7, 198.51.100.7, 10.0.0.2')).status).toBe(429);
    expect((await open('6.6.6.6, 198.51.100.8, 10.0.0.2')).status).toBe(200);
    expect(() => createRelay({ clients: { 'aiml-suno': createClient(aimlSuno({ apiKey: sim.apiKey })) }, trustProxy: 0 })).toThrow(
      expect.objectContaining({ name: 'ConfigError', field: 'createRelay.trustProxy' }),
    );
  });
});

describe('webhook pushes', () => {
  const luma = () => createClient(lumaLabs({ apiKey: sim.apiKey, baseUrl: `${sim.url}/dream-machine/v1` }), { polling: 100 });
  const signingSecret = `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`;
  const signed = (body: unknown, { id = `msg_${Math.random()}`, at = new Date(), secret = signingSecret } = {}) => {
    const text = JSON.stringify(body);
    const signature = new Webhook(secret).sign(id, at, text);
    return new Request('http://127.0.0.1/hook', {
      method: 'POST',
      headers: { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': signature },
      body: text,
    });
  };
  const watchStates = (client: ReturnType<typeof luma>, id: string) => {
    const seen: string[] = [];
    const watch = client.watch(id).subscribe((job) => seen.push(String(job.state)));
    return { seen, stop: () => watch.unsubscribe() };
  };

  it('with only a shared secret, a forged push decides nothing: the job is read again from the API, and that is what watchers see', async () => {
    const client = luma();
    sim.addJob('luma-labs', { id: 'forged-1', timeline: [['queued', 0], ['dreaming', 4_000], ['completed', 8_000]] });
    const { seen, stop } = watchStates(client, 'forged-1');
    await new Promise((resolve) => setTimeout(resolve, 150));
    const hooks = webhookHandler(client, { secret: 'webhook-secret-0123456789' });
    const forged = { id: 'forged-1', state: 'completed', assets: { video: 'https://attacker.example/evil.mp4' } };
    const before = upstreamCount((url) => url.includes('forged-1'));
    const answer = await hooks.fetch(new Request('http://127.0.0.1/hook?secret=webhook-secret-0123456789', { method: 'POST', body: JSON.stringify(forged) }));
    expect(answer.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 150));
    // One request to the API, with the key: what it said (queued) is all a watcher has.
    expect(upstreamCount((url) => url.includes('forged-1')) - before).toBeGreaterThanOrEqual(1);
    expect(seen).toEqual(['queued']);
    // The real life goes on to the end, the forged video nowhere.
    await new Promise((resolve) => setTimeout(resolve, 900));
    expect(seen).toEqual(['queued', 'dreaming', 'completed']);
    stop();
  });

  it('signed (Standard Webhooks): taken as the job at once; a wrong, stale or replayed signature is not', async () => {
    const client = luma();
    sim.addJob('luma-labs', { id: 'signed-1', timeline: [['queued', 0], ['completed', 600_000]] });
    const { seen, stop } = watchStates(client, 'signed-1');
    await new Promise((resolve) => setTimeout(resolve, 150));
    const hooks = webhookHandler(client, { signingSecret: [`whsec_${Buffer.from('an older secret, rotated out!!').toString('base64')}`, signingSecret] });
    const other = `whsec_${Buffer.from('somebody else entirely, sorry!').toString('base64')}`;
    expect((await hooks.fetch(signed({ id: 'signed-1', state: 'dreaming' }, { secret: other }))).status).toBe(401);
    expect((await hooks.fetch(signed({ id: 'signed-1', state: 'dreaming' }, { at: new Date(Date.now() - 600_000) }))).status).toBe(401);
    // No signature and no shared secret configured: refused.
    expect((await hooks.fetch(new Request('http://127.0.0.1/hook', { method: 'POST', body: '{"id":"signed-1","state":"dreaming"}' }))).status).toBe(401);
    expect(seen).toEqual(['queued']);
    expect((await hooks.fetch(signed({ id: 'signed-1', state: 'dreaming' }, { id: 'msg_once' }))).status).toBe(200);
    expect(seen).toEqual(['queued', 'dreaming']);
    // The same message again (a retry, or a replay): answered 200, taken once.
    expect((await hooks.fetch(signed({ id: 'signed-1', state: 'dreaming' }, { id: 'msg_once' }))).status).toBe(200);
    expect(seen).toEqual(['queued', 'dreaming']);
    stop();
  });

  it("with the relay's store, a push taken in on one instance reaches the browsers of another", async () => {
    const store = memoryStore();
    // Instance A: the relay, holding a browser's stream that follows the job.
    const relayA = relays.own(createRelay({ clients: { 'luma-labs': luma() }, store }));
    sim.addJob('luma-labs', { id: 'elsewhere-1', timeline: [['queued', 0], ['completed', 600_000]] });
    const events = await relayA.fetch(new Request('http://127.0.0.1/r/events'));
    const reader = events.body!.getReader();
    const decoder = new TextDecoder();
    let text = decoder.decode((await reader.read()).value);
    const sid = /"stream":"([0-9a-f]+)"/.exec(text)![1]!;
    await relayA.fetch(new Request(`http://127.0.0.1/r/streams/${sid}`, { method: 'POST', headers: json, body: JSON.stringify({ add: [{ api: 'luma-labs', id: 'elsewhere-1' }] }) }));
    while (!text.includes('"state":"queued"')) text += decoder.decode((await reader.read()).value);
    // Instance B: only the webhook handler, with its own client, on the same store.
    const hooks = webhookHandler(luma(), { signingSecret, store });
    expect((await hooks.fetch(signed({ id: 'elsewhere-1', state: 'dreaming' }))).status).toBe(200);
    while (!text.includes('"state":"dreaming"')) text += decoder.decode((await reader.read()).value);
    expect(text.match(/"state":"dreaming"/g)).toHaveLength(1);
    await reader.cancel();
  });

  it('are validated whole before any is ingested, and answered 200 (Luma sends again otherwise)', async () => {
    const client = luma();
    sim.addJob('luma-labs', { id: 'pushed-1', timeline: [['queued', 0], ['completed', 600_000]] });
    const { seen, stop } = watchStates(client, 'pushed-1');
    await new Promise((resolve) => setTimeout(resolve, 150));
    const hooks = webhookHandler(client, { signingSecret });
    const bad = await hooks.fetch(signed([{ id: 'pushed-1', state: 'dreaming' }, { id: 'pushed-1', state: 42 }]));
    expect({ status: bad.status, body: await bad.json() }).toEqual({ status: 400, body: { error: 'job', message: expect.stringMatching(/^job 1: /) } });
    expect(seen).toEqual(['queued']);
    expect((await hooks.fetch(signed({ id: 'pushed-1', state: 'dreaming' }))).status).toBe(200);
    expect(seen).toEqual(['queued', 'dreaming']);
    stop();
    expect(() => webhookHandler(client, {})).toThrow(expect.objectContaining({ name: 'ConfigError', field: 'webhookHandler' }));
    expect(() => webhookHandler(client, { signingSecret: 'not-a-secret' })).toThrow(expect.objectContaining({ name: 'ConfigError', field: 'webhookHandler.signingSecret' }));
  });
});

describe("Luma's create, as Luma's own OpenAPI document has it", () => {
  it('takes the SDK minimal create { model } with no prompt, and refuses one without a model before anything is sent', async () => {
    const client = createClient(lumaLabs({ apiKey: sim.apiKey, baseUrl: `${sim.url}/dream-machine/v1` }));
    const [id] = await client.create({ model: 'ray-2' });
    expect(id).toEqual(expect.any(String));
    const creates = upstreamCount((_url, kind) => kind === 'create');
    const refused = await client.create({ prompt: 'no model' } as never).catch((caught: unknown) => caught);
    expect(refused).toMatchObject({ name: 'ConfigError', field: 'input.model', message: expect.stringContaining('Luma needs a model') });
    expect(upstreamCount((_url, kind) => kind === 'create')).toBe(creates);
    // The simulator refuses it too, as Luma does: { detail } with 400.
    const raw = await fetch(`${sim.url}/dream-machine/v1/generations/video`, { method: 'POST', headers: { ...json, authorization: `Bearer ${sim.apiKey}` }, body: '{"prompt":"no model"}' });
    expect({ status: raw.status, body: await raw.json() }).toEqual({ status: 400, body: { detail: 'model: field required' } });
  });
});
