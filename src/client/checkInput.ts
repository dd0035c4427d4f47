import { ConfigError } from '../errors/ConfigError.js';
import { rejectUnknownKeys } from '../providers/providerConfig.js';
import type { StatusModel } from '../status/StatusModel.js';
import { describe, number } from './ClientOptions.js';

const idPattern = /^[A-Za-z0-9_-]+$/;

/** A job id: letters, digits, `-` and `_` only, so it is safe in any query string and comma list. */
export function checkId(field: string, id: unknown): string {
  if (typeof id !== 'string') throw new ConfigError(field, `expected a job id string, got ${describe(id)}`);
  if (id === '') throw new ConfigError(field, 'the job id is empty');
  if (!idPattern.test(id)) {
    throw new ConfigError(field, `${JSON.stringify(id)} is not a job id: only letters, digits, "-" and "_" are allowed`);
  }
  return id;
}

/** A non-empty list of distinct job ids. */
export function checkIds(field: string, ids: unknown): string[] {
  if (!Array.isArray(ids)) throw new ConfigError(field, `expected an array of job ids, got ${describe(ids)}`);
  if (ids.length === 0) throw new ConfigError(field, 'the list of job ids is empty');
  const seen = new Set<string>();
  // A loop over the length, not map: map skips the holes of a sparse array.
  const checked: string[] = [];
  for (let index = 0; index < ids.length; index++) {
    const id = checkId(`${field}[${index}]`, ids[index]);
    if (seen.has(id)) throw new ConfigError(`${field}[${index}]`, `${JSON.stringify(id)} is listed twice`);
    seen.add(id);
    checked.push(id);
  }
  return checked;
}

/**
 * A status the API can wait for, as its canonical name. Unknown names and
 * failure statuses (`error`, `failed`: the APIs refuse to wait for them) are
 * rejected.
 */
export function checkWaitableStatus<S extends string>(field: string, value: unknown, model: StatusModel<S, string>): S {
  const status = checkStatus(field, value, model);
  if (model.isFailure(status)) {
    const others = model.statuses.filter((name) => !model.isFailure(name));
    throw new ConfigError(
      field,
      `cannot wait for "${String(value)}": the API does not allow waiting for a failure status (it is reported when it happens); use one of ${others.join(', ')}`,
    );
  }
  return status;
}

/** Any status name of the model, canonical or alias. */
export function checkStatus<S extends string>(field: string, value: unknown, model: StatusModel<S, string>): S {
  const status = model.parse(value);
  if (status === undefined) {
    const aliases = Object.keys(model.aliases);
    throw new ConfigError(
      field,
      `${describe(value)} is not a ${model.name} status; expected one of ${model.statuses.join(', ')}${aliases.length ? ` (or ${aliases.join(', ')})` : ''}`,
    );
  }
  return status;
}

export interface CheckedWatchOptions<S extends string> {
  until: S | undefined;
  signal: AbortSignal | undefined;
  timeout: number | undefined;
}

/** `{ until?, signal?, timeout? }` of `watch` and `watchMany` (`waitFor` takes no `until`). */
export function checkWatchOptions<S extends string>(
  options: unknown,
  model: StatusModel<S, string>,
  allowUntil: boolean,
): CheckedWatchOptions<S> {
  if (options === undefined) return { until: undefined, signal: undefined, timeout: undefined };
  if (typeof options !== 'object' || options === null) {
    throw new ConfigError('options', `expected an object, got ${describe(options)}`);
  }
  rejectUnknownKeys('options', options, allowUntil ? ['until', 'signal', 'timeout'] : ['signal', 'timeout']);
  const { until, signal, timeout } = options as Record<string, unknown>;
  if (
    signal !== undefined &&
    (typeof signal !== 'object' ||
      signal === null ||
      typeof (signal as AbortSignal).aborted !== 'boolean' ||
      typeof (signal as AbortSignal).addEventListener !== 'function')
  ) {
    throw new ConfigError('options.signal', 'expected an AbortSignal');
  }
  return {
    until: until === undefined ? undefined : checkWaitableStatus('options.until', until, model),
    signal: signal as AbortSignal | undefined,
    timeout: timeout === undefined ? undefined : number('options.timeout', timeout, 0, 1),
  };
}
