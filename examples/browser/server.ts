// The browser example's server: the simulator (standing in for the APIs),
// server-side clients holding the key, the relay in front of them, and the
// page, bundled with esbuild when the server starts.
//
//   npx tsx examples/browser/server.ts        then open the URL it prints
//
// Run `npm run build` first (the root `npm ci` installs React too: this folder
// is an npm workspace): the pages bundle clipstream from dist/esm, as an app
// bundles the published package. / is the plain page, /react the React one.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { build } from 'esbuild';
import { aimlSuno, createClient, lumaLabs } from 'clipstream';
import { createRelay } from 'clipstream/relay';
import { startSimulator, type SimulatorOptions } from 'clipstream/simulator';

export interface ExampleOptions {
  /** 0 picks a free port. @default 0 */
  port?: number;
  /** The simulator's speed: 0.1 runs its world ten times faster. @default 0.2 */
  timeScale?: number;
  /** The lives of created jobs, by API, instead of the example's (the browser spec makes a Luma video fail). */
  timelines?: SimulatorOptions['timelines'];
  /** Sees every request and its response before they are handled (the browser test records what reaches the page). */
  tap?: (req: IncomingMessage, res: ServerResponse) => void;
}

export interface Example {
  readonly url: string;
  /** The key the server-side clients hold: never sent to the page. */
  readonly apiKey: string;
  close(): Promise<void>;
}

const root = join(__dirname, '..', '..');
const page = join(__dirname, 'page');

/** A page's script, bundled for browsers from dist/esm: `clipstream` is the built package, as its exports map it. */
async function bundlePage(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [join(page, entry)],
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    plugins: [
      {
        name: 'clipstream-package',
        setup(on) {
          on.onResolve({ filter: /^clipstream(\/.*)?$/ }, (args) => ({ path: join(root, 'dist', 'esm', args.path.slice('clipstream'.length), 'index.js') }));
        },
      },
    ],
  });
  return result.outputFiles[0]!.text;
}

export async function startExample(options: ExampleOptions = {}): Promise<Example> {
  const sim = await startSimulator({
    timeScale: options.timeScale ?? 0.2,
    // Fixed lives, so every job shows each of its statuses.
    timelines: {
      'aiml-suno': [['submitted', 0], ['queued', 4_000], ['streaming', 9_000], ['complete', 15_000]],
      'luma-labs': [['queued', 0], ['dreaming', 5_000], ['completed', 12_000]],
      ...options.timelines,
    },
  });
  // Creating spends the owner's credits: only a browser that loaded the page (and got its session cookie) may.
  const sessions = new Set<string>();
  const relay = createRelay({
    authorize: (request, _targets, action) => action === 'watch' || sessions.has(cookie(request.headers.get('cookie'), 'session') ?? ''),
    clients: {
      'aiml-suno': createClient(aimlSuno({ apiKey: sim.apiKey, baseUrl: sim.url })),
      // Luma's own API cannot wait, so it is polled: every 500 ms here, for a simulator in a hurry.
      'luma-labs': createClient(lumaLabs({ apiKey: sim.apiKey, baseUrl: `${sim.url}/dream-machine/v1` }), { polling: 500 }),
    },
  });
  const files: Record<string, { type: string; body: string }> = {
    '/': { type: 'text/html; charset=utf-8', body: readFileSync(join(page, 'index.html'), 'utf8') },
    '/style.css': { type: 'text/css; charset=utf-8', body: readFileSync(join(page, 'style.css'), 'utf8') },
    '/app.js': { type: 'text/javascript; charset=utf-8', body: await bundlePage('app.ts') },
    // clipstream/react's useJob, with React from this example's own dev dependencies (a workspace: the root npm ci installs them).
    '/react': { type: 'text/html; charset=utf-8', body: readFileSync(join(page, 'react.html'), 'utf8') },
    '/react.js': { type: 'text/javascript; charset=utf-8', body: await bundlePage('react.tsx') },
  };
  const server = createServer((req, res) => {
    options.tap?.(req, res);
    if (req.url?.startsWith('/api/clipstream/')) return relay(req, res);
    const file = files[new URL(req.url ?? '/', 'http://localhost').pathname];
    if (!file || req.method !== 'GET') return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    const headers: Record<string, string> = { 'content-type': file.type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };
    if (file.type.startsWith('text/html')) {
      const session = randomUUID();
      sessions.add(session);
      headers['set-cookie'] = `session=${session}; HttpOnly; SameSite=Strict; Path=/`;
    }
    res.writeHead(200, headers).end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    apiKey: sim.apiKey,
    close: async () => {
      relay.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await sim.close();
    },
  };
}

if (require.main === module) {
  startExample({ port: Number(process.env.PORT ?? 5173) }).then((example) => {
    process.stdout.write(`clipstream browser example on ${example.url} (the simulator's APIs behind a relay; Ctrl-C stops)\n`);
    process.once('SIGINT', () => void example.close().then(() => process.exit(0)));
  });
}

/** One cookie's value from a `Cookie` header. */
function cookie(header: string | null, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}
