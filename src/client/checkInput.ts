import { ConfigError } from '../errors/ConfigError.js';
import { duration, optionsObject } from '../internal/validate.js';
import { checkStatus, checkWaitableStatus } from '../status/checkStatus.js';
import type { StatusModel } from '../status/StatusModel.js';

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
