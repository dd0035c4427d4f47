import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DualHandler } from '../../src/relayServer/fetchHandler.js';
import type { SimulatorOptions } from '../../src/simulator/index.js';

export interface RelayServer {
  /** Where the relay is mounted: `http://127.0.0.1:PORT/api/clipstream`. */
  readonly baseUrl: string;
  /** The method and URL of every request the relay got, in order. */
  readonly requests: string[];
  /** Every byte the relay sent, headers included: what reaches browsers. */
  sent(): Buffer;
  /** Cuts every open connection, as a flaky network would. */
  dropConnections(): void;
  close(): Promise<void>;
}

/** Keeps every byte `res` sends into `chunks`: its status and headers (as JSON), then its body. */
export function recordResponse(res: ServerResponse, chunks: Buffer[]): void {
  const keep = (chunk: unknown) => {
    if (chunk !== undefined && typeof chunk !== 'function') chunks.push(Buffer.from(chunk as string));
  };
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
  res.write = ((chunk: unknown, ...rest: unknown[]) => (keep(chunk), write(chunk, ...rest))) as ServerResponse['write'];
  res.end = ((chunk?: unknown, ...rest: unknown[]) => (keep(chunk), end(chunk, ...rest))) as ServerResponse['end'];
  res.writeHead = ((...args: unknown[]) => (keep(JSON.stringify(args)), writeHead(...args))) as ServerResponse['writeHead'];
}

/** A real HTTP server on 127.0.0.1 that mounts `relay` under /api/clipstream and records everything it sends. */
export async function startRelayServer(relay: DualHandler): Promise<RelayServer> {
  const chunks: Buffer[] = [];
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    recordResponse(res, chunks);
    if (req.url?.startsWith('/api/clipstream/')) relay(req, res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/api/clipstream`,
    requests,
    sent: () => Buffer.concat(chunks),
    dropConnections: () => server.closeAllConnections(),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The simulator the relay specs run against: Suno jobs that create makes go through their statuses in 0.6 s. */
export const relaySimulation: SimulatorOptions = {
  timeScale: 0.1,
  timelines: { 'aiml-suno': [['submitted', 0], ['queued', 2_000], ['streaming', 4_000], ['complete', 6_000]] },
};

/**
 * The relays a spec file starts, each closed after its test: `own(relay)`
 * for one called in process, `serve(relay)` for one on a real server on
 * 127.0.0.1 (then `server` is it).
 */
export function relaysPerTest() {
  let server: RelayServer | undefined;
  const owned: Array<{ close(): unknown }> = [];
  afterEach(async () => {
    for (const relay of owned.splice(0)) await relay.close();
    await server?.close();
    server = undefined;
  });
  const own = <R extends { close(): unknown }>(relay: R): R => (owned.push(relay), relay);
  return {
    own,
    async serve(relay: DualHandler & { close(): unknown }): Promise<RelayServer> {
      server = await startRelayServer(own(relay));
      return server;
    },
    get server(): RelayServer {
      if (!server) throw new Error('no relay served in this test');
      return server;
    },
  };
}
