import { Observable, Subject, type SchedulerLike, type Subscriber, Subscription } from 'rxjs';
import type { JobResult } from '../codecs/decodeJobs.js';
import { isClipstreamError } from '../errors/isClipstreamError.js';

interface Waiting<J> {
  readonly id: string;
  readonly key: string;
  readonly subscriber: Subscriber<J>;
}

interface Batch {
  /** Subscribers still waiting on it; at zero the request is aborted. */
  waiting: number;
  connection?: Subscription;
}

/**
 * Coalesces single-id fetches into multi-id requests.
 *
 * `fetch(id, wanted)` is one fetch of one job. Fetches made within `window`
 * ms of the first one still waiting that wait for the same status share requests of
 * at most `maxSize` ids (the same id asked twice is sent once). Each caller
 * gets its own job, or its own error. A request is aborted as soon as no
 * caller waits on it any more, so unsubscribing never leaves a request
 * running for nobody.
 */
export class Batcher<J, S extends string> {
  private queue: Waiting<J>[] = [];
  private flushing: Subscription | undefined;

  constructor(
    private readonly request: (ids: readonly string[], wanted: S | undefined) => Observable<JobResult<J>>,
    private readonly maxSize: number,
    private readonly window: number,
    private readonly scheduler: SchedulerLike,
  ) {}

  fetch(id: string, wanted: S | undefined): Observable<J> {
    return new Observable<J>((subscriber) => {
      const waiting: Waiting<J> = { id, key: wanted ?? '', subscriber };
      this.queue.push(waiting);
      if (this.flushing === undefined) {
        // Set before scheduling: a scheduler that runs the flush at once (queueScheduler)
        // clears it inside schedule(), and must not find a stale action here afterwards.
        const flushing = new Subscription();
        this.flushing = flushing;
        flushing.add(this.scheduler.schedule(() => this.flush(), this.window));
      }
      return () => {
        const index = this.queue.indexOf(waiting);
        if (index >= 0) this.queue.splice(index, 1);
        if (this.queue.length === 0) {
          this.flushing?.unsubscribe();
          this.flushing = undefined;
        }
      };
    });
  }

  private flush(): void {
    const queue = this.queue;
    this.queue = [];
    this.flushing = undefined;
    const byKey = new Map<string, Waiting<J>[]>();
    for (const waiting of queue) {
      const group = byKey.get(waiting.key);
      if (group) group.push(waiting);
      else byKey.set(waiting.key, [waiting]);
    }
    for (const [key, group] of byKey) {
      const ids = [...new Set(group.map((waiting) => waiting.id))];
      for (let start = 0; start < ids.length; start += this.maxSize) {
        const chunk = ids.slice(start, start + this.maxSize);
        const members = new Set(chunk);
        this.send(chunk, (key || undefined) as S | undefined, group.filter((waiting) => members.has(waiting.id)));
      }
    }
  }

  private send(ids: readonly string[], wanted: S | undefined, callers: readonly Waiting<J>[]): void {
    const results = new Subject<JobResult<J>>();
    const batch: Batch = { waiting: callers.length };
    for (const { id, subscriber } of callers) {
      let answered = false;
      const listening = results.subscribe({
        next: (result) => {
          if (result.id !== id || answered) return;
          answered = true;
          if (result.error) subscriber.error(result.error);
          else {
            subscriber.next(result.job);
            subscriber.complete();
          }
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          if (!answered) subscriber.error(new Error(`clipstream: no result for "${id}" (internal error)`));
        },
      });
      subscriber.add(() => {
        listening.unsubscribe();
        batch.waiting -= 1;
        if (batch.waiting === 0) batch.connection?.unsubscribe();
      });
    }
    if (batch.waiting === 0) return;
    // Everyone listens before the request starts, so even a synchronous answer reaches all.
    batch.connection = this.request(ids, wanted).subscribe({
      next: (result) => results.next(result),
      complete: () => results.complete(),
      error: (error: unknown) => {
        if (ids.length > 1 && isClipstreamError(error, 'HttpError') && error.status === 404) {
          for (const id of ids) {
            const still = callers.filter((caller) => caller.id === id && !caller.subscriber.closed);
            if (still.length > 0) this.send([id], wanted, still);
          }
        } else results.error(error);
      },
    });
  }
}
