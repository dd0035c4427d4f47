/** The part of the fetch API clipstream uses; the platform's `fetch`, node-fetch and undici all fit. */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string; signal: AbortSignal; redirect: 'manual' },
) => Promise<{
  status: number;
  type?: string;
  headers: { forEach(callback: (value: string, name: string) => void): void; get?(name: string): string | null };
  body?: unknown;
  text(): Promise<string>;
}>;

/** A `fetch` whose answers stream: `body` is a WHATWG ReadableStream. */
export type StreamingFetch = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string; signal: AbortSignal; redirect?: 'manual' },
) => Promise<{ status: number; body?: unknown; text(): Promise<string> }>;
