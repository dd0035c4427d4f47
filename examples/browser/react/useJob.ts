// A React hook over client.watch: the recipe of docs/browser.md. React is a
// dev dependency of this example only; clipstream does not depend on it.
import { useEffect, useState } from 'react';
import type { AnyProvider, Client, JobOf } from 'clipstream';

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
  /** No more changes will come. */
  readonly done: boolean;
}

const initial: JobState<never> = { job: undefined, status: undefined, history: [], error: undefined, done: false };

/**
 * Watches job `id` while the component is mounted (and `id` is set): one
 * subscription per id, unsubscribed when the component unmounts or the id
 * changes, so no request outlives it. Pass a client made once, outside the
 * component (a new client per render would restart the watch).
 *
 * ```tsx
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
  const [state, setState] = useState<JobState<JobOf<P>>>(initial);
  useEffect(() => {
    setState(initial);
    if (id === undefined) return undefined;
    const subscription = client.watch(id).subscribe({
      next: (job) => {
        const status = client.statusOf(job);
        setState((last) => ({ job, status, history: [...last.history, status], error: undefined, done: false }));
      },
      error: (error: Error) => setState((last) => ({ ...last, error, done: true })),
      complete: () => setState((last) => ({ ...last, done: true })),
    });
    return () => subscription.unsubscribe();
  }, [client, id]);
  return state;
}
