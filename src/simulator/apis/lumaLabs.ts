import { lumaStatuses } from '../../status/lumaStatuses.js';
import type { SimulatedApiSpec } from '../spec/SimulatedApiSpec.js';
import { randomLife } from '../spec/timelines.js';
import { lumaGenerationAt, lumaLife } from './aimlLuma.js';
import { textField } from './sunoClipShape.js';

const base = '/dream-machine/v1';

/** A loopback URL: the simulator pushes callbacks nowhere else. */
function isLoopback(url: string): boolean {
  try {
    const { protocol, hostname } = new URL(url);
    return (protocol === 'http:' || protocol === 'https:') && ['127.0.0.1', 'localhost', '[::1]'].includes(hostname);
  } catch {
    return false;
  }
}

/**
 * Luma's own API (Dream Machine): `GET /generations/{id}`, `POST
 * /generations/video` answered 201 with the generation, errors `{ detail }`,
 * no long-poll, and `callback_url`, to which each change of the generation is
 * POSTed (loopback URLs only, in the simulator).
 */
export const lumaLabsSimulation: SimulatedApiSpec = {
  name: 'luma-labs',
  title: 'Luma API',
  basePath: base,
  statuses: lumaStatuses,
  noun: 'generation',
  waitName: 'state',
  longPollTimeout: undefined,
  maxIds: 1,
  routes: [
    { kind: 'fetch', method: 'GET', path: `${base}/generations/:id`, read: (_query, id) => ({ ids: id === undefined ? [] : [id], wanted: undefined, multi: false }) },
    { kind: 'create', method: 'POST', path: `${base}/generations/video` },
  ],
  randomTimeline: (random, failureRate) => randomLife(random, lumaLife, failureRate, 'failed', 0),
  render: (job, state, baseUrl) => ({ ...lumaGenerationAt(job.id, job.createdAt, job.prompt, state, baseUrl), generation_type: 'video', model: job.title }),
  envelope: (jobs) => jobs[0],
  create(body, make, baseUrl) {
    // As Luma's OpenAPI document: a model is required; a prompt is not (keyframes only, or an extension).
    const model = textField(body, 'model');
    if (!model) return { status: 400, body: { detail: 'model: field required' } };
    const prompt = textField(body, 'prompt') ?? '';
    const callback = textField(body, 'callback_url');
    if (callback !== undefined && !isLoopback(callback)) return { status: 400, body: { detail: 'callback_url: the simulator only calls back to 127.0.0.1, localhost or [::1]' } };
    const job = make({ prompt, title: model });
    const generation = { ...lumaGenerationAt(job.id, job.createdAt, job.prompt, job.timeline[0]![0], baseUrl), generation_type: 'video', model: job.title };
    return { status: 201, body: generation, ...(callback ? { callback: { url: callback, jobs: [job] } } : {}) };
  },
  errorBody: (_status, message) => ({ detail: message }),
};
