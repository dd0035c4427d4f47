import { AimlAudioGeneration } from '../codecs/AimlGeneration.js';
import { envelope } from '../codecs/envelope.js';
import { aimlBodyError, aimlUnknownId, byGenerationId, createdId } from './aimlGeneric.js';
import { defineProvider } from './defineProvider.js';
import { aimlAudioIdentity } from './identities.js';
import { aimlGenerationDurations } from './typicalDurations.js';

/** What `client.create` takes for AI/ML API audio: a model (`"suno/v4"`, …) and its fields. */
export interface AimlAudioCreate {
  readonly model: string;
  readonly prompt?: string;
  readonly [field: string]: unknown;
}

/**
 * Audio generations at the AI/ML API's current generic endpoints: create with
 * `POST /v2/generate/audio`, fetch with `GET /v2/generate/audio?generation_id=ID`,
 * which answers `{ id, status, audio_file: { url } | null, error, meta }`. No
 * wait parameter, no multi-id fetch: one id per request, polled with the
 * client's pacing.
 *
 * ## Example
 * ```ts
 * import { createClient, aimlAudio } from 'clipstream';
 *
 * const client = createClient(aimlAudio({ apiKey: process.env.AIMLAPI_KEY! }));
 * const [id] = await client.create({ model: 'stable-audio', prompt: 'rain on a tin roof' });
 * const done = await client.waitFor(id!, 'completed');
 * console.log(client.provider.resultUrls(done).audio);
 * ```
 *
 * @param config `apiKey` (required) and `baseUrl` (default `https://api.aimlapi.com`)
 */
export const aimlAudio = defineProvider({
  ...aimlAudioIdentity,
  factory: 'aimlAudio',
  typicalDurations: aimlGenerationDurations,
  defaultBaseUrl: 'https://api.aimlapi.com',
  codec: AimlAudioGeneration,
  fetch: { url: byGenerationId('/v2/generate/audio') },
  envelope: envelope(),
  bodyError: aimlBodyError,
  isUnknownId: aimlUnknownId,
  create: {
    request: (input: AimlAudioCreate) => ({ path: '/v2/generate/audio', body: input }),
    ids: createdId,
  },
});
