import * as t from 'io-ts';

/**
 * A value the APIs may also send as `null`: `t.union([codec, t.null])`, with
 * an `is` that allocates nothing (io-ts's union `is` makes a closure per
 * call, and every field of every job goes through one).
 */
export function nullable<C extends t.Mixed>(codec: C) {
  const union = t.union([codec, t.null], `(${codec.name} | null)`);
  return new t.UnionType<[C, t.NullC], t.TypeOf<C> | null, t.OutputOf<C> | null, unknown>(
    union.name,
    (value): value is t.TypeOf<C> | null => value === null || codec.is(value),
    union.validate,
    union.encode,
    union.types,
  );
}
