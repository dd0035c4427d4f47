import type * as t from 'io-ts';
import type { StatusModel } from '../status/StatusModel.js';
import type { HttpRequest } from '../transport/Transport.js';

/** The APIs clipstream speaks. */
export type ProviderName = 'aiml-suno' | 'aiml-luma' | 'sunoapi';

/**
 * One API: where it is, how its fetch requests look, how its jobs decode and
 * what statuses they go through. Made by {@link aimlSuno}, {@link aimlLuma}
 * or {@link sunoApi} and passed to `createClient`.
 *
 * The API key is held in a closure: it is not a property, so logging or
 * snapshotting a provider never shows it.
 *
 * @typeParam J the job as the API sends it
 * @typeParam S canonical status
 * @typeParam A accepted alternative spellings of statuses
 */
export interface Provider<J, S extends string, A extends string> {
  readonly name: ProviderName;
  /** For messages: `"AI/ML API Suno"`. */
  readonly title: string;
  /** The base URL, without a trailing slash. */
  readonly baseUrl: string;
  readonly statuses: StatusModel<S, A>;
  /** Decodes one job; unknown fields are kept. */
  readonly codec: t.Decoder<unknown, J>;
  /** Most ids one fetch request may carry. */
  readonly maxBatchSize: number;
  /** How long the server holds a long-poll before answering with the current status; `undefined` when the API cannot wait. */
  readonly longPollTimeout: number | undefined;
  /** The GET that fetches `ids`, asking the server to wait for `wanted` when the API can. */
  fetchRequest(ids: readonly string[], wanted: S | undefined): HttpRequest;
  /** The request headers, authorization included, for requests of your own (such as creating jobs). */
  headers(): Record<string, string>;
  /** The reason a failed job gives, if any. */
  failureReason(job: J): string | undefined;
  /** Replaces the API key wherever it appears in `text`. */
  redact(text: string): string;
}

/** What `aimlSuno`, `aimlLuma` and `sunoApi` take. */
export interface ProviderConfig {
  /** The bearer key. Required; it travels only in the `Authorization` header. */
  apiKey: string;
  /**
   * Where the API is. Must be https, except for loopback hosts (127.0.0.1,
   * localhost, [::1]) where http is allowed, for the simulator and tests.
   * @default "https://api.aimlapi.com" (AI/ML API), "https://api.sunoapi.com" (sunoapi.com)
   */
  baseUrl?: string;
}

/** Any provider, whatever its job type. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyProvider = Provider<any, string, string>;
