import type { Observable } from 'rxjs';
import type { RetryNotice } from '../engine/ClientEngine.js';
import type { ClientHealth } from '../engine/http/Governor.js';
import type { AnyProvider, CreateInputOf, JobOf, StatusNameOf, StatusOf, WaitableOf } from '../providers/Provider.js';
import type { UnknownStatus } from '../status/unknownStatus.js';

// What a client is, as its users see it: the interface and its docs. The
// implementation is createClient.ts.

/** Options of `watch`, `watchMany` and `generate`. */
export interface WatchOptions<P extends AnyProvider = AnyProvider> {
  /** Complete after the first job at or above this status (a terminal status always completes). Cannot be a failure status. */
  until?: WaitableOf<P>;
  /**
   * The status the caller already knows, such as `'submitted'` right after a
   * create: it is not emitted, and the first request waits for the next
   * status instead of reading the current one, which saves a request per job.
   */
  since?: StatusNameOf<P>;
  /** Aborting it errors the watch with an `AbortError` and aborts the request in flight. */
  signal?: AbortSignal;
  /** Deadline for the whole watch, in milliseconds (at most 2^31−1, or `Infinity`): past it, a `WatchTimeoutError`. */
  timeout?: number;
}

/** Options of `waitFor` and `waitForAll`. */
export type WaitOptions = Pick<WatchOptions, 'signal' | 'timeout'>;

/**
 * Watches the jobs of one API. Made by {@link createClient}.
 *
 * @typeParam P the provider: `Client<ReturnType<typeof aimlSuno>>`. Its job
 *   type is `JobOf<P>`, its statuses `StatusOf<P>`.
 */
export interface Client<P extends AnyProvider = AnyProvider> {
  readonly provider: P;
  /** The provider's status model, for the operators: `atLeast(client.statuses, 'streaming')`. */
  readonly statuses: P['statuses'];
  /**
   * The client's rate-limit governor: `ok`, `paused` (a 429 or 503 with
   * `Retry-After` holds every request until `until`) or `probing` (one
   * request went first after a pause). Emits the current state on subscribe,
   * then each change; never completes.
   *
   * ```ts
   * client.health$.subscribe((health) => {
   *   if (health.state === 'paused') banner(`rate limited, resuming in ${Math.ceil((health.until - Date.now()) / 1000)} s`);
   * });
   * ```
   */
  readonly health$: Observable<ClientHealth>;
  /**
   * Each failed fetch attempt that will be tried again, with the jobs it was
   * for: so a UI can say "retrying (503, attempt 3)" instead of showing
   * nothing while the API is down. Hot; never completes.
   */
  readonly retries$: Observable<RetryNotice>;
  /**
   * The canonical status of a job (`'complete'` for a job that says
   * `"completed"`): compare these, not raw fields. A status clipstream does
   * not know (a vendor's new one) comes as sent.
   */
  statusOf(job: JobOf<P>): StatusOf<P> | UnknownStatus;
  /**
   * One job's distinct status transitions: its current status at once (or,
   * with `since`, the first status above it), then each higher status the
   * API reports, completing after a terminal status (or `until`). A job that
   * ends in failure is emitted, then completes; the Observable errors only
   * for transport, decoding, `timeout` and `signal`. Cold: each subscription
   * watches anew; unsubscribing aborts its request.
   */
  watch(id: string, options?: WatchOptions<P>): Observable<JobOf<P>>;
  /**
   * The transitions of several jobs, merged. Jobs at the same status share
   * long-polls (see `batching`). One job's error does not stop the others:
   * each is watched to its end, then the Observable errors with the first
   * error, or completes if there was none. `timeout` and `signal` stop all.
   */
  watchMany(ids: readonly string[], options?: WatchOptions<P>): Observable<JobOf<P>>;
  /**
   * The first job at or above `status`. Rejects with a `JobFailedError`
   * (holding the job) if it fails instead. Asks the server for `status`
   * directly, so a long wait costs one request per server timeout.
   */
  waitFor(id: string, status: WaitableOf<P>, options?: WaitOptions): Promise<JobOf<P>>;
  /**
   * Every job at or above `status`, in the order of `ids`. The jobs share
   * long-polls for `status` (the API answers once all of them reach it), so
   * this costs the fewest requests. Rejects with a `JobFailedError` for the
   * first job seen to fail.
   */
  waitForAll(ids: readonly string[], status: WaitableOf<P>, options?: WaitOptions): Promise<JobOf<P>[]>;
  /**
   * Creates jobs, and resolves with their ids (two for a Suno create). Any
   * 2xx is success. Only a 429 or 503 is retried, since the server did no
   * work then: a create that may have gone through is never sent twice.
   */
  create(input: CreateInputOf<P>, options?: Pick<WatchOptions, 'signal'>): Promise<string[]>;
  /**
   * Creates jobs, then watches them: every transition from the first status
   * after creation to the result, as one Observable (`create`, then
   * `watchMany` with `since` the first status). Cold: each subscription
   * creates anew.
   */
  generate(input: CreateInputOf<P>, options?: WatchOptions<P>): Observable<JobOf<P>>;
  /**
   * A job pushed by the API (a webhook, such as Luma's `callback_url`): it is
   * decoded and given to every watch of it that it brings news to, at once;
   * polling goes on as the fallback. Returns the decoded job; throws a
   * `DecodeError` for a body that is not one. See `webhookHandler`. A relay
   * client (`relay(…)`) throws a `ConfigError`: its jobs come from the relay,
   * and pushed jobs are ingested by the server's client.
   */
  ingest(job: unknown): JobOf<P>;
  /**
   * The ids of this API's jobs that were followed and had not ended, in the
   * client's `store`: what a process that crashed was watching, to watch
   * again (each continues from its stored status). Needs the `store` option.
   *
   * ## Example
   * ```ts
   * for (const id of await client.unfinished()) client.watch(id).subscribe((clip) => console.log(id, clip.status));
   * ```
   */
  unfinished(): Promise<string[]>;
}
