import type { Observable } from 'rxjs';
import type { ClientHealth } from '../exchange/Governor.js';
import type { Cancellable, Sink } from '../internal/Sink.js';
import type { AnyProvider } from '../providers/Provider.js';
import type { HttpRequest } from '../transport/Transport.js';
import type { WatchContext, WatchHandle } from '../watch/watchJob.js';
import type { ResolvedOptions } from './ClientOptions.js';

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

/** What a client gives its engine. */
export interface EngineContext<J> {
  readonly provider: AnyProvider;
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
  open(id: string, sink: Sink<J>): WatchHandle<string>;
  /** Sends the create `request` (made once by `provider.createRequest`); `sink` hears the new ids once. */
  create(request: HttpRequest, sink: Sink<string[]>): Cancellable;
  /** A job pushed to the client: it reaches every watch of it at once. Throws a `ConfigError` where jobs cannot be pushed (a relay client). */
  news(id: string, job: J): void;
  readonly health$: Observable<ClientHealth>;
  readonly retries$: Observable<RetryNotice>;
  /** What the engine learns of when jobs change, for watches to poll by (the HTTP engine of a polled API, unless polling is fixed). */
  readonly learner?: WatchContext<J, string>['learner'];
}

export type EngineFactory = <J>(context: EngineContext<J>) => ClientEngine<J>;
