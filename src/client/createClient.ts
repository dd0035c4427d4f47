// Over 250 lines: the Client's methods share one engine, store and deadline
// logic, made once per client; the interface and its docs are Client.ts.
import { BehaviorSubject, combineLatest, defer, distinctUntilChanged, from, lastValueFrom, map, merge, Observable, of, switchMap, tap } from 'rxjs';
import { AbortError } from '../errors/AbortError.js';
import { ConfigError } from '../errors/ConfigError.js';
import { DecodeError } from '../errors/DecodeError.js';
import { JobFailedError } from '../errors/JobFailedError.js';
import { WatchTimeoutError } from '../errors/WatchTimeoutError.js';
import type { ClientHealth } from '../engine/http/Governor.js';
import { redactDeep } from '../internal/redact.js';
import type { AnyProvider, CreateInputOf, JobOf, StatusOf } from '../providers/Provider.js';
import { checkWaitableStatus } from '../status/checkStatus.js';
import type { StatusModel } from '../status/StatusModel.js';
import { statusOrThrow } from '../status/statusOrThrow.js';
import { hasUnknownStatus, statusNameOf } from '../status/unknownStatus.js';
import { abortWith } from '../watch/abortWith.js';
import { deadline } from '../watch/deadline.js';
import { mergeDelayingErrors } from '../watch/mergeDelayingErrors.js';
import { watchJob, type JobWatch, type WatchContext } from '../watch/watchJob.js';
import { checkId, checkIds } from '../internal/jobId.js';
import { checkWatchOptions } from './checkInput.js';
import { resolveClientOptions, type ClientOptions } from './ClientOptions.js';
import type { Client } from './Client.js';

/**
 * Makes a client for one API.
 *
 * Every request of a client of an HTTP API goes through its scheduler, which
 * batches what moves together, keeps at most `maxConnections` requests open,
 * and pauses them all when the API asks to slow down (docs/watching.md). A
 * client of `relay(…)` gets its jobs over the relay's event stream instead
 * (docs/browser.md).
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
 * @param provider `aimlSuno(…)`, `aimlLuma(…)`, `sunoApi(…)`, `aimlVideo(…)`, … or your own from `defineProvider`
 * @param options retries, timeouts, polling, batching, connections, transport; see {@link ClientOptions}
 */
