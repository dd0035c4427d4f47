// Over 250 lines on purpose: a job's followers, its lease and its upstream
// watch change together in one step (follow, unfollow, a signal, a beat);
// split apart, each step would cross between two objects' private state.
import type { SchedulerLike, Subscription } from 'rxjs';
import type { Client } from '../client/Client.js';
import { isClipstreamError } from '../errors/isClipstreamError.js';
import { redactDeep } from '../internal/redact.js';
import type { AnyProvider } from '../providers/Provider.js';
import type { RelayError, RelayTarget } from '../engine/relay/protocol.js';
import { jobKey as keyOf, type JobStore, type StoreNews } from '../store/JobStore.js';
import { randomHex } from '../internal/randomHex.js';
import { hasUnknownStatus, lastKnownIndex, rankAfter } from '../status/unknownStatus.js';
import { sseMessage, type Connection } from './eventStreamResponse.js';

/** The settings a hub runs with (createRelay's options, checked). */
export interface HubSettings {
  readonly store: JobStore;
  readonly clients: Readonly<Record<string, Client<AnyProvider>>>;
  readonly scheduler: SchedulerLike;
  /** How long an upstream watch outlives the last local viewer. */
  readonly grace: number;
  /** How long a lease lives unless renewed; renewed (and taken over) every third of it. */
  readonly leaseTtl: number;
  readonly unknownIdMemory: number;
  readonly maxUpstreams: number;
  /** What a browser may read of an upstream error. */
  relayError(error: unknown, client: Client<AnyProvider>): RelayError;
}

/** A stream whose connection is on this instance. */
interface LocalStream {
  readonly sid: string;
  readonly address: string | undefined;
  connection: Connection;
  /** The highest rank sent on the connection, per job: nothing is sent twice, nothing lower. */
  readonly sent: Map<string, number>;
}

/** A job followed by streams of this instance. */
interface Followed {
  readonly key: string;
  readonly target: RelayTarget;
  readonly streams: Set<LocalStream>;
  /** The upstream watch, while this instance holds the job's lease. */
  upstream: Subscription | undefined;
  acquiring: boolean;
  grace: Subscription | undefined;
  /** Its upstream watch ended in an error: the event, sent to whoever follows it until they ask again. */
  failed: string | undefined;
}

/** A signal between instances: a stream's targets changed, or a job's upstream watch failed. */
type HubSignal =
  | { readonly type: 'change'; readonly sid: string; readonly add: readonly RelayTarget[]; readonly remove: readonly RelayTarget[] }
  | { readonly type: 'error'; readonly api: string; readonly id: string; readonly error: RelayError; readonly unknown: boolean };

/**
 * The relay's streams and upstream watches, on a store, so that any instance
 * can serve any request of a browser. A stream's targets live in the store;
 * its connection on one instance. Each job is watched upstream by the one
 * instance that holds its lease, which writes each status to the store; every
 * instance hears it and sends it to its own streams, each job's statuses only
 * rising. A resumed stream is sent each job's whole stored history (a handful
 * of statuses), and the browser drops what it has: nothing is skipped or
 * repeated, on whichever instance it lands.
 */
export class RelayHub {
  private readonly streams = new Map<string, LocalStream>();
  private readonly followed = new Map<string, Followed>();
  private readonly unknownIds = new Map<string, { readonly until: number; readonly event: string }>();
  /** Statuses the store could not take yet, by job: written again at the next beat (they only rise, so a late write is safe). */
  private readonly unwritten = new Map<string, { readonly target: RelayTarget; readonly news: StoreNews; readonly terminal: boolean }>();
  private readonly owner = randomHex(16);
  private ready: Promise<void> | undefined;
  private stops: Array<() => Promise<void>> = [];
  private beat: Subscription | undefined;
  private closed = false;

  constructor(private readonly settings: HubSettings) {}

  /** Subscribes to the store once, at the first request. */
  start(): Promise<void> {
    const hub = this;
    this.ready ??= (async () => {
      const { store } = this.settings;
      this.stops = await Promise.all([
        store.subscribe(
          (news) => this.heard(news),
          () => this.resync(),
        ),
        store.onSignal((signal) => this.signalled(signal as HubSignal)),
      ]);
      if (this.closed) {
        for (const stop of this.stops) void stop();
        return;
      }
      const period = Math.max(1, Math.floor(this.settings.leaseTtl / 3));
      this.beat = this.settings.scheduler.schedule(function renew(this: { schedule(state?: unknown, delay?: number): void }) {
        hub.renew();
        this.schedule(undefined, period);
      }, period);
    })();
    return this.ready;
  }

