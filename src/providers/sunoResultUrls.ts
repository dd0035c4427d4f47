import type { ResultUrls } from './Provider.js';

/** A Suno clip's files: `audio_url` is a stream while streaming and the file once complete. */
export function sunoResultUrls(clip: { status: string; audio_url?: string | null; video_url?: string | null; image_url?: string | null }): ResultUrls {
  const audio = clip.audio_url ?? undefined;
  const done = clip.status === 'complete' || clip.status === 'completed';
  return {
    ...(done ? { audio } : clip.status === 'streaming' ? { stream: audio } : {}),
    video: clip.video_url ?? undefined,
    image: clip.image_url ?? undefined,
  };
}
