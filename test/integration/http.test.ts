import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { aimlSuno, createClient, HttpError, NetworkError, sunoApi } from '../../src/index.js';
import { sunoClip } from '../../src/testing/index.js';
import { sendJson, sleep, startServer, type TestServer } from '../support/httpServer.js';

const apiKey = 'sk-integration-7f3a9c';
let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const fast = { retry: { baseDelay: 5, maxDelay: 20 } } as const;

describe('against a real HTTP server on 127.0.0.1', () => {
  it.each([
    ['a bare job', (id: string) => sunoClip(id, 'complete')],
    ['a bare array', (id: string) => [sunoClip(id, 'complete')]],
    ['{clips: [...]}', (id: string) => ({ clips: [sunoClip(id, 'complete')] })],
    ['{generations: [...]}', (id: string) => ({ generations: [sunoClip(id, 'complete')] })],
  ])('decodes %s', async (_name, body) => {
    server = await startServer((request, res) => sendJson(res, 200, body(request.query.get('clip_id')!)));
    const client = createClient(aimlSuno({ apiKey, baseUrl: server.baseUrl }));
    const clips = await lastValueFrom(client.watch('clip-1').pipe(toArray()));
    expect(clips.map((clip) => clip.status)).toEqual(['complete']);
  });

  it('sends the key only in the Authorization header, and ids as the seeds do', async () => {
    server = await startServer((request, res) =>
      sendJson(res, 200, request.query.getAll('clip_ids[]').map((id) => sunoClip(id, 'complete'))),
    );
    const client = createClient(aimlSuno({ apiKey, baseUrl: `${server.baseUrl}/` }));
    await lastValueFrom(client.watchMany(['a-1', 'b_2']));
    const [seen] = server.requests;
    expect(seen).toMatchObject({ method: 'GET', path: '/v2/generate/audio/suno-ai/clips' });
    expect(seen!.query.getAll('clip_ids[]')).toEqual(['a-1', 'b_2']);
    expect(seen!.query.get('status')).toBe('submitted');
    expect(seen!.headers.authorization).toBe(`Bearer ${apiKey}`);
    expect(seen!.query.toString()).not.toContain(apiKey);
  });

  it('aborts the long-poll in flight on unsubscribe: the server sees the connection close', async () => {
    server = await startServer(() => {
      /* hold every request, as a long-poll does */
    });
    const client = createClient(aimlSuno({ apiKey, baseUrl: server.baseUrl }));
    const subscription = client.watch('held').subscribe();
    await server.waitForRequests(1);
    subscription.unsubscribe();
    await expect(server.requests[0]!.closed).resolves.toBe(true);
    await sleep(100);
    expect(server.requests).toHaveLength(1);
  });

  it('fails at once on 401, with the status and URL but never the key', async () => {
    server = await startServer((_request, res) => sendJson(res, 401, { message: `key ${apiKey} is not valid` }));
    const client = createClient(aimlSuno({ apiKey, baseUrl: server.baseUrl }), fast);
    const error = await firstValueFrom(client.watch('a')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({
      status: 401,
      url: `${server.baseUrl}/v2/generate/audio/suno-ai/clip?clip_id=a&status=submitted`,
      message: `GET ${server.baseUrl}/v2/generate/audio/suno-ai/clip?clip_id=a&status=submitted answered HTTP 401: key [redacted] is not valid`,
    });
    expect(JSON.stringify(error)).not.toContain(apiKey);
    expect(JSON.stringify((error as HttpError).body)).not.toContain(apiKey);
    expect(server.requests).toHaveLength(1);
  });

  it('retries 503 with Retry-After, a dropped connection and a truncated body, then delivers', async () => {
    server = await startServer((_request, res, index) => {
      if (index === 0) sendJson(res, 503, { error: 'overloaded' }, { 'retry-after': '0' });
      else if (index === 1) res.socket?.destroy();
      else if (index === 2) {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '500' });
        res.write('{"id": "a", "sta');
        setTimeout(() => res.socket?.destroy(), 10);
      } else sendJson(res, 200, sunoClip('a', 'complete'));
    });
    const client = createClient(aimlSuno({ apiKey, baseUrl: server.baseUrl }), fast);
    const clips = await lastValueFrom(client.watch('a').pipe(toArray()));
    expect(clips.map((clip) => clip.status)).toEqual(['complete']);
    expect(server.requests).toHaveLength(4);
  });

  it('times out a request with snapshotTimeout, closing the connection, and reports it after the retries', async () => {
    server = await startServer(() => {
      /* never answers */
    });
    const client = createClient(sunoApi({ apiKey, baseUrl: server.baseUrl }), { snapshotTimeout: 100, retry: 1 });
    const error = await lastValueFrom(client.watch('a')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ reason: 'timeout', attempt: 2, message: expect.stringContaining('no response within 100 ms') });
    expect(await Promise.all(server.requests.map((request) => request.closed))).toEqual([true, true]);
  });

  it('reports a refused connection as a NetworkError after the retries', async () => {
    server = await startServer(() => undefined);
    const baseUrl = server.baseUrl;
    await server.close();
    server = undefined;
    const client = createClient(aimlSuno({ apiKey, baseUrl }), { retry: { limit: 2, baseDelay: 5 } });
    const error = await lastValueFrom(client.watch('a')).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'NetworkError', reason: 'connection', attempt: 3 });
    expect((error as Error).message).toContain('ECONNREFUSED');
  });
});