export function createClient<P extends AnyProvider>(provider: P, options?: ClientOptions): Client<P> {
  type J = JobOf<P>;
  type S = StatusOf<P>;
  if (typeof provider !== 'object' || provider === null || typeof provider.engine !== 'function' || typeof provider.decode !== 'function') {
    throw new ConfigError('provider', 'expected a provider made by aimlSuno(…), relay(…) or another factory, or by one from defineProvider');
  }
  // An option the engine would ignore is a mistake to say, not to swallow (a relay client does not poll: its relay does).
  const honoured = provider.engine.honours;
  if (honoured !== undefined) {
    for (const [key, value] of Object.entries(options ?? {})) {
      if (value !== undefined && !honoured.includes(key)) {
        throw new ConfigError(`options.${key}`, `${provider.title} does not use it (the server's client does: give it there); this client takes ${honoured.join(', ')}`);
      }
    }
  }
  const resolved = resolveClientOptions(options, provider);
  const statuses = provider.statuses as StatusModel<S, string, S>;
  const { scheduler } = resolved;
  // For the engine, a status the model does not know is no progress: it settles no other watch's wait.
  const rank = (job: J) => (hasUnknownStatus(statuses, job) ? -1 : statuses.priority(statusOrThrow(statuses, job)));
  const idRule = (id: string) => provider.idProblem(id);
  // The provider brings its engine (HTTP requests, or a relay's stream), so a page bundles only the one it uses.
  const engine = provider.engine<J>({ provider, options: resolved, rank, rankOf: (status) => statuses.priority(status as S) });
  const context: WatchContext<J, S> = {
    statuses,
    open: (id, sink) => engine.open(id, sink),
    canWait: engine.canWait,
    polling: resolved.polling,
    learner: engine.learner,
    scheduler,
  };
  let groups = 0;
  /** The batch group of jobs watched or waited for together, as the policy allows. */
  const groupFor = (together: boolean): string | undefined =>
    resolved.batching === 'always' ? '' : resolved.batching === 'together' && together ? `g${++groups}` : undefined;

  const describeLast = (last: ReadonlyMap<string, J>) => (id: string) => {
    const job = last.get(id);
    return job === undefined ? `"${id}" (no answer yet)` : `"${id}" (last status: ${statuses.statusOf(job) ?? statusNameOf(statuses, job)})`;
  };
  /** Jobs held by an error are redacted: errors get logged, and a server may echo the key anywhere in a job. */
  const redactJob = (job: J) => redactDeep(job, provider.redact) as J;

  const { store } = resolved;
  const storeKey = (id: string) => ({ api: provider.name, id });
  // The store keeps what it can: a store that is down must not stop a watch the API still serves. health$ says so.
  const storeDown = new BehaviorSubject(false);
  /** A store operation a watch does not wait on to go on: `fallback` if it fails; either way health$ learns whether the store answers. */
  const kept = <T>(operation: Promise<T>, fallback: T): Promise<T> =>
    operation.then(
      (value) => (storeDown.next(false), value),
      () => (storeDown.next(true), fallback),
    );
  /**
   * One job's watch; with a store, it continues from the status stored (a
   * job that ended is told once, as it ended) and stores each transition.
   */
  const watchOne = (id: string, watch: JobWatch<S>): Observable<J> => {
    if (!store) return watchJob(context, id, watch);
    const key = storeKey(id);
    // A status the model does not know is reported, not stored: a resume continues from the last known one.
    const record = (job: J) => {
      if (!hasUnknownStatus(statuses, job)) void kept(store.record(key, { rank: rank(job), job: redactJob(job) }, statuses.isTerminal(statusOrThrow(statuses, job))), undefined);
    };
    return from(watch.mode === 'each' ? kept(store.history(key), []) : Promise.resolve([])).pipe(
      switchMap((history) => {
        const top = history.at(-1)?.job as J | undefined;
        const stored = top === undefined ? undefined : statuses.statusOf(top);
        const rises = stored !== undefined && (watch.since === undefined || statuses.priority(stored) > statuses.priority(watch.since));
        if (rises && (statuses.isTerminal(stored) || (watch.target !== undefined && statuses.priority(stored) >= statuses.priority(watch.target)))) return of(top!);
        void kept(store.follow(key), undefined);
        const since = rises ? stored : watch.since;
        return watchJob(context, id, { ...watch, since }).pipe(tap(record));
      }),
    );
  };

  const watchAll = (
    ids: readonly string[],
    watch: JobWatch<S>,
    signal: AbortSignal | undefined,
    timeout: number | undefined,
    what: string,
    failFast = false,
  ): Observable<J> => {
    const jobs =
      timeout === undefined && ids.length === 1
        ? watchOne(ids[0]!, watch)
        : defer(() => {
            const last = new Map<string, J>();
            const pending = new Set(ids);
            // Learned polling plans no poll past the deadline.
            const bounded = timeout === undefined ? watch : { ...watch, deadline: scheduler.now() + timeout };
            const each = ids.map((id) =>
              watchOne(id, bounded).pipe(tap({ next: (job) => last.set(id, job), complete: () => pending.delete(id) })),
            );
            return (failFast ? merge(...each) : mergeDelayingErrors(each)).pipe(
              deadline(timeout, scheduler, () => {
                const seen = new Map([...last].map(([id, job]) => [id, redactJob(job)]));
                return new WatchTimeoutError({ timeout: timeout ?? 0, pending: [...pending], lastSeen: seen, describe: describeLast(last) });
              }),
            );
          });
    return jobs.pipe(abortWith(signal, (reason) => new AbortError(what, reason)));
  };

  const failed = (id: string, job: J, target: S): JobFailedError<J> | undefined => {
    const reached = statuses.statusOf(job);
    if (reached === undefined || !statuses.isFailure(reached)) return undefined;
    const reason = provider.failureReason(job);
    return new JobFailedError({ id, status: reached, target, job: redactJob(job), reason: reason === undefined ? undefined : provider.redact(reason) });
  };

  const create = (input: CreateInputOf<P>, signal: AbortSignal | undefined): Observable<string[]> =>
    defer(() => {
      // Made once, before anything is sent: a ConfigError for input the API cannot take.
      const request = provider.createRequest(input);
      return new Observable<string[]>((subscriber) => {
        const run = engine.create(request, {
          answer: (ids) => {
            subscriber.next(ids);
            subscriber.complete();
          },
          fail: (error) => subscriber.error(error),
        });
        return () => run.cancel();
      });
    }).pipe(abortWith(signal, (reason) => new AbortError(`create at ${provider.title}`, reason)));

  const client: Client<P> = {
    provider,
    statuses: provider.statuses,
    health$: store
      ? combineLatest([engine.health$, storeDown.pipe(distinctUntilChanged())]).pipe(map(([health, down]): ClientHealth => (down ? { ...health, store: 'unreachable' } : health)))
      : engine.health$,
    retries$: engine.retries$,
    statusOf: (job) => (hasUnknownStatus(statuses, job) ? statusNameOf(statuses, job)! : (statusOrThrow(statuses, job) as StatusOf<P>)),
    watch(id, options) {
      checkId('id', id, idRule);
      const { until, since, signal, timeout } = checkWatchOptions(options, statuses, true);
      return watchAll([id], { target: until as S, since: since as S, mode: 'each', group: groupFor(false) }, signal, timeout, `watch of "${id}"`);
    },
    watchMany(ids, options) {
      const checked = checkIds('ids', ids, idRule);
      const { until, since, signal, timeout } = checkWatchOptions(options, statuses, true);
      const watch: JobWatch<S> = { target: until as S, since: since as S, mode: 'each', group: groupFor(checked.length > 1) };
      return watchAll(checked, watch, signal, timeout, `watch of ${checked.length} jobs`);
    },
    async waitFor(id, status, options) {
      checkId('id', id, idRule);
      const target = checkWaitableStatus('status', status, statuses) as S;
      const { signal, timeout } = checkWatchOptions(options, statuses, false);
      const watch: JobWatch<S> = { target, mode: 'target', group: groupFor(false) };
      const job = await lastValueFrom(watchAll([id], watch, signal, timeout, `wait for "${id}"`));
      const failure = failed(id, job, target);
      if (failure) throw failure;
      return job;
    },
    async waitForAll(ids, status, options) {
      const checked = checkIds('ids', ids, idRule);
      const target = checkWaitableStatus('status', status, statuses) as S;
      const { signal, timeout } = checkWatchOptions(options, statuses, false);
      const watch: JobWatch<S> = { target, mode: 'target', group: groupFor(checked.length > 1) };
      const reached = new Map<string, J>();
      const all = watchAll(checked, watch, signal, timeout, `wait for ${checked.length} jobs`, true).pipe(
        tap((job) => {
          const id = provider.idOf(job)!;
          const failure = failed(id, job, target);
          if (failure) throw failure;
          reached.set(id, job);
        }),
      );
      await lastValueFrom(all, { defaultValue: undefined });
      return checked.map((id) => reached.get(id)!);
    },
    create(input, options) {
      const { signal } = checkWatchOptions(options, statuses, false);
      return lastValueFrom(create(input, signal));
    },
    generate(input, options) {
      const checked = checkWatchOptions(options, statuses, true);
      // Right after a create every job is at the first status: no need to read it.
      const since = checked.since ?? statuses.statuses[0]!;
      if (checked.until !== undefined && statuses.priority(checked.until) <= statuses.priority(since)) {
        throw new ConfigError('options.until', `"${String(checked.until)}" is not above the status a new job starts at ("${since}")`);
      }
      return create(input, checked.signal).pipe(
        // With a store, the new jobs are noted as followed before they are watched: a crash right after the create loses none.
        switchMap((ids) => (store ? from(Promise.all(ids.map((id) => kept(store.follow(storeKey(id)), undefined)))).pipe(switchMap(() => of(ids))) : of(ids))),
        switchMap((ids) =>
          watchAll(
            ids,
            { target: checked.until as S, since: since as S, mode: 'each', group: groupFor(ids.length > 1) },
            checked.signal,
            checked.timeout,
            `generation of ${ids.length} job${ids.length === 1 ? '' : 's'}`,
          ),
        ),
      );
    },
    async unfinished() {
      if (!store) throw new ConfigError('unfinished', 'needs the store option: createClient(provider, { store })');
      return (await store.unfinished(provider.name)).map((key) => key.id);
    },
    ingest(job) {
      const id = provider.idOf(job);
      if (id === undefined) throw new DecodeError('ingest', ['/: expected a job with an id']);
      checkId('ingest.id', id, idRule);
      const [result] = provider.decode(job, [id], 'ingest', rank);
      if (result!.error) throw result!.error;
      engine.news(id, result!.job!);
      return result!.job!;
    },
  };
  return client;
}
