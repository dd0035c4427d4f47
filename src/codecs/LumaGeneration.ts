import * as t from 'io-ts';
import { lumaStatuses, type LumaStatus } from '../status/lumaStatuses.js';
import { allOf } from './allOf.js';
import { nullable } from './nullable.js';
import { statusField } from './statusField.js';

/** Files of a generation; filled as it progresses. */
export const LumaAssets = t.partial(
  {
    video: nullable(t.string),
    image: nullable(t.string),
    progress_video: nullable(t.string),
  },
  'LumaAssets',
);

/**
 * A Luma video generation as the AI/ML API sends it.
 *
 * `id` is required, and a state in `state` (or, as some of the API's own
 * examples have it, `status`). Other fields are optional and may be `null`;
 * unknown fields are kept.
 */
export const LumaGeneration = allOf(
  [
    t.type({ id: t.string }),
    statusField<LumaStatus, never, 'state' | 'status'>(lumaStatuses),
    t.partial({
      failure_reason: nullable(t.string),
      created_at: nullable(t.string),
      assets: nullable(LumaAssets),
      generation_type: nullable(t.string),
      model: nullable(t.string),
      request: nullable(t.UnknownRecord),
    }),
  ],
  'LumaGeneration',
);
export type LumaGeneration = t.TypeOf<typeof LumaGeneration>;
