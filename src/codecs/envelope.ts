/** The jobs an answer holds, and the JSON path of their list (`undefined` for a bare job). */
export type Opened =
  /** `single`: one job sits at `prefix` itself (`{"data": {…}}`), not in a list there. */
  | { readonly items: readonly unknown[]; readonly prefix?: string; readonly single?: boolean }
  /** What is wrong (`/clips: expected an array of jobs but got`), and the value to quote after it. */
  | { readonly problem: string; readonly value: unknown };

/** How an API wraps the jobs of a fetch answer. */
export interface Envelope {
  /** The shapes accepted, for error messages: `a job, an array of jobs or {"clips": [...]}`. */
  readonly expected: string;
  /** The jobs of `body`, or what is wrong with it. */
  open(body: unknown): Opened;
}

/**
 * An envelope accepting any of: a bare job (an object without the list
 * keys), a bare array of jobs, and `{ key: [...] }` (or `{ key: {job} }`)
 * for each list key.
 *
 * ## Example
 * ```ts
 * envelope({ lists: ['clips'] });       // a job, [jobs], {"clips": [jobs]}
 * envelope({ lists: ['data'], bare: false, array: false });  // only {"data": [jobs]}
 * ```
 */
export function envelope(options: { lists?: readonly string[]; bare?: boolean; array?: boolean } = {}): Envelope {
  const { lists = [], bare = true, array = true } = options;
  const shapes = [...(bare ? ['a job'] : []), ...(array ? ['an array of jobs'] : []), ...lists.map((key) => `{"${key}": [...]}`)];
  const expected = shapes.length > 1 ? `${shapes.slice(0, -1).join(', ')} or ${shapes.at(-1)}` : (shapes[0] ?? 'nothing');
  return {
    expected,
    open(body) {
      if (Array.isArray(body)) return array ? { items: body, prefix: '' } : { problem: `/: expected ${expected} but got`, value: body };
      if (typeof body === 'object' && body !== null) {
        for (const key of lists) {
          if (!(key in body)) continue;
          const list = (body as Record<string, unknown>)[key];
          if (Array.isArray(list)) return { items: list, prefix: `/${key}` };
          if (typeof list === 'object' && list !== null) return { items: [list], prefix: `/${key}`, single: true };
          return { problem: `/${key}: expected an array of jobs but got`, value: list };
        }
        if (bare) return { items: [body] };
      }
      return { problem: `/: expected ${expected} but got`, value: body };
    },
  };
}

/**
 * The envelopes of the seed documents' APIs, none of which documents one:
 * a bare job, a bare array, `{"clips": [...]}` or `{"generations": [...]}`.
 */
export const tolerantEnvelope: Envelope = envelope({ lists: ['clips', 'generations'] });
