import * as t from 'io-ts';
import { sunoStatuses } from '../status/sunoStatuses.js';
import { allOf } from './allOf.js';
import { nullable } from './nullable.js';
import { statusValue } from './statusField.js';

/** A number, or a string that holds one (`"191"`): the documents show both. Kept as sent. */
const isNumeric = (value: unknown): value is number | string =>
  (typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim()));
export const NumberOrNumericString: t.Type<number | string, number | string, unknown> = new t.Type<number | string, number | string, unknown>(
  'number | numeric string',
  isNumeric,
  (value, context) => (isNumeric(value) ? t.success(value) : t.failure(value, context)),
  t.identity,
);

/** One step of a clip's history: an extension made from another clip. `continue_at` may be left out. */
export const SunoClipHistoryItem = allOf(
  [
    t.type({
      /** The extended clip's id. */
      id: t.string,
    }),
    t.partial({
      /** Where the extension starts, in seconds. */
      continue_at: nullable(t.number),
    }),
  ],
  'SunoClipHistoryItem',
);

/** What a clip was generated from. Every field may be absent or `null` at early statuses. */
export const SunoClipMetadata = t.partial(
  {
    /** Length in seconds, as a number or a numeric string; set once the clip is `complete`. */
    duration: nullable(NumberOrNumericString),
    /** Lyrics, written by GPT or given by the user. */
    prompt: nullable(t.string),
    gpt_description_prompt: nullable(t.string),
    /** Style keywords. */
    tags: nullable(t.string),
    /** `"extend"` for an extension; absent for a first generation. */
    task: nullable(t.string),
    history: nullable(t.array(SunoClipHistoryItem)),
    /** Why the clip failed, when its status is `error`. */
    error_message: nullable(t.string),
    error_type: nullable(t.string),
  },
  'SunoClipMetadata',
);


/**
 * A Suno clip as the AI/ML API sends it (seed "What is a Clip").
 *
 * `id` and `status` are required; every other documented field is optional
 * and may be `null`, because which fields are filled depends on the status.
 * Fields the documents do not list are kept as they came.
 */
export const SunoClip = allOf(
  [
    t.type({ id: t.string, status: statusValue(sunoStatuses) }),
    t.partial({
      title: nullable(t.string),
      /** Empty while queued, a stream while streaming, `"None.mp3"` on error, the file when complete. */
      audio_url: nullable(t.string),
      image_url: nullable(t.string),
      /** Empty until the clip is complete. */
      video_url: nullable(t.string),
      model_name: nullable(t.string),
      /** ISO date of the request. */
      created_at: nullable(t.string),
      metadata: nullable(SunoClipMetadata),
    }),
  ],
  'SunoClip',
);
export type SunoClip = t.TypeOf<typeof SunoClip>;
