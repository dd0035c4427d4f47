import { ConfigError } from '../errors/ConfigError.js';
import { createRedactor } from '../internal/redact.js';
import { describe, optionsObject } from '../internal/validate.js';

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Checks a provider's `{ apiKey, baseUrl }` and returns them cleaned up.
 * The key's value is never put in an error: only what is wrong with it.
 */
export function checkProviderConfig(factory: string, config: unknown, defaultBaseUrl: string): { apiKey: string; baseUrl: string } {
  if (typeof config !== 'object' || config === null) {
    throw new ConfigError(factory, `expected { apiKey, baseUrl? }, got ${describe(config)}`);
  }
  const { apiKey, baseUrl = defaultBaseUrl } = optionsObject(factory, config, ['apiKey', 'baseUrl']);
  const checkedKey = checkApiKey(`${factory}.apiKey`, apiKey);
  return { apiKey: checkedKey, baseUrl: checkBaseUrl(`${factory}.baseUrl`, baseUrl, createRedactor(checkedKey)) };
}

/**
 * A bearer key: visible ASCII, no spaces. Anything else could not travel in a
 * header (fetch would throw with the key in its message), so it is refused
 * here, saying what is wrong and where, never what the key is.
 */
export function checkApiKey(field: string, apiKey: unknown): string {
  if (apiKey === undefined || apiKey === null || apiKey === '') throw new ConfigError(field, 'the API key is missing');
  if (typeof apiKey !== 'string') throw new ConfigError(field, `expected a string, got ${apiKey === null ? 'null' : typeof apiKey}`);
  const bad = [...apiKey].findIndex((char) => char < '\x21' || char > '\x7e');
  if (bad >= 0) {
    const code = apiKey.codePointAt([...apiKey].slice(0, bad).join('').length)!;
    const what =
      code === 0x20 ? 'a space' : code < 0x20 || code === 0x7f ? 'a control character' : code === 0x200b ? 'a zero-width space' : `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
    throw new ConfigError(field, `the API key has ${what} at position ${bad + 1} of ${[...apiKey].length}; a key is visible ASCII without spaces (was it pasted with something extra?)`);
  }
  return apiKey;
}

/** An https URL, or an http one on a loopback host; returned without a trailing slash. Never echoes credentials. */
export function checkBaseUrl(field: string, value: unknown, redact: (text: string) => string = (text) => text): string {
  if (typeof value !== 'string') throw new ConfigError(field, `expected a URL string, got ${describe(value)}`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    // Redacted before describe cuts it short: a cut could leave a piece of the key.
    throw new ConfigError(field, `${describe(redact(withoutUserinfo(value)))} is not a URL`);
  }
  if (url.username || url.password) throw new ConfigError(field, 'must not contain credentials; pass the key as apiKey');
  const shown = JSON.stringify(url.href);
  if (url.search || url.hash) throw new ConfigError(field, `${shown} must not have a query or fragment`);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConfigError(field, `${shown} must be an https URL`);
  if (url.protocol === 'http:' && !loopbackHosts.has(url.hostname)) {
    throw new ConfigError(field, `${shown} is plain http; use https (http is allowed only for 127.0.0.1, localhost and [::1])`);
  }
  return url.href.replace(/\/+$/, '');
}

/** A string that failed to parse as a URL, with anything that looks like `user:password@` cut out. */
function withoutUserinfo(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/*)?[^/?#@]*@/i, (_, scheme: string | undefined) => `${scheme ?? ''}…@`);
}

/**
 * The pieces every provider shares: headers with the key, and the key's
 * redaction function (see `createRedactor`).
 */
export function credentials(apiKey: string, extraHeaders: Record<string, string> = {}) {
  const headers = Object.freeze({ Authorization: `Bearer ${apiKey}`, ...extraHeaders });
  return {
    /** The same frozen object each time: it goes with every request, and nothing may change it. */
    headers: (): Readonly<Record<string, string>> => headers,
    redact: createRedactor(apiKey),
  };
}
