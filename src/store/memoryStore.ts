import { sharePauses } from './sharePauses.js';
import { asyncScheduler, type SchedulerLike } from 'rxjs';
import { integer, optionsObject } from '../internal/validate.js';
import { defaultRetention, jobKey as keyOf, type JobKey, type JobStore, type StoredStatus, type StoreNews } from './JobStore.js';

/** Options of {@link memoryStore}. */
export interface MemoryStoreOptions {
  /** How long an ended job's statuses are kept, in ms. @default 86400000 */
  retention?: number;
  /** The clock of leases and expiries. @default asyncScheduler */
  scheduler?: SchedulerLike;
}

/** The literal defaults of {@link MemoryStoreOptions} (each `@default` is checked against this object by a test). */
export const memoryStoreDefaults = { retention: defaultRetention } as const;

interface Entry {
  readonly statuses: StoredStatus[];
  expiresAt: number;
}


/**
 * The embedded store: everything in this process's memory, as the relay and
 * the client keep it by default. Right for one process; for several, or to
 * survive a restart, use `redisStore` from `clipstream/redis`.
 *
 * ## Example
 * ```ts
 * import { memoryStore } from 'clipstream/store';
 *
 * const store = memoryStore();
 * await store.record({ api: 'aiml-suno', id: 'a' }, { rank: 1, job: { id: 'a', status: 'queued' } }, false);
 * console.log((await store.history({ api: 'aiml-suno', id: 'a' })).length);
 * // Output:
 * // 1
 * ```
 */
export function memoryStore(options: MemoryStoreOptions = {}): JobStore {
  const given = optionsObject('memoryStore', options, ['retention', 'scheduler']) as MemoryStoreOptions;
  const retention = integer('memoryStore.retention', given.retention, memoryStoreDefaults.retention, 1);
  const scheduler = given.scheduler ?? asyncScheduler;
  const jobs = new Map<string, Entry>();
  const leases = new Map<string, { owner: string; until: number }>();
  /** Per job, the instances with viewers of it, and until when. */
  const viewers = new Map<string, Map<string, number>>();
  const followed = new Map<string, JobKey>();
  const listeners = new Set<(news: StoreNews) => void>();
  const signalListeners = new Set<(message: unknown) => void>();
  const streams = new Map<string, { address: string | undefined; targets: Map<string, JobKey>; until: number }>();
  const liveStream = (sid: string) => {
    const stream = streams.get(sid);
    if (stream && stream.until <= scheduler.now()) streams.delete(sid);
    return stream && stream.until > scheduler.now() ? stream : undefined;
  };

  const live = (key: JobKey): Entry | undefined => {
    const entry = jobs.get(keyOf(key));
    if (entry && entry.expiresAt <= scheduler.now()) {
      jobs.delete(keyOf(key));
      return undefined;
    }
    return entry;
  };
  const leaseOf = (key: JobKey) => {
    const lease = leases.get(keyOf(key));
    return lease && lease.until > scheduler.now() ? lease : undefined;
  };

  return {
    async record(key, status, terminal) {
      const entry = live(key) ?? { statuses: [], expiresAt: Infinity };
      const top = entry.statuses.at(-1);
      if (top && top.rank >= status.rank) return false;
      entry.statuses.push({ rank: status.rank, job: status.job });
      if (terminal) {
        entry.expiresAt = scheduler.now() + retention;
        followed.delete(keyOf(key));
      }
      jobs.set(keyOf(key), entry);
      const news: StoreNews = { api: key.api, id: key.id, rank: status.rank, job: status.job };
      for (const listener of [...listeners]) listener(news);
      return true;
    },
    async history(key) {
      return [...(live(key)?.statuses ?? [])];
    },
    async subscribe(listener) {
      // Each subscription is its own: the same function subscribed twice hears twice, as with Redis.
      const own = (news: StoreNews) => listener(news);
      listeners.add(own);
      return async () => void listeners.delete(own);
    },
    async acquire(key, owner, ttl) {
      const held = leaseOf(key);
      if (held && held.owner !== owner) return false;
      if (!held) leases.set(keyOf(key), { owner, until: scheduler.now() + ttl });
      return true;
    },
    async renew(key, owner, ttl) {
      const held = leaseOf(key);
      if (!held || held.owner !== owner) return false;
      held.until = scheduler.now() + ttl;
      return true;
    },
    async release(key, owner) {
      if (leaseOf(key)?.owner === owner) leases.delete(keyOf(key));
    },
    async view(key, owner, ttl) {
      const job = keyOf(key);
      const owners = viewers.get(job) ?? new Map<string, number>();
      if (ttl > 0) owners.set(owner, scheduler.now() + ttl);
      else owners.delete(owner);
      if (owners.size > 0) viewers.set(job, owners);
      else viewers.delete(job);
    },
    async viewersElsewhere(key, owner) {
      const owners = viewers.get(keyOf(key));
      if (!owners) return 0;
      const now = scheduler.now();
      let count = 0;
      for (const [other, until] of owners) {
        if (until <= now) owners.delete(other);
        else if (other !== owner) count += 1;
      }
      if (owners.size === 0) viewers.delete(keyOf(key));
      return count;
    },
    async follow(key) {
      if (!followed.has(keyOf(key))) followed.set(keyOf(key), { api: key.api, id: key.id });
    },
    async unfollow(key) {
      followed.delete(keyOf(key));
    },
    async unfinished(api) {
      return [...followed.values()].filter((key) => key.api === api);
    },
    async signal(message) {
      // A copy, as JSON: a listener cannot change what the others hear.
      const text = JSON.stringify(message);
      for (const listener of [...signalListeners]) listener(JSON.parse(text));
    },
    async onSignal(listener) {
      const own = (message: unknown) => listener(message);
      signalListeners.add(own);
      return async () => void signalListeners.delete(own);
    },
    sharePauses(api, onPause) {
      return sharePauses(this, api, onPause);
    },
    async openStream(sid, address, ttl) {
      streams.set(sid, { address, targets: new Map(), until: scheduler.now() + ttl });
    },
    async stream(sid) {
      const stream = liveStream(sid);
      return stream && { address: stream.address, targets: [...stream.targets.values()] };
    },
    async changeStream(sid, add, remove, max) {
      const stream = liveStream(sid);
      if (!stream) return 'missing';
      const removing = new Set(remove.map(keyOf));
      const kept = [...stream.targets.keys()].filter((key) => !removing.has(key));
      const adding = new Set(add.map(keyOf).filter((key) => !kept.includes(key)));
      if (kept.length + adding.size > max) return 'full';
      for (const key of removing) stream.targets.delete(key);
      for (const key of add) stream.targets.set(keyOf(key), { api: key.api, id: key.id });
      return { targets: [...stream.targets.values()] };
    },
    async touchStream(sid, ttl) {
      const stream = liveStream(sid);
      if (stream) stream.until = scheduler.now() + ttl;
    },
    async dropStream(sid) {
      streams.delete(sid);
    },
  };
}
