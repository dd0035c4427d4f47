import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import crossFetch from 'cross-fetch';

/**
 * Platform fetch (undici) against cross-fetch (node-fetch 2 in Node), on
 * loopback: requests per second, connections opened, and what happens to a
 * body cut short under its Content-Length.
 */
type Fetch = (url: string, init?: { headers?: Record<string, string>; signal?: AbortSignal }) => Promise<{ text(): Promise<string> }>;

async function main() {
  let connections = 0;
  const body = JSON.stringify({ id: 'a', status: 'queued', title: 'x'.repeat(200) });
  const server = createServer((req, res) => {
    if (req.url === '/cut') {
      res.writeHead(200, { 'content-length': 1000 });
      res.write('{"id":');
      setTimeout(() => res.socket?.destroy(), 20);
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const fetches: Record<string, Fetch> = {
    'platform fetch (undici)': (url, init) => fetch(url, init),
    'cross-fetch (node-fetch 2)': (url, init) => crossFetch(url, init as never) as never,
  };
  const results: Record<string, unknown> = {};
  for (const [name, doFetch] of Object.entries(fetches)) {
    for (let warm = 0; warm < 200; warm++) await (await doFetch(`${base}/x`)).text();
    connections = 0;
    let started = performance.now();
    for (let index = 0; index < 2_000; index++) await (await doFetch(`${base}/x`)).text();
    const sequential = { requestsPerSecond: Math.round(2_000 / ((performance.now() - started) / 1000)), connectionsOpened: connections };
    connections = 0;
    started = performance.now();
    await Promise.all(Array.from({ length: 50 }, async () => {
      for (let index = 0; index < 40; index++) await (await doFetch(`${base}/x`)).text();
    }));
    const concurrent = { requestsPerSecond: Math.round(2_000 / ((performance.now() - started) / 1000)), connectionsOpened: connections };
    started = performance.now();
    const cut = await doFetch(`${base}/cut`, { signal: AbortSignal.timeout(3_000) })
      .then((response) => response.text())
      .then(
        () => 'read as complete',
        (error: Error) => (error.name === 'AbortError' || error.name === 'TimeoutError' ? 'hung until the 3 s timeout' : `failed: ${error.message}`),
      );
    results[name] = { sequential, concurrent50: concurrent, cutBody: { outcome: cut, ms: Math.round(performance.now() - started) } };
  }
  server.closeAllConnections();
  server.close();
  process.stdout.write(`${JSON.stringify(results)}\n`);
}

void main();
