import type { FetchLike } from './FetchLike.js';

/**
 * Browsers (the package's `browser` field maps defaultFetch.js here): every
 * browser has `fetch`, so no polyfill is bundled.
 */
export function defaultFetch(): Promise<FetchLike> {
  const platform = (globalThis as { fetch?: unknown }).fetch;
  if (typeof platform !== 'function') return Promise.reject(new TypeError('clipstream: this environment has no fetch; pass options.fetch'));
  return Promise.resolve(platform.bind(globalThis) as FetchLike);
}
