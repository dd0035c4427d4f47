import { ClipstreamError, type ClipstreamErrorName } from './ClipstreamError.js';
import { ConfigError } from './ConfigError.js';
import { DecodeError } from './DecodeError.js';
import { HttpError } from './HttpError.js';
import { NetworkError, type NetworkErrorReason } from './NetworkError.js';
import { WatchTimeoutError } from './WatchTimeoutError.js';

/** An error as it crossed a wire: its name, message and the fields that matter. */
export interface ErrorData {
  readonly name: string;
  readonly message: string;
  readonly status?: number;
  readonly reason?: string;
  readonly attempt?: number;
  readonly requestId?: string;
}

/**
 * The clipstream error `data` describes, of its own class (so
 * `isClipstreamError(error, 'HttpError')` holds), with the message as it was
 * first written. `where` names the remote end in fields that need a URL.
 */
export function reviveError(data: ErrorData, where: string): ClipstreamError {
  const info = { method: 'GET', url: where, attempt: data.attempt ?? 1 };
  let error: ClipstreamError;
  switch (data.name as ClipstreamErrorName) {
    case 'HttpError':
      error = new HttpError({ request: info, status: data.status ?? 502, requestId: data.requestId });
      break;
    case 'NetworkError':
      error = new NetworkError(info, (data.reason as NetworkErrorReason) ?? 'connection', data.message);
      break;
    case 'DecodeError':
      error = new DecodeError(where, [data.message]);
      break;
    case 'WatchTimeoutError':
      error = new WatchTimeoutError({ timeout: 0, pending: [], lastSeen: new Map() });
      break;
    default:
      error = new ConfigError('relay', data.message);
  }
  Object.defineProperty(error, 'message', { value: data.message, enumerable: false, writable: true, configurable: true });
  return error;
}
