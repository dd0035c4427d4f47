import { lumaStatuses } from '../../status/lumaStatuses.js';
import type { SimulatedApiSpec } from '../spec/SimulatedApiSpec.js';
import { randomLife } from '../spec/timelines.js';
import { listParam } from './aimlSuno.js';
import { textField } from './sunoClipShape.js';

const base = '/v2/generate/video/luma-ai';

/** The documents call the wait value `state`, and one example `status`: both are read. */
const waitOf = (query: URLSearchParams) => query.get('state') ?? query.get('status') ?? undefined;

/** The Luma generation object, with its files served by the simulator. */
export function lumaGenerationAt(id: string, createdAt: number, prompt: string, state: string, baseUrl: string): Record<string, unknown> {
  const media = `${baseUrl}/_simulator/media/${encodeURIComponent(id)}`;
  return {
    id,
    state,
    failure_reason: state === 'failed' ? 'the generation was stopped: simulated failure' : null,
    created_at: new Date(createdAt).toISOString(),
    assets: state === 'completed' ? { video: `${media}.mp4`, image: `${media}.jpg` } : null,
    generation_type: 'video',
    model: 'ray-1-6',
    request: { prompt, aspect_ratio: '16:9' },
  };
}

/** Luma generations: queued, dreaming after 5–60 s, completed after 30–180 s more. */
export const lumaLife = [
  ['queued', 0, 0],
  ['dreaming', 5_000, 60_000],
  ['completed', 30_000, 180_000],
] as const;

/** AI/ML API Luma, as seed 004 describes it. */
export const aimlLumaSimulation: SimulatedApiSpec = {
  name: 'aiml-luma',
  title: 'AI/ML API Luma',
  basePath: '',
  statuses: lumaStatuses,
  noun: 'generation',
  waitName: 'state',
  longPollTimeout: 30_000,
  maxIds: 6,
  routes: [
    { kind: 'fetch', method: 'GET', path: `${base}/generation`, read: (query) => ({ ids: query.getAll('generation_id'), wanted: waitOf(query), multi: false }) },
    { kind: 'fetch', method: 'GET', path: `${base}/generations`, read: (query) => ({ ids: listParam(query, 'generation_ids'), wanted: waitOf(query), multi: true }) },
    { kind: 'create', method: 'POST', path: `${base}/generation` },
  ],
  randomTimeline: (random, failureRate) => randomLife(random, lumaLife, failureRate, 'failed', 0),
  render: (job, state, baseUrl) => lumaGenerationAt(job.id, job.createdAt, job.prompt, state, baseUrl),
  envelope: (jobs, multi) => (multi ? { generations: jobs } : jobs[0]),
  create(body, make, baseUrl) {
    const prompt = textField(body, 'prompt');
    if (!prompt) return { status: 400, body: { message: 'prompt is required' } };
    const job = make({ prompt });
    return { status: 200, body: lumaGenerationAt(job.id, job.createdAt, job.prompt, job.timeline[0]![0], baseUrl) };
  },
  errorBody: (_status, message) => ({ message }),
};
