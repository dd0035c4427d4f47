import type { HttpResponse } from '../transport/Transport.js';

/**
 * An HTTP response with a JSON body.
 *
 * ## Example
 * ```ts
 * jsonResponse([sunoClip('a', 'queued')]);
 * jsonResponse({ message: 'slow down' }, { status: 429, headers: { 'retry-after': '2' } });
 * ```
 */
export function jsonResponse(
  body: unknown,
  init: { status?: number; headers?: Record<string, string> } = {},
): HttpResponse {
  return textResponse(JSON.stringify(body), {
    status: init.status ?? 200,
    headers: { 'content-type': 'application/json', ...init.headers },
  });
}

/** An HTTP response with a raw body, for malformed answers. */
export function textResponse(
  body: string,
  init: { status?: number; headers?: Record<string, string> } = {},
): HttpResponse {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(init.headers ?? { 'content-type': 'text/plain' })) {
    headers[name.toLowerCase()] = value;
  }
  return { status: init.status ?? 200, headers, body };
}

/** A minimal Suno clip (AI/ML API or sunoapi.com) with `fields` added. */
export function sunoClip(id: string, status: string, fields: Record<string, unknown> = {}) {
  return {
    id,
    status,
    title: `clip ${id}`,
    audio_url: status === 'complete' || status === 'streaming' ? `https://cdn.example/${id}.mp3` : '',
    ...fields,
  };
}

/** A minimal Luma generation with `fields` added. */
export function lumaGeneration(id: string, state: string, fields: Record<string, unknown> = {}) {
  return {
    id,
    state,
    failure_reason: state === 'failed' ? 'the prompt was refused' : null,
    assets: state === 'completed' ? { video: `https://cdn.example/${id}.mp4` } : null,
    ...fields,
  };
}
