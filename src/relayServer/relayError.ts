import type { Client } from '../client/Client.js';
import { isClipstreamError } from '../errors/isClipstreamError.js';
import type { AnyProvider } from '../providers/Provider.js';
import type { RelayError } from '../engine/relay/protocol.js';

/**
 * A relayed error: the fields a browser can use, and a message of the
 * relay's own. The upstream message holds the upstream URL and what the
 * API said (account details, quotas): none of it goes to a browser. A
 * `ConfigError` is about the browser's own input, and says what was wrong.
 */
export function relayError(error: unknown, client: Client<AnyProvider>): RelayError {
  if (!isClipstreamError(error)) return { name: 'Error', message: 'the relay could not watch the job' };
  const fields = error as unknown as Record<string, unknown>;
  const pick = <T>(name: string, type: string) => (typeof fields[name] === type ? (fields[name] as T) : undefined);
  const status = pick<number>('status', 'number');
  const reason = pick<string>('reason', 'string');
  const attempt = pick<number>('attempt', 'number');
  const requestId = pick<string>('requestId', 'string');
  const title = client.provider.title;
  const messages: Partial<Record<string, string>> = {
    HttpError: `${title} answered HTTP ${status ?? '?'}`,
    NetworkError: `${title} could not be reached (${reason ?? 'network'})`,
    DecodeError: `${title} answered something that is not a job`,
    WatchTimeoutError: 'the relay gave up waiting for the job',
    ConfigError: client.provider.redact(error.message),
  };
  return {
    name: error.name,
    message: messages[error.name] ?? 'the relay could not watch the job',
    ...(status === undefined ? {} : { status }),
    ...(reason === undefined ? {} : { reason }),
    ...(attempt === undefined ? {} : { attempt }),
    ...(requestId === undefined ? {} : { requestId: client.provider.redact(requestId) }),
  };
}
