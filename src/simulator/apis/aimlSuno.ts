import { sunoStatuses } from '../../status/sunoStatuses.js';
import type { SimulatedApiSpec } from '../spec/SimulatedApiSpec.js';
import { randomLife } from '../spec/timelines.js';
import { sunoClipAt, sunoLife, textField } from './sunoClipShape.js';

const base = '/v2/generate/audio/suno-ai';

/** Lists as the AI/ML API takes them: `name[]=a&name[]=b`, or `name=a,b`. */
export function listParam(query: URLSearchParams, name: string): string[] {
  return [...query.getAll(`${name}[]`), ...query.getAll(name).flatMap((value) => value.split(','))].filter((id) => id !== '');
}

/** AI/ML API Suno, as seeds 000–002 describe it. */
export const aimlSunoSimulation: SimulatedApiSpec = {
  name: 'aiml-suno',
  title: 'AI/ML API Suno',
  basePath: '',
  statuses: sunoStatuses,
  noun: 'clip',
  waitName: 'status',
  longPollTimeout: 120_000,
  maxIds: 6,
  routes: [
    { kind: 'fetch', method: 'GET', path: `${base}/clip`, read: (query) => ({ ids: query.getAll('clip_id'), wanted: query.get('status') ?? undefined, multi: false }) },
    { kind: 'fetch', method: 'GET', path: `${base}/clips`, read: (query) => ({ ids: listParam(query, 'clip_ids'), wanted: query.get('status') ?? undefined, multi: true }) },
    { kind: 'create', method: 'POST', path: `${base}/clip` },
  ],
  randomTimeline: (random, failureRate) => randomLife(random, sunoLife, failureRate, 'error', 1),
  render(job, status, baseUrl) {
    const { clip, metadata } = sunoClipAt(job, status, baseUrl);
    if (status === 'error') metadata.error_message = 'simulated failure';
    return clip;
  },
  envelope: (jobs, multi) => (multi ? jobs : jobs[0]),
  create(body, make) {
    const prompt = textField(body, 'prompt') ?? textField(body, 'gpt_description_prompt');
    if (!prompt) return { status: 400, body: { message: 'prompt or gpt_description_prompt is required' } };
    const clips = [0, 1].map(() => make({ prompt, tags: textField(body, 'tags'), title: textField(body, 'title') }));
    return { status: 200, body: { clip_ids: clips.map((job) => job.id) } };
  },
  errorBody: (_status, message) => ({ message }),
};
