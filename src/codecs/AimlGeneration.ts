import * as t from 'io-ts';
import { aimlGenerationStatuses } from '../status/aimlGenerationStatuses.js';
import { allOf } from './allOf.js';
import { nullable } from './nullable.js';
import { statusValue } from './statusField.js';

/** A file of a finished generation. */
export const AimlFile = allOf([t.type({ url: t.string }), t.partial({ duration: nullable(t.number), content_type: nullable(t.string) })], 'AimlFile');

/** What a generation cost. */
export const AimlGenerationMeta = t.partial({ usage: nullable(t.partial({ credits_used: nullable(t.number) })) }, 'AimlGenerationMeta');

const common = {
  // The vendor's spec leaves `error` untyped: an object (`{ message }`, `{ detail: [{ msg }] }`) or a string. Any of them is a failure's reason, never a decode failure.
  error: t.unknown,
  meta: nullable(AimlGenerationMeta),
};

/**
 * A video generation as `GET /v2/video/generations?generation_id=…` sends it:
 * `{ id, status, video: { url } | null, error: { name, message } | null, meta }`.
 * Unknown fields are kept.
 */
export const AimlVideoGeneration = allOf(
  [t.type({ id: t.string, status: statusValue(aimlGenerationStatuses) }), t.partial({ video: nullable(AimlFile), ...common })],
  'AimlVideoGeneration',
);
export type AimlVideoGeneration = t.TypeOf<typeof AimlVideoGeneration>;

/**
 * An audio generation as `GET /v2/generate/audio?generation_id=…` sends it:
 * `{ id, status, audio_file: { url } | null, error, meta }`. Unknown fields are kept.
 */
export const AimlAudioGeneration = allOf(
  [t.type({ id: t.string, status: statusValue(aimlGenerationStatuses) }), t.partial({ audio_file: nullable(AimlFile), ...common })],
  'AimlAudioGeneration',
);
export type AimlAudioGeneration = t.TypeOf<typeof AimlAudioGeneration>;
