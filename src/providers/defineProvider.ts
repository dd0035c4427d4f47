import type * as t from 'io-ts';
import { decodeJobs } from '../codecs/decodeJobs.js';
import { tolerantEnvelope, type Envelope } from '../codecs/envelope.js';
import { show } from '../codecs/formatErrors.js';
import { httpEngine } from '../engine/http/httpEngine.js';
import { ConfigError } from '../errors/ConfigError.js';
import { DecodeError } from '../errors/DecodeError.js';
import type { HttpError } from '../errors/HttpError.js';
import { checkId } from '../internal/jobId.js';
import { describe } from '../internal/validate.js';
import type { StatusModel } from '../status/StatusModel.js';
import { resultUrlsOf } from './identities.js';
import { checkProviderConfig, credentials } from './providerConfig.js';
import type { Provider, ProviderConfig, ResultUrls } from './Provider.js';
import type { TypicalDurations } from '../polling/PollingLearner.js';

/**
 * Everything clipstream knows about one API: the one place that knows it.
 * See docs/providers.md for a walk through writing one.
 *
 * @typeParam J the job as the API sends it (the codec's type)
 * @typeParam S canonical status; `A` accepted alternative spellings; `F` failure statuses
 * @typeParam I what `client.create(input)` takes
 */
export interface ProviderSpec<J, S extends string, A extends string, F extends S, I> {
  /** The API's name, as the CLI, the simulator and the relay know it: `"aiml-suno"`. */
  readonly name: string;
  /** For messages: `"AI/ML API Suno"`. */
  readonly title: string;
  /** The name of the factory, for messages about its options: `"aimlSuno"` gives `aimlSuno.apiKey: …`. */
  readonly factory: string;
  /** The environment variable the CLI reads the key from. @default the name in capitals with `_API_KEY`: `KLING_API_KEY` */
  readonly keyEnv?: string;
  /** Where the API is, unless `baseUrl` says otherwise. */
  readonly defaultBaseUrl: string;
  /** The statuses, their order, the terminal and failure ones, aliases, and the field a job holds its status in. */
  readonly statuses: StatusModel<S, A, F>;
  /** Decodes one job. A codec that only checks (no transforming types) lets valid jobs through without copying them. */
  readonly codec: t.Decoder<unknown, J>;
  /** The field of a job that holds its id. @default "id" */
  readonly idField?: string;
  /** Headers for every request, besides `Authorization`. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly fetch: {
    /**
     * The path and query, after the base URL, of the request that fetches
     * `ids` (1 to `maxIds` of them), waiting for `wait` when the API can; a
     * snapshot (answered at once) when `wait` is undefined. Encode ids:
     * `query` does, as URLSearchParams.
     */
    url(ids: readonly string[], wait: NoInfer<S> | undefined): string;
    /** Most ids one request may carry. @default 1 */
    readonly maxIds?: number;
    /** How long the server holds a long-poll, in ms; leave it out for an API that cannot wait (it is polled). */
    readonly longPollTimeout?: number;
  };
  /**
   * How long each status usually lasts, `[low, high]` in ms, for an API that
   * is polled: learned polling starts from it and learns the real durations
   * within a few jobs. @default seconds to three minutes for every status
   */
  readonly typicalDurations?: Readonly<Partial<Record<NoInfer<S>, readonly [low: number, high: number]>>>;
  /** Where the jobs are in a fetch answer. @default a bare job, a bare array, `{"clips": [...]}` or `{"generations": [...]}` */
  readonly envelope?: Envelope;
  /** An error the API reports in a 2xx body (`{ code: 500, message }`), as the HTTP status it amounts to. */
  bodyError?(body: unknown): { status: number; message: string } | undefined;
  /** Whether an error of a multi-id request says one of its ids is unknown. @default a 404 */
  isUnknownId?(error: HttpError): boolean;
  /** The reason a failed job gives. */
  failureReason?(job: NoInfer<J>): string | undefined;
  /** The files of a job; values that are `""` or `"None.mp3"` are dropped. */
  resultUrls?(job: NoInfer<J>): ResultUrls;
  /** How to create jobs, if the API can. */
  readonly create?: {
    /** The path, after the base URL, and the JSON body of the request that creates jobs from `input`. */
    request(input: I): { readonly path: string; readonly body: unknown };
    /** The ids the create answer's JSON body announces, or undefined if it holds none. */
    ids(body: unknown): readonly string[] | undefined;
  };
  /** What is wrong with an id for this API beyond the general rule (1–256 visible characters), if anything. */
  idProblem?(id: string): string | undefined;
}

/** A provider factory: `aimlSuno({ apiKey })`. `spec` is what it was defined from. */
export interface ProviderFactory<J, S extends string, A extends string, F extends S, I> {
  (config: ProviderConfig): Provider<J, S, A, F, I>;
  readonly spec: ProviderSpec<J, S, A, F, I>;
}

/**
 * Defines a provider: the one extension point for an API. Returns its
 * factory, which takes `{ apiKey, baseUrl? }` and checks them.
 *
 * ## Example
 * ```ts
 * import * as t from 'io-ts';
 * import { createClient, defineProvider, defineStatusModel, query } from 'clipstream';
 *
 * const statuses = defineStatusModel({
 *   name: 'Acme', statuses: ['pending', 'running', 'done', 'failed'],
 *   terminal: ['done', 'failed'], failures: ['failed'], fields: ['state'],
 * });
 * const acme = defineProvider({
 *   name: 'acme', title: 'Acme Video', factory: 'acme', defaultBaseUrl: 'https://api.acme.example',
 *   statuses,
 *   codec: t.type({ id: t.string, state: t.string }),
 *   fetch: { url: (ids) => `/v1/jobs?${query([['id', ids[0]]])}` },
 * });
 * const client = createClient(acme({ apiKey: process.env.ACME_KEY! }));
 * ```
 */
