import { inspect } from 'node:util';

/** Every way an error reaches a log: message, stack, JSON, util.inspect, and its cause chain. */
export function everywhere(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
    const value = current as Error;
    parts.push(String(value.message), String(value.stack), JSON.stringify(value) ?? '', inspect(value, { depth: 10, showHidden: true }));
    current = value.cause;
  }
  return parts.join('\n');
}
