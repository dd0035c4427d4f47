import { ClipstreamError } from './ClipstreamError.js';

/**
 * Bad input caught before any request is sent: an option, an id, a status
 * name, a missing API key, a base URL that is not https.
 *
 * `field` names what was wrong (`"ids[2]"`, `"until"`, `"baseUrl"`); the
 * message repeats it with the rule that was broken. The API key's value is
 * never part of an error.
 */
export class ConfigError extends ClipstreamError {
  /** What `instanceof` compares across copies of clipstream. @internal */
  static override readonly errorName = 'ConfigError';
  override readonly name = 'ConfigError' as const;

  constructor(
    /** The option or argument that was rejected, e.g. `"retry.limit"`. */
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}
