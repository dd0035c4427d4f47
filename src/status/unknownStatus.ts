import { statusFieldValue, type StatusModel } from './StatusModel.js';
import { statusOrThrow } from './statusOrThrow.js';

/**
 * A status a vendor may add after this version: any non-empty string the
 * model does not know. Typed so the known names still complete in an editor;
 * a `switch` over a job's status needs a `default` for it.
 */
export type UnknownStatus = string & {};

/**
 * What a status of a later API version looks like: a word of at most 32
 * letters, digits, `_` and `-`, starting with a letter. Anything else in a
 * status field (a sentence, a number, an echo of the request) is not a
 * status: a `DecodeError`, as before.
 */
export const statusWord = /^[A-Za-z][A-Za-z0-9_-]{0,31}$/;

/**
 * The status name a job holds, as sent, read from the model's fields (the
 * first present, as `statusOf` reads them): a status the model knows, or a
 * word that may be a later one; `undefined` for anything else.
 */
export function statusNameOf(model: StatusModel, job: unknown): string | undefined {
  const value = statusFieldValue(model.fields, job);
  return model.parse(value) !== undefined || (typeof value === 'string' && statusWord.test(value)) ? (value as string) : undefined;
}

/** Whether `job` holds a status name the model does not know (a vendor's new status). */
export function hasUnknownStatus(model: StatusModel, job: unknown): boolean {
  return model.statusOf(job) === undefined && statusNameOf(model, job) !== undefined;
}

/**
 * How a watch ranks `job`, given `seen`, the highest rank it has had (-1
 * before any): a known status ranks at its priority; a status the model does
 * not know ranks half a step above the last known status (so it is reported
 * once, never ends a watch, and the next known status still rises above it).
 * Before any known status its place is unknown: it ranks at `seen`, and is
 * not reported. A job with no status at all is a `DecodeError`.
 */
export function rankAfter(model: StatusModel, job: unknown, seen: number): number {
  const status = model.statusOf(job);
  if (status !== undefined) return model.priority(status);
  if (statusNameOf(model, job) === undefined) statusOrThrow(model, job);
  return seen < 0 ? seen : Math.floor(seen) + 0.5;
}

/** The index of the last of `entries` whose job holds a status the model knows; -1 if none does. */
export function lastKnownIndex(model: StatusModel, entries: readonly { readonly job: unknown }[]): number {
  let index = entries.length - 1;
  while (index >= 0 && hasUnknownStatus(model, entries[index]!.job)) index -= 1;
  return index;
}
