import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DualHandler } from '../../src/relay/fetchHandler.js';

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

/** A real HTTP server on 127.0.0.1 that mounts `relay` under /api/clipstream and records everything it sends. */
export async function startRelayServer(relay: DualHandler): Promise<RelayServer> {
  const chunks: Buffer[] = [];
  const requests: string[] = [];
  const record = (res: ServerResponse) => {
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    const keep = (chunk: unknown) => {
      if (chunk !== undefined && typeof chunk !== 'function') chunks.push(Buffer.from(chunk as string));
    };
    res.write = ((chunk: unknown, ...rest: unknown[]) => (keep(chunk), write(chunk, ...rest))) as ServerResponse['write'];
    res.end = ((chunk?: unknown, ...rest: unknown[]) => (keep(chunk), end(chunk, ...rest))) as ServerResponse['end'];
    const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
    res.writeHead = ((...args: unknown[]) => (chunks.push(Buffer.from(JSON.stringify(args))), writeHead(...args))) as ServerResponse['writeHead'];
  };
  const server: Server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    record(res);
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
