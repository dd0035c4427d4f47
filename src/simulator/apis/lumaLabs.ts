import { lumaStatuses } from '../../status/lumaStatuses.js';
import type { SimulatedApiSpec } from '../spec/SimulatedApiSpec.js';
import { randomLife } from '../spec/timelines.js';
import type { SimulatedJob } from '../spec/jobs.js';
import { lumaLife } from './aimlLuma.js';
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

/** Luma's video models (`VideoModel` in its OpenAPI document). */
const videoModels = ['ray-1-6', 'ray-2', 'ray-flash-2'];

/** Luma's aspect ratios (`AspectRatio` in its OpenAPI document); `16:9` by default. */
const aspectRatios = ['1:1', '16:9', '9:16', '4:3', '3:4', '21:9', '9:21'];

/** The model a job was made with: its create request's, or Luma's current one for a job added by the simulator. */
const modelOf = (job: SimulatedJob) => (typeof job.request?.model === 'string' ? job.request.model : 'ray-2');

/**
 * A generation as Luma's OpenAPI document (test/fixtures/luma-openapi.yaml)
 * describes it: no field is null (the document types `failure_reason` and
 * `assets` as a string and an object), `failure_reason` only on a failed one,
 * `assets` once there are files, and the request as it was made.
 */
function generationAt(job: SimulatedJob, state: string, baseUrl: string): Record<string, unknown> {
  const media = `${baseUrl}/_simulator/media/${encodeURIComponent(job.id)}`;
  return {
    id: job.id,
    generation_type: 'video',
    state,
    ...(state === 'failed' ? { failure_reason: 'the generation was stopped: simulated failure' } : {}),
    created_at: new Date(job.createdAt).toISOString(),
    ...(state === 'completed' ? { assets: { video: `${media}.mp4`, image: `${media}.jpg` } } : {}),
    model: modelOf(job),
    request: job.request ?? { generation_type: 'video', prompt: job.prompt, aspect_ratio: '16:9', model: modelOf(job) },
  };
}

/**
 * Luma's own API (Dream Machine), as its OpenAPI document has it:
 * `GET /generations/{id}`, `GET /generations` (a page, newest first),
 * `DELETE /generations/{id}` (204), `POST /generations/video` answered 201
 * with the generation, errors `{ detail }`, no long-poll, and `callback_url`,
 * to which each change of the generation is POSTed (loopback URLs only, in
 * the simulator).
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
    { kind: 'list', method: 'GET', path: `${base}/generations` },
    { kind: 'delete', method: 'DELETE', path: `${base}/generations/:id` },
    { kind: 'create', method: 'POST', path: `${base}/generations/video` },
  ],
  randomTimeline: (random, failureRate) => randomLife(random, lumaLife, failureRate, 'failed', 0),
  render: generationAt,
  envelope: (jobs) => jobs[0],
  list: (generations, { limit, offset, total }) => ({ has_more: offset + generations.length < total, count: generations.length, limit, offset, generations }),
  create(body, make, baseUrl) {
    // As Luma's OpenAPI document: a model is required; a prompt is not (keyframes only, or an extension).
    const model = textField(body, 'model');
    if (!model) return { status: 400, body: { detail: 'model: field required' } };
    if (!videoModels.includes(model)) return { status: 400, body: { detail: `model: expected one of ${videoModels.join(', ')}` } };
    const prompt = textField(body, 'prompt');
    const callback = textField(body, 'callback_url');
    if (callback !== undefined && !isLoopback(callback)) return { status: 400, body: { detail: 'callback_url: the simulator only calls back to 127.0.0.1, localhost or [::1]' } };
    const aspectRatio = body.aspect_ratio ?? '16:9';
    if (typeof aspectRatio !== 'string' || !aspectRatios.includes(aspectRatio)) return { status: 400, body: { detail: `aspect_ratio: expected one of ${aspectRatios.join(', ')}` } };
    if (body.loop !== undefined && typeof body.loop !== 'boolean') return { status: 400, body: { detail: 'loop: expected a boolean' } };
    // The request as Luma keeps it: what was asked, with its defaults.
    const request = {
      generation_type: 'video',
      ...(prompt === undefined ? {} : { prompt }),
      aspect_ratio: aspectRatio,
      ...(body.loop === undefined ? {} : { loop: body.loop }),
      model,
      ...(callback === undefined ? {} : { callback_url: callback }),
    };
    const job = make({ prompt: prompt ?? '', title: model, request });
    return { status: 201, body: generationAt(job, job.timeline[0]![0], baseUrl), ...(callback ? { callback: { url: callback, jobs: [job] } } : {}) };
  },
  errorBody: (_status, message) => ({ detail: message }),
};
