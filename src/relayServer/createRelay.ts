import { checkId } from '../internal/jobId.js';
import { isClipstreamError } from '../errors/isClipstreamError.js';
import { relayPaths, type HelloEvent, type RelayRefusal, type RelayTarget, type StreamChange } from '../engine/relay/protocol.js';
import { jobKey as keyOf } from '../store/JobStore.js';
import { RelayHub } from './RelayHub.js';
import { randomHex } from '../internal/randomHex.js';
import { dualHandler, jsonResponse, type DualHandler } from './fetchHandler.js';
import { requestGuard, type ListenerAddress } from './requestGuard.js';
import { checkCreateInput } from './createInput.js';
import { resolveRelayOptions, type RelayOptions } from './relayOptions.js';
import { relayError } from './relayError.js';
import { AddressBook } from './AddressBook.js';
import { eventStreamResponse } from './eventStreamResponse.js';

export type { RelayOptions } from './relayOptions.js';

/**
 * A relay: browsers watch jobs through it, and the API key stays on the
 * server. One upstream watch per job is shared by every browser that follows
 * it; it starts with the first and ends `grace` ms after the last leaves.
 * Each browser client holds one Server-Sent Events stream for all its
 * watches. See docs/browser.md for the wire format.
 *
 * Returns a handler usable as a `node:http` listener, which is also
 * fetch-style through `.fetch(request)` (Next.js route handlers, Hono, Deno,
 * Bun). Mount it under a path of your own (`/api/clipstream`); it answers
 * `…/events`, `…/streams/{stream}` and `…/create`.
 *
 * ## Example
 * ```ts
 * import { createServer } from 'node:http';
 * import { createClient, aimlSuno } from 'clipstream';
 * import { createRelay } from 'clipstream/relay';
 *
 * const relay = createRelay({ clients: { 'aiml-suno': createClient(aimlSuno({ apiKey: process.env.AIMLAPI_KEY! })) } });
 * createServer((req, res) => (req.url?.startsWith('/api/clipstream/') ? relay(req, res) : serveYourApp(req, res))).listen(3000);
 * ```
 */
