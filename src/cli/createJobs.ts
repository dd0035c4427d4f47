import { lastValueFrom } from 'rxjs';
import type { AnyProvider } from '../providers/Provider.js';
import { fetchTransport } from '../transport/fetchTransport.js';

/**
 * Creates jobs through an API's create endpoint, for the demo: AI/ML API Suno
 * answers `{ clip_ids }`, Luma the generation, sunoapi.com `{ clips }`.
 * Returns the new job ids.
 */
export async function createJobs(provider: AnyProvider, prompt: string): Promise<string[]> {
  const [path, body] =
    provider.name === 'aiml-suno'
      ? ['/v2/generate/audio/suno-ai/clip', { prompt, tags: 'synthwave' }]
      : provider.name === 'aiml-luma'
        ? ['/v2/generate/video/luma-ai/generation', { prompt, aspect_ratio: '16:9' }]
        : ['/api/v2/suno/v3.5/custom/create-pure-music', { tags: prompt, title: 'demo' }];
  const url = `${provider.baseUrl}${path}`;
  const headers = { ...provider.headers(), 'Content-Type': 'application/json' };
  const response = await lastValueFrom(fetchTransport().request({ method: 'POST', url, headers, body: JSON.stringify(body) }));
  if (response.status !== 200) throw new Error(`POST ${url} answered HTTP ${response.status}`);
  const answer = JSON.parse(response.body) as { clip_ids?: string[]; id?: string; clips?: Array<{ id: string }> };
  if (answer.clip_ids) return answer.clip_ids;
  if (answer.clips) return answer.clips.map((clip) => clip.id);
  return [answer.id!];
}
