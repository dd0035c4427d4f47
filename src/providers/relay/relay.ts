import { decodeJobs } from '../../codecs/decodeJobs.js';
import { envelope } from '../../codecs/envelope.js';
import { show } from '../../codecs/formatErrors.js';
import { ConfigError } from '../../errors/ConfigError.js';
import { DecodeError } from '../../errors/DecodeError.js';
import { describe, optionsObject } from '../../internal/validate.js';
import { resultUrlsOf, type ProviderFactory } from '../defineProvider.js';
import type { Provider } from '../Provider.js';
import { relayPaths } from './protocol.js';
import { relayEngine } from './relayEngine.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFactory = ProviderFactory<any, string, string, string, any>;

/** What {@link relay} takes. */
export interface RelayConfig<F extends AnyFactory> {
  /**
   * Where the relay is mounted: a path on the page's own origin
   * (`/api/clipstream`), or an absolute http(s) URL. No key goes there.
   */
  baseUrl: string;
  /** The API the relay watches for you, as its factory: `aimlSuno`. Only its codec and statuses are used; it gets no key. */
  api: F;
}

const single = envelope();

/**
 * A provider for browsers: jobs are watched through a relay on your own
 * server (`createRelay` from `clipstream/relay`), which holds the API key.
 * The client sends all of its watches over one Server-Sent Events stream,
 * adding and removing ids as watches start and end, and resumes a dropped
 * stream without losing or repeating a transition. The Observable contract
 * is the same as for any other provider; create goes through the relay too.
 *
 * ## Example
 * ```ts
 * import { createClient, relay, aimlSuno } from 'clipstream';
 *
 * const client = createClient(relay({ baseUrl: '/api/clipstream', api: aimlSuno }));
 * const [first] = await client.create({ prompt: 'a sea shanty' });
 * client.watch(first!).subscribe((clip) => render(clip.status, clip.audio_url));
 * ```
 *
 * @param config `baseUrl` of the relay and `api`, the factory of the API it relays
 */
export function relay<F extends AnyFactory>(config: RelayConfig<F>): ReturnType<F> {
  const given = optionsObject('relay', config, ['baseUrl', 'api']) as Partial<RelayConfig<F>>;
  const factory = given.api;
  if (typeof factory === 'string') {
    throw new ConfigError('relay.api', `pass the API's factory, not its name: api: ${camel(factory)} (imported from 'clipstream'), so only its codec is bundled`);
  }
  if (typeof factory !== 'function' || typeof factory.spec?.name !== 'string') {
    throw new ConfigError('relay.api', `expected a provider factory such as aimlSuno, got ${describe(factory)}`);
  }
  const baseUrl = checkRelayUrl(given.baseUrl);
  const spec = factory.spec;
  const name = spec.name;
  const idField = spec.idField ?? 'id';
  const none = (text: string) => text;
  const source = `the relay at ${baseUrl} (${name})`;
  // Copies of one job in one event cannot happen: any rank will do.
  const rankOfJob = () => 0;
  const provider: Provider = {
    name,
    title: `${spec.title} through the relay`,
    baseUrl,
    statuses: spec.statuses,
    codec: spec.codec,
    maxBatchSize: 1,
    longPollTimeout: undefined,
    fetchRequest: () => {
      throw new ConfigError('relay', 'a relay provider has no fetch requests: jobs come over its event stream');
    },
    decode: (body, ids, where, rank) => decodeJobs(body, spec.codec, ids, where, none, rank, single, idField),
    bodyError: () => undefined,
    idOf: (job) => {
      const id = typeof job === 'object' && job !== null ? (job as Record<string, unknown>)[idField] : undefined;
      return typeof id === 'string' ? id : undefined;
    },
    isUnknownId: (error) => error.status === 404,
    failureReason: (job) => spec.failureReason?.(job),
    resultUrls: (job) => resultUrlsOf(spec, job),
    canCreate: spec.create !== undefined,
    createRequest: (input) => {
      if (!spec.create) throw new ConfigError('create', `${spec.title} cannot create jobs through clipstream`);
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
    idProblem: (id) => spec.idProblem?.(id),
    // No key: nothing to send, nothing to hide.
    headers: () => ({}),
    redact: none,
    engine: relayEngine(baseUrl, name, (id, job) => {
      const [result] = decodeJobs(job, spec.codec, [id], source, none, rankOfJob, single, idField);
      return result?.job !== undefined ? { job: result.job } : { error: result?.error ?? new DecodeError(source, [`/: no job "${id}"`]) };
    }),
  };
  return Object.freeze(provider) as ReturnType<F>;
}

/** `"aiml-suno"` → `aimlSuno`, for the hint; `sunoapi` → `sunoApi`. */
function camel(name: string): string {
  const known: Record<string, string> = { sunoapi: 'sunoApi' };
  return known[name] ?? name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

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
