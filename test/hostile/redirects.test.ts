import { lastValueFrom } from 'rxjs';
import { aimlSuno, createClient, sunoApi } from '../../src/index.js';
import { startServer, type TestServer } from '../support/httpServer.js';

// A redirect from the API's origin is never followed: the key would go with it
// to wherever it points. Each case runs against real servers on 127.0.0.1.
const apiKey = 'sk-redirect-test-0123456789';
const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});
async function serve(handler: Parameters<typeof startServer>[0]) {
  const server = await startServer(handler);
  servers.push(server);
  return server;
}

async function failure(baseUrl: string) {
  const client = createClient(aimlSuno({ apiKey, baseUrl }), { retry: { limit: 5, baseDelay: 1 } });
  return lastValueFrom(client.watch('a')).then(
    () => {
      throw new Error('expected the watch to fail');
    },
    (error: unknown) => error as Record<string, unknown>,
  );
}

describe('redirects are never followed', () => {
  it.each([301, 302, 303, 307, 308])('%i to another port: an HttpError naming the target origin, nothing sent there, not retried', async (status) => {
    const elsewhere = await serve((_request, response) => response.end('{}'));
    const api = await serve((_request, response) => {
      response.writeHead(status, { location: `${elsewhere.baseUrl}/steal?x=1` });
      response.end();
    });
    const error = await failure(api.baseUrl);
    expect(error).toMatchObject({ name: 'HttpError', status, attempt: 1 });
    expect(error.message).toBe(
      `GET ${api.baseUrl}/v2/generate/audio/suno-ai/clip?clip_id=a&status=submitted answered HTTP ${status}: a redirect to ${elsewhere.baseUrl}, which clipstream never follows`,
    );
    expect(api.requests).toHaveLength(1);
    expect(elsewhere.requests).toHaveLength(0);
  });

  it('to plain http on another host: refused the same way, the target named by origin only', async () => {
    const api = await serve((_request, response) => {
      response.writeHead(302, { location: `http://downgrade.invalid/path?token=${apiKey}` });
      response.end();
    });
    const error = await failure(api.baseUrl);
    expect(error).toMatchObject({ name: 'HttpError', status: 302, attempt: 1 });
    expect(error.message).toContain('a redirect to http://downgrade.invalid, which clipstream never follows');
    expect(JSON.stringify(error)).not.toContain(apiKey);
  });

  it('a redirect loop costs one request, not the 126 of following 21 redirects 6 times', async () => {
    const api = await serve((_request, response) => {
      response.writeHead(307, { location: '/v2/generate/audio/suno-ai/clip?clip_id=a&status=submitted' });
      response.end();
    });
    const error = await failure(api.baseUrl);
    expect(error).toMatchObject({ name: 'HttpError', status: 307, attempt: 1, message: expect.stringContaining('a redirect to a path on the same origin') });
    expect(api.requests).toHaveLength(1);
  });

  it('the key went only to the API origin, in the Authorization header, never in the URL', async () => {
    const api = await serve((request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ clips: [{ id: request.query.get('ids'), status: 'complete' }] }));
    });
    await lastValueFrom(createClient(sunoApi({ apiKey, baseUrl: api.baseUrl })).watch('a'));
    expect(api.requests.map((request) => [request.headers.authorization, request.path.includes(apiKey)])).toEqual([[`Bearer ${apiKey}`, false]]);
  });
});
