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

/** The key as a server might echo it (and a leak might show it): as is, and in every encoding the redaction covers. */
export function keyEchoes(key: string): string[] {
  const json = JSON.stringify(key).slice(1, -1);
  return [
    key,
    `Bearer ${key}`,
    json,
    json.replace(/\//g, '\\/'),
    [...key].map((char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`).join(''),
    [...key].map((char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}`).join(''),
    encodeURIComponent(key),
    encodeURIComponent(key).replace(/%[0-9A-F]{2}/g, (code) => code.toLowerCase()),
    new URLSearchParams({ k: key }).toString().slice(2),
    Buffer.from(key).toString('base64'),
    // base64 at the two other alignments, and inside JSON
    Buffer.from(`x${key}`).toString('base64'),
    Buffer.from(`xy${key}`).toString('base64url'),
    Buffer.from(`{"k":"${key}"}`).toString('base64'),
    Buffer.from(`Bearer ${key}`).toString('base64'),
    Buffer.from(key).toString('hex'),
    Buffer.from(key).toString('hex').toUpperCase(),
  ];
}
