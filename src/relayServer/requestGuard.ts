import type { IncomingMessage } from 'node:http';
import { ConfigError } from '../errors/ConfigError.js';

/**
 * The checks every request to the relay passes before anything else reads
 * it: its `Host` (DNS rebinding), its `Origin` when a browser sends one
 * (another site's page), and, for a body, its type (a cross-site form can
 * send `text/plain` or a form type without a preflight; only JSON is taken).
 */
export interface RequestGuard {
  /** Why `request` is refused, as `[status, error, message]`, or undefined when it may go on. */
  refusal(request: Request, listener?: ListenerAddress): readonly [number, string, string] | undefined;
}

/** Where a `node:http` listener accepted the connection: its own host is allowed by default. */
export interface ListenerAddress {
  readonly address: string | undefined;
  readonly port: number | undefined;
}

/** The names a loopback listener answers to. */
const loopback = ['localhost', '127.0.0.1', '[::1]'];

/** `host[:port]`, lower case, IPv6 in brackets, as a `Host` header writes it; undefined when it does not parse. */
export function normalHost(host: string): string | undefined {
  try {
    const url = new URL(`http://${host}`);
    if (url.username || url.password || url.pathname !== '/' || url.search || url.hash) return undefined;
    return url.host;
  } catch {
    return undefined;
  }
}

/** Where a `node:http` request's connection was accepted. */
export function listenerAddress(req: IncomingMessage): ListenerAddress {
  return { address: req.socket.localAddress, port: req.socket.localPort };
}

/** The hosts a listener answers to by default: its own address and, on loopback, the loopback names, at its port. */
function listenerHosts({ address, port }: ListenerAddress): string[] {
  if (address === undefined) return [];
  const bare = address.startsWith('::ffff:') ? address.slice(7) : address;
  const own = bare.includes(':') ? `[${bare}]` : bare;
  const names = bare === '127.0.0.1' || bare === '::1' ? [...loopback, own] : [own];
  return names.map((name) => (port === undefined || port === 80 ? name : `${name}:${port}`));
}

/**
 * A guard from the relay's `allowedHosts` and `allowedOrigins` options.
 * Without `allowedHosts`, a `node:http` listener answers only to its own
 * address (and the loopback names on loopback); the fetch-style form, whose
 * platform routes by host already, checks `Host` only when the option is set.
 */
export function requestGuard(allowedHosts: readonly string[] | undefined, allowedOrigins: readonly string[] | undefined): RequestGuard {
  const hosts = allowedHosts?.map((host, index) => {
    const normal = normalHost(host);
    if (normal === undefined) throw new ConfigError(`createRelay.allowedHosts[${index}]`, `${JSON.stringify(host)} is not a host (write "example.com" or "example.com:8443")`);
    return normal;
  });
  const origins = new Set(
    allowedOrigins?.map((origin, index) => {
      try {
        const parsed = new URL(origin);
        if (parsed.origin === 'null' || parsed.origin !== origin.replace(/\/$/, '')) throw new Error('not an origin');
        return parsed.origin;
      } catch {
        throw new ConfigError(`createRelay.allowedOrigins[${index}]`, `${JSON.stringify(origin)} is not an origin (write "https://app.example.com")`);
      }
    }),
  );
  return {
    refusal(request, listener) {
      const rawHost = request.headers.get('host');
      const host = rawHost === null ? undefined : normalHost(rawHost);
      if (rawHost !== null && host === undefined) return [400, 'host', 'the Host header does not parse'];
      const allowed = hosts ?? (listener ? listenerHosts(listener) : undefined);
      if (allowed !== undefined && (host === undefined || !allowed.includes(host))) {
        return [421, 'host', `this relay does not answer to ${host === undefined ? 'a request without Host' : JSON.stringify(host)}; set createRelay's allowedHosts`];
      }
      const origin = request.headers.get('origin');
      if (origin !== null) {
        let sameHost = false;
        try {
          sameHost = host !== undefined && new URL(origin).host === host;
        } catch {
          /* "null" or garbage: not the same host */
        }
        if (!sameHost && !origins.has(origin)) return [403, 'origin', `requests from ${JSON.stringify(origin.slice(0, 100))} are not allowed; set createRelay's allowedOrigins`];
      }
      if (request.method === 'POST') {
        const type = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
        if (type !== 'application/json') return [415, 'content-type', 'send the body as Content-Type: application/json'];
      }
      return undefined;
    },
  };
}
