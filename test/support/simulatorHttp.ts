import type { Simulator } from '../../src/simulator/index.js';

/** A raw request to the simulator, with the simulator's key unless told otherwise. */
export async function call(
  sim: Simulator,
  path: string,
  init: { method?: string; body?: unknown; key?: string | null; signal?: AbortSignal } = {},
): Promise<{ status: number; headers: Headers; body: unknown; text: string }> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  const key = init.key === undefined ? sim.apiKey : init.key;
  if (key !== null) headers.Authorization = `Bearer ${key}`;
  const response = await fetch(`${sim.url}${path}`, {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    signal: init.signal,
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* left as text */
  }
  return { status: response.status, headers: response.headers, body, text };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
