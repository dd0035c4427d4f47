import * as t from 'io-ts';
import { statusWord, type UnknownStatus } from '../status/unknownStatus.js';

/** What a status codec needs of a model: its names and where a job holds its status. */
interface StatusNames<S extends string, A extends string> {
  readonly name: string;
  readonly statuses: readonly S[];
  readonly aliases: Readonly<Record<A, S>>;
  readonly fields: readonly string[];
}

/**
 * A status name, kept as sent: one the model accepts (canonical or alias), or
 * a word that may be a later API version's (`statusWord`), which watches report once without ending
 * (docs/watching.md, "A status clipstream does not know").
 */
export function statusValue<S extends string, A extends string>(model: StatusNames<S, A>) {
  const names = [...model.statuses, ...(Object.keys(model.aliases) as A[])];
  const known = t.keyof(
    Object.fromEntries(names.map((name) => [name, null])) as Record<S | A, null>,
    names.map((name) => JSON.stringify(name)).join(' | '),
  );
  const isName = (u: unknown): u is S | A | UnknownStatus => known.is(u) || (typeof u === 'string' && statusWord.test(u));
  return new t.Type<S | A | UnknownStatus, S | A | UnknownStatus, unknown>(
    `${known.name} | (a status of a later API version)`,
    isName,
    (u, context) => (isName(u) ? t.success(u) : t.failure(u, context)),
    t.identity,
  );
}

/**
 * The status of a job, read from the first of the model's fields that is
 * present (`state`, then `status`, for Luma: the model says which) and
 * checked to be a status name (one the model knows, or a later one). Nothing is rewritten: the job
 * keeps the spelling the API sent. A job with none of the fields fails at
 * the first one.
 */
export function statusField<S extends string, A extends string, F extends string = string>(model: StatusNames<S, A>) {
  const value = statusValue(model);
  const fields = model.fields as readonly F[];
  type Fields = { [K in F]?: S | A | UnknownStatus };
  const present = (record: Record<string, unknown>): string =>
    fields.find((name) => record[name] !== undefined && record[name] !== null) ?? fields[0] ?? 'status';
  return new t.Type<Fields, Fields, unknown>(
    `${model.name}StatusField`,
    (u): u is Fields => typeof u === 'object' && u !== null && value.is((u as Record<string, unknown>)[present(u as Record<string, unknown>)]),
    (u, context) => {
      if (typeof u !== 'object' || u === null) return t.failure(u, context);
      const record = u as Record<string, unknown>;
      const field = present(record);
      const result = value.validate(record[field], t.appendContext(context, field, value, record[field]));
      return result._tag === 'Left' ? result : t.success(u as Fields);
    },
    t.identity,
  );
}
