import * as t from 'io-ts';

/** A value the APIs may also send as `null`. */
export const nullable = <C extends t.Mixed>(codec: C) => t.union([codec, t.null], `(${codec.name} | null)`);
