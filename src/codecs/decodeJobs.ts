import type * as t from 'io-ts';
import { DecodeError } from '../errors/DecodeError.js';
import { tolerantEnvelope, type Envelope } from './envelope.js';
import { formatErrors, show } from './formatErrors.js';

/** The answer for one requested id: its job, or why there is none (`missing`: the answer did not hold it). */
export type JobResult<J> =
  | { readonly id: string; readonly job: J; readonly error?: undefined; readonly missing?: undefined }
  | { readonly id: string; readonly job?: undefined; readonly error: Error; readonly missing?: boolean };

/**
 * Decodes a fetch answer into one result per requested id.
 *
 * The jobs are taken out of the API's `envelope` (by default a bare job, a
 * bare array of jobs, `{ "clips": [...] }` or `{ "generations": [...] }`);
 * anything else throws a `DecodeError` for the whole answer. Each job is
 * decoded on its own, so one bad job fails only its own id; an id the answer
 * does not contain gets a `DecodeError` saying so, marked `missing`. When an
 * answer holds one id twice, the copy with the highest status (by `rank`)
 * wins; jobs that were not asked for are ignored.
 *
 * @param source what to name in errors: `GET https://…`
 * @param redact applied to every value quoted in an error before it is cut short, so no secret the server echoes ends up there
 * @param rank the position of a decoded job's status, to choose between copies of one id
 * @param idField the field that holds a job's id
 */
export function decodeJobs<J>(
  body: unknown,
  codec: t.Decoder<unknown, J>,
  ids: readonly string[],
  source: string,
  redact: (text: string) => string = (text) => text,
  rank: (job: J) => number = () => 0,
  envelope: Envelope = tolerantEnvelope,
  idField = 'id',
): JobResult<J>[] {
  const opened = envelope.open(body);
  if ('problem' in opened) throw new DecodeError(source, [`${opened.problem} ${show(opened.value, redact)}`]);
  const { items, prefix, single } = opened;
  const pathOf = (index: number) => (prefix === undefined ? '' : single ? prefix : `${prefix}/${index}`);
  // The common case, one id and a bare job: decoded without building an index.
  if (ids.length === 1 && prefix === undefined && (items[0] as Record<string, unknown> | null)?.[idField] === ids[0]) {
    return [decodeOne(items[0], codec, ids[0]!, '', source, redact)];
  }
  const asked = new Set(ids);
  const byId = new Map<string, number[]>();
  const withoutId: string[] = [];
  items.forEach((item, index) => {
    const id = typeof item === 'object' && item !== null ? (item as Record<string, unknown>)[idField] : undefined;
    const path = pathOf(index);
    if (typeof id !== 'string') withoutId.push(`${path}/${idField}: expected string but got ${show(id, redact)}`);
    else if (asked.has(id)) byId.set(id, [...(byId.get(id) ?? []), index]);
  });
  return ids.map((id): JobResult<J> => {
    const found = byId.get(id);
    if (found === undefined) {
      const seen = [...byId.keys()];
      const lines = [
        `/: no job with id ${show(id, redact)} in the answer (${seen.length ? `ids present: ${seen.slice(0, 6).map((other) => show(other, redact)).join(', ')}` : 'no asked-for id present'})`,
        ...withoutId.slice(0, 6),
      ];
      return { id, error: new DecodeError(source, lines, id), missing: true };
    }
    const results = found.map((index) => decodeOne(items[index], codec, id, pathOf(index), source, redact));
    let best: JobResult<J> | undefined;
    for (const result of results) {
      if (result.error !== undefined) continue;
      if (best === undefined || rank(result.job) > rank(best.job!)) best = result;
    }
    return best ?? results[0]!;
  });
}

function decodeOne<J>(
  item: unknown,
  codec: t.Decoder<unknown, J>,
  id: string,
  path: string,
  source: string,
  redact: (text: string) => string,
): JobResult<J> {
  // The codecs here only check (none transforms), so a value that passes `is` decodes to itself:
  // that check allocates nothing, and a full decode runs only to report what is wrong.
  if (isGuard(codec) && codec.is(item)) return { id, job: item as J };
  const decoded = codec.decode(item);
  if (decoded._tag === 'Right') return { id, job: decoded.right };
  return { id, error: new DecodeError(source, formatErrors(decoded.left, path, redact), id) };
}

function isGuard<J>(codec: t.Decoder<unknown, J>): codec is t.Decoder<unknown, J> & { is(value: unknown): value is J } {
  return typeof (codec as { is?: unknown }).is === 'function';
}

