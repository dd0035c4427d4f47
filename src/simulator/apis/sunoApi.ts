import { sunoStatuses } from '../../status/sunoStatuses.js';
import type { SimulatedJob } from '../spec/jobs.js';
import type { SimulatedApiSpec } from '../spec/SimulatedApiSpec.js';
import { randomLife } from '../spec/timelines.js';
import { listParam } from './aimlSuno.js';
import { sunoClipAt, sunoLife, textField } from './sunoClipShape.js';

/** A clip with the extra fields of sunoapi.com (seed 003). */
function render(job: SimulatedJob, status: string, baseUrl: string): Record<string, unknown> {
  const { clip, metadata } = sunoClipAt(job, status, baseUrl);
  const done = status === 'complete';
  Object.assign(metadata, {
    audio_prompt_id: null,
    concat_history: null,
    type: 'gen',
    refund_credits: false,
    stream: true,
    infill: false,
    has_vocal: true,
    is_audio_upload_tos_accepted: false,
    error_type: status === 'error' ? 'simulated' : null,
    error_message: status === 'error' ? 'simulated failure' : null,
  });
  const image = clip.image_url as string;
  return Object.assign(clip, {
    image_large_url: image && image.replace(/\.jpg$/, '-large.jpg'),
    is_video_pending: !done,
    major_model_version: 'v3.5',
    is_liked: false,
    user_id: '00000000-0000-4000-8000-000000000000',
    display_name: 'Simulator',
    handle: 'simulator',
    is_handle_updated: false,
    avatar_image_url: `${baseUrl}/_simulator/media/avatar.jpg`,
    is_trashed: false,
    reaction: null,
    play_count: 0,
    upvote_count: 0,
    is_public: false,
  });
}

/** sunoapi.com, as seed 003 describes it: no wait parameter, two ids per request. */
export const sunoApiSimulation: SimulatedApiSpec = {
  name: 'sunoapi',
  title: 'sunoapi.com',
  basePath: '',
  statuses: sunoStatuses,
  noun: 'clip',
  waitName: 'status',
  longPollTimeout: undefined,
  maxIds: 2,
  routes: [
    { kind: 'fetch', method: 'GET', path: '/api/v2/suno/v3.5/clips', read: (query) => ({ ids: listParam(query, 'ids'), wanted: undefined, multi: true }) },
    { kind: 'create', method: 'POST', path: '/api/v2/suno/v3.5/custom/create-pure-music' },
  ],
  randomTimeline: (random, failureRate) => randomLife(random, sunoLife, failureRate, 'error', 1),
  render,
  envelope: (jobs) => ({ clips: jobs, num_total_results: jobs.length, current_page: 0 }),
  create(body, make, baseUrl) {
    const tags = textField(body, 'tags');
    if (!tags) return { status: 400, body: { message: 'tags is required' } };
    const clips = [0, 1].map(() => make({ tags, title: textField(body, 'title') ?? 'untitled' }));
    return { status: 200, body: { id: `task-${clips[0]!.id}`, clips: clips.map((job) => render(job, job.timeline[0]![0], baseUrl)) } };
  },
  errorBody: (_status, message) => ({ message }),
};
