import { formatErrors, show } from '../codecs/formatErrors.js';
import { ConfigError } from '../errors/ConfigError.js';
import { DecodeError } from '../errors/DecodeError.js';
import { describe, duration, func, integer, optionsObject } from '../internal/validate.js';
import type { ProviderFactory } from './defineProvider.js';
import { apiIdentities, resultUrlsOf, type ApiIdentity } from './identities.js';
import type { Provider } from './Provider.js';
import type { builtInProviders } from './registry.js';
import { relayPaths } from '../engine/relay/protocol.js';
import { relayEngine } from '../engine/relay/relayEngine.js';
import { statusNameOf } from '../status/unknownStatus.js';
import { defaultReconnect, type ReconnectPolicy } from '../engine/relay/EventStream.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFactory = ProviderFactory<any, string, string, string, any>;

/** The APIs a relay client can name, with the provider type each one gives: derived from the registry's list (types only). */
export type RelayApis = { [Name in keyof typeof builtInProviders]: ReturnType<(typeof builtInProviders)[Name]['factory']> };

/** What {@link relay} takes. */
export interface RelayConfig<A extends keyof RelayApis | AnyFactory | AnyIdentity> {
  /**
   * Where the relay is mounted: a path on the page's own origin
   * (`/api/clipstream`), or an absolute http(s) URL. No key goes there.
   */
  baseUrl: string;
  /**
   * The API the relay watches for you, by name (`'aiml-suno'`), as the
   * relay's `clients` know it. A provider factory (`aimlSuno`, or your own
   * from `defineProvider`) works too; its codec then checks each job again
   * in the page, at the cost of bundling it. An API of your own is named by
   * its identity (`{ name, title, statuses, idField?, failureReason?,
   * resultUrls? }`, kept in a module without its codec): the page bundles
   * no codec for it either.
   */
  api: A;
  /**
   * How the stream reconnects: `tries` failures in a row before the watches
   * fail (36), the first pause `baseDelay` (500 ms) doubling to `maxDelay`
   * (4 s) with a random 0.5–1 (`random`, Math.random), and how long a
   * stream no watch uses stays open (`linger`, 2 s).
   */
  reconnect?: { tries?: number; baseDelay?: number; maxDelay?: number; random?: () => number; linger?: number };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyIdentity = ApiIdentity<any, string, string, string>;

const none = (text: string) => text;

/**
 * A provider for browsers: jobs are watched through a relay on your own
 * server (`createRelay` from `clipstream/relay`), which holds the API key.
 * The client sends all of its watches over one Server-Sent Events stream,
 * adding and removing ids as watches start and end, and resumes a dropped
 * stream without losing or repeating a transition. The Observable contract
 * is the same as for any other provider; create goes through the relay too.
 *
 * Named by its API, it bundles no codec and no HTTP machinery: the relay
 * decoded each job upstream, and the page checks its id and status.
 *
 * ## Example
 * ```ts
 * import { createClient, relay } from 'clipstream';
 *
 * const client = createClient(relay({ baseUrl: '/api/clipstream', api: 'aiml-suno' }));
 * const [first] = await client.create({ prompt: 'a sea shanty' });
 * client.watch(first!).subscribe((clip) => render(clip.status, clip.audio_url));
 * ```
 *
 * @param config `baseUrl` of the relay and `api`, the name (or factory) of the API it relays
 */
export function relay<N extends keyof RelayApis>(config: RelayConfig<N>): RelayApis[N];
export function relay<F extends AnyFactory>(config: RelayConfig<F>): ReturnType<F>;
export function relay<J, S extends string, A extends string, F extends S>(config: RelayConfig<ApiIdentity<J, S, A, F>>): Provider<J, S, A, F, Record<string, unknown>>;
export function relay(config: RelayConfig<keyof RelayApis | AnyFactory | AnyIdentity>): Provider {
  const given = optionsObject('relay', config, ['baseUrl', 'api', 'reconnect']) as Partial<RelayConfig<keyof RelayApis | AnyFactory | AnyIdentity>>;
  const reconnectGiven = optionsObject('relay.reconnect', given.reconnect, ['tries', 'baseDelay', 'maxDelay', 'random', 'linger']) as NonNullable<RelayConfig<never>['reconnect']>;
  const reconnect: ReconnectPolicy = {
    tries: integer('relay.reconnect.tries', reconnectGiven.tries, defaultReconnect.tries, 0, 1_000),
    baseDelay: duration('relay.reconnect.baseDelay', reconnectGiven.baseDelay, defaultReconnect.baseDelay, { min: 1 }),
    maxDelay: duration('relay.reconnect.maxDelay', reconnectGiven.maxDelay, defaultReconnect.maxDelay, { min: 1 }),
    random: func('relay.reconnect.random', reconnectGiven.random, defaultReconnect.random, 'a function returning a number in [0, 1)'),
    linger: duration('relay.reconnect.linger', reconnectGiven.linger, defaultReconnect.linger),
  };
  const api = given.api;
  let identity: ApiIdentity<unknown, string, string, string>;
  let codec: AnyFactory['spec']['codec'] | undefined;
  let canCreate = true;
  if (typeof api === 'string') {
    if (!Object.hasOwn(apiIdentities, api)) {
      throw new ConfigError('relay.api', `unknown API ${JSON.stringify(api)}: use ${Object.keys(apiIdentities).join(', ')}, or pass a provider factory`);
    }
    identity = apiIdentities[api] as ApiIdentity<unknown, string, string, string>;
  } else if (typeof api === 'function' && typeof api.spec?.name === 'string') {
    identity = api.spec;
    codec = api.spec.codec;
    canCreate = api.spec.create !== undefined;
  } else if (typeof api === 'object' && api !== null && typeof api.name === 'string' && typeof api.statuses?.statusOf === 'function') {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(api.name)) throw new ConfigError('relay.api.name', 'expected lower-case letters, digits and "-", as the relay\'s clients name the API');
    if (typeof api.title !== 'string' || api.title === '') throw new ConfigError('relay.api.title', `expected a non-empty string, got ${describe(api.title)}`);
    identity = api;
  } else {
    throw new ConfigError('relay.api', `expected an API name such as "aiml-suno", a provider factory such as aimlSuno, or an API's identity ({ name, title, statuses }), got ${describe(api)}`);
  }
  const baseUrl = checkRelayUrl(given.baseUrl);
  const { name, statuses } = identity;
  const idField = identity.idField ?? 'id';
  const source = `the relay at ${baseUrl} (${name})`;
  const idOf = (job: unknown) => {
    const id = typeof job === 'object' && job !== null ? (job as Record<string, unknown>)[idField] : undefined;
    return typeof id === 'string' ? id : undefined;
  };
  /** The job of an event: decoded by the codec when there is one; in any case checked for its id and status. */
  const decodeOne = (id: string, job: unknown): { job: unknown } | { error: Error } => {
    if (codec) {
      const decoded = codec.decode(job);
      if (decoded._tag === 'Left') return { error: new DecodeError(source, formatErrors(decoded.left, '', none), id) };
      job = decoded.right;
    }
    if (idOf(job) !== id) return { error: new DecodeError(source, [`/${idField}: expected "${id}" but got ${show(idOf(job), none)}`]) };
    // A status the model does not know passes (the watch reports it once); no status at all does not.
    if (statusNameOf(statuses, job) === undefined) return { error: new DecodeError(source, [`/: expected a job with a status of ${name} but got ${show(job, none)}`]) };
    return { job };
  };
  const provider: Provider = {
    name,
    title: `${identity.title} through the relay`,
    baseUrl,
    statuses,
    codec: codec ?? relayedJob,
    maxBatchSize: 1,
    longPollTimeout: undefined,
    fetchRequest: () => {
      throw new ConfigError('relay', 'a relay provider has no fetch requests: jobs come over its event stream');
    },
    decode: (body, ids) =>
      ids.map((id) => {
        const result = decodeOne(id, body);
        return 'job' in result ? { id, job: result.job } : { id, error: result.error };
      }),
    bodyError: () => undefined,
    idOf,
    isUnknownId: (error) => error.status === 404,
    failureReason: (job) => identity.failureReason?.(job),
    resultUrls: (job) => resultUrlsOf(identity, job),
    canCreate,
    createRequest: (input) => {
      if (!canCreate) throw new ConfigError('create', `${identity.title} cannot create jobs through clipstream`);
      return {
        method: 'POST',
        url: `${baseUrl}${relayPaths.create}?api=${encodeURIComponent(name)}`,
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(input),
      };
    },
    createdIds: (body, where) => {
      const ids = (body as { ids?: unknown } | null)?.ids;
      if (!Array.isArray(ids) || ids.length === 0 || ids.some((id) => typeof id !== 'string' || id === '')) {
        throw new DecodeError(where, [`/ids: expected the ids of the new jobs but got ${show(body, none)}`]);
      }
      return ids as string[];
    },
    idProblem: (id) => identity.idProblem?.(id),
    // No key: nothing to send, nothing to hide.
    headers: () => ({}),
    redact: none,
    engine: relayEngine(baseUrl, name, decodeOne, reconnect),
  };
  return Object.freeze(provider);
}

