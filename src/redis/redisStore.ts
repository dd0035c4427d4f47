// Over 250 lines: every JobStore method on Redis, each a script or a command
// on the same keys, read best side by side (the scripts are in scripts.ts).
import { sharePauses } from '../store/sharePauses.js';
import { StoreError } from '../errors/StoreError.js';
import { ConfigError } from '../errors/ConfigError.js';
import { describe, integer, optionsObject } from '../internal/validate.js';
import { defaultRetention, type JobKey, type JobStore, type StoredStatus, type StoreNews } from '../store/JobStore.js';

const member = ({ api, id }: JobKey) => JSON.stringify([api, id]);
const fromMember = (text: string): JobKey => {
  const [api, id] = JSON.parse(text) as [string, string];
  return { api, id };
};
import { changeStreamScript, recordScript, releaseScript, renewScript, viewersElsewhereScript, viewScript } from './scripts.js';

/**
 * What the store uses of a node-redis client (`createClient` of the `redis`
 * package, connected): raw commands, and a second connection for pub/sub.
 */
export interface RedisClientLike {
  readonly isReady: boolean;
  sendCommand(args: string[]): Promise<unknown>;
  duplicate(): RedisSubscriberLike;
}

/** The subscriber connection `duplicate()` makes. */
export interface RedisSubscriberLike {
  on(event: 'error' | 'ready', listener: (error?: unknown) => void): unknown;
  connect(): Promise<unknown>;
  subscribe(channel: string, listener: (message: string) => void): Promise<unknown>;
  unsubscribe(channel: string): Promise<unknown>;
  close?(): Promise<unknown>;
  quit?(): Promise<unknown>;
  unref?(): unknown;
}

/** Options of {@link redisStore}. */
export interface RedisStoreOptions {
  /** A node-redis client you created and connected: `const client = await createClient({ url }).connect()`. */
  client: RedisClientLike;
  /** Put before every key and the channel, so several apps share one Redis. @default "clipstream:" */
  prefix?: string;
  /** How long an ended job's statuses are kept, in ms. @default 86400000 */
  retention?: number;
  /** How long a job that never ends is kept after its last status, in ms. @default 604800000 */
  maxJobLife?: number;
  /** How long a command may wait for Redis before it fails with a `StoreError`, in ms. @default 2000 */
  commandTimeout?: number;
}

/** The literal defaults of {@link RedisStoreOptions} (each `@default` is checked against this object by a test). */
export const redisStoreDefaults = { prefix: 'clipstream:', retention: defaultRetention, maxJobLife: 7 * 24 * 60 * 60_000, commandTimeout: 2_000 } as const;

const storeName = 'redisStore';

/**
 * A store on Redis, shared by every process that uses the same Redis: any
 * instance of a relay can serve any request, one instance watches each job
 * upstream, and a process that restarts continues from where its jobs were.
 * See docs/scaling.md for the keys and the guarantees.
 *
 * Keys, for a job `id` of API `api` (one hash tag per job, for Redis Cluster):
 * `{prefix}{api:id}:h` (a hash: `top`, the highest rank stored, and `r<rank>`,
 * the job at each status, as JSON), `{prefix}{api:id}:lease` (the owner token
 * of whoever watches it upstream), `{prefix}{api:id}:viewers` (a sorted set of
 * the instances with viewers of it, by until when), `{prefix}followed:{api}` (a sorted set of
 * the ids followed and not ended), and the channel `{prefix}news`.
 *
 * ## Example
 * ```ts
 * import { createClient as createRedis } from 'redis';
 * import { createClient, aimlSuno } from 'clipstream';
 * import { redisStore } from 'clipstream/redis';
 *
 * const redis = await createRedis({ url: process.env.REDIS_URL }).connect();
 * const client = createClient(aimlSuno({ apiKey: process.env.AIMLAPI_KEY! }), { store: redisStore({ client: redis }) });
 * for (const { id } of await client.unfinished()) client.watch(id).subscribe((clip) => console.log(clip.id, clip.status));
 * ```
 */
