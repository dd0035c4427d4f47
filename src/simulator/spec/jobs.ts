import type { StatusModel } from '../../status/StatusModel.js';
import { pick, type Random, uuid } from './random.js';
import type { Timeline } from './timelines.js';

/** A simulated job: its life, and what the fetch endpoints have said about it. */
export interface SimulatedJob {
  readonly id: string;
  readonly api: string;
  /** Simulator clock time of creation, in ms. */
  readonly createdAt: number;
  /** The life as given, in ms after creation, before `timeScale`. */
  readonly timeline: Timeline;
  readonly prompt: string;
  readonly tags: string;
  readonly title: string;
  /** The create request's fields as the API keeps them (Luma's `request`), when its spec keeps any. */
  readonly request?: Readonly<Record<string, unknown>> | undefined;
  /** Statuses sent in complete, well-formed answers, in order, each once. */
  readonly delivered: string[];
}

const words = ['starry', 'night', 'neon', 'river', 'echo', 'velvet', 'storm', 'golden', 'harbor', 'midnight', 'glass', 'summer'];
const styles = ['heavy metal', 'lo-fi', 'synthwave', 'jazz', 'gospel', 'ambient', 'reggae', 'folk'];

export function newJob(
  api: string,
  random: Random,
  createdAt: number,
  timeline: Timeline,
  fields: { id?: string; idSuffix?: string; prompt?: string; tags?: string; title?: string; request?: Readonly<Record<string, unknown>> } = {},
): SimulatedJob {
  const title = fields.title ?? `${pick(random, words)} ${pick(random, words)}`;
  return {
    id: fields.id ?? `${uuid(random)}${fields.idSuffix ?? ''}`,
    api,
    createdAt,
    timeline,
    prompt: fields.prompt ?? `[Verse]\n${title} ${pick(random, words)} ${pick(random, words)}`,
    tags: fields.tags ?? pick(random, styles),
    title,
    ...(fields.request === undefined ? {} : { request: fields.request }),
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

/** When (simulator clock) the job first is at or above `priority` in `model`; Infinity if never. */
export function reachesAt(job: SimulatedJob, model: StatusModel<string, string>, priority: number, timeScale: number): number {
  const entry = job.timeline.find(([status]) => model.priority(model.parse(status)!) >= priority);
  return entry === undefined ? Infinity : clockTime(job, entry[1], timeScale);
}
