/** What replaces a secret in any text clipstream passes on. */
export const redactedMark = '[redacted]';

/**
 * Keys shorter than this are redacted only where they follow `Bearer `:
 * redacting every "k" of a message for a one-letter test key would turn it
 * into nonsense, and real keys are far longer.
 */
export const minRedactedKeyLength = 8;

/** The shortest piece of the key's start redacted where a text is cut short. */
const minCutPrefix = 6;

/**
 * Makes the one redaction function of a key: it replaces the key, in every
 * form a server may echo it, with `[redacted]`:
 *
 * - as is, and in `Bearer KEY`;
 * - with any of its characters JSON-escaped (`\"`, `\\`, `\/`, `\u0041`),
 *   percent-encoded in either case (`%2F`, `%2f`) or form-encoded;
 * - base64, standard and url-safe, at any alignment inside a longer encoded
 *   text (`Bearer KEY` encoded whole is covered too);
 * - hex, in either case.
 *
 * Keys shorter than {@link minRedactedKeyLength} are redacted only as
 * `Bearer KEY` in those forms.
 */
export function createRedactor(key: string): (text: string) => string {
  if (key === '') return (text) => text;
  const target = key.length >= minRedactedKeyLength ? key : `Bearer ${key}`;
  // A text cut short can end inside the key (an excerpt, a truncated echo): its first 6 or more characters are redacted anywhere, longest first.
  const cutShort =
    key.length >= minRedactedKeyLength
      ? Array.from({ length: key.length - minCutPrefix }, (_, index) => escapeRegExp(key.slice(0, key.length - 1 - index))).join('|')
      : '';
  const patterns = [flexibleText(target), hexOf(target), ...base64Cores(target), cutShort];
  const pattern = new RegExp(patterns.filter((source) => source !== '').join('|'), 'g');
  return (text) => (typeof text === 'string' ? text.replace(pattern, redactedMark) : text);
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

/** Each character as itself or any escape of it: JSON, `\u`, percent (either case), `+` for a space. */
function flexibleText(text: string): string {
  return [...text]
    .map((char) => {
      const code = char.codePointAt(0)!;
      const forms = [escapeRegExp(char)];
      if (char === '/' || char === '"' || char === '\\') forms.push(escapeRegExp(`\\${char}`));
      if (char === ' ') forms.push('\\+');
      if (code < 0x10000) forms.push(`\\\\u${hexDigits(code, 4)}`);
      if (code < 0x80) forms.push(`%${hexDigits(code, 2)}`);
      else for (const byte of new TextEncoder().encode(char)) forms.push(`%${hexDigits(byte, 2)}`);
      return forms.length === 1 ? forms[0]! : `(?:${forms.join('|')})`;
    })
    .join('');
}

/** The UTF-8 bytes of `text` in hex, either case. */
function hexOf(text: string): string {
  return [...new TextEncoder().encode(text)].map((byte) => hexDigits(byte, 2)).join('');
}

/**
 * The part of `text`'s base64 that is the same wherever `text` sits in a
 * longer encoded string: one core for each of the three alignments, with the
 * characters that differ between the two alphabets matched either way.
 */
function base64Cores(text: string): string[] {
  const bytes = new TextEncoder().encode(text);
  const cores: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const padded = new Uint8Array(offset + bytes.length);
    padded.set(bytes, offset);
    const encoded = toBase64(padded);
    // Characters touched by the leading filler, and the last group (touched by whatever follows), vary.
    const start = Math.ceil((offset * 4) / 3);
    const end = Math.floor(((offset + bytes.length) * 4) / 3) - 1;
    const core = encoded.slice(start, Math.max(start, end));
    if (core.length >= 8) cores.push([...core].map((char) => (char === '+' || char === '-' ? '[+-]' : char === '/' || char === '_' ? '[/_]' : char)).join(''));
  }
  return cores;
}

const base64Alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function toBase64(bytes: Uint8Array): string {
  let out = '';
  for (let index = 0; index < bytes.length; index += 3) {
    const [a = 0, b = 0, c = 0] = [bytes[index], bytes[index + 1], bytes[index + 2]];
    const chunk = (a << 16) | (b << 8) | c;
    out += base64Alphabet[(chunk >> 18) & 63]! + base64Alphabet[(chunk >> 12) & 63]!;
    out += index + 1 < bytes.length ? base64Alphabet[(chunk >> 6) & 63]! : '=';
    out += index + 2 < bytes.length ? base64Alphabet[chunk & 63]! : '=';
  }
  return out;
}

/** `value` as `width` hex digits, each letter matching either case: `[2][fF]`. */
function hexDigits(value: number, width: number): string {
  return value
    .toString(16)
    .padStart(width, '0')
    .split('')
    .map((digit) => (/[a-f]/.test(digit) ? `[${digit}${digit.toUpperCase()}]` : digit))
    .join('');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}