  /** Upstream watches this instance follows now, those in their grace period included. */
  get upstreamCount(): number {
    return this.followed.size;
  }

  /** Whether a job is followed here already (adding it starts nothing new). */
  follows(target: RelayTarget): boolean {
    return this.followed.has(keyOf(target));
  }

  /** Whether the API said 404 for the job a moment ago (it is then not asked again). */
  remembersUnknown(target: RelayTarget): boolean {
    const key = keyOf(target);
    const unknown = this.unknownIds.get(key);
    if (unknown && unknown.until <= this.settings.scheduler.now()) this.unknownIds.delete(key);
    return unknown !== undefined && unknown.until > this.settings.scheduler.now();
  }

  /**
   * Attaches a connection to stream `sid` on this instance: a new stream, or
   * one resumed from the store (then every job's stored history is sent).
   */
  async attach(sid: string, address: string | undefined, connection: Connection, targets: readonly RelayTarget[], resumed: boolean): Promise<void> {
    // The browser took its old connection for dead (it may not be yet): the new one replaces it.
    const old = this.streams.get(sid);
    if (old) {
      old.connection.close();
      this.detach(sid, old.connection);
    }
    const stream: LocalStream = { sid, address, connection, sent: new Map() };
    this.streams.set(sid, stream);
    await Promise.all(targets.map((target) => this.follow(stream, target, resumed ? 'history' : 'latest')));
  }

  /** A connection ended: its stream stops following here (it stays in the store for a resume anywhere). */
  detach(sid: string, connection: Connection): void {
    const stream = this.streams.get(sid);
    if (!stream || stream.connection !== connection) return;
    this.streams.delete(sid);
    for (const followed of [...this.followed.values()]) if (followed.streams.has(stream)) this.unfollow(followed, stream);
  }

  /** The stream's targets changed (in the store, by whichever instance took the request): every instance is told. */
  async changed(sid: string, add: readonly RelayTarget[], remove: readonly RelayTarget[]): Promise<void> {
    const signal: HubSignal = { type: 'change', sid, add, remove };
    await this.settings.store.signal(signal);
  }

  /** Ends every stream and upstream watch here, and gives the leases up. */
  async close(): Promise<void> {
    this.closed = true;
    this.beat?.unsubscribe();
    for (const stream of [...this.streams.values()]) {
      stream.connection.close();
      this.detach(stream.sid, stream.connection);
    }
    for (const followed of this.followed.values()) {
      followed.grace?.unsubscribe();
      this.stopUpstream(followed);
    }
    this.followed.clear();
    for (const stop of this.stops) await stop().catch(() => undefined);
  }

  private signalled(signal: HubSignal): void {
    if (signal?.type === 'change') {
      const stream = this.streams.get(signal.sid);
      if (!stream) return;
      for (const target of signal.remove) {
        const followed = this.followed.get(keyOf(target));
        if (followed) this.unfollow(followed, stream);
      }
      for (const target of signal.add) void this.follow(stream, target, 'latest', true);
      return;
    }
    if (signal?.type === 'error') {
      const key = keyOf(signal);
      const event = sseMessage('error', { api: signal.api, id: signal.id, error: signal.error });
      if (signal.unknown) {
        // Oldest first out: the memory is bounded however many ids strangers try.
        if (this.unknownIds.size >= 10_000) this.unknownIds.delete(this.unknownIds.keys().next().value!);
        this.unknownIds.set(key, { until: this.settings.scheduler.now() + this.settings.unknownIdMemory, event });
      }
      const followed = this.followed.get(key);
      // The instance that saw the error told its streams at once; the store's echo of it is not news.
      if (!followed || followed.failed === event) return;
      followed.failed = event;
      this.stopUpstream(followed);
      for (const stream of followed.streams) stream.connection.write(event);
    }
  }

  /** A status written by any instance: to every local stream that follows the job and has not had it. */
  private heard(news: StoreNews): void {
    const followed = this.followed.get(keyOf(news));
    if (!followed) return;
    for (const stream of followed.streams) this.send(stream, followed.target, news.rank, news.job);
  }

  private send(stream: LocalStream, target: RelayTarget, rank: number, job: unknown): void {
    const key = keyOf(target);
    if ((stream.sent.get(key) ?? -1) >= rank) return;
    stream.sent.set(key, rank);
    stream.connection.write(sseMessage('job', { api: target.api, id: target.id, job }));
  }

