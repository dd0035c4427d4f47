// Over 250 lines: the membership of one relay stream (which jobs, which
// statuses seen) and its reconnects change together; the stream itself is
// EventStream.ts.
import type { SchedulerLike, Subscription } from 'rxjs';
import { reviveError } from '../../errors/revive.js';
import { nextTurn } from '../../internal/nextTurn.js';
import type { Sink } from '../../internal/Sink.js';
import type { StreamingFetch } from '../../transport/FetchLike.js';
import { EventStream, jsonOf, refusedBy, type ReconnectPolicy, type StreamListener } from './EventStream.js';
import type { ErrorEvent, JobEvent, StreamChange } from './protocol.js';

/** What a relay connection needs: the client's clock, a streaming fetch, and how to read the jobs of events. */
export interface RelayContext<J> {
  readonly scheduler: SchedulerLike;
  /** The position of a job's status in the provider's order. */
  rank(job: J): number;
  /** The position of a status name. */
  rankOf(status: string): number;
  /** The client's `fetch` option, or the platform's. */
  readonly fetch: StreamingFetch;
  /** The job in an event, decoded, or an error saying why it is not one. */
  decode(id: string, job: unknown): { job: J } | { error: Error };
  readonly reconnect: ReconnectPolicy;
}

/** One watch of one job through the relay, reused for each of its questions. */
class RelayHandle<J> {
  asking = false;
  wantedRank = -1;
  closed = false;

  constructor(
    private readonly owner: RelayConnection<J>,
    readonly id: string,
    readonly sink: Sink<J>,
  ) {}

  ask(wanted: string | undefined): void {
    this.asking = true;
    this.wantedRank = wanted === undefined ? -1 : this.owner.rankOf(wanted);
    this.owner.check(this);
  }

  cancel(): void {
    this.asking = false;
  }

  close(): void {
    this.asking = false;
    if (!this.closed) this.owner.close(this);
  }
}

/**
 * A browser client's one stream to the relay, carrying every job it
 * watches. Jobs are added and removed as watches start and end (one POST per
 * turn for all of them); a dropped stream is resumed with `Last-Event-ID`,
 * and what the relay replays is given to the watches, which drop what they
 * have seen already. Nothing is asked of the relay beyond that: the relay
 * pushes each transition as its upstream watch sees it.
 */
export class RelayConnection<J> implements StreamListener {
  private readonly handles = new Map<string, Set<RelayHandle<J>>>();
  private readonly latest = new Map<string, J>();
  private readonly failed = new Map<string, Error>();
  /** Ids the relay is told of (or will be, at the next flush). */
  private readonly following = new Set<string>();
  private readonly toAdd = new Set<string>();
  private readonly toRemove = new Set<string>();
  /** Ids whose upstream watch ended in an error: a new watch asks the relay to try again. */
  private readonly retry = new Set<string>();
  /** POSTs in flight, aborted when the stream goes. */
  private readonly posts = new Set<AbortController>();
  /** The one stream every watch of the client shares. */
  private readonly stream: EventStream;
  private flushAction: Subscription | undefined;
  private idleAction: Subscription | undefined;

  constructor(
    private readonly baseUrl: string,
    private readonly api: string,
    private readonly context: RelayContext<J>,
  ) {
    this.stream = new EventStream(`${baseUrl}/events`, context, this);
  }

  rankOf(status: string): number {
    return this.context.rankOf(status);
  }

  /** Opens a watch of job `id`: the relay is told at the next turn. */
  open(id: string, sink: Sink<J>): RelayHandle<J> {
    const handle = new RelayHandle(this, id, sink);
    let set = this.handles.get(id);
    if (set === undefined) {
      this.handles.set(id, (set = new Set()));
      this.toRemove.delete(id);
      if (!this.following.has(id) || this.retry.has(id)) this.toAdd.add(id);
      this.retry.delete(id);
      this.scheduleFlush();
    }
    set.add(handle);
    this.idleAction?.unsubscribe();
    this.idleAction = undefined;
    if (!this.stream.live) this.stream.connect();
    return handle;
  }

  /** @internal answers an open question from what is known of the job already. */
  check(handle: RelayHandle<J>): void {
    const error = this.failed.get(handle.id);
    if (error) return this.settle(handle, undefined, error);
    const job = this.latest.get(handle.id);
    if (job !== undefined && (handle.wantedRank < 0 || this.context.rank(job) >= handle.wantedRank)) this.settle(handle, job, undefined);
  }

  /** @internal a watch ended: when a job has no watch left, the relay is told to drop it. */
  close(handle: RelayHandle<J>): void {
    handle.closed = true;
    const set = this.handles.get(handle.id);
    if (!set?.delete(handle) || set.size > 0) return;
    this.handles.delete(handle.id);
    this.latest.delete(handle.id);
    this.failed.delete(handle.id);
    this.toAdd.delete(handle.id);
    if (this.following.has(handle.id)) this.toRemove.add(handle.id);
    else this.retry.delete(handle.id);
    this.scheduleFlush();
    if (this.handles.size === 0) {
      // No watch left: close the stream a moment later, unless one starts meanwhile.
      this.idleAction ??= this.context.scheduler.schedule(() => {
        this.idleAction = undefined;
        if (this.handles.size === 0) this.disconnect();
      }, this.context.reconnect.linger);
    }
  }

