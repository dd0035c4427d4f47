import * as t from 'io-ts';
import { allOf } from './allOf.js';
import { nullable } from './nullable.js';
import { SunoClip } from './SunoClip.js';

/** Metadata fields sunoapi.com adds to a clip's (seed "Get Generated Music"). */
const SunoApiClipMetadata = t.partial(
  {
    audio_prompt_id: nullable(t.string),
    concat_history: nullable(t.UnknownArray),
    type: nullable(t.string),
    refund_credits: nullable(t.boolean),
    stream: nullable(t.boolean),
    infill: nullable(t.boolean),
    has_vocal: nullable(t.boolean),
    is_audio_upload_tos_accepted: nullable(t.boolean),
    error_type: nullable(t.string),
    error_message: nullable(t.string),
  },
  'SunoApiClipMetadata',
);

/**
 * A Suno clip as sunoapi.com sends it: the AI/ML API clip plus the fields of
 * `GET /api/v2/suno/v3.5/clips`. The sample response of that page decodes as
 * it is; unknown fields are kept.
 */
export const SunoApiClip = allOf(
  [
    SunoClip,
    t.partial({
      image_large_url: nullable(t.string),
      is_video_pending: nullable(t.boolean),
      major_model_version: nullable(t.string),
      is_liked: nullable(t.boolean),
      user_id: nullable(t.string),
      display_name: nullable(t.string),
      handle: nullable(t.string),
      is_handle_updated: nullable(t.boolean),
      avatar_image_url: nullable(t.string),
      is_trashed: nullable(t.boolean),
      reaction: nullable(t.UnknownRecord),
      play_count: nullable(t.number),
      upvote_count: nullable(t.number),
      is_public: nullable(t.boolean),
      metadata: nullable(SunoApiClipMetadata),
    }),
  ],
  'SunoApiClip',
);
export type SunoApiClip = t.TypeOf<typeof SunoApiClip>;
