import { aimlGenerationStatuses } from '../../status/aimlGenerationStatuses.js';
import type { SimulatedJob } from '../spec/jobs.js';
import type { SimulatedApiSpec } from '../spec/SimulatedApiSpec.js';
import { randomLife } from '../spec/timelines.js';
import { textField } from './sunoClipShape.js';

let requestIds = 0;

/**
 * The AI/ML API's current generic endpoints (`/v2/video/generations`,
 * `/v2/generate/audio`): one id per fetch, no wait parameter, ids
 * `UUID:model`, errors `{ message, path, requestId, statusCode, timestamp }`.
 */
export function aimlGenericSimulation(options: {
  name: string;
  title: string;
  path: string;
  /** The field holding the finished file, and its extension. */
  file: { field: 'video' | 'audio_file'; extension: string };
}): SimulatedApiSpec {
  const { path, file } = options;
  const render = (job: SimulatedJob, status: string, baseUrl: string) => ({
    id: job.id,
    status,
    [file.field]: status === 'completed' ? { url: `${baseUrl}/_simulator/media/${encodeURIComponent(job.id)}.${file.extension}` } : null,
    error: status === 'error' ? { name: 'GenerationError', message: 'simulated failure' } : null,
    meta: { usage: { credits_used: status === 'completed' ? 1_000 : 0 } },
  });
  return {
    name: options.name,
    title: options.title,
    basePath: '',
    statuses: aimlGenerationStatuses,
    noun: 'generation',
    waitName: 'status',
    longPollTimeout: undefined,
    maxIds: 1,
    routes: [
      { kind: 'fetch', method: 'GET', path, read: (query) => ({ ids: query.getAll('generation_id'), wanted: undefined, multi: false }) },
      { kind: 'create', method: 'POST', path },
    ],
    randomTimeline: (random, failureRate) =>
      randomLife(
        random,
        [
          ['queued', 0, 0],
          ['generating', 5_000, 60_000],
          ['completed', 30_000, 180_000],
        ],
        failureRate,
        'error',
        0,
      ),
    render,
    envelope: (jobs) => jobs[0],
    create(body, make, baseUrl) {
      const model = textField(body, 'model');
      if (!model) return { status: 400, body: errorBody(400, 'model is required', path) };
      const job = make({ prompt: textField(body, 'prompt') ?? '', title: model, idSuffix: `:${model}` });
      const { id, status } = render(job, job.timeline[0]![0], baseUrl);
      return { status: 200, body: { id, status } };
    },
    errorBody: (status, message, at) => errorBody(status, message, at),
  };
}

function errorBody(statusCode: number, message: string, path: string) {
  requestIds += 1;
  return { message, path, requestId: `sim-${String(requestIds).padStart(6, '0')}`, statusCode, timestamp: new Date().toISOString() };
}

export const aimlVideoSimulation = aimlGenericSimulation({
  name: 'aiml-video',
  title: 'AI/ML API video',
  path: '/v2/video/generations',
  file: { field: 'video', extension: 'mp4' },
});

export const aimlAudioSimulation = aimlGenericSimulation({
  name: 'aiml-audio',
  title: 'AI/ML API audio',
  path: '/v2/generate/audio',
  file: { field: 'audio_file', extension: 'mp3' },
});
