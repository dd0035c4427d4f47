import type { HttpRequest } from '../transport/Transport.js';

/**
 * The AI/ML API's fetch endpoints share one pattern: `…/{noun}?{noun}_id=ID`
 * for one job, `…/{noun}s?{noun}_ids[]=A&{noun}_ids[]=B` for several, and a
 * wait parameter (`status` for Suno, `state` for Luma). Ids and the wait value
 * are encoded by URLSearchParams, as the API's own examples do.
 */
export function aimlFetchRequest(
  endpoint: { baseUrl: string; path: string; noun: string; waitParam: string },
  headers: () => Record<string, string>,
) {
  const { baseUrl, path, noun, waitParam } = endpoint;
  return (ids: readonly string[], wait: string | undefined): HttpRequest => {
    const query = new URLSearchParams();
    if (ids.length === 1) query.set(`${noun}_id`, ids[0]!);
    else for (const id of ids) query.append(`${noun}_ids[]`, id);
    if (wait !== undefined) query.set(waitParam, wait);
    const resource = ids.length === 1 ? noun : `${noun}s`;
    return { method: 'GET', url: `${baseUrl}${path}/${resource}?${query}`, headers: headers() };
  };
}
