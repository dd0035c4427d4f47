import { defer, lastValueFrom, merge, type Observable, tap } from 'rxjs';
import { AbortError } from '../errors/AbortError.js';
import { ConfigError } from '../errors/ConfigError.js';
import { JobFailedError } from '../errors/JobFailedError.js';
import { WatchTimeoutError } from '../errors/WatchTimeoutError.js';
import type { Provider } from '../providers/Provider.js';
import type { StatusModel } from '../status/StatusModel.js';
import { abortWith } from '../watch/abortWith.js';
import { Batcher } from '../watch/Batcher.js';
import { deadline } from '../watch/deadline.js';
import { fetchJobs } from '../watch/fetchJobs.js';
import { createPacer } from '../watch/pacing.js';
import { watchJob, type WatchContext, type WatchMode } from '../watch/watchJob.js';
import { checkId, checkIds, checkWaitableStatus, checkWatchOptions } from './checkInput.js';
import { resolveClientOptions, type ClientOptions } from './ClientOptions.js';

/** Options of `watch` and `watchMany`. */
export interface WatchOptions<N extends string> {
  /** Complete after the first job at or above this status (a terminal status always completes). Cannot be a failure status. */
  until?: N;
  /** Aborting it errors the watch with an `AbortError` and aborts the request in flight. */
  signal?: AbortSignal;
  /** Deadline for the whole watch, in milliseconds: past it, a `WatchTimeoutError`. */
  timeout?: number;
}

/** Options of `waitFor`. */
export type WaitOptions = Omit<WatchOptions<never>, 'until'>;

/**
 * Watches the jobs of one API. Made by {@link createClient}.
 *
 * @typeParam J the job as the API sends it (`SunoClip`, `LumaGeneration`, `SunoApiClip`)
 * @typeParam S canonical status; `A` its accepted alternative spellings
 */
export interface Client<J, S extends string, A extends string> {
  readonly provider: Provider<J, S, A>;
  /** The provider's status model, for the operators: `atLeast(client.statuses, 'streaming')`. */
  readonly statuses: StatusModel<S, A>;
  /**
   * One job's distinct status transitions: its current status at once, then
   * each higher status the API reports, completing after a terminal status
   * (or `until`). A job that ends in failure is emitted, then completes;
   * the Observable errors only for transport, decoding, `timeout` and `signal`.
   * Cold: each subscription watches anew; unsubscribing aborts its request.
   */
  watch(id: string, options?: WatchOptions<S | A>): Observable<J>;
  /**
   * The transitions of several jobs, merged, fetched in batches of up to the
   * API's limit per request. Completes when every job has; errors, like
   * `merge`, at the first error of any job, and stops watching the others.
   */
  watchMany(ids: readonly string[], options?: WatchOptions<S | A>): Observable<J>;
  /**
   * The first job at or above `status`. Rejects with a `JobFailedError`
   * (holding the job) if it fails instead. Asks the server for `status`
   * directly, so a long wait costs one request per server timeout.
   */
  waitFor(id: string, status: S | A, options?: WaitOptions): Promise<J>;
}

/**
 * Makes a client for one API.
 *
 * Every watch of a client shares its batching: fetches made at the same time
 * for the same status go out together, up to the API's limit per request.
 *
 * ## Example
 * ```ts
 * import { createClient, aimlSuno, atLeast } from 'clipstream';
 *
 * const client = createClient(aimlSuno({ apiKey: process.env.AIMLAPI_KEY! }));
 * client.watch(clipId).subscribe((clip) => console.log(clip.status, clip.audio_url));
 * // Output:
 * // queued
 * // streaming https://cdn1.suno.ai/….mp3
 * // complete https://cdn1.suno.ai/….mp3
 *
 * const clip = await client.waitFor(clipId, 'complete', { timeout: 10 * 60_000 });
 * ```
 *
 * @param provider `aimlSuno(…)`, `aimlLuma(…)` or `sunoApi(…)`
 * @param options retries, timeouts, polling, batching, transport; see {@link ClientOptions}
 */
export function createClient<J, S extends string, A extends string>(
  provider: Provider<J, S, A>,
  options?: ClientOptions,
): Client<J, S, A> {
  if (typeof provider !== 'object' || provider === null || typeof provider.fetchRequest !== 'function') {
    throw new ConfigError('provider', 'expected a provider made by aimlSuno(…), aimlLuma(…) or sunoApi(…)');
  }
  const resolved = resolveClientOptions(options, provider);
  const { statuses } = provider;
  const batcher = new Batcher<J, S>(
    (ids, wanted) => fetchJobs(provider, resolved, ids, wanted),
    resolved.maxBatchSize,
    resolved.batchWindow,
    resolved.scheduler,
  );
  const canWait = provider.longPollTimeout !== undefined;
  const context: WatchContext<J, S> = {
    statuses,
    fetch: (id, wanted) => batcher.fetch(id, wanted),
    canWait,
    createPacer: () => createPacer(canWait, resolved.polling),
    scheduler: resolved.scheduler,
  };

  const describeLast = (last: ReadonlyMap<string, J>) => (id: string) => {
    const job = last.get(id);
    return job === undefined ? `"${id}" (no answer yet)` : `"${id}" (last status: ${statuses.statusOf(job)})`;
  };

  const watchAll = (
    ids: readonly string[],
    target: S | undefined,
    mode: WatchMode,
    signal: AbortSignal | undefined,
    timeout: number | undefined,
    what: string,
  ): Observable<J> =>
    defer(() => {
      const last = new Map<string, J>();
      const pending = new Set(ids);
      const jobs = ids.map((id) =>
        watchJob(context, id, target, mode).pipe(
          tap({ next: (job) => last.set(id, job), complete: () => pending.delete(id) }),
        ),
      );
      return merge(...jobs).pipe(
        deadline(
          timeout,
          resolved.scheduler,
          () => new WatchTimeoutError(timeout ?? 0, [...pending], last, describeLast(last)),
        ),
      );
    }).pipe(abortWith(signal, (reason) => new AbortError(what, reason)));

  return {
    provider,
    statuses,
    watch(id, options) {
      checkId('id', id);
      const { until, signal, timeout } = checkWatchOptions(options, statuses, true);
      return watchAll([id], until, 'each', signal, timeout, `watch of "${id}"`);
    },
    watchMany(ids, options) {
      const checked = checkIds('ids', ids);
      const { until, signal, timeout } = checkWatchOptions(options, statuses, true);
      return watchAll(checked, until, 'each', signal, timeout, `watch of ${checked.length} jobs`);
    },
    async waitFor(id, status, options) {
      checkId('id', id);
      const target = checkWaitableStatus('status', status, statuses);
      const { signal, timeout } = checkWatchOptions(options, statuses, false);
      const job = await lastValueFrom(watchAll([id], target, 'target', signal, timeout, `wait for "${id}"`));
      const reached = statuses.statusOf(job);
      if (reached !== undefined && statuses.isFailure(reached)) {
        throw new JobFailedError(id, reached, target, job, provider.failureReason(job));
      }
      return job;
    },
  };
}
