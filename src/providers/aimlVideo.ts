import { AimlVideoGeneration } from '../codecs/AimlGeneration.js';
import { envelope } from '../codecs/envelope.js';
import { aimlBodyError, aimlUnknownId, byGenerationId, createdId } from './aimlGeneric.js';
import { defineProvider } from './defineProvider.js';
import { aimlVideoIdentity } from './identities.js';
import { aimlGenerationDurations } from './typicalDurations.js';

/** What `client.create` takes for AI/ML API video: a model such as `"luma/ray-2"`, and the prompt. */
export interface AimlVideoCreate {
  readonly model: string;
  readonly prompt: string;
  readonly [field: string]: unknown;
}

/**
 * Video generations at the AI/ML API's current generic endpoints: create with
 * `POST /v2/video/generations` (`{ model: "luma/ray-2", prompt, … }`), fetch
 * with `GET /v2/video/generations?generation_id=ID`. There is no wait
 * parameter and no multi-id fetch: one id per request, polled with the
 * client's pacing (`polling`). Ids look like
 * `7c880e75-9892-4238-8464-49cb0c6deabd:luma/ray-2`. A 403 means the account
 * is out of credits.
 *
 * ## Example
 * ```ts
 * import { createClient, aimlVideo } from 'clipstream';
 *
 * const client = createClient(aimlVideo({ apiKey: process.env.AIMLAPI_KEY! }));
 * client.generate({ model: 'luma/ray-2', prompt: 'a paper boat on a river' })
 *   .subscribe((job) => console.log(job.status, client.provider.resultUrls(job).video ?? ''));
 * // Output:
 * // generating
 * // completed https://cdn.aimlapi.com/…/video.mp4
 * ```
 *
 * @param config `apiKey` (required) and `baseUrl` (default `https://api.aimlapi.com`)
 */
export const aimlVideo = defineProvider({
  ...aimlVideoIdentity,
  factory: 'aimlVideo',
  typicalDurations: aimlGenerationDurations,
  defaultBaseUrl: 'https://api.aimlapi.com',
  codec: AimlVideoGeneration,
  fetch: { url: byGenerationId('/v2/video/generations') },
  envelope: envelope(),
  bodyError: aimlBodyError,
  isUnknownId: aimlUnknownId,
  create: {
    request: (input: AimlVideoCreate) => ({ path: '/v2/video/generations', body: input }),
    ids: createdId,
  },
});
