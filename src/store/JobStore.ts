/** A job's key as one string, for maps: `api` and `id` apart by a NUL, which no id holds. */
export const jobKey = ({ api, id }: JobKey): string => `${api}\u0000${id}`;

/** One job of one API: the store's unit. */
export interface JobKey {
  /** The API's name, as its provider says it: `"aiml-suno"`. */
  readonly api: string;
  readonly id: string;
}

/** The job as it was when it reached one status; `rank` is that status's priority. */
export interface StoredStatus {
  readonly rank: number;
  /** The job as the API sent it, redacted (no key fragment is ever stored). */
  readonly job: unknown;
}

/** A status written anywhere, as every instance hears it. */
export interface StoreNews extends JobKey, StoredStatus {}

/** A stream of the relay, as every instance can find it: whose it is, and the jobs it follows. */
export interface StoredStream {
  /** The client address that opened it, or undefined where the server did not know it. */
  readonly address: string | undefined;
  /** The jobs it follows, as `[api, id]` pairs. */
  readonly targets: readonly JobKey[];
}

/** What {@link JobStore.changeStream} answers. */
export type StreamChangeResult = { readonly targets: readonly JobKey[] } | 'missing' | 'full';

/**
 * Where the state that must outlive a process and be shared by several
 * lives: each job's statuses (a status is written only when it ranks higher
 * than every one stored, so a job never goes back, whatever order writers
 * come in), who watches it upstream (a lease), and which jobs are followed
 * but not ended (for a process that restarts).
 *
 * Two implementations: `memoryStore` from `clipstream/store` (one process) and
 * `redisStore` from `clipstream/redis`. Another engine (ioredis, Valkey, a
 * REST client for edge runtimes) implements this interface with the same
 * guarantees; the specs in `test/store/` are what it must pass.
 */
export interface JobStore {
  /**
   * Writes `job` at `rank` if it ranks higher than every status stored for
   * the job, and tells every subscriber, in one atomic step. Answers whether
   * it was written. A terminal status starts the job's expiry (`retention`)
   * and ends its `follow`.
   */
  record(key: JobKey, status: StoredStatus, terminal: boolean): Promise<boolean>;
  /** The job at each status it reached, lowest first; empty when the store knows nothing of it. */
  history(key: JobKey): Promise<StoredStatus[]>;
  /**
   * Hears every status written from now on, by any instance. `onGap` is
   * called when news may have been missed (the connection to the store broke
   * and came back): read the histories again then. Answers the unsubscribe.
   */
  subscribe(listener: (news: StoreNews) => void, onGap?: () => void): Promise<() => Promise<void>>;
  /** Takes the job's lease for `owner` for `ttl` ms if nobody holds it. Answers whether `owner` holds it now. */
  acquire(key: JobKey, owner: string, ttl: number): Promise<boolean>;
  /** Extends the lease if `owner` still holds it; answers whether it does. */
  renew(key: JobKey, owner: string, ttl: number): Promise<boolean>;
  /** Gives the lease up if `owner` holds it. */
  release(key: JobKey, owner: string): Promise<void>;
  /**
   * Notes that `owner` (an instance) has viewers of the job, for `ttl` ms
   * unless noted again; `ttl` 0 drops the note. The lease holder keeps its
   * upstream watch while another instance has viewers.
   */
  view(key: JobKey, owner: string, ttl: number): Promise<void>;
  /** How many instances other than `owner` have viewers of the job now. */
  viewersElsewhere(key: JobKey, owner: string): Promise<number>;
  /** Notes that a job is followed (until `unfollow`): a process that restarts lists it with `unfinished`. */
  follow(key: JobKey): Promise<void>;
  unfollow(key: JobKey): Promise<void>;
  /** The jobs of `api` followed and not ended, oldest first. */
  unfinished(api: string): Promise<JobKey[]>;

  /** Sends `message` (JSON) to every instance's `onSignal`, itself included; nothing is kept. */
  signal(message: unknown): Promise<void>;
  /** Hears every signal from now on. Answers the unsubscribe. */
  onSignal(listener: (message: unknown) => void): Promise<() => Promise<void>>;

  /**
   * Shares the rate-limit pauses of one API's clients on this store: the
   * answer tells the others of a pause this client was asked for; `onPause`
   * hears theirs. (Both stores build it on `signal`, with `sharePauses`.)
   */
  sharePauses(api: string, onPause: (status: number, retryAfter: number) => void): (status: number, retryAfter: number) => void;

  /** Records a new stream of the relay, expiring after `ttl` ms unless touched. */
  openStream(sid: string, address: string | undefined, ttl: number): Promise<void>;
  /** The stream, or undefined when it expired or never was. */
  stream(sid: string): Promise<StoredStream | undefined>;
  /**
   * Removes, then adds targets, in one atomic step, unless the stream would
   * then follow more than `max` jobs (`'full'`: nothing is changed) or is gone
   * (`'missing'`). Answers the targets it follows now.
   */
  changeStream(sid: string, add: readonly JobKey[], remove: readonly JobKey[], max: number): Promise<StreamChangeResult>;
  /** Keeps the stream another `ttl` ms. */
  touchStream(sid: string, ttl: number): Promise<void>;
  dropStream(sid: string): Promise<void>;
  /** Closes what the store opened itself (redisStore: its subscriber connections; the client you gave stays yours). */
  close?(): Promise<void>;
}

/** How long a job's statuses are kept once it has ended, in ms. */
export const defaultRetention = 24 * 60 * 60_000;