  /**
   * Stream `stream` follows `target`: the job as it is now is sent (`latest`),
   * or every status stored (`history`, for a resume), then each one after.
   * `again`: the browser asked again (after an error): a failed watch is tried anew.
   */
  private async follow(stream: LocalStream, target: RelayTarget, what: 'latest' | 'history', again = false): Promise<void> {
    const key = keyOf(target);
    const unknown = this.remembersUnknown(target) ? this.unknownIds.get(key) : undefined;
    if (unknown) {
      // The API said 404 a moment ago: it is told again from memory, with no request upstream.
      stream.connection.write(unknown.event);
      return;
    }
    let followed = this.followed.get(key);
    if (!followed) {
      followed = { key, target, streams: new Set(), upstream: undefined, acquiring: false, grace: undefined, failed: undefined };
      this.followed.set(key, followed);
    }
    followed.grace?.unsubscribe();
    followed.grace = undefined;
    if (again) stream.sent.delete(key);
    if (followed.failed !== undefined && (again || !followed.streams.has(stream))) followed.failed = undefined;
    // The first viewer here: the lease holder, wherever it is, keeps its watch for it.
    if (followed.streams.size === 0) this.noteViewers(followed);
    followed.streams.add(stream);
    if (followed.failed !== undefined) return void stream.connection.write(followed.failed);
    // Followed first, then read: a status written meanwhile is heard, so none falls between.
    let history: Awaited<ReturnType<JobStore['history']>> = [];
    try {
      history = await this.settings.store.history(target);
    } catch {
      /* the store is down: the upstream watch still tells what it sees */
    }
    // A status of a later API version is placed by a browser after the last known one it has: only those after the last
    // known status stored are sent (one a known status has passed since would land after it). The latest is that known
    // status and those after it; the history every known status, and those.
    const client = this.settings.clients[target.api]!;
    const lastKnown = Math.max(0, lastKnownIndex(client.statuses, history));
    const sent = history.filter((entry, index) => index >= lastKnown || (what === 'history' && !hasUnknownStatus(client.statuses, entry.job)));
    for (const entry of sent) this.send(stream, target, entry.rank, entry.job);
    const top = history.at(-1);
    const topStatus = top === undefined ? undefined : client.statuses.statusOf(top.job);
    const terminal = topStatus !== undefined && client.statuses.isTerminal(topStatus);
    if (!terminal) this.ensureUpstream(followed);
  }

  private unfollow(followed: Followed, stream: LocalStream): void {
    followed.streams.delete(stream);
    stream.sent.delete(followed.key);
    if (followed.streams.size > 0 || followed.grace) return;
    // The note stays through grace (a browser back within it finds the job watched still); it goes with grace.
    followed.grace = this.settings.scheduler.schedule(() => {
      followed.grace = undefined;
      if (followed.streams.size > 0) return;
      void this.settings.store.view(followed.target, this.owner, 0).catch(() => undefined);
      this.endUnlessViewed(followed);
    }, this.settings.grace);
  }

  /** Tells the store this instance has viewers of the job, for one lease (renewed at each beat while they stay). */
  private noteViewers(followed: Followed): void {
    void this.settings.store.view(followed.target, this.owner, this.settings.leaseTtl).catch(() => undefined);
  }

  /**
   * Nobody here follows the job any more (grace is over): its upstream watch
   * ends, unless this instance holds it and another instance has viewers
   * (one watch for all of them: it is asked again at each beat).
   */
  private endUnlessViewed(followed: Followed): void {
    if (followed.streams.size > 0 || followed.grace) return;
    const end = () => {
      if (followed.streams.size > 0 || followed.grace || this.followed.get(followed.key) !== followed) return;
      this.stopUpstream(followed);
      this.followed.delete(followed.key);
    };
    if (!followed.upstream) return end();
    void this.settings.store.viewersElsewhere(followed.target, this.owner).then((others) => others === 0 && end(), end);
  }

  /** Watches the job upstream if this instance can take its lease; else the holder does, and the next beat tries again. */
  private ensureUpstream(followed: Followed): void {
    if (followed.upstream || followed.acquiring || followed.failed !== undefined || this.closed) return;
    followed.acquiring = true;
    const { store } = this.settings;
    void store
      .acquire(followed.target, this.owner, this.settings.leaseTtl)
      .catch(() => false)
      .then(async (leased) => {
        const history = leased ? await store.history(followed.target).catch(() => []) : [];
        // Acquiring until here: a beat in between must not start a second watch.
        followed.acquiring = false;
        if (!leased || this.closed || followed.upstream || this.followed.get(followed.key) !== followed || followed.failed !== undefined) {
          if (leased && this.followed.get(followed.key) !== followed) await store.release(followed.target, this.owner).catch(() => undefined);
          return;
        }
        // From the last status the model knows (one of a later API version is no place to resume from).
        const client = this.settings.clients[followed.target.api]!;
        this.startUpstream(followed, history[lastKnownIndex(client.statuses, history)]?.job, history.at(-1)?.rank ?? -1);
      });
  }

