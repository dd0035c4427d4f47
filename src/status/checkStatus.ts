import { ConfigError } from '../errors/ConfigError.js';
import type { StatusModel } from './StatusModel.js';

/** Any status name of the model, canonical or alias, as its canonical name; a `ConfigError` naming `field` otherwise. */
export function checkStatus<S extends string>(field: string, value: unknown, model: StatusModel<S, string>): S {
  const status = model.parse(value);
  if (status === undefined) {
    const aliases = Object.keys(model.aliases);
    const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 60)) : value === null ? 'null' : typeof value;
    throw new ConfigError(
      field,
      `${shown} is not a ${model.name} status; expected one of ${model.statuses.join(', ')}${aliases.length ? ` (or ${aliases.join(', ')})` : ''}`,
    );
  }
  return status;
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
