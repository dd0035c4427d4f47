import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { lastValueFrom } from 'rxjs';
import { aimlSuno, createClient } from '../../src/index.js';
import { startServer, type TestServer } from '../support/httpServer.js';

// Answers here are small JSON; a hostile or broken server may send anything.
// Each limit is checked against a real server on 127.0.0.1.
const apiKey = 'sk-limits-test-0123456789';
let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function outcome(baseUrl: string, options: Parameters<typeof createClient>[1] = {}) {
  const client = createClient(aimlSuno({ apiKey, baseUrl }), { retry: { limit: 5, baseDelay: 1 }, ...options });
  return lastValueFrom(client.watch('a')).then(
    (job) => ({ job }) as Record<string, unknown>,
    (error: unknown) => error as Record<string, unknown>,
  );
}

/** Streams `total` bytes of a JSON array of jobs, in 64 KB chunks, stopping when the client goes. */
function streamHuge(response: import('node:http').ServerResponse, total: number, counter: { sent: number }) {
  const chunk = Buffer.from(`${JSON.stringify({ id: 'filler', status: 'queued', title: 'x'.repeat(400) })},`.repeat(150));
  response.writeHead(200, { 'content-type': 'application/json' });
  response.write('[');
  const pump = () => {
    while (counter.sent < total) {
      counter.sent += chunk.length;
      if (!response.write(chunk)) return void response.once('drain', pump);
    }
    response.end('{"id":"a","status":"complete"}]');
  };
  response.on('close', () => (counter.sent = Math.max(counter.sent, total)));
  pump();
}

describe('response size', () => {
  it('abandons a 200 MB JSON answer at maxResponseBytes, once, without a retry', async () => {
    const counter = { sent: 0 };
    let closedEarly = false;
    server = await startServer((_request, response) => {
      response.on('close', () => (closedEarly = !response.writableFinished));
      streamHuge(response, 200 * 2 ** 20, counter);
    });
    const error = await outcome(server.baseUrl);
    expect(error).toMatchObject({ name: 'NetworkError', reason: 'too-large', attempt: 1 });
    expect(error.message).toContain('the response is larger than maxResponseBytes (4194304 bytes); it was abandoned');
    expect(server.requests).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closedEarly).toBe(true);
  });

  it('takes its limit from maxResponseBytes, and refuses a declared Content-Length over it before reading', async () => {
    const body = JSON.stringify({ id: 'a', status: 'complete', title: 'x'.repeat(5_000) });
    server = await startServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      response.end(body);
    });
    expect(await outcome(server.baseUrl, { maxResponseBytes: 1_000 })).toMatchObject({
      name: 'NetworkError',
      reason: 'too-large',
      attempt: 1,
      message: expect.stringContaining(`declares ${Buffer.byteLength(body)} bytes, more than maxResponseBytes (1000)`),
    });
    expect(await outcome(server.baseUrl, { maxResponseBytes: 10_000 })).toMatchObject({ job: { id: 'a', status: 'complete' } });
  });

  it('a 200 MB answer that is not JSON is fetched once', async () => {
    server = await startServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      const chunk = Buffer.alloc(2 ** 20, 'x');
      let sent = 0;
      const pump = () => {
        while (sent < 200) {
          sent += 1;
          if (!response.write(chunk)) return void response.once('drain', pump);
        }
        response.end();
      };
      response.on('close', () => (sent = 200));
      pump();
    });
    expect(await outcome(server.baseUrl)).toMatchObject({ name: 'NetworkError', reason: 'too-large', attempt: 1 });
    expect(server.requests).toHaveLength(1);
  });

  it('a 1 MB gzip body that inflates to 1 GB adds under 64 MB to the peak memory, fails once, fast', async () => {
    // 1,024 gzip members of 1 MiB of spaces each: about 1 MB on the wire, 1 GiB inflated.
    const member = gzipSync(Buffer.alloc(2 ** 20, ' '));
    const bomb = Buffer.concat(Array.from({ length: 1_024 }, () => member));
    expect(bomb.length).toBeLessThan(2 ** 21);
    server = await startServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': bomb.length });
      response.end(bomb);
    });
    // In a process of its own, so its peak memory is the client's alone.
    const script = `
      const { lastValueFrom } = require('rxjs');
      const { createClient, aimlSuno } = require(${JSON.stringify(join(__dirname, '../../dist/cjs/index.js'))});
      // The baseline: Node, rxjs and the library loaded (about 50-60 MB, more on some machines).
      const baseline = process.memoryUsage().rss;
      const started = Date.now();
      lastValueFrom(createClient(aimlSuno({ apiKey: 'sk-limits-test-0123456789', baseUrl: process.argv[1] }), { retry: { limit: 5, baseDelay: 1 } }).watch('a'))
        .then(() => 'no error', (error) => error)
        .then((error) => process.stdout.write(JSON.stringify({ name: error.name, reason: error.reason, attempt: error.attempt, ms: Date.now() - started, grown: process.resourceUsage().maxRSS * 1024 - baseline })));
    `;
    const child = await new Promise<ReturnType<typeof spawnSync>>((resolve) => {
      // spawnSync would block this process, and with it the server the child talks to.
      const { spawn } = require('node:child_process') as typeof import('node:child_process');
      const running = spawn(process.execPath, ['-e', script, server!.baseUrl], { cwd: join(__dirname, '../..') });
      let stdout = '';
      let stderr = '';
      running.stdout.on('data', (data: Buffer) => (stdout += data));
      running.stderr.on('data', (data: Buffer) => (stderr += data));
      running.on('close', (status) => resolve({ stdout, stderr, status } as never));
    });
    const result = JSON.parse(String(child.stdout)) as { name: string; reason: string; attempt: number; ms: number; grown: number };
    expect(result).toMatchObject({ name: 'NetworkError', reason: 'too-large', attempt: 1 });
    // Inflating it all would take 1 GiB; the cap stops at maxResponseBytes (4 MiB by default).
    expect(result.grown).toBeLessThan(64 * 2 ** 20);
    expect(result.ms).toBeLessThan(5_000);
    expect(server.requests).toHaveLength(1);
  });
});

describe('hopeless answers are not retried', () => {
  it.each([
    ['a 204 without a body', 204, '', 'empty'],
    ['a 200 with an empty body', 200, '', 'empty'],
  ])('%s: NetworkError %#, once', async (_what, status, body, reason) => {
    server = await startServer((_request, response) => {
      response.writeHead(status);
      response.end(body);
    });
    expect(await outcome(server.baseUrl)).toMatchObject({ name: 'NetworkError', reason, attempt: 1 });
    expect(server.requests).toHaveLength(1);
  });

  it('a 4xx other than 408 and 429 is not asked again', async () => {
    server = await startServer((_request, response) => {
      response.writeHead(422, { 'content-type': 'application/json' });
      response.end('{"message":"unprocessable"}');
    });
    expect(await outcome(server.baseUrl)).toMatchObject({ name: 'HttpError', status: 422, attempt: 1 });
  });

  it('a body cut short is retried, and fails at once rather than at the timeout', async () => {
    server = await startServer((request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': 500 });
      response.write('{"id":"a",');
      setTimeout(() => response.socket?.destroy(), 5);
      void request;
    });
    const started = Date.now();
    expect(await outcome(server.baseUrl, { retry: { limit: 2, baseDelay: 1 } })).toMatchObject({ name: 'NetworkError', reason: 'truncated', attempt: 3 });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(server.requests).toHaveLength(3);
  });
});
