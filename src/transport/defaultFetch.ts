import type { FetchLike } from './FetchLike.js';

let fallback: Promise<FetchLike> | undefined;

/**
 * The platform's `fetch` (Node 18+, browsers, Deno, Bun); where there is none,
 * cross-fetch, loaded on first use.
 *
 * The platform's fetch is the default because in Node it keeps connections
 * alive in one shared pool and fails a body cut short, where node-fetch 2
 * (cross-fetch in Node) hangs; docs/benchmarks.md has the measurement.
 */
export function defaultFetch(): Promise<FetchLike> {
  const platform = (globalThis as { fetch?: unknown }).fetch;
  if (typeof platform === 'function') return Promise.resolve(platform.bind(globalThis) as FetchLike);
  fallback ??= import('cross-fetch').then((module) => (module.fetch ?? (module as unknown as { default: FetchLike }).default) as unknown as FetchLike);
  return fallback;
}
