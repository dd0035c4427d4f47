import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lastValueFrom, map, toArray } from 'rxjs';
import { createClient, isClipstreamError } from '../../src/index.js';
import { sendJson, startServer, type TestServer } from '../support/httpServer.js';
import { kling } from './klingProvider.js';

// A fourth API, defined in one file (klingProvider.ts, which docs/providers.md
// shows as is), watched end to end against a tiny server on 127.0.0.1.
const apiKey = 'sk-kling-test-0123456789';
let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A Kling-like API: tasks go submitted, processing (30 ms), succeed (60 ms); answers are {code, message, data}. */
async function startKling() {
  const tasks = new Map<string, number>();
  let next = 0;
  const statusOf = (id: string) => {
    const age = Date.now() - tasks.get(id)!;
    // 300 ms a status: a loaded CI machine polling every 10 ms once missed one that lived 30 ms.
    return age < 300 ? 'submitted' : age < 600 ? 'processing' : id.endsWith('-doomed') ? 'failed' : 'succeed';
  };
  const render = (id: string) => {
    const status = statusOf(id);
    return {
      task_id: id,
      task_status: status,
      task_status_msg: status === 'failed' ? 'content refused' : null,
      task_result: status === 'succeed' ? { videos: [{ url: `https://cdn.kling.example/${id}.mp4` }] } : null,
    };
  };
  server = await startServer((request, response) => {
    if (request.headers.authorization !== `Bearer ${apiKey}`) return sendJson(response, 401, { code: 401, message: 'unauthorized' });
    if (request.method === 'POST') {
      const id = `task-${++next}${next === 3 ? '-doomed' : ''}`;
      tasks.set(id, Date.now());
      return sendJson(response, 200, { code: 0, message: 'ok', data: { task_id: id } });
    }
    const one = /^\/v1\/tasks\/(.+)$/.exec(request.path);
    const ids = one ? [decodeURIComponent(one[1]!)] : (request.query.get('ids') ?? '').split(',');
    const unknown = ids.find((id) => !tasks.has(id));
    // Errors come in a 200 body, as the API does.
    if (unknown) return sendJson(response, 200, { code: 404, message: `task not found: ${unknown}` });
    sendJson(response, 200, { code: 0, message: 'ok', data: one ? render(ids[0]!) : ids.map(render) });
  });
  return server;
}

describe('defineProvider: a fourth API in one file', () => {
  it('creates and watches its jobs end to end, in its own envelope, ids field and status field', async () => {
    const api = await startKling();
    const client = createClient(kling({ apiKey, baseUrl: api.baseUrl }), { polling: 10 });
    const seen = await lastValueFrom(client.generate({ prompt: 'a dragon over mountains' }).pipe(map((task) => task.task_status), toArray()));
    expect(seen).toEqual(['processing', 'succeed']);
    expect(api.requests[0]).toMatchObject({ method: 'POST', path: '/v1/tasks' });
    expect(api.requests.slice(1).every((request) => request.path === '/v1/tasks/task-1')).toBe(true);
  });

  it('batches several ids in one request, reads failures and result URLs through the spec', async () => {
    const api = await startKling();
    const client = createClient(kling({ apiKey, baseUrl: api.baseUrl }), { polling: 10 });
    const ids = [...(await client.create({ prompt: 'one' })), ...(await client.create({ prompt: 'two' })), ...(await client.create({ prompt: 'three' }))];
    expect(ids).toEqual(['task-1', 'task-2', 'task-3-doomed']);
    const last = new Map<string, unknown>();
    await lastValueFrom(client.watchMany(ids).pipe(toArray())).then((tasks) => tasks.forEach((task) => last.set(task.task_id, task)));
    expect(api.requests.some((request) => request.path === '/v1/tasks' && request.query.get('ids') === 'task-1,task-2,task-3-doomed')).toBe(true);
    expect(client.statusOf(last.get('task-1') as never)).toBe('succeed');
    expect(client.provider.resultUrls(last.get('task-2') as never)).toEqual({ video: 'https://cdn.kling.example/task-2.mp4' });
    await expect(client.waitFor('task-3-doomed', 'succeed')).rejects.toMatchObject({ name: 'JobFailedError', status: 'failed', reason: 'content refused' });
  });

  it('turns an error carried in a 200 body into an HttpError, and splits nothing it cannot', async () => {
    const api = await startKling();
    const client = createClient(kling({ apiKey, baseUrl: api.baseUrl }), { retry: 0 });
    const error = await lastValueFrom(client.watch('nope')).catch((caught: unknown) => caught);
    expect(isClipstreamError(error, 'HttpError')).toBe(true);
    expect(error).toMatchObject({ status: 404, attempt: 1, message: expect.stringContaining('task not found: nope') });
    expect(() => client.watch('a,b')).toThrow('id: "a,b" is not a job id here: Kling joins ids with commas');
  });

  it('is shown in docs/providers.md exactly as tested', () => {
    const doc = readFileSync(join(__dirname, '../../docs/providers.md'), 'utf8');
    const source = readFileSync(join(__dirname, 'klingProvider.ts'), 'utf8').replace("from '../../src/index.js'", "from 'clipstream'");
    expect(doc).toContain(source.trim());
  });
});