/** The codec of a job the relay decoded upstream: taken as it is (relay() checks its id and status). */
const relayedJob: AnyFactory['spec']['codec'] = {
  name: 'RelayedJob',
  validate: (job) => ({ _tag: 'Right', right: job }),
  decode: (job) => ({ _tag: 'Right', right: job }),
};

/** A path on the page's origin (`/api/clipstream`) or an http(s) URL, without a trailing slash. */
function checkRelayUrl(value: unknown): string {
  const field = 'relay.baseUrl';
  if (typeof value !== 'string' || value === '') throw new ConfigError(field, `expected a path such as "/api/clipstream" or a URL, got ${describe(value)}`);
  let url: URL;
  try {
    url = new URL(value, 'http://same-origin.invalid');
  } catch {
    throw new ConfigError(field, `${JSON.stringify(value)} is not a URL or a path`);
  }
  if (url.username || url.password) throw new ConfigError(field, 'must not contain credentials: the relay needs none');
  if (url.search || url.hash) throw new ConfigError(field, `${JSON.stringify(value)} must not have a query or fragment`);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConfigError(field, `${JSON.stringify(value)} must be an http(s) URL or a path`);
  if (url.host === 'same-origin.invalid' && !value.startsWith('/')) throw new ConfigError(field, `${JSON.stringify(value)}: a path must start with "/"`);
  return (url.host === 'same-origin.invalid' ? url.pathname : url.href).replace(/\/+$/, '');
}
