import { mediaFile } from './media.js';
import type { RequestRecord, SimulatorStats } from './RequestLog.js';
import { corsHeaders, type SimulatedReply } from './SimulatedCall.js';

/** What the simulator's own views show. */
export interface SimulationViews {
  stats(): SimulatorStats;
  requests(): readonly RequestRecord[];
  jobs(): unknown[];
}

/**
 * The simulator's own pages, under `/_simulator/`: `media/FILE` (the result
 * URLs of jobs), `stats`, `requests?limit=N`, `jobs`. Not logged: they are
 * not the APIs' traffic.
 */
export function inspect(url: URL, reply: SimulatedReply, views: SimulationViews): void {
  const json = { ...corsHeaders, 'content-type': 'application/json' };
  if (url.pathname.startsWith('/_simulator/media/')) {
    const media = mediaFile(url.pathname.slice('/_simulator/media/'.length));
    if (media) return reply.send(200, { ...corsHeaders, 'content-type': media.contentType, 'cache-control': 'max-age=3600', 'accept-ranges': 'none' }, media.body);
    return reply.send(404, json, JSON.stringify({ message: 'no such media file' }));
  }
  const limit = Number(url.searchParams.get('limit') ?? 100);
  const pages: Record<string, () => unknown> = {
    '/_simulator/stats': () => views.stats(),
    '/_simulator/requests': () => views.requests().slice(-Math.max(0, Number.isFinite(limit) ? limit : 100)),
    '/_simulator/jobs': () => views.jobs(),
  };
  const page = pages[url.pathname];
  reply.send(page ? 200 : 404, json, JSON.stringify(page ? page() : { message: `no such view; try ${Object.keys(pages).join(', ')}` }));
}
