import * as t from 'io-ts';

/**
 * `t.intersection` of two or three codecs, with an `is` that allocates
 * nothing (io-ts's intersection `is` makes a closure per call, and every job
 * of every answer goes through one). Decoding, and so every error message,
 * is the intersection's own.
 */
export function allOf<A extends t.Mixed, B extends t.Mixed>(
  codecs: [A, B],
  name: string,
): t.IntersectionType<[A, B], t.TypeOf<A> & t.TypeOf<B>, t.OutputOf<A> & t.OutputOf<B>, unknown>;
export function allOf<A extends t.Mixed, B extends t.Mixed, C extends t.Mixed>(
  codecs: [A, B, C],
  name: string,
): t.IntersectionType<[A, B, C], t.TypeOf<A> & t.TypeOf<B> & t.TypeOf<C>, t.OutputOf<A> & t.OutputOf<B> & t.OutputOf<C>, unknown>;
export function allOf(codecs: [t.Mixed, t.Mixed] | [t.Mixed, t.Mixed, t.Mixed], name: string) {
  const intersection = t.intersection(codecs as [t.Mixed, t.Mixed], name);
  const is = (value: unknown): value is unknown => {
    for (const codec of codecs) if (!codec.is(value)) return false;
    return true;
  };
  return new t.IntersectionType(name, is, intersection.validate, intersection.encode, codecs);
}
