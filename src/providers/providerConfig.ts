import { ConfigError } from '../errors/ConfigError.js';

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Rejects keys that are not options of `what`, naming the closest known one. */
export function rejectUnknownKeys(what: string, value: object, known: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const close = known.find((name) => editDistance(name.toLowerCase(), key.toLowerCase()) <= 2);
    throw new ConfigError(
      `${what}.${key}`,
      `unknown option${close ? ` (did you mean "${close}"?)` : `; known options: ${known.join(', ')}`}`,
    );
  }
}

/**
 * Checks a provider's `{ apiKey, baseUrl }` and returns them cleaned up.
 * The key's value is never put in an error.
 */
export function checkProviderConfig(
  factory: string,
  config: unknown,
  defaultBaseUrl: string,
): { apiKey: string; baseUrl: string } {
  if (typeof config !== 'object' || config === null) {
    throw new ConfigError(factory, `expected { apiKey, baseUrl? }, got ${config === null ? 'null' : typeof config}`);
  }
  rejectUnknownKeys(factory, config, ['apiKey', 'baseUrl']);
  const { apiKey, baseUrl = defaultBaseUrl } = config as { apiKey?: unknown; baseUrl?: unknown };
  if (apiKey === undefined || apiKey === null || apiKey === '') {
    throw new ConfigError(`${factory}.apiKey`, 'the API key is missing');
  }
  if (typeof apiKey !== 'string') throw new ConfigError(`${factory}.apiKey`, `expected a string, got ${typeof apiKey}`);
  // eslint-disable-next-line no-control-regex
  if (/[\s\u0000-\u001f\u007f]/.test(apiKey)) {
    throw new ConfigError(`${factory}.apiKey`, 'the API key contains whitespace or control characters');
  }
  return { apiKey, baseUrl: checkBaseUrl(`${factory}.baseUrl`, baseUrl) };
}

/** An https URL, or an http one on a loopback host; returned without a trailing slash. */
export function checkBaseUrl(field: string, value: unknown): string {
  if (typeof value !== 'string') throw new ConfigError(field, `expected a URL string, got ${typeof value}`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(field, `"${value}" is not a URL`);
  }
  if (url.username || url.password) throw new ConfigError(field, 'must not contain credentials; pass the key as apiKey');
  if (url.search || url.hash) throw new ConfigError(field, `"${value}" must not have a query or fragment`);
  if (url.protocol === 'http:' && !loopbackHosts.has(url.hostname)) {
    throw new ConfigError(
      field,
      `"${value}" is plain http; use https (http is allowed only for 127.0.0.1, localhost and [::1])`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(field, `"${value}" must be an https URL`);
  }
  return url.href.replace(/\/+$/, '');
}

/**
 * The pieces every provider shares: headers with the key, and redaction of the
 * key from text a server sent back, in every form it may take there: as is,
 * JSON-escaped (`\\/` for `/` too, as PHP writes it) and URL-encoded.
 */
export function credentials(apiKey: string, extraHeaders: Record<string, string> = {}) {
  const escaped = JSON.stringify(apiKey).slice(1, -1);
  const forms = [...new Set([apiKey, escaped, escaped.replace(/\//g, '\\/'), encodeURIComponent(apiKey)])];
  return {
    headers: (): Record<string, string> => ({ Authorization: `Bearer ${apiKey}`, ...extraHeaders }),
    redact: (text: string): string => forms.reduce((result, form) => result.split(form).join('[redacted]'), text),
  };
}

/** A parsed JSON value with `redact` applied to every string in it, keys included. */
export function redactDeep(value: unknown, redact: (text: string) => string): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, redact));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [redact(key), redactDeep(item, redact)]));
  }
  return value;
}

/** A non-empty string, or nothing: for the reason a failed job gives. */
export function reasonOf(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** Levenshtein distance, for "did you mean" hints. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
