/**
 * The Redis store (`clipstream/redis`), on the `redis` package (node-redis):
 * for relays and pipelines that run as several processes or restart. Only
 * this entry loads anything of Redis; see docs/scaling.md.
 * @packageDocumentation
 */
export { redisStore } from './redisStore.js';
export type { RedisStoreOptions, RedisClientLike, RedisSubscriberLike } from './redisStore.js';
export type { JobStore, JobKey, StoredStatus, StoreNews } from '../store/JobStore.js';
