/**
 * React hooks over `client.watch` (`clipstream/react`). React is an optional
 * peer dependency: only this entry imports it.
 *
 * Server rendering is safe: importing this module touches no `window`, and a
 * watch starts in an effect, which server rendering never runs.
 * @packageDocumentation
 */
import { useEffect, useMemo, useState } from 'react';
import { Subscription } from 'rxjs';
import type { Client } from '../client/Client.js';
import type { AnyProvider, JobOf } from '../providers/Provider.js';

/** What a component shows of one job. */
export interface JobState<J> {
  /** The job as last received; undefined until the first answer. */
  readonly job: J | undefined;
  /** Its canonical status (`client.statusOf(job)`). */
  readonly status: string | undefined;
  /** Every status seen, in order: React may render fewer times than the job changes. */
  readonly history: readonly string[];
  /** Why it could not be watched (transport, decoding): a failed job is a status, not an error. */
  readonly error: Error | undefined;
  /** No more changes will come (a terminal status, or an error). */
  readonly done: boolean;
}

const idle: JobState<never> = Object.freeze({ job: undefined, status: undefined, history: Object.freeze([]), error: undefined, done: false });

const asError = (error: unknown) => (error instanceof Error ? error : new Error(String(error)));

function follow<P extends AnyProvider>(client: Client<P>, id: string, update: (change: (last: JobState<JobOf<P>>) => JobState<JobOf<P>>) => void): Subscription {
  let watch: ReturnType<Client<P>['watch']>;
  try {
    watch = client.watch(id);
  } catch (error) {
    // A bad id is a ConfigError thrown at once: the component shows it like any other.
    update((last) => ({ ...last, error: asError(error), done: true }));
    return Subscription.EMPTY;
  }
  return watch.subscribe({
    next: (job) => {
      const status = client.statusOf(job);
      update((last) => ({ job, status, history: [...last.history, status], error: undefined, done: false }));
    },
    error: (error: unknown) => update((last) => ({ ...last, error: asError(error), done: true })),
    complete: () => update((last) => ({ ...last, done: true })),
  });
}

/**
 * Watches job `id` while the component is mounted (and `id` is set). The
 * watch ends when the component unmounts or `id` changes, so no request
 * outlives it; a new id starts from an empty history. Make the client once,
 * outside components: a new client per render restarts the watch.
 *
 * @example
 * ```tsx
 * import { createClient, relay } from 'clipstream';
 * import { useJob } from 'clipstream/react';
 *
 * const client = createClient(relay({ baseUrl: '/api/clipstream', api: 'aiml-suno' }));
 *
 * function Clip({ id }: { id: string }) {
 *   const { job, status, error } = useJob(client, id);
 *   if (error) return <p>cannot follow {id}: {error.message}</p>;
 *   return <p>{status ?? '…'} {job?.audio_url && <audio src={job.audio_url} controls />}</p>;
 * }
 * ```
 */
export function useJob<P extends AnyProvider>(client: Client<P>, id: string | undefined): JobState<JobOf<P>> {
  // The state remembers whose it is, so a render after an id change never shows the old job.
  const [state, setState] = useState<{ readonly id: string | undefined; readonly job: JobState<JobOf<P>> }>({ id, job: idle });
  useEffect(() => {
    setState({ id, job: idle });
    if (id === undefined) return undefined;
    const subscription = follow(client, id, (change) => setState((last) => (last.id === id ? { id, job: change(last.job) } : last)));
    return () => subscription.unsubscribe();
  }, [client, id]);
  return state.id === id ? state.job : idle;
}

/**
 * Watches several jobs, each as {@link useJob} does: one entry per id, in the
 * order given. Ids added start their watch, ids removed end theirs, ids kept
 * keep theirs (and their history). Watches of one client share its requests,
 * so `useJobs(client, ids)` costs what `client.watchMany(ids)` does; one job's
 * error is in its own entry and does not stop the others.
 *
 * @example
 * ```tsx
 * import { createClient, relay } from 'clipstream';
 * import { useJobs } from 'clipstream/react';
 *
 * const client = createClient(relay({ baseUrl: '/api/clipstream', api: 'aiml-suno' }));
 *
 * function Clips({ ids }: { ids: readonly string[] }) {
 *   const jobs = useJobs(client, ids);
 *   return <ul>{jobs.map(({ id, status }) => <li key={id}>{id}: {status ?? '…'}</li>)}</ul>;
 * }
 * ```
 */
export function useJobs<P extends AnyProvider>(client: Client<P>, ids: readonly string[]): ReadonlyArray<JobState<JobOf<P>> & { readonly id: string }> {
  // Keyed by content, so a new array with the same ids does not restart anything.
  const key = JSON.stringify(ids);
  const wanted = useMemo(() => [...new Set(ids)], [key]); // eslint-disable-line react-hooks/exhaustive-deps
  const [states, setStates] = useState<ReadonlyMap<string, JobState<JobOf<P>>>>(() => new Map());
  const [watches] = useState(() => ({
    client: undefined as Client<P> | undefined,
    byId: new Map<string, Subscription>(),
    /** Ends every watch: on unmount, and when the client changes. */
    endAll(): void {
      for (const subscription of this.byId.values()) subscription.unsubscribe();
      this.byId.clear();
      this.client = undefined;
    },
  }));

  useEffect(() => {
    if (watches.client !== client) {
      watches.endAll();
      watches.client = client;
      setStates(new Map());
    }
    const keep = new Set(wanted);
    for (const [id, subscription] of watches.byId) {
      if (keep.has(id)) continue;
      subscription.unsubscribe();
      watches.byId.delete(id);
    }
    setStates((last) => new Map([...last].filter(([id]) => keep.has(id))));
    for (const id of wanted) {
      if (watches.byId.has(id)) continue;
      watches.byId.set(
        id,
        follow(client, id, (change) =>
          setStates((last) => (watches.byId.has(id) ? new Map(last).set(id, change(last.get(id) ?? idle)) : last)),
        ),
      );
    }
  }, [client, wanted, watches]);

  // Every watch ends with the component (strict mode's unmount and remount included).
  useEffect(() => () => watches.endAll(), [watches]);

  return useMemo(() => wanted.map((id) => ({ id, ...(states.get(id) ?? idle) })), [wanted, states]);
}