export function defineProvider<J, S extends string, A extends string, F extends S, I = never>(
  spec: ProviderSpec<J, S, A, F, I>,
): ProviderFactory<J, S, A, F, I> {
  checkSpec(spec);
  const maxIds = spec.fetch.maxIds ?? 1;
  const envelope = spec.envelope ?? tolerantEnvelope;
  const idField = spec.idField ?? 'id';
  const factory = (config: ProviderConfig): Provider<J, S, A, F, I> => {
    const { apiKey, baseUrl } = checkProviderConfig(spec.factory, config, spec.defaultBaseUrl);
    const { headers, redact } = credentials(apiKey, { ...spec.headers });
    const fixed = headers();
    const postHeaders = Object.freeze({ ...fixed, 'Content-Type': 'application/json' });
    const provider: Provider<J, S, A, F, I> = {
      name: spec.name,
      title: spec.title,
      baseUrl,
      statuses: spec.statuses,
      codec: spec.codec,
      maxBatchSize: maxIds,
      longPollTimeout: spec.fetch.longPollTimeout,
      typicalDurations: (spec.typicalDurations ?? {}) as TypicalDurations,
      fetchRequest: (ids, wanted) => ({ method: 'GET', url: `${baseUrl}${spec.fetch.url(ids, wanted)}`, headers: fixed }),
      decode: (body, ids, source, rank) => decodeJobs(body, spec.codec, ids, source, redact, rank, envelope, idField),
      idOf: (job) => {
        const id = typeof job === 'object' && job !== null ? (job as Record<string, unknown>)[idField] : undefined;
        return typeof id === 'string' ? id : undefined;
      },
      bodyError: (body) => spec.bodyError?.(body),
      isUnknownId: (error) => (spec.isUnknownId ? spec.isUnknownId(error) : error.status === 404),
      failureReason: (job) => spec.failureReason?.(job),
      resultUrls: (job) => resultUrlsOf(spec, job),
      canCreate: spec.create !== undefined,
      createRequest: (input) => {
        if (!spec.create) throw new ConfigError('create', `${spec.title} cannot create jobs through clipstream`);
        const { path, body } = spec.create.request(input);
        return { method: 'POST', url: `${baseUrl}${path}`, headers: postHeaders, body: JSON.stringify(body) };
      },
      createdIds: (body, source) => {
        const ids = spec.create?.ids(body);
        if (!Array.isArray(ids) || ids.length === 0 || ids.some((id) => typeof id !== 'string' || id === '')) {
          throw new DecodeError(source, [`/: expected the ids of the new jobs but got ${show(body, redact)}`]);
        }
        // Ids from the API go into URLs next: one no URL can hold is the API's mistake, reported as such.
        return ids.map((id: string, index: number) => {
          try {
            return checkId(`ids[${index}]`, id, spec.idProblem);
          } catch (error) {
            throw new DecodeError(source, [`/: an id that cannot be watched: ${(error as Error).message}`]);
          }
        });
      },
      idProblem: (id) => spec.idProblem?.(id),
      headers,
      redact,
      engine: httpEngine,
    };
    return Object.freeze(provider);
  };
  return Object.assign(factory, { spec });
}

function checkSpec(spec: ProviderSpec<unknown, string, string, string, unknown>): void {
  const where = `defineProvider(${typeof spec?.name === 'string' ? JSON.stringify(spec.name) : '…'})`;
  if (typeof spec !== 'object' || spec === null) throw new ConfigError('defineProvider', `expected a provider spec, got ${describe(spec)}`);
  for (const field of ['name', 'title', 'factory', 'defaultBaseUrl'] as const) {
    if (typeof spec[field] !== 'string' || spec[field] === '') throw new ConfigError(`${where}.${field}`, `expected a non-empty string, got ${describe(spec[field])}`);
  }
  if (typeof spec.statuses?.statusOf !== 'function') throw new ConfigError(`${where}.statuses`, 'expected a status model from defineStatusModel');
  if (typeof spec.codec?.decode !== 'function') throw new ConfigError(`${where}.codec`, 'expected an io-ts codec');
  if (typeof spec.fetch?.url !== 'function') throw new ConfigError(`${where}.fetch.url`, 'expected a function (ids, wait) => path and query');
  const maxIds = spec.fetch.maxIds ?? 1;
  if (!Number.isInteger(maxIds) || maxIds < 1) throw new ConfigError(`${where}.fetch.maxIds`, `expected a whole number of at least 1, got ${describe(maxIds)}`);
  const wait = spec.fetch.longPollTimeout;
  if (wait !== undefined && (typeof wait !== 'number' || !(wait > 0) || wait > 2 ** 31 - 1)) {
    throw new ConfigError(`${where}.fetch.longPollTimeout`, `expected a duration in ms, got ${describe(wait)}`);
  }
  for (const [status, range] of Object.entries(spec.typicalDurations ?? {})) {
    const [low, high] = Array.isArray(range) ? (range as number[]) : [];
    if (!spec.statuses.statuses.includes(status) || !(typeof low === 'number' && typeof high === 'number' && low >= 0 && high >= low && high <= 2 ** 31 - 1)) {
      throw new ConfigError(`${where}.typicalDurations.${status}`, `expected [low, high] in ms for a status of ${spec.statuses.name}, got ${describe(range)}`);
    }
  }
  if (!/^[a-z0-9][a-z0-9-]*$/.test(spec.name)) throw new ConfigError(`${where}.name`, 'expected lower-case letters, digits and "-"');
}