export function redisStore(options: RedisStoreOptions): JobStore {
  const given = optionsObject(storeName, options, ['client', 'prefix', 'retention', 'maxJobLife', 'commandTimeout']) as unknown as RedisStoreOptions;
  const { client } = given;
  if (typeof client?.sendCommand !== 'function' || typeof client.duplicate !== 'function') {
    throw new ConfigError(`${storeName}.client`, `expected a node-redis client (createClient from the redis package), got ${describe(client)}`);
  }
  if (client.isReady !== true) throw new ConfigError(`${storeName}.client`, 'the client is not connected: await client.connect() before redisStore({ client })');
  const prefix = given.prefix ?? redisStoreDefaults.prefix;
  if (typeof prefix !== 'string') throw new ConfigError(`${storeName}.prefix`, `expected a string, got ${describe(prefix)}`);
  const retention = integer(`${storeName}.retention`, given.retention, redisStoreDefaults.retention, 1);
  const maxJobLife = integer(`${storeName}.maxJobLife`, given.maxJobLife, redisStoreDefaults.maxJobLife, 1);
  const commandTimeout = integer(`${storeName}.commandTimeout`, given.commandTimeout, redisStoreDefaults.commandTimeout, 1);
  const channel = `${prefix}news`;
  const tag = ({ api, id }: JobKey) => `${prefix}{${api}:${id}}`;

  /** One command, failing with a StoreError that names the operation (never a key or a value) within `commandTimeout`. */
  const command = async (operation: string, args: string[]): Promise<unknown> => {
    if (!client.isReady) throw new StoreError({ store: storeName, operation, reason: 'unreachable', detail: 'the Redis client is not connected' });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new StoreError({ store: storeName, operation, reason: 'timeout', detail: `Redis did not answer within ${commandTimeout} ms` })), commandTimeout);
    });
    try {
      return await Promise.race([client.sendCommand(args), late]);
    } catch (error) {
      if (error instanceof StoreError) throw error;
      throw new StoreError({ store: storeName, operation, reason: 'unreachable', detail: error instanceof Error ? error.name : 'Redis refused the command' });
    } finally {
      clearTimeout(timer);
    }
  };

  /** A subscription on its own connection (a subscriber can send no other command), to JSON messages of `on`. */
  /**
   * One subscriber connection per channel for the whole store (a subscriber
   * can send no other command), shared by every listener; it closes with
   * the last of them, or with `close()`.
   */
  interface Channel {
    readonly listeners: Set<(message: unknown) => void>;
    readonly gaps: Set<() => void>;
    readonly ready: Promise<RedisSubscriberLike>;
  }
  const channels = new Map<string, Channel>();
  const closeSubscriber = async (subscriber: RedisSubscriberLike, on: string) => {
    await subscriber.unsubscribe(on).catch(() => undefined);
    await (subscriber.close ?? subscriber.quit)?.call(subscriber).catch(() => undefined);
  };
  const listen = async (operation: string, on: string, listener: (message: unknown) => void, onGap?: () => void) => {
    let channel = channels.get(on);
    if (!channel) {
      const listeners = new Set<(message: unknown) => void>();
      const gaps = new Set<() => void>();
      const subscriber = client.duplicate();
      // node-redis emits 'error' on each connection while Redis is away, and reconnects by itself: unheard, it would end the process.
      subscriber.on('error', () => undefined);
      // Pub/sub keeps nothing: what was published while the connection was down is gone. Every 'ready' after the first says so.
      let connected = false;
      subscriber.on('ready', () => {
        if (connected) for (const gap of [...gaps]) gap();
        connected = true;
      });
      const ready = (async () => {
        await subscriber.connect();
        // A connection of the store's own must not keep a finished process alive: the client you gave decides that.
        subscriber.unref?.();
        await subscriber.subscribe(on, (text) => {
          let message: unknown;
          try {
            message = JSON.parse(text);
          } catch {
            return;
          }
          for (const each of [...listeners]) each(message);
        });
        return subscriber;
      })();
      channel = { listeners, gaps, ready };
      channels.set(on, channel);
    }
    const own = (message: unknown) => listener(message);
    const ownGap = () => onGap?.();
    channel.listeners.add(own);
    channel.gaps.add(ownGap);
    const current = channel;
    try {
      await current.ready;
    } catch (error) {
      if (channels.get(on) === current) channels.delete(on);
      throw new StoreError({ store: storeName, operation, reason: 'unreachable', detail: error instanceof Error ? error.name : 'no subscription' });
    }
    return async () => {
      current.listeners.delete(own);
      current.gaps.delete(ownGap);
      if (current.listeners.size > 0 || channels.get(on) !== current) return;
      channels.delete(on);
      await closeSubscriber(await current.ready, on);
    };
  };
  const signals = `${prefix}signals`;
  const streamKeys = (sid: string) => [`${prefix}stream:{${sid}}:m`, `${prefix}stream:{${sid}}:t`] as const;

  return {
    async record(key, status, terminal) {
      const message = JSON.stringify({ api: key.api, id: key.id, rank: status.rank, job: status.job });
      const written = await command('record', ['EVAL', recordScript, '1', `${tag(key)}:h`, String(status.rank), JSON.stringify(status.job), String(terminal ? retention : maxJobLife), channel, message]);
      if (terminal) await this.unfollow(key);
      return Number(written) === 1;
    },
    async history(key) {
      const reply = await command('history', ['HGETALL', `${tag(key)}:h`]);
      // RESP2 answers a flat array, RESP3 a map (or an object, by the client's type mapping).
      const pairs = Array.isArray(reply) ? reply : reply instanceof Map ? [...reply].flat() : Object.entries(reply ?? {}).flat();
      const flat = (pairs as unknown[]).map(String);
      const statuses: StoredStatus[] = [];
      for (let index = 0; index + 1 < flat.length; index += 2) {
        const field = flat[index]!;
        if (!field.startsWith('r')) continue;
        statuses.push({ rank: Number(field.slice(1)), job: JSON.parse(flat[index + 1]!) });
      }
      return statuses.sort((a, b) => a.rank - b.rank);
    },
    subscribe: (listener, onGap) => listen('subscribe', channel, (message) => listener(message as StoreNews), onGap),
    async acquire(key, owner, ttl) {
      const set = await command('acquire', ['SET', `${tag(key)}:lease`, owner, 'NX', 'PX', String(ttl)]);
      if (set === 'OK') return true;
      return (await command('acquire', ['GET', `${tag(key)}:lease`])) === owner;
    },
    async renew(key, owner, ttl) {
      return Number(await command('renew', ['EVAL', renewScript, '1', `${tag(key)}:lease`, owner, String(ttl)])) === 1;
    },
    async view(key, owner, ttl) {
      await command('view', ['EVAL', viewScript, '1', `${tag(key)}:viewers`, owner, String(Math.max(0, Math.round(ttl)))]);
    },
    async viewersElsewhere(key, owner) {
      return Number(await command('viewersElsewhere', ['EVAL', viewersElsewhereScript, '1', `${tag(key)}:viewers`, owner]));
    },
    async release(key, owner) {
      await command('release', ['EVAL', releaseScript, '1', `${tag(key)}:lease`, owner]);
    },
    async follow(key) {
      await command('follow', ['ZADD', `${prefix}followed:${key.api}`, 'NX', String(Date.now()), key.id]);
    },
    async unfollow(key) {
      await command('unfollow', ['ZREM', `${prefix}followed:${key.api}`, key.id]);
    },
    async unfinished(api) {
      const ids = await command('unfinished', ['ZRANGE', `${prefix}followed:${api}`, '0', '-1']);
      return (Array.isArray(ids) ? (ids as unknown[]) : []).map((id) => ({ api, id: String(id) }));
    },
    async signal(message) {
      await command('signal', ['PUBLISH', signals, JSON.stringify(message)]);
    },
    onSignal: (listener) => listen('onSignal', signals, listener),
    sharePauses(api, onPause) {
      return sharePauses(this, api, onPause);
    },
    async close() {
      const open = [...channels.entries()];
      channels.clear();
      await Promise.all(open.map(async ([on, channel]) => closeSubscriber(await channel.ready.catch(() => undefined as never), on).catch(() => undefined)));
    },
    async openStream(sid, address, ttl) {
      await command('openStream', ['SET', streamKeys(sid)[0], JSON.stringify({ address: address ?? null }), 'PX', String(ttl)]);
    },
    async stream(sid) {
      const [meta, targets] = streamKeys(sid);
      const stored = await command('stream', ['GET', meta]);
      if (stored === null || stored === undefined) return undefined;
      const members = await command('stream', ['SMEMBERS', targets]);
      const { address } = JSON.parse(String(stored)) as { address: string | null };
      return { address: address ?? undefined, targets: (Array.isArray(members) ? members : [...((members as Set<unknown>) ?? [])]).map((text) => fromMember(String(text))) };
    },
    async changeStream(sid, add, remove, max) {
      const [meta, targets] = streamKeys(sid);
      const count = Number(await command('changeStream', ['EVAL', changeStreamScript, '2', meta, targets, String(max), String(add.length), ...add.map(member), ...remove.map(member)]));
      if (count === -1) return 'missing';
      if (count === -2) return 'full';
      return { targets: (await this.stream(sid))?.targets ?? [] };
    },
    async touchStream(sid, ttl) {
      const [meta, targets] = streamKeys(sid);
      await command('touchStream', ['PEXPIRE', meta, String(ttl)]);
      await command('touchStream', ['PEXPIRE', targets, String(ttl)]);
    },
    async dropStream(sid) {
      await command('dropStream', ['DEL', ...streamKeys(sid)]);
    },
  };
}
