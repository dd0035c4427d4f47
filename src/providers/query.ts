const plain = /^[A-Za-z0-9_.*-]*$/;

/**
 * `application/x-www-form-urlencoded`, as URLSearchParams writes it (space as
 * `+`, `*-._` kept), written out directly: it runs for every request.
 */
export function formEncode(text: string): string {
  if (plain.test(text)) return text;
  return encodeURIComponent(text)
    .replace(/%20/g, '+')
    .replace(/[!'()~]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * A query string from name and value pairs, each encoded as URLSearchParams
 * does; pairs with an undefined value are left out.
 *
 * ## Example
 * ```ts
 * query([['clip_ids[]', 'a'], ['clip_ids[]', 'b/c'], ['status', undefined]]); // 'clip_ids%5B%5D=a&clip_ids%5B%5D=b%2Fc'
 * ```
 */
export function query(pairs: ReadonlyArray<readonly [string, string | undefined]>): string {
  let out = '';
  for (const [name, value] of pairs) {
    if (value === undefined) continue;
    out += `${out === '' ? '' : '&'}${formEncode(name)}=${formEncode(value)}`;
  }
  return out;
}
