// The Kling example of docs/providers.md as the simulator plays it: a
// SimulatedApiSpec of one's own, passed to startSimulator({ apis }).
import type * as t from 'io-ts';
import type { ApiIdentity } from '../../src/index.js';
import type { SimulatedApiSpec, SimulatedJob } from '../../src/simulator/index.js';
import { klingStatuses, type KlingTask } from './klingProvider.js';

const render = (job: SimulatedJob, status: string, baseUrl: string) => ({
  task_id: job.id,
  task_status: status,
  task_status_msg: status === 'failed' ? 'simulated failure' : null,
  task_result: status === 'succeed' ? { videos: [{ url: `${baseUrl}/_simulator/media/${encodeURIComponent(job.id)}.mp4` }] } : null,
});

export const klingSimulation: SimulatedApiSpec = {
  name: 'kling',
  title: 'Kling',
  basePath: '',
  statuses: klingStatuses,
  noun: 'task',
  waitName: 'status',
  longPollTimeout: undefined,
  maxIds: 10,
  routes: [
    { kind: 'fetch', method: 'GET', path: '/v1/tasks/:id', read: (_query, id) => ({ ids: [id!], wanted: undefined, multi: false }) },
    { kind: 'fetch', method: 'GET', path: '/v1/tasks', read: (query) => ({ ids: (query.get('ids') ?? '').split(',').filter(Boolean), wanted: undefined, multi: true }) },
    { kind: 'create', method: 'POST', path: '/v1/tasks' },
  ],
  randomTimeline: () => [
    ['submitted', 0],
    ['processing', 2_000],
    ['succeed', 8_000],
  ],
  render,
  // Every answer is {code, message, data}, with code 0 when it went well.
  envelope: (jobs, multi) => ({ code: 0, message: 'SUCCEED', data: multi ? jobs : jobs[0] }),
  create(body, make, baseUrl) {
    if (typeof body.prompt !== 'string' || body.prompt === '') return { status: 400, body: { code: 400, message: 'prompt is required' } };
    const job = make({ prompt: body.prompt });
    return { status: 200, body: { code: 0, message: 'SUCCEED', data: render(job, job.timeline[0]![0], baseUrl) } };
  },
  errorBody: (status, message) => ({ code: status, message }),
};

type Task = t.TypeOf<typeof KlingTask>;

/** What a page needs to watch Kling through a relay by name: the job's type only, not its codec. */
export const klingIdentity: ApiIdentity<Task, 'submitted' | 'processing' | 'succeed' | 'failed', 'success', 'failed'> = {
  name: 'kling',
  title: 'Kling',
  statuses: klingStatuses,
  idField: 'task_id',
  failureReason: (task) => task.task_status_msg ?? undefined,
  resultUrls: (task) => ({ video: task.task_result?.videos?.[0]?.url }),
};
