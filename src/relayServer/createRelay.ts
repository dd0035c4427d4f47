import { asyncScheduler, type SchedulerLike, type Subscription } from 'rxjs';
import { checkId } from '../internal/jobId.js';
import type { Client } from '../client/createClient.js';
import { ConfigError } from '../errors/ConfigError.js';
import { isClipstreamError } from '../errors/isClipstreamError.js';
import { describe, duration, integer, optionsObject } from '../internal/validate.js';
import type { AnyProvider } from '../providers/Provider.js';
import { relayPaths, type HelloEvent, type RelayError, type RelayRefusal, type RelayTarget, type StreamChange } from '../engine/relay/protocol.js';
import { jobKey as keyOf, type JobStore } from '../store/JobStore.js';
import { memoryStore } from '../store/memoryStore.js';
import { RelayHub, type Connection } from './RelayHub.js';
import { randomHex } from '../internal/randomHex.js';
import { dualHandler, jsonResponse, type DualHandler } from './fetchHandler.js';
import { requestGuard, type ListenerAddress } from './requestGuard.js';
import { checkCreateInput } from './createInput.js';

/** Options of {@link createRelay}. Durations in milliseconds. */
export interface RelayOptions {
  /** The server-side clients, by the API name browsers ask for: `{ 'aiml-suno': createClient(aimlSuno({ apiKey })) }`. */
  clients: Readonly<Record<string, Client<AnyProvider>>>;
  /**
   * May refuse a request (it gets 403): the ids a stream adds, or a create
   * (`targets` empty). Check your own session or cookie here. Without it,
   * watching is open (a job id is the capability) and creating is refused,
   * unless `anyoneMaySpendCredits` says otherwise.
   */
  authorize?: (request: Request, targets: readonly RelayTarget[], action: 'watch' | 'create') => boolean | Promise<boolean>;
  /**
   * Lets anyone who reaches the relay create jobs with your key when no
   * `authorize` is given: a demo on loopback, never a relay on the internet.
   * @default false
   */
  anyoneMaySpendCredits?: boolean;
  /**
   * Shapes a create input that passed the relay's checks before it goes
   * upstream (add your own `callback_url` here), or throws a `ConfigError`
   * to refuse it with 400.
   */
  prepareCreate?: (api: string, input: Record<string, unknown>, request: Request) => Record<string, unknown> | Promise<Record<string, unknown>>;
  /** Largest create input, as JSON text. @default 16384 */
  maxCreateBytes?: number;
  /**
   * The `Host` values the relay answers to (`"app.example.com"`,
   * `"app.example.com:8443"`); any other gets 421 (DNS rebinding). By
   * default a `node:http` listener answers to its own address (and the
   * loopback names on loopback), and the fetch-style form checks nothing.
   */
  allowedHosts?: readonly string[];
  /** Origins besides the relay's own whose pages may call it (`"https://app.example.com"`); any other `Origin` gets 403. @default [] */
  allowedOrigins?: readonly string[];
  /** How long an upstream watch nobody follows any more lives on, for a browser that comes back. @default 10000 */
  grace?: number;
  /** How long a dropped stream can be resumed; longer than two heartbeats and a second. @default 60000 */
  resumeWindow?: number;
  /** Milliseconds between heartbeats on each stream. @default 15000 */
  heartbeat?: number;
  /** Most ids one stream may watch. @default 100 */
  maxIdsPerStream?: number;
  /** Most streams one client address may hold. @default 8 */
  maxStreamsPerAddress?: number;
  /** Most jobs watched upstream at once, those in their grace period included: more gets 429. @default 10000 */
  maxUpstreams?: number;
  /**
   * How to know the client's address behind proxies you run: `true` or `1`
   * takes the last entry of `X-Forwarded-For` (one proxy), `n` the n-th
   * from the end (n proxies), a function reads it your way. Never set it
   * without a proxy that writes the header: a client could write it then.
   * @default false
   */
  trustProxy?: boolean | number | ((request: Request, address: string | undefined) => string | undefined);
  /** Bytes a stream may have waiting for a reader that does not read; beyond it, the stream is closed (its browser resumes it). @default 1048576 */
  maxBufferedBytes?: number;
  /** How long an id the API answered 404 for is answered from memory, not asked again upstream. @default 60000 */
  unknownIdMemory?: number;
  /** Most upstream watches one address may start per minute; more gets 429. @default 300 */
  maxStartsPerAddress?: number;
  /** Timers. @default asyncScheduler */
  scheduler?: SchedulerLike;
  /**
   * Where streams, each job's statuses and the upstream leases live. With
   * `redisStore` from `clipstream/redis`, any instance serves any request of
   * a browser and each job is watched upstream once in all (docs/scaling.md).
   * @default memoryStore() (this process)
   */
  store?: JobStore;
  /** The longest life of one event-stream response (serverless platforms cut longer ones); the browser reopens it, nothing lost. @default 240000 */
  maxStreamDuration?: number;
  /** How long an instance's hold on a job's upstream watch lasts unless renewed: another takes over this long after it dies. @default 3000 */
  leaseTtl?: number;
}

