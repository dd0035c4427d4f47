/**
 * Why a transport got no whole response:
 * - `connection`: refused, reset or dropped before the response (retried);
 * - `truncated`: the body broke off before its end (retried);
 * - `too-large`: the body passed `maxResponseBytes` and was abandoned (not retried);
 * - `request`: the request could not be sent at all, such as a header value
 *   fetch refuses or a protocol it does not speak (not retried).
 */
export type TransportFailure = 'connection' | 'truncated' | 'too-large' | 'request';

/**
 * The error a {@link Transport} reports when it got no whole response. The
 * client turns it into a `NetworkError` naming the request; the message must
 * not hold secrets (it is redacted anyway). Any other error a transport
 * throws counts as `connection`.
 */
export class TransportError extends Error {
  override readonly name = 'TransportError';

  constructor(
    readonly failure: TransportFailure,
    message: string,
  ) {
    super(message);
  }
}
