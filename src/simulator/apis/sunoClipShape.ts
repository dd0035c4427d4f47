import type { SimulatedJob } from '../spec/jobs.js';

/**
 * A Suno clip as seed 002 describes it, at `status`, with its files served
 * by the simulator (`baseUrl/_simulator/media/…`) so they can be downloaded
 * and played: `audio_url` empty while submitted or queued, a stream while
 * streaming, the file when complete, `"None.mp3"` on error.
 */
export function sunoClipAt(job: SimulatedJob, status: string, baseUrl: string): { clip: Record<string, unknown>; metadata: Record<string, unknown> } {
  const done = status === 'complete';
  const media = `${baseUrl}/_simulator/media/${encodeURIComponent(job.id)}`;
  const audio = status === 'streaming' ? `${media}.mp3?stream=1` : done ? `${media}.mp3` : status === 'error' ? 'None.mp3' : '';
  const image = status === 'submitted' || status === 'queued' ? '' : `${media}.jpg`;
  const metadata: Record<string, unknown> = {
    tags: job.tags,
    prompt: job.prompt,
    gpt_description_prompt: null,
    history: null,
    duration: done ? 60 + (job.id.charCodeAt(0) % 120) : null,
  };
  const clip: Record<string, unknown> = {
    id: job.id,
    title: job.title,
    status,
    audio_url: audio,
    image_url: image,
    video_url: done ? `${media}.mp4` : '',
    model_name: 'chirp-v3',
    created_at: new Date(job.createdAt).toISOString(),
    metadata,
  };
  return { clip, metadata };
}

/** The life of a Suno clip: submitted, queued within 1–4 s, streaming after 5–40 s more, complete after 30–120 s more. */
export const sunoLife = [
  ['submitted', 0, 0],
  ['queued', 1_000, 4_000],
  ['streaming', 5_000, 40_000],
  ['complete', 30_000, 120_000],
] as const;

/** A non-empty string field of a create body. */
export function textField(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
