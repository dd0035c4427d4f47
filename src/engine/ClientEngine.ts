import type { Observable } from 'rxjs';
import type { Cancellable, Sink, WatchSink } from '../internal/Sink.js';
import type { HttpRequest } from '../transport/Transport.js';
import type { WatchContext, WatchHandle } from '../watch/watchJob.js';
import type { ResolvedOptions } from './EngineOptions.js';
import type { JobResult } from '../codecs/decodeJobs.js';
import type { HttpError } from '../errors/HttpError.js';
import type { TypicalDurations } from '../polling/PollingLearner.js';

/**
 * What the client's rate-limit governor is doing (see docs/watching.md,
 * "Rate limits: the governor"), and, with a `store`, whether it can be reached.
 */
export type ClientHealth = (
  /** Requests go out as they come. */
  | { readonly state: 'ok' }
  /** A 429 or 503 asked to wait: nothing is sent until `until` (the scheduler's clock, ms). */
  | { readonly state: 'paused'; readonly status: number; readonly until: number; readonly retryAfter: number }
  /** The pause is over; one request went first to see whether the server is ready again. */
  | { readonly state: 'probing' }
) & {
  /**
   * `'unreachable'` while the client's store fails (Redis down): watches go on
   * from the API, and transitions are not stored until it answers again.
   */
  readonly store?: 'unreachable';
};

/** A fetch attempt that failed and will be tried again. */
export interface RetryNotice {
  /** The jobs the request was for. */
  readonly ids: readonly string[];
  /** Why the attempt failed: an `HttpError` (with `status`) or a `NetworkError` (with `reason`). */
  readonly error: Error;
  /** The attempt that failed: 1 for the first try. */
  readonly attempt: number;
  /** Milliseconds before the next try; 0 when the governor holds it behind a `Retry-After` pause. */
  readonly delay: number;
}

/**
 * What an engine calls of a provider: the part of an API's description that
 * runs requests. Every `Provider` is one; the engine knows nothing else of it.
 */
export interface EngineProvider<J = unknown> {
  /** The API's name: `"aiml-suno"`. */
  readonly name: string;
  /** For messages: `"AI/ML API Suno"`. */
  readonly title: string;
  /** How long the server holds a long-poll; `undefined` when the API cannot wait (it is polled). */
  readonly longPollTimeout: number | undefined;
  /** How long each status usually lasts, `[low, high]` ms: learned polling's prior. */
  readonly typicalDurations?: TypicalDurations;
  /** The request that fetches `ids`: a long-poll for `wanted` when the API can wait, a snapshot when `wanted` is undefined. */
  fetchRequest(ids: readonly string[], wanted: string | undefined): HttpRequest;
  /** One result per id of a fetch answer's JSON body (`source` names it in errors). Throws a `DecodeError` for an answer it cannot read at all. */
  decode(body: unknown, ids: readonly string[], source: string, rank: (job: J) => number): JobResult<J>[];
  /** An error the API reports in a 2xx body, as the HTTP status it amounts to and a message; undefined for none. */
  bodyError(body: unknown): { status: number; message: string } | undefined;
  /** Whether an error of a multi-id request says one of its ids is unknown, so each id is asked alone. */
  isUnknownId(error: HttpError): boolean;
  /** The ids of the jobs a create answer's JSON body announces. */
  createdIds(body: unknown, source: string): string[];
  /** Replaces the API key wherever it appears in `text`, in any encoding (see `createRedactor`). */
  redact(text: string): string;
}

/** What a client gives its engine, once. */
export interface EngineContext<J> {
  readonly provider: EngineProvider<J>;
  readonly options: ResolvedOptions;
  /** The position of a job's status; throws for a job without one. */
  rank(job: J): number;
  rankOf(status: string): number;
}

/**
 * How a client gets its jobs: HTTP requests through the request scheduler
 * (every API), or a relay's event stream (browsers). The provider brings its
 * engine, so a page that watches through the relay bundles no HTTP machinery.
 */
export interface ClientEngine<J> {
  /** Whether a question for a status is answered only when the job gets there (a long-poll, a pushed stream). */
  readonly canWait: boolean;
  /** Opens a watch of job `id`; see `WatchContext.open`. */
  open(id: string, sink: WatchSink<J>): WatchHandle<string>;
  /** Sends the create `request` (made once by `provider.createRequest`); `sink` hears the new ids once. */
  create(request: HttpRequest, sink: Sink<string[]>): Cancellable;
  /** A job pushed to the client: it reaches every watch of it at once. Throws a `ConfigError` where jobs cannot be pushed (a relay client). */
  news(id: string, job: J): void;
  readonly health$: Observable<ClientHealth>;
  readonly retries$: Observable<RetryNotice>;
  /** What the engine learns of when jobs change, for watches to poll by (the HTTP engine of a polled API, unless polling is fixed). */
  readonly learner?: WatchContext<J, string>['learner'];
}

export type EngineFactory = (<J>(context: EngineContext<J>) => ClientEngine<J>) & {
  /** The client options the engine reads, when it reads fewer than all: `createClient` refuses the others rather than ignore them. */
  readonly honours?: readonly string[];
};