export function createRelay(options: RelayOptions): DualHandler & { close(): Promise<void> } {
  const settings = resolveRelayOptions(options);
  const { clients, store, scheduler, authorize, maxIdsPerStream: maxIds, maxStreamsPerAddress: maxStreams, maxUpstreams, resumeWindow } = settings;
  const guard = requestGuard(settings.allowedHosts, settings.allowedOrigins);
  const addresses = new AddressBook(settings.trustProxy, scheduler);
  const hub = new RelayHub({ ...settings, relayError });
  // Relay answers are about one browser's streams: never cached.
  const json = (status: number, body?: RelayRefusal | Record<string, unknown>) => jsonResponse(status, body, { 'cache-control': 'no-store' });
  const refuse = (status: number, error: string, message: string) => json(status, { error, message });
  const notYours = () => refuse(404, 'stream', 'no such stream (it expired, or is not yours): open a new one');

  /**
   * `GET …/events[?stream=SID]`: a new stream, or the resumption of one on
   * whichever instance this is. A resumed stream is sent every status stored
   * of each job it follows; the browser drops what it has seen.
   */
  const openEvents = async (request: Request, address: string | undefined): Promise<Response> => {
    const resume = new URL(request.url).searchParams.get('stream');
    if (addresses.connections(address) >= maxStreams) return refuse(429, 'streams', `at most ${maxStreams} open streams per client`);
    let sid: string;
    let targets: readonly RelayTarget[] = [];
    if (resume !== null) {
      const stored = await store.stream(resume);
      if (!stored || stored.address !== address) return notYours();
      sid = resume;
      targets = stored.targets.filter((target) => Object.hasOwn(clients, target.api));
    } else {
      sid = randomHex(16);
      await store.openStream(sid, address, resumeWindow);
    }
    const hello: HelloEvent = { stream: sid, heartbeat: settings.heartbeat };
    return eventStreamResponse(
      settings,
      hello,
      {
        attach: (connection) => {
          addresses.countConnection(address, 1);
          void hub.attach(sid, address, connection, targets, resume !== null);
        },
        detach: (connection) => {
          addresses.countConnection(address, -1);
          hub.detach(sid, connection);
        },
        // The stream stays resumable, on any instance, while its connection lives.
        beat: () => void store.touchStream(sid, resumeWindow).catch(() => undefined),
      },
      request.signal,
    );
  };

  /** `POST …/streams/SID`: add and remove the ids a stream watches, on whichever instance holds its connection. */
  const changeStream = async (request: Request, sid: string, address: string | undefined): Promise<Response> => {
    const stored = await store.stream(sid);
    if (!stored || stored.address !== address) return notYours();
    let change: StreamChange;
    try {
      change = (await request.json()) as StreamChange;
    } catch {
      return refuse(400, 'body', 'expected JSON: { "add": [{ "api", "id" }], "remove": [...] }');
    }
    const listedAdd: unknown[] = Array.isArray(change?.add) ? change.add : [];
    const listedRemove: unknown[] = Array.isArray(change?.remove) ? change.remove : [];
    if (listedAdd.length + listedRemove.length > 2 * maxIds) return refuse(400, 'ids', `at most ${maxIds} ids to add and ${maxIds} to remove per change`);
    for (const target of [...listedAdd, ...listedRemove]) {
      const problem = targetProblem(target);
      if (problem) return refuse(400, 'target', problem);
    }
    // An id listed twice is one id: one watch, one event.
    const distinct = (targets: unknown[]) => [...new Map((targets as RelayTarget[]).map(({ api, id }) => [keyOf({ api, id }), { api, id }])).values()];
    const add = distinct(listedAdd);
    const remove = distinct(listedRemove);
    const starting = add.filter((target) => !hub.follows(target) && !hub.remembersUnknown(target)).length;
    if (hub.upstreamCount + starting > maxUpstreams) return refuse(429, 'upstreams', `the relay watches ${maxUpstreams} jobs at most; try again later`);
    if (address !== undefined && starting > 0 && addresses.startsOf(address) + starting > settings.maxStartsPerAddress) {
      return refuse(429, 'starts', `at most ${settings.maxStartsPerAddress} new upstream watches per client per minute; try again later`);
    }
    if (add.length > 0 && !(await authorize(request, add, 'watch'))) return refuse(403, 'forbidden', 'not allowed to watch these jobs');
    const result = await store.changeStream(sid, add, remove, maxIds);
    if (result === 'missing') return notYours();
    if (result === 'full') return refuse(429, 'ids', `at most ${maxIds} ids per stream`);
    addresses.countStarts(address, starting);
    // Whichever instance holds the stream's connection hears it and follows the jobs (re-added ones are sent their state again).
    await hub.changed(sid, add, remove);
    return json(204);
  };

  const targetProblem = (target: unknown): string | undefined => {
    const { api, id } = (target ?? {}) as Partial<RelayTarget>;
    if (typeof api !== 'string' || !Object.hasOwn(clients, api)) return `unknown api ${JSON.stringify(api)}; this relay serves ${Object.keys(clients).join(', ')}`;
    try {
      checkId('id', id, (value) => clients[api]!.provider.idProblem(value));
    } catch (error) {
      return isClipstreamError(error) ? error.message : 'bad id';
    }
    return undefined;
  };

  /** `POST …/create?api=NAME`: creates jobs with the server's key; answers `{ ids }`. */
  const create = async (request: Request): Promise<Response> => {
    const api = new URL(request.url).searchParams.get('api') ?? '';
    const client = Object.hasOwn(clients, api) ? clients[api] : undefined;
    if (!client) return refuse(400, 'api', `unknown api ${JSON.stringify(api)}; this relay serves ${Object.keys(clients).join(', ')}`);
    if (!client.provider.canCreate) return refuse(400, 'api', `${client.provider.title} cannot create jobs`);
    // Permission first: a stranger learns nothing of what a create would take.
    if (!(await authorize(request, [], 'create'))) {
      return refuse(403, 'forbidden', settings.authorizeGiven ? 'not allowed to create jobs' : 'this relay creates no jobs without an authorize option (see "Before you expose the relay" in docs/browser.md)');
    }
    const checked = checkCreateInput(await request.text(), settings.maxCreateBytes);
    if ('problem' in checked) return refuse(400, 'body', checked.problem);
    let input = checked.input;
    if (settings.prepareCreate) {
      try {
        input = await settings.prepareCreate(api, input, request);
      } catch (error) {
        return refuse(400, 'body', isClipstreamError(error, 'ConfigError') ? client.provider.redact(error.message) : 'the create input was refused');
      }
    }
    try {
      return json(201, { ids: await client.create(input as never) });
    } catch (error) {
      const relayed = relayError(error, client);
      const status = relayed.name === 'ConfigError' || relayed.name === 'DecodeError' ? 400 : 502;
      return json(status, { error: relayed.name, message: relayed.message, ...(relayed.status === undefined ? {} : { status: relayed.status }) });
    }
  };

  const handle = async (request: Request, address?: string, listener?: ListenerAddress): Promise<Response> => {
    const refusal = guard.refusal(request, listener);
    if (refusal) return refuse(...refusal);
    await hub.start();
    const { pathname } = new URL(request.url);
    const from = addresses.addressOf(request, address);
    if (pathname.endsWith(relayPaths.events)) {
      return request.method === 'GET' ? openEvents(request, from) : refuse(405, 'method', 'GET only');
    }
    const at = pathname.lastIndexOf(relayPaths.streams);
    if (at >= 0) {
      if (request.method !== 'POST') return refuse(405, 'method', 'POST only');
      let sid: string;
      try {
        sid = decodeURIComponent(pathname.slice(at + relayPaths.streams.length));
      } catch {
        return refuse(404, 'stream', 'no such stream: open a new one');
      }
      return changeStream(request, sid, from);
    }
    if (pathname.endsWith(relayPaths.create)) return request.method === 'POST' ? create(request) : refuse(405, 'method', 'POST only');
    return refuse(404, 'path', 'the relay answers …/events, …/streams/{stream} and …/create');
  };

  // A store that is down is the relay's trouble, not the browser's mistake: 503, and the browser tries again.
  const handleOrUnavailable = (request: Request, address?: string, listener?: ListenerAddress) =>
    handle(request, address, listener).catch((error: unknown) => {
      if (isClipstreamError(error, 'StoreError')) return refuse(503, 'store', 'the relay cannot reach its store; try again shortly');
      throw error;
    });
  const handler = dualHandler(handleOrUnavailable);
  return Object.assign(handler, {
    /** Ends every stream and upstream watch of this instance and gives its leases up (for shutdown and tests). */
    close(): Promise<void> {
      return hub.close();
    },
  });
}