  /** `stored`: the last job stored at a status the model knows; `topRank`: the highest rank stored. */
  private startUpstream(followed: Followed, stored: unknown, topRank: number): void {
    const { target } = followed;
    const client = this.settings.clients[target.api]!;
    const since = stored === undefined ? undefined : client.statuses.statusOf(stored);
    const terminalSince = since !== undefined && client.statuses.isTerminal(since);
    if (terminalSince) return void this.settings.store.release(target, this.owner).catch(() => undefined);
    let highest = topRank;
    followed.upstream = client.watch(target.id, since === undefined ? undefined : { since: since as never }).subscribe({
      next: (job) => {
        // Jobs reach browsers and the store: whatever a server echoed into one, the key is not among it.
        const redacted = redactDeep(job, client.provider.redact);
        // A status of a later API version ranks half a step above the last known one, as in every watch.
        const rank = rankAfter(client.statuses, job, highest);
        highest = Math.max(highest, rank);
        const status = client.statuses.statusOf(job);
        const terminal = status !== undefined && client.statuses.isTerminal(status);
        const news: StoreNews = { api: target.api, id: target.id, rank, job: redacted };
        // Here at once; elsewhere through the store (this instance hears its own write, and drops it as sent).
        this.heard(news);
        this.write(target, news, terminal);
      },
      error: (error: unknown) => {
        followed.upstream = undefined;
        void this.settings.store.release(target, this.owner).catch(() => undefined);
        const signal: HubSignal = {
          type: 'error',
          api: target.api,
          id: target.id,
          error: this.settings.relayError(error, client),
          unknown: isClipstreamError(error, 'HttpError') && client.provider.isUnknownId(error),
        };
        // Here at once, so a store that is down cannot hide the error; elsewhere through the store.
        this.signalled(signal);
        void this.settings.store.signal(signal).catch(() => undefined);
      },
      complete: () => {
        followed.upstream = undefined;
        void this.settings.store.release(target, this.owner).catch(() => undefined);
      },
    });
  }

  private write(target: RelayTarget, news: StoreNews, terminal: boolean): void {
    const key = keyOf(target);
    void this.settings.store.record(target, { rank: news.rank, job: news.job }, terminal).then(
      () => {
        if (this.unwritten.get(key)?.news === news) this.unwritten.delete(key);
      },
      () => {
        const waiting = this.unwritten.get(key);
        if (!waiting || waiting.news.rank < news.rank) this.unwritten.set(key, { target, news, terminal });
      },
    );
  }

  private stopUpstream(followed: Followed): void {
    if (!followed.upstream) return;
    followed.upstream.unsubscribe();
    followed.upstream = undefined;
    void this.settings.store.release(followed.target, this.owner).catch(() => undefined);
  }

  /**
   * News may have been missed (the store's connection broke): every job
   * followed here is read again, now and at the next beat (the subscription
   * may come back a moment after the connection), and what a stream has not
   * had is sent. Sending drops what a stream has, so reading twice costs no
   * duplicate.
   */
  private resync(again = true): void {
    for (const followed of this.followed.values()) {
      if (followed.streams.size === 0) continue;
      void this.settings.store.history(followed.target).then(
        (history) => {
          for (const entry of history) for (const stream of followed.streams) this.send(stream, followed.target, entry.rank, entry.job);
        },
        () => undefined,
      );
    }
    if (again) this.settings.scheduler.schedule(() => this.resync(false), Math.max(1, Math.floor(this.settings.leaseTtl / 3)));
  }

  /**
   * Every third of a lease: renew what this instance watches, note the jobs
   * its viewers follow, end a watch kept for other instances' viewers once
   * they are gone, take over what nobody watches, write what the store missed.
   */
  private renew(): void {
    const { store, leaseTtl } = this.settings;
    for (const followed of [...this.followed.values()]) {
      if (followed.streams.size > 0 || followed.grace) this.noteViewers(followed);
      else this.endUnlessViewed(followed);
      if (followed.upstream) {
        void store.renew(followed.target, this.owner, leaseTtl).then(
          (held) => {
            // The lease lapsed (Redis restarted empty, or a pause longer than the lease): take it again, or stop if another holds it.
            if (!held && followed.upstream) void store.acquire(followed.target, this.owner, leaseTtl).then((again) => again || this.stopUpstream(followed), () => undefined);
          },
          () => undefined,
        );
      } else if (followed.streams.size > 0) this.ensureUpstream(followed);
    }
    for (const { target, news, terminal } of [...this.unwritten.values()]) this.write(target, news, terminal);
  }
}