  private settle(handle: RelayHandle<J>, job: J | undefined, error: Error | undefined): void {
    handle.asking = false;
    if (error) handle.sink.fail(error);
    else handle.sink.answer(job as J);
  }

  private scheduleFlush(): void {
    if (this.flushAction !== undefined || this.stream.id === undefined) return;
    this.flushAction = nextTurn(this.context.scheduler, () => {
      this.flushAction = undefined;
      this.flush();
    });
  }

  /** Tells the relay which ids were added and removed since the last flush, in one request. */
  private flush(): void {
    const stream = this.stream.id;
    if (stream === undefined || (this.toAdd.size === 0 && this.toRemove.size === 0)) return;
    const add = [...this.toAdd];
    const remove = [...this.toRemove];
    this.toAdd.clear();
    this.toRemove.clear();
    for (const id of add) this.following.add(id);
    for (const id of remove) {
      this.following.delete(id);
      this.retry.delete(id);
    }
    this.post(stream, add, remove);
  }

  private post(stream: string, add: readonly string[], remove: readonly string[]): void {
    const change: StreamChange = { add: add.map((id) => ({ api: this.api, id })), remove: remove.map((id) => ({ api: this.api, id })) };
    const url = `${this.baseUrl}/streams/${encodeURIComponent(stream)}`;
    const info = { method: 'POST', url, attempt: 1 };
    const requeue = () => {
      for (const id of add) {
        this.following.delete(id);
        if (this.handles.has(id)) this.toAdd.add(id);
      }
      this.stream.reconnectNow();
    };
    // Aborted with the stream: a POST outlives neither the connection nor the client.
    const posting = new AbortController();
    this.posts.add(posting);
    this.context
      .fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(change), signal: posting.signal })
      .finally(() => this.posts.delete(posting))
      .then(async (response) => {
        if (response.status === 204) return;
        const text = await response.text();
        if (response.status === 404) {
          // The stream expired: a new one is opened, and told every id. A 404 for a stream already replaced says nothing new.
          if (stream === this.stream.id) this.stream.reconnectNow(true);
          return;
        }
        if (response.status === 502 || response.status === 503 || response.status === 504) {
          // A balancer between instances (502, 504), or a relay whose store is down (503): the ids are told
          // again over the next connection, which backs off while the relay cannot serve. A 429 is a limit: it fails.
          requeue();
          return;
        }
        if (add.length > 1) {
          // One id the relay refuses (not allowed, a bad id) must not fail the others: each is asked for alone.
          add.forEach((id, index) => this.post(stream, [id], index === 0 ? remove : []));
          return;
        }
        const error = refusedBy(info, response.status, jsonOf(text));
        for (const id of add) {
          this.following.delete(id);
          this.fail(id, error);
        }
      })
      // The POST did not arrive: ask again with the next connection (not when it was aborted with its stream).
      .catch(() => {
        if (!posting.signal.aborted) requeue();
      });
  }

  /** Every watch of `id` fails with `error`; the relay still holds the id (or was never told of it, for a refusal). */
  private fail(id: string, error: Error): void {
    if (!this.handles.has(id)) return;
    this.failed.set(id, error);
    this.retry.add(id);
    for (const handle of [...(this.handles.get(id) ?? [])]) if (handle.asking) this.settle(handle, undefined, error);
  }

  /** {@link StreamListener}: a watch wants the stream. */
  wanted(): boolean {
    return this.handles.size > 0;
  }

  /** {@link StreamListener}: every watch fails (the stream is refused, or the relay cannot be reached). */
  failAll(error: Error): void {
    for (const id of [...this.handles.keys()]) this.fail(id, error);
  }

  /** {@link StreamListener}: a new stream knows nothing, so every id is added again; a resumed one, only what is pending. */
  hello(fresh: boolean): void {
    if (fresh) {
      this.following.clear();
      for (const known of this.handles.keys()) this.toAdd.add(known);
    }
    this.scheduleFlush();
  }

  /** {@link StreamListener}: a job's transition, or the error its upstream watch ended in. */
  event(name: string, payload: unknown): void {
    if (name === 'job') {
      const { id: jobId, job } = payload as JobEvent;
      if (!this.handles.has(jobId)) return;
      const decoded = this.context.decode(jobId, job);
      if ('error' in decoded) return this.fail(jobId, decoded.error);
      const rank = this.context.rank(decoded.job);
      if (rank < 0) {
        // A status the model does not know (ranked -1): told to each watch asking, which reports it once; not kept as the latest.
        for (const handle of [...(this.handles.get(jobId) ?? [])]) if (handle.asking) this.settle(handle, decoded.job, undefined);
        return;
      }
      const known = this.latest.get(jobId);
      if (known === undefined || rank >= this.context.rank(known)) this.latest.set(jobId, decoded.job);
      for (const handle of [...(this.handles.get(jobId) ?? [])]) if (handle.asking) this.check(handle);
      return;
    }
    if (name === 'error') {
      const { id: jobId, error } = payload as ErrorEvent;
      this.fail(jobId, reviveError(error, `${this.baseUrl} (${this.api} ${jobId})`));
    }
  }

  private disconnect(): void {
    for (const posting of this.posts) posting.abort();
    this.posts.clear();
    this.stream.close();
    this.following.clear();
  }
}
