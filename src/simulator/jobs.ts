import { pick, type Random, uuid } from './random.js';
import { statusModelOf, type SimulatedApi, type Timeline } from './timelines.js';

/** A simulated job: its life, and what the fetch endpoints have said about it. */
export interface SimulatedJob {
  readonly id: string;
  readonly api: SimulatedApi;
  /** Simulator clock time of creation, in ms. */
  readonly createdAt: number;
  /** The life as given, in ms after creation, before `timeScale`. */
  readonly timeline: Timeline;
  readonly prompt: string;
  readonly tags: string;
  readonly title: string;
  /** Statuses sent in complete, well-formed answers, in order, each once. */
  readonly delivered: string[];
}

const words = ['starry', 'night', 'neon', 'river', 'echo', 'velvet', 'storm', 'golden', 'harbor', 'midnight', 'glass', 'summer'];
const styles = ['heavy metal', 'lo-fi', 'synthwave', 'jazz', 'gospel', 'ambient', 'reggae', 'folk'];

export function newJob(
  api: SimulatedApi,
  random: Random,
  createdAt: number,
  timeline: Timeline,
  fields: { id?: string; prompt?: string; tags?: string; title?: string } = {},
): SimulatedJob {
  const title = fields.title ?? `${pick(random, words)} ${pick(random, words)}`;
  return {
    id: fields.id ?? uuid(random),
    api,
    createdAt,
    timeline,
    prompt: fields.prompt ?? `[Verse]\n${title} ${pick(random, words)} ${pick(random, words)}`,
    tags: fields.tags ?? pick(random, styles),
    title,
    delivered: [],
  };
}

/** When (simulator clock, whole ms) a point of a life comes: timers run in whole ms, so times are too. */
function clockTime(job: SimulatedJob, at: number, timeScale: number): number {
  return job.createdAt + Math.ceil(at * timeScale);
}

/** The index in the timeline of the status at `now` (the first one until its time comes). */
export function stepAt(job: SimulatedJob, now: number, timeScale: number): number {
  let step = 0;
  job.timeline.forEach(([, at], index) => {
    if (clockTime(job, at, timeScale) <= now) step = index;
  });
  return step;
}

/** When (simulator clock) the job first is at or above `priority`; Infinity if never. */
export function reachesAt(job: SimulatedJob, priority: number, timeScale: number): number {
  const model = statusModelOf(job.api);
  const entry = job.timeline.find(([status]) => model.priority(model.parse(status)!) >= priority);
  return entry === undefined ? Infinity : clockTime(job, entry[1], timeScale);
}

/** The job as its API would send it at timeline step `step`. */
export function renderJob(job: SimulatedJob, step: number): Record<string, unknown> {
  const status = job.timeline[step]![0];
  const created = new Date(job.createdAt).toISOString();
  if (job.api === 'aiml-luma') {
    return {
      id: job.id,
      state: status,
      failure_reason: status === 'failed' ? 'the generation was stopped: simulated failure' : null,
      created_at: created,
      assets:
        status === 'completed'
          ? { video: `https://storage.cdn-luma.example/${job.id}.mp4`, image: `https://storage.cdn-luma.example/${job.id}.jpg` }
          : null,
      generation_type: 'video',
      model: 'ray-1-6',
      request: { prompt: job.prompt, aspect_ratio: '16:9' },
    };
  }
  const done = status === 'complete';
  const audio =
    status === 'streaming'
      ? `https://audiopipe.suno.example/?item_id=${job.id}`
      : done
        ? `https://cdn1.suno.example/${job.id}.mp3`
        : status === 'error'
          ? 'None.mp3'
          : '';
  const image = status === 'submitted' || status === 'queued' ? '' : `https://cdn2.suno.example/image_${job.id}.jpeg`;
  const metadata: Record<string, unknown> = {
    tags: job.tags,
    prompt: job.prompt,
    gpt_description_prompt: null,
    history: null,
    duration: done ? 60 + (job.id.charCodeAt(0) % 120) : null,
  };
  const clip: Record<string, unknown> = {
    id: job.id,
    title: job.title,
    status,
    audio_url: audio,
    image_url: image,
    video_url: done ? `https://cdn1.suno.example/${job.id}.mp4` : '',
    model_name: 'chirp-v3',
    created_at: created,
    metadata,
  };
  if (job.api === 'sunoapi') {
    // The extra fields of sunoapi.com's clip (seed 003).
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
    Object.assign(clip, {
      image_large_url: image && image.replace('image_', 'image_large_'),
      is_video_pending: !done,
      major_model_version: 'v3.5',
      is_liked: false,
      user_id: '00000000-0000-4000-8000-000000000000',
      display_name: 'Simulator',
      handle: 'simulator',
      is_handle_updated: false,
      avatar_image_url: 'https://cdn1.suno.example/defaultOrange.jpg',
      is_trashed: false,
      reaction: null,
      play_count: 0,
      upvote_count: 0,
      is_public: false,
    });
  } else if (status === 'error') {
    metadata.error_message = 'simulated failure';
  }
  return clip;
}
