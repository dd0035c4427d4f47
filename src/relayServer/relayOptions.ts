import { asyncScheduler, type SchedulerLike } from 'rxjs';
import type { Client } from '../client/Client.js';
import { ConfigError } from '../errors/ConfigError.js';
import { describe, duration, integer, optionsObject } from '../internal/validate.js';
import type { AnyProvider } from '../providers/Provider.js';
import type { RelayTarget } from '../engine/relay/protocol.js';
import type { JobStore } from '../store/JobStore.js';
import { memoryStore } from '../store/memoryStore.js';

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

/** What {@link createRelay} fills in where an option is not given. */
export const relayDefaults = {
  anyoneMaySpendCredits: false,
  maxCreateBytes: 16_384,
  allowedOrigins: [] as readonly string[],
  grace: 10_000,
  resumeWindow: 60_000,
  heartbeat: 15_000,
  maxIdsPerStream: 100,
  maxStreamsPerAddress: 8,
  maxUpstreams: 10_000,
  trustProxy: false,
  maxBufferedBytes: 1_048_576,
  unknownIdMemory: 60_000,
  maxStartsPerAddress: 300,
  maxStreamDuration: 240_000,
  leaseTtl: 3_000,
} as const;

/** The options of a relay, checked, with every default filled in. */
export type ResolvedRelayOptions = Required<Omit<RelayOptions, 'authorize' | 'prepareCreate' | 'allowedHosts'>> &
  Pick<RelayOptions, 'prepareCreate' | 'allowedHosts'> & {
    /** Whether the user gave an `authorize` (the refusal of a create says what is missing). */
    readonly authorizeGiven: boolean;
    readonly authorize: NonNullable<RelayOptions['authorize']>;
  };

const known: ReadonlyArray<keyof RelayOptions> = [
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
];

/** Checks `options` (a `ConfigError` naming the first bad one) and fills in the defaults. */
export function resolveRelayOptions(options: RelayOptions): ResolvedRelayOptions {
  const given = optionsObject('createRelay', options, known) as unknown as RelayOptions;
  const clients = given.clients;
  if (typeof clients !== 'object' || clients === null || Object.keys(clients).length === 0) {
    throw new ConfigError('createRelay.clients', 'expected at least one client, by API name: { "aiml-suno": createClient(aimlSuno({ apiKey })) }');
  }
  for (const [api, client] of Object.entries(clients)) {
    if (typeof client?.watch !== 'function') throw new ConfigError(`createRelay.clients.${api}`, 'expected a client made by createClient');
  }
  const defaults = relayDefaults;
  const grace = duration('createRelay.grace', given.grace, defaults.grace);
  const resumeWindow = duration('createRelay.resumeWindow', given.resumeWindow, defaults.resumeWindow);
  const heartbeat = duration('createRelay.heartbeat', given.heartbeat, defaults.heartbeat, { min: 10 });
  // A browser takes its stream for dead after two silent heartbeats and a second: it must still be resumable then.
  if (resumeWindow <= 2 * heartbeat + 1_000) {
    throw new ConfigError('createRelay.resumeWindow', `${resumeWindow} must be longer than two heartbeats and a second (${2 * heartbeat + 1_000} ms), or a stream could expire before its browser resumes it`);
  }
  const trustProxy = given.trustProxy ?? defaults.trustProxy;
  if (!(typeof trustProxy === 'boolean' || typeof trustProxy === 'function' || (Number.isInteger(trustProxy) && trustProxy >= 1))) {
    throw new ConfigError('createRelay.trustProxy', `expected false, true, a number of proxies (1 or more) or a function, got ${describe(trustProxy)}`);
  }
  for (const name of ['authorize', 'prepareCreate'] as const) {
    if (given[name] !== undefined && typeof given[name] !== 'function') throw new ConfigError(`createRelay.${name}`, `expected a function, got ${describe(given[name])}`);
  }
  const anyoneMaySpendCredits = given.anyoneMaySpendCredits ?? defaults.anyoneMaySpendCredits;
  if (typeof anyoneMaySpendCredits !== 'boolean') {
    throw new ConfigError('createRelay.anyoneMaySpendCredits', `expected true or false, got ${describe(anyoneMaySpendCredits)}`);
  }
  const scheduler: SchedulerLike = given.scheduler ?? asyncScheduler;
  const store = given.store ?? memoryStore({ scheduler });
  if (typeof store !== 'object' || store === null || typeof store.record !== 'function') {
    throw new ConfigError('createRelay.store', 'expected a JobStore: memoryStore() from clipstream/store, or redisStore({ client }) from clipstream/redis');
  }
  // A store of one's own written for an earlier version may lack what the relay calls now: named here, not a TypeError later.
  const lacking = (['openStream', 'stream', 'changeStream', 'touchStream', 'view', 'viewersElsewhere', 'acquire', 'renew', 'release', 'history', 'subscribe', 'signal', 'onSignal'] as const).filter(
    (method) => typeof store[method] !== 'function',
  );
  if (lacking.length > 0) throw new ConfigError('createRelay.store', `the store lacks ${lacking.join(', ')}: a JobStore has them all (see docs/scaling.md)`);
  return {
    clients: clients as Readonly<Record<string, Client<AnyProvider>>>,
    // Secure by default: watching is open (a job id is the capability), spending credits is not.
    authorize: given.authorize ?? ((_request: Request, _targets: readonly RelayTarget[], action: 'watch' | 'create') => action === 'watch' || anyoneMaySpendCredits),
    authorizeGiven: given.authorize !== undefined,
    anyoneMaySpendCredits,
    prepareCreate: given.prepareCreate,
    maxCreateBytes: integer('createRelay.maxCreateBytes', given.maxCreateBytes, defaults.maxCreateBytes, 2),
    allowedHosts: given.allowedHosts,
    allowedOrigins: given.allowedOrigins ?? defaults.allowedOrigins,
    grace,
    resumeWindow,
    heartbeat,
    maxIdsPerStream: integer('createRelay.maxIdsPerStream', given.maxIdsPerStream, defaults.maxIdsPerStream, 1),
    maxStreamsPerAddress: integer('createRelay.maxStreamsPerAddress', given.maxStreamsPerAddress, defaults.maxStreamsPerAddress, 1),
    maxUpstreams: integer('createRelay.maxUpstreams', given.maxUpstreams, defaults.maxUpstreams, 1),
    trustProxy,
    maxBufferedBytes: integer('createRelay.maxBufferedBytes', given.maxBufferedBytes, defaults.maxBufferedBytes, 1_024),
    unknownIdMemory: duration('createRelay.unknownIdMemory', given.unknownIdMemory, defaults.unknownIdMemory),
    maxStartsPerAddress: integer('createRelay.maxStartsPerAddress', given.maxStartsPerAddress, defaults.maxStartsPerAddress, 1),
    scheduler,
    store,
    maxStreamDuration: duration('createRelay.maxStreamDuration', given.maxStreamDuration, defaults.maxStreamDuration, { min: 1_000 }),
    leaseTtl: duration('createRelay.leaseTtl', given.leaseTtl, defaults.leaseTtl, { min: 30 }),
  };
}
