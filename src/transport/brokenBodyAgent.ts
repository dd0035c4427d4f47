import type { Agent, ClientRequest, IncomingMessage } from 'node:http';

type BuiltinLoader = (id: string) => unknown;

/**
 * node-fetch 2, which cross-fetch uses in Node, never settles a body that the
 * server cuts short under a `Content-Length` (only chunked bodies get its
 * "Premature close"): `text()` would hang until the request timeout.
 *
 * This makes a one-request http(s) agent, passed as node-fetch's `agent`
 * option, that calls `onBrokenBody` when the response closes before it was
 * complete (`IncomingMessage.complete`), so the transport can fail at once.
 *
 * Uses `process.getBuiltinModule` (Node 20.16+), so nothing here is imported
 * in browsers or bundles; elsewhere it returns `undefined` and the request
 * timeout remains the bound.
 */
export function brokenBodyAgent(url: string, onBrokenBody: () => void): Agent | undefined {
  const load = (globalThis as { process?: { getBuiltinModule?: BuiltinLoader } }).process?.getBuiltinModule;
  if (typeof load !== 'function') return undefined;
  const http = load(url.startsWith('https:') ? 'node:https' : 'node:http') as { Agent: new (options: object) => Agent };
  const agent = new http.Agent({ keepAlive: false });
  const internal = agent as unknown as { addRequest(request: ClientRequest, options: unknown): void };
  const addRequest = internal.addRequest;
  internal.addRequest = function (request, options) {
    request.once('response', (response: IncomingMessage) => {
      response.once('close', () => {
        if (!response.complete) onBrokenBody();
      });
    });
    addRequest.call(this, request, options);
  };
  return agent;
}
