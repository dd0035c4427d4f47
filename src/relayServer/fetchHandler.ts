import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenerAddress, type ListenerAddress } from './requestGuard.js';

/**
 * A fetch-style request handler: Next.js route handlers, Hono, Deno, Bun,
 * Cloudflare. `address` is the client's address, where the server knows it;
 * `listener`, where a `node:http` server accepted the connection.
 */
export type FetchHandler = (request: Request, address?: string, listener?: ListenerAddress) => Promise<Response>;

/** A JSON answer (`body` as JSON, with its content type), or an empty one when `body` is undefined. */
export function jsonResponse(status: number, body?: unknown, headers: Record<string, string> = {}): Response {
  if (body === undefined) return new Response(null, { status, headers: { 'x-content-type-options': 'nosniff', ...headers } });
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', 'x-content-type-options': 'nosniff', ...headers } });
}

/** A handler usable as a `node:http` request listener, which is also fetch-style through `.fetch`. */
export interface DualHandler {
  (req: IncomingMessage, res: ServerResponse): void;
  fetch: FetchHandler;
}

/**
 * Makes a `node:http` listener of a fetch-style handler: the request is
 * turned into a `Request` (its body read up to `maxBodyBytes`), the
 * `Response` is written back, its body streamed as it comes (for Server-Sent
 * Events), and the stream is cancelled when the client goes away.
 */
export function dualHandler(handler: FetchHandler, maxBodyBytes = 1_048_576): DualHandler {
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    toRequest(req, abort.signal, maxBodyBytes)
      .then((request) => (request instanceof Response ? request : handler(request, req.socket.remoteAddress, listenerAddress(req))))
      .then((response) => write(response, res, abort.signal))
      .catch(() => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain', 'x-content-type-options': 'nosniff' });
        res.end('internal error');
      });
  };
  return Object.assign(listener, { fetch: handler });
}

async function toRequest(req: IncomingMessage, signal: AbortSignal, maxBodyBytes: number): Promise<Request | Response> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  let url: URL;
  try {
    url = new URL(req.url ?? '/', `http://${headers.get('host') ?? '127.0.0.1'}`);
  } catch {
    return jsonResponse(400, { error: 'host', message: 'the Host header or the path does not parse' });
  }
  const method = req.method ?? 'GET';
  if (method === 'GET' || method === 'HEAD') return new Request(url, { method, headers, signal });
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes) return jsonResponse(413, { error: 'too-large', message: `the body is larger than ${maxBodyBytes} bytes` });
    chunks.push(chunk as Buffer);
  }
  return new Request(url, { method, headers, body: Buffer.concat(chunks), signal });
}

async function write(response: Response, res: ServerResponse, signal: AbortSignal): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => (headers[name] = value));
  res.writeHead(response.status, headers);
  // Streamed answers (events) must reach the client as they are written, not when a buffer fills.
  res.flushHeaders();
  if (!response.body) return void res.end();
  const reader = response.body.getReader();
  signal.addEventListener('abort', () => void reader.cancel().catch(() => undefined), { once: true });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!res.write(value)) await new Promise((resolve) => res.once('drain', resolve));
    }
  } finally {
    res.end();
  }
}
