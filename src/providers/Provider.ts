import type * as t from 'io-ts';
import type { EngineFactory, EngineProvider } from '../engine/ClientEngine.js';
import type { StatusModel } from '../status/StatusModel.js';
import type { HttpRequest } from '../transport/Transport.js';

/** Where a finished job's files are; absent fields are files the job does not have (yet). */
export interface ResultUrls {
  readonly audio?: string;
  readonly video?: string;
  readonly image?: string;
  /** A stream of a file still being made (Suno's `audio_url` while streaming). */
  readonly stream?: string;
}

/**
 * One API, ready to use: where it is, how its requests look, how its jobs
 * decode and what statuses they go through. Made by a provider factory
 * (`aimlSuno({ apiKey })`, or one of your own from {@link defineProvider})
 * and passed to `createClient`.
 *
 * The API key is held in closures: it is not a property, so logging or
 * snapshotting a provider never shows it.
 *
 * @typeParam J the job as the API sends it
 * @typeParam S canonical status; `A` accepted alternative spellings; `F` failure statuses
 * @typeParam I what `client.create(input)` takes
 */
export interface Provider<J = unknown, S extends string = string, A extends string = string, F extends S = S, I = unknown> extends EngineProvider<J> {
  /** The base URL, without a trailing slash. */
  readonly baseUrl: string;
  readonly statuses: StatusModel<S, A, F>;
  /** Decodes one job; unknown fields are kept. */
  readonly codec: t.Decoder<unknown, J>;
  /** Most ids one fetch request may carry. */
  readonly maxBatchSize: number;
  /** The request that fetches `ids`: a long-poll for `wanted` when the API can wait, a snapshot when `wanted` is undefined. */
  fetchRequest(ids: readonly string[], wanted: S | undefined): HttpRequest;
  /** The id of a job (its `id` field, or the one the API uses), or undefined if it has none. */
  idOf(job: unknown): string | undefined;
  /** The reason a failed job gives, if any. */
  failureReason(job: J): string | undefined;
  /** The files of a job, with `""` and `"None.mp3"` taken as absent. */
  resultUrls(job: J): ResultUrls;
  /** Whether the API can create jobs through `client.create`. */
  readonly canCreate: boolean;
  /** The request that creates jobs from `input`; a `ConfigError` when the input is not right, or the API cannot create. */
  createRequest(input: I): HttpRequest;
  /** What is wrong with an id for this API beyond the general rule (1–256 visible characters), if anything. */
  idProblem(id: string): string | undefined;
  /** The request headers, authorization included, for requests of your own. */
  headers(): Readonly<Record<string, string>>;
  /**
   * How a client gets this API's jobs: HTTP requests through the request
   * scheduler (every provider from `defineProvider`), or a relay's event
   * stream (`relay`). A page bundles only the engine its providers bring.
   */
  readonly engine: EngineFactory;
}

export type { StreamingFetch } from '../transport/FetchLike.js';

/** What a provider factory takes. */
export interface ProviderConfig {
  /** The bearer key. Required; it travels only in the `Authorization` header, to the `baseUrl`'s origin. */
  apiKey: string;
  /**
   * Where the API is. Must be https, except for loopback hosts (127.0.0.1,
   * localhost, [::1]) where http is allowed, for the simulator and tests.
   * A path prefix is kept (for proxies).
   * @default the API's own
   */
  baseUrl?: string;
}

/** Any provider, whatever its job type. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyProvider = Provider<any, string, string, string, any>;

/** The job type of a provider. */
export type JobOf<P> = P extends Provider<infer J, infer _S, infer _A, infer _F, infer _I> ? J : never;
/** The canonical statuses of a provider. */
export type StatusOf<P> = P extends Provider<infer _J, infer S, infer _A, infer _F, infer _I> ? S : never;
/** Every status name a provider accepts: canonical or alias. */
export type StatusNameOf<P> = P extends Provider<infer _J, infer S, infer A, infer _F, infer _I> ? S | A : never;
/** The status names of a provider the API can wait for: every name but the failures. */
export type WaitableOf<P> = P extends Provider<infer _J, infer S, infer A, infer F, infer _I> ? Exclude<S, F> | A : never;
/** What `client.create(input)` takes for a provider. */
export type CreateInputOf<P> = P extends Provider<infer _J, infer _S, infer _A, infer _F, infer I> ? I : never;
