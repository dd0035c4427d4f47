import { ConfigError } from '../errors/ConfigError.js';
import { describe, duration, optionsObject } from '../internal/validate.js';
import { checkStatus, checkWaitableStatus } from '../status/checkStatus.js';
import type { StatusModel } from '../status/StatusModel.js';

/** The longest job id accepted: real ids are UUIDs, with a model name at most (`…:luma/ray-2`). */
export const maxIdLength = 256;

// eslint-disable-next-line no-control-regex
const invisible = /[\s\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\ufeff]/;

/**
 * A job id: 1 to 256 visible characters (`:`, `/` and `.` included, as in
 * `7c880e75-…:luma/ray-2`). Every id is encoded wherever it goes into a URL.
 */
export function checkId(field: string, id: unknown, rule?: (id: string) => string | undefined): string {
  if (typeof id !== 'string') throw new ConfigError(field, `expected a job id string, got ${describe(id)}`);
  if (id === '') throw new ConfigError(field, 'the job id is empty');
  if (id.length > maxIdLength) throw new ConfigError(field, `the job id is ${id.length} characters long; at most ${maxIdLength} are accepted`);
  const bad = invisible.exec(id);
  if (bad) {
    const code = bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    throw new ConfigError(field, `${describe(id)} is not a job id: it holds U+${code} at position ${bad.index + 1}; ids are visible characters only`);
  }
  const problem = rule?.(id);
  if (problem !== undefined) throw new ConfigError(field, `${describe(id)} is not a job id here: ${problem}`);
  return id;
}

/** A non-empty list of distinct job ids. */
export function checkIds(field: string, ids: unknown, rule?: (id: string) => string | undefined): string[] {
  if (!Array.isArray(ids)) throw new ConfigError(field, `expected an array of job ids, got ${describe(ids)}`);
  if (ids.length === 0) throw new ConfigError(field, 'the list of job ids is empty');
  const seen = new Set<string>();
  // A loop over the length, not map: map skips the holes of a sparse array.
  const checked: string[] = [];
  for (let index = 0; index < ids.length; index++) {
    const id = checkId(`${field}[${index}]`, ids[index], rule);
    if (seen.has(id)) throw new ConfigError(`${field}[${index}]`, `${JSON.stringify(id)} is listed twice`);
    seen.add(id);
    checked.push(id);
  }
  return checked;
}

export interface CheckedWatchOptions<S extends string> {
  until: S | undefined;
  since: S | undefined;
  signal: AbortSignal | undefined;
  timeout: number | undefined;
}

/** `{ until?, since?, signal?, timeout? }` of `watch` and `watchMany` (`waitFor` takes only `signal` and `timeout`). */
export function checkWatchOptions<S extends string>(
  options: unknown,
  model: StatusModel<S, string>,
  allowStatuses: boolean,
): CheckedWatchOptions<S> {
  const given = optionsObject('options', options, allowStatuses ? ['until', 'since', 'signal', 'timeout'] : ['signal', 'timeout']);
  const { until, since, signal, timeout } = given;
  if (
    signal !== undefined &&
    (typeof signal !== 'object' ||
      signal === null ||
      typeof (signal as AbortSignal).aborted !== 'boolean' ||
      typeof (signal as AbortSignal).addEventListener !== 'function')
  ) {
    throw new ConfigError('options.signal', 'expected an AbortSignal');
  }
  const checkedUntil = until === undefined ? undefined : checkWaitableStatus('options.until', until, model);
  const checkedSince = since === undefined ? undefined : checkStatus('options.since', since, model);
  if (checkedSince !== undefined && model.isTerminal(checkedSince)) {
    throw new ConfigError('options.since', `"${String(since)}" is terminal: nothing follows it to watch for`);
  }
  if (checkedSince !== undefined && checkedUntil !== undefined && model.priority(checkedUntil) <= model.priority(checkedSince)) {
    throw new ConfigError('options.since', `"${String(since)}" is already at or above until ("${String(until)}"): there is nothing to wait for`);
  }
  const checkedTimeout = timeout === undefined ? undefined : duration('options.timeout', timeout, 0, { min: 1, allowInfinity: true });
  return {
    until: checkedUntil,
    since: checkedSince,
    signal: signal as AbortSignal | undefined,
    timeout: checkedTimeout === Infinity ? undefined : checkedTimeout,
  };
}