const encoder = new TextEncoder();

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
  const given = optionsObject('createRelay', options, [
    'clients',
    'authorize',
    'grace',
    'resumeWindow',
    'heartbeat',
    'maxIdsPerStream',
    'maxStreamsPerAddress',
    'maxUpstreams',
    'trustProxy',
    'scheduler',
    'anyoneMaySpendCredits',
    'prepareCreate',
    'maxCreateBytes',
    'allowedHosts',
    'allowedOrigins',
    'maxBufferedBytes',
    'unknownIdMemory',
    'maxStartsPerAddress',
    'store',
    'maxStreamDuration',
    'leaseTtl',
  ]) as unknown as RelayOptions;
  const clients = given.clients;
  if (typeof clients !== 'object' || clients === null || Object.keys(clients).length === 0) {
    throw new ConfigError('createRelay.clients', 'expected at least one client, by API name: { "aiml-suno": createClient(aimlSuno({ apiKey })) }');
  }
  for (const [api, client] of Object.entries(clients)) {
    if (typeof client?.watch !== 'function') throw new ConfigError(`createRelay.clients.${api}`, 'expected a client made by createClient');
  }
  const grace = duration('createRelay.grace', given.grace, 10_000);
  const resumeWindow = duration('createRelay.resumeWindow', given.resumeWindow, 60_000);
  const heartbeat = duration('createRelay.heartbeat', given.heartbeat, 15_000, { min: 10 });
  // A browser takes its stream for dead after two silent heartbeats and a second: it must still be resumable then.
  if (resumeWindow <= 2 * heartbeat + 1_000) {
    throw new ConfigError('createRelay.resumeWindow', `${resumeWindow} must be longer than two heartbeats and a second (${2 * heartbeat + 1_000} ms), or a stream could expire before its browser resumes it`);
  }
  const maxIds = integer('createRelay.maxIdsPerStream', given.maxIdsPerStream, 100, 1);
  const maxUpstreams = integer('createRelay.maxUpstreams', given.maxUpstreams, 10_000, 1);
  const maxStreams = integer('createRelay.maxStreamsPerAddress', given.maxStreamsPerAddress, 8, 1);
  const scheduler = given.scheduler ?? asyncScheduler;
  const maxCreateBytes = integer('createRelay.maxCreateBytes', given.maxCreateBytes, 16_384, 2);
  const maxBuffered = integer('createRelay.maxBufferedBytes', given.maxBufferedBytes, 1_048_576, 1_024);
  const unknownIdMemory = duration('createRelay.unknownIdMemory', given.unknownIdMemory, 60_000);
  const maxStarts = integer('createRelay.maxStartsPerAddress', given.maxStartsPerAddress, 300, 1);
  const trustProxy = given.trustProxy ?? false;
  if (!(typeof trustProxy === 'boolean' || typeof trustProxy === 'function' || (Number.isInteger(trustProxy) && trustProxy >= 1))) {
    throw new ConfigError('createRelay.trustProxy', `expected false, true, a number of proxies (1 or more) or a function, got ${describe(trustProxy)}`);
  }
  for (const name of ['authorize', 'prepareCreate'] as const) {
    if (given[name] !== undefined && typeof given[name] !== 'function') throw new ConfigError(`createRelay.${name}`, `expected a function, got ${describe(given[name])}`);
  }
  if (given.anyoneMaySpendCredits !== undefined && typeof given.anyoneMaySpendCredits !== 'boolean') {
    throw new ConfigError('createRelay.anyoneMaySpendCredits', `expected true or false, got ${describe(given.anyoneMaySpendCredits)}`);
  }
  const guard = requestGuard(given.allowedHosts, given.allowedOrigins);
  // Secure by default: watching is open (a job id is the capability), spending credits is not.
  const authorize =
    given.authorize ?? ((_request: Request, _targets: readonly RelayTarget[], action: 'watch' | 'create') => action === 'watch' || given.anyoneMaySpendCredits === true);
  /** Open connections per client address: counted, never scanned; a dropped stream stops counting at once. */
  const connectedByAddress = new Map<string, number>();
  /** Upstream watches started per address in the current minute (the map is cleared when the minute turns). */
  const startsByAddress = new Map<string, number>();
  let startsWindowEnd = -Infinity;
  // Relay answers are about one browser's streams: never cached.
  const json = (status: number, body?: RelayRefusal | Record<string, unknown>) => jsonResponse(status, body, { 'cache-control': 'no-store' });
  const refuse = (status: number, error: string, message: string) => json(status, { error, message });

  const sse = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

  /**
   * A relayed error: the fields a browser can use, and a message of the
   * relay's own. The upstream message holds the upstream URL and what the
   * API said (account details, quotas): none of it goes to a browser. A
   * `ConfigError` is about the browser's own input, and says what was wrong.
   */
  const relayError = (error: unknown, client: Client<AnyProvider>): RelayError => {
    if (!isClipstreamError(error)) return { name: 'Error', message: 'the relay could not watch the job' };
    const fields = error as unknown as Record<string, unknown>;
    const pick = <T>(name: string, type: string) => (typeof fields[name] === type ? (fields[name] as T) : undefined);
    const status = pick<number>('status', 'number');
    const reason = pick<string>('reason', 'string');
    const attempt = pick<number>('attempt', 'number');
    const requestId = pick<string>('requestId', 'string');
    const title = client.provider.title;
    const messages: Partial<Record<string, string>> = {
      HttpError: `${title} answered HTTP ${status ?? '?'}`,
      NetworkError: `${title} could not be reached (${reason ?? 'network'})`,
      DecodeError: `${title} answered something that is not a job`,
      WatchTimeoutError: 'the relay gave up waiting for the job',
      ConfigError: client.provider.redact(error.message),
    };
    return {
      name: error.name,
      message: messages[error.name] ?? 'the relay could not watch the job',
      ...(status === undefined ? {} : { status }),
      ...(reason === undefined ? {} : { reason }),
      ...(attempt === undefined ? {} : { attempt }),
      ...(requestId === undefined ? {} : { requestId: client.provider.redact(requestId) }),
    };
  };

  const store = given.store ?? memoryStore({ scheduler });
  if (typeof store?.record !== 'function' || typeof store.openStream !== 'function') {
    throw new ConfigError('createRelay.store', 'expected a JobStore: memoryStore() from clipstream/store, or redisStore({ client }) from clipstream/redis');
  }
  const maxStreamDuration = duration('createRelay.maxStreamDuration', given.maxStreamDuration, 240_000, { min: 1_000 });
  const leaseTtl = duration('createRelay.leaseTtl', given.leaseTtl, 3_000, { min: 30 });
  const hub = new RelayHub({ store, clients, scheduler, grace, leaseTtl, unknownIdMemory, maxUpstreams, relayError });

  const countConnection = (address: string | undefined, by: 1 | -1) => {
    if (address === undefined) return;
    const count = (connectedByAddress.get(address) ?? 0) + by;
    if (count > 0) connectedByAddress.set(address, count);
    else connectedByAddress.delete(address);
  };

  const addressOf = (request: Request, address: string | undefined): string | undefined => {
    if (typeof trustProxy === 'function') return trustProxy(request, address);
    if (trustProxy === false) return address;
    // Each trusted proxy appends one entry; the ones before them, the client could write itself.
    const hops = trustProxy === true ? 1 : trustProxy;
    const forwarded = request.headers.get('x-forwarded-for')?.split(',').at(-hops)?.trim();
    return forwarded || address;
  };

  const notYours = () => refuse(404, 'stream', 'no such stream (it expired, or is not yours): open a new one');

  /**
   * `GET …/events[?stream=SID]`: a new stream, or the resumption of one on
   * whichever instance this is. A resumed stream is sent every status stored
   * of each job it follows; the browser drops what it has seen.
   */
  const openEvents = async (request: Request, address: string | undefined): Promise<Response> => {
    const resume = new URL(request.url).searchParams.get('stream');
    if (address !== undefined && (connectedByAddress.get(address) ?? 0) >= maxStreams) return refuse(429, 'streams', `at most ${maxStreams} open streams per client`);
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
    let attached: Connection | undefined;
    let timers: Subscription[] = [];
    const end = () => {
      for (const timer of timers) timer.unsubscribe();
      timers = [];
      if (!attached) return;
      const connection = attached;
      attached = undefined;
      countConnection(address, -1);
      hub.detach(sid, connection);
    };
    const body = new ReadableStream<Uint8Array>(
      {
        start(controller) {
          let open = true;
          const connection: Connection = {
            write: (text) => {
              if (!open) return;
              controller.enqueue(encoder.encode(text));
              // A reader that does not read: its queue is dropped and the stream closed; its browser resumes it.
              if ((controller.desiredSize ?? 0) < 0) {
                open = false;
                controller.error(new Error('the reader fell behind'));
                end();
              }
            },
            close: () => {
              if (!open) return;
              open = false;
              try {
                controller.close();
              } catch {
                /* already closed by the reader */
              }
              end();
            },
          };
          attached = connection;
          countConnection(address, 1);
          const hello: HelloEvent = { stream: sid, heartbeat };
          connection.write(`retry: 1000\n${sse('hello', hello)}`);
          void hub.attach(sid, address, connection, targets, resume !== null);
          timers.push(
            scheduler.schedule(function beat(this: { schedule(state?: unknown, delay?: number): void }) {
              connection.write(': heartbeat\n\n');
              // The stream stays resumable, on any instance, while its connection lives.
              void store.touchStream(sid, resumeWindow).catch(() => undefined);
              this.schedule(undefined, heartbeat);
            }, heartbeat),
            // Serverless platforms cut long responses: it ends first, cleanly, and the browser resumes it.
            scheduler.schedule(() => connection.close(), maxStreamDuration),
          );
        },
        cancel() {
          end();
        },
      },
      new ByteLengthQueuingStrategy({ highWaterMark: maxBuffered }),
    );
    request.signal?.addEventListener('abort', end);
    return new Response(body, {
      status: 200,
      headers: {
        'content-type': 'text/event-stream; charset=utf-8',
        // no-transform: a proxy that compresses or rewrites would hold events back.
        'cache-control': 'no-store, no-transform',
        'x-content-type-options': 'nosniff',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      },
    });
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
    const now = scheduler.now();
    if (now >= startsWindowEnd) {
      startsByAddress.clear();
      startsWindowEnd = now + 60_000;
    }
    const started = address === undefined ? 0 : (startsByAddress.get(address) ?? 0);
    if (address !== undefined && starting > 0 && started + starting > maxStarts) return refuse(429, 'starts', `at most ${maxStarts} new upstream watches per client per minute; try again later`);
    if (add.length > 0 && !(await authorize(request, add, 'watch'))) return refuse(403, 'forbidden', 'not allowed to watch these jobs');
    const result = await store.changeStream(sid, add, remove, maxIds);
    if (result === 'missing') return notYours();
    if (result === 'full') return refuse(429, 'ids', `at most ${maxIds} ids per stream`);
    if (address !== undefined && starting > 0) startsByAddress.set(address, started + starting);
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
      return refuse(403, 'forbidden', given.authorize ? 'not allowed to create jobs' : 'this relay creates no jobs without an authorize option (see "Before you expose the relay" in docs/browser.md)');
    }
    const checked = checkCreateInput(await request.text(), maxCreateBytes);
    if ('problem' in checked) return refuse(400, 'body', checked.problem);
    let input = checked.input;
    if (given.prepareCreate) {
      try {
        input = await given.prepareCreate(api, input, request);
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
    const from = addressOf(request, address);
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
