import { ConfigError } from '../errors/ConfigError.js';

/** The longest delay a JavaScript timer can hold: 2^31−1 ms (about 24.8 days). Longer ones fire at once. */
export const maxTimerDelay = 2 ** 31 - 1;

/** A value for an error message: strings quoted, objects named by kind, never their contents. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  if (typeof value === 'bigint') return `${value}n`;
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

/** A finite number of at least `min`, or `fallback` when absent. */
export function number(field: string, value: unknown, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new ConfigError(field, `expected a finite number of at least ${min}, got ${describe(value)}`);
  }
  return value;
}

/** A whole number of at least `min` (and at most `max`), or `fallback` when absent. */
export function integer(field: string, value: unknown, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === Infinity && max === Infinity) return Infinity;
  const result = number(field, value, fallback, min);
  if (!Number.isInteger(result)) throw new ConfigError(field, `expected a whole number, got ${result}`);
  if (result > max) throw new ConfigError(field, `expected at most ${max}, got ${result}`);
  return result;
}

/**
 * A duration in milliseconds, from `min` up to 2^31−1 (what a timer can hold),
 * or `Infinity` where `allowInfinity` says "no limit" makes sense.
 */
export function duration(field: string, value: unknown, fallback: number, options: { min?: number; allowInfinity?: boolean } = {}): number {
  const { min = 0, allowInfinity = false } = options;
  if (value === Infinity && allowInfinity) return Infinity;
  const result = number(field, value, fallback, min);
  if (result > maxTimerDelay) {
    throw new ConfigError(
      field,
      `${result} ms is longer than a timer can wait (at most ${maxTimerDelay} ms, about 24.8 days)${allowInfinity ? '; use Infinity for no limit' : ''}`,
    );
  }
  return result;
}

/** A plain options object (or `undefined`), with no keys but `known`. */
export function optionsObject(field: string, value: unknown, known: readonly string[]): Record<string, unknown> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(field, `expected an object, got ${describe(value)}`);
  }
  rejectUnknownKeys(field, value, known);
  return value as Record<string, unknown>;
}

/** Rejects keys that are not options of `what`, naming the closest known one. */
export function rejectUnknownKeys(what: string, value: object, known: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const close = known.find((name) => editDistance(name.toLowerCase(), key.toLowerCase()) <= 2);
    throw new ConfigError(
      `${what}.${key}`,
      `unknown option${close ? ` (did you mean "${close}"?)` : `; known options: ${known.join(', ')}`}`,
    );
  }
}

/** One of `choices`, or `fallback` when absent. */
export function oneOf<T extends string>(field: string, value: unknown, choices: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !choices.includes(value as T)) {
    throw new ConfigError(field, `expected one of ${choices.map((choice) => `"${choice}"`).join(', ')}, got ${describe(value)}`);
  }
  return value as T;
}

/** A function, or `fallback` when absent. */
export function func<F extends (...args: never[]) => unknown>(field: string, value: unknown, fallback: F, what = 'a function'): F {
  if (value === undefined) return fallback;
  if (typeof value !== 'function') throw new ConfigError(field, `expected ${what}, got ${describe(value)}`);
  return value as F;
}

/** Levenshtein distance, for "did you mean" hints. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** A number above 0, or `fallback` when absent. */
export function positive(field: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new ConfigError(field, `expected a positive number, got ${describe(value)}`);
  return value;
}

/** A share between 0 and 1, or `fallback` when absent. */
export function share(field: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) throw new ConfigError(field, `expected a share between 0 and 1, got ${describe(value)}`);
  return value;
}
