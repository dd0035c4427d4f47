import type * as t from 'io-ts';
import { DecodeError } from '../errors/DecodeError.js';
import { formatErrors, show } from './formatErrors.js';

/** The answer for one requested id: its job, or why there is none. */
export type JobResult<J> =
  | { readonly id: string; readonly job: J; readonly error?: undefined }
  | { readonly id: string; readonly job?: undefined; readonly error: Error };

const envelopes = ['clips', 'generations'] as const;

/**
 * Decodes a fetch answer into one result per requested id.
 *
 * The envelope is not documented, so any of these is accepted: a bare job,
 * a bare array of jobs, `{ "clips": [...] }`, `{ "generations": [...] }`.
 * Anything else throws a `DecodeError` for the whole answer. Each job is
 * decoded on its own, so one bad job fails only its own id; an id the answer
 * does not contain gets a `DecodeError` saying so.
 *
 * @param source what to name in errors: `GET https://…`
 * @param redact applied to every value quoted in an error before it is cut short, so no secret the server echoes ends up there
 */
export function decodeJobs<J>(
  body: unknown,
  codec: t.Decoder<unknown, J>,
  ids: readonly string[],
  source: string,
  redact: (text: string) => string = (text) => text,
): JobResult<J>[] {
  const { items, prefix } = unwrap(body, source, redact);
  const byId = new Map<string, { index: number; item: unknown }>();
  const withoutId: string[] = [];
  items.forEach((item, index) => {
    const id = typeof item === 'object' && item !== null ? (item as { id?: unknown }).id : undefined;
    const path = prefix === undefined ? '' : `${prefix}/${index}`;
    if (typeof id !== 'string') withoutId.push(`${path}/id: expected string but got ${show(id, redact)}`);
    else if (!byId.has(id)) byId.set(id, { index, item });
  });
  return ids.map((id): JobResult<J> => {
    const found = byId.get(id);
    if (found === undefined) {
      const seen = [...byId.keys()];
      const lines = [
        `/: no job with id "${id}" in the answer (${seen.length ? `ids present: ${seen.map((s) => `"${s}"`).join(', ')}` : 'no ids present'})`,
        ...withoutId,
      ];
      return { id, error: new DecodeError(source, lines.map(redact), id) };
    }
    const decoded = codec.decode(found.item);
    if (decoded._tag === 'Right') return { id, job: decoded.right };
    const path = prefix === undefined ? '' : `${prefix}/${found.index}`;
    return { id, error: new DecodeError(source, formatErrors(decoded.left, path, redact), id) };
  });
}

/** The list of raw jobs in an answer, and the JSON path it sits at (`undefined` for a bare job). */
function unwrap(body: unknown, source: string, redact: (text: string) => string): { items: unknown[]; prefix?: string } {
  if (Array.isArray(body)) return { items: body, prefix: '' };
  if (typeof body === 'object' && body !== null) {
    for (const key of envelopes) {
      if (key in body) {
        const list = (body as Record<string, unknown>)[key];
        if (Array.isArray(list)) return { items: list, prefix: `/${key}` };
        throw new DecodeError(source, [`/${key}: expected an array of jobs but got ${show(list, redact)}`]);
      }
    }
    return { items: [body] };
  }
  throw new DecodeError(source, [
    `/: expected a job, an array of jobs, {"clips": [...]} or {"generations": [...]} but got ${show(body, redact)}`,
  ]);
}
