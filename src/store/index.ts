/**
 * Stores (`clipstream/store`): the `JobStore` interface every store
 * implements, `memoryStore` (one process), and `StoreError`. The Redis
 * store is in `clipstream/redis`. See docs/scaling.md.
 * @packageDocumentation
 */
export { memoryStore } from './memoryStore.js';
export type { MemoryStoreOptions } from './memoryStore.js';
export type { JobStore, JobKey, StoredStatus, StoreNews } from './JobStore.js';
export { StoreError } from '../errors/StoreError.js';
export type { StoreErrorReason } from '../errors/StoreError.js';
