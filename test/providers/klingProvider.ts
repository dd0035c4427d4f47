import * as t from 'io-ts';
import { allOf, defineProvider, defineStatusModel, envelope, query } from '../../src/index.js';

// 1. The statuses: their order, which end a job, which are failures, and the field that holds them.
export const klingStatuses = defineStatusModel({
  name: 'Kling',
  statuses: ['submitted', 'processing', 'succeed', 'failed'],
  terminal: ['succeed', 'failed'],
  failures: ['failed'],
  aliases: { success: 'succeed' },
  fields: ['task_status'],
});

// 2. The codec of one job, with io-ts. Unknown fields are kept.
export const KlingTask = allOf(
  [
    t.type({ task_id: t.string, task_status: t.keyof({ submitted: null, processing: null, succeed: null, failed: null, success: null }) }),
    t.partial({
      task_status_msg: t.union([t.string, t.null]),
      task_result: t.union([t.partial({ videos: t.array(t.type({ url: t.string })) }), t.null]),
    }),
  ],
  'KlingTask',
);

// 3. The provider: where the API is, how to fetch one job and several, how answers are wrapped.
export const kling = defineProvider({
  name: 'kling',
  title: 'Kling',
  factory: 'kling',
  defaultBaseUrl: 'https://api.kling.example',
  statuses: klingStatuses,
  codec: KlingTask,
  idField: 'task_id',
  fetch: {
    url: (ids) => (ids.length === 1 ? `/v1/tasks/${encodeURIComponent(ids[0]!)}` : `/v1/tasks?${query([['ids', ids.join(',')]])}`),
    maxIds: 10,
  },
  // Answers are {code, message, data}: data is one task or a list of them.
  envelope: envelope({ lists: ['data'], bare: false, array: false }),
  bodyError: (body) => {
    const { code, message } = body as { code?: number; message?: string };
    return code !== undefined && code !== 0 ? { status: code >= 400 && code < 600 ? code : 502, message: message ?? `code ${code}` } : undefined;
  },
  failureReason: (task) => task.task_status_msg ?? undefined,
  resultUrls: (task) => ({ video: task.task_result?.videos?.[0]?.url }),
  create: {
    request: (input: { prompt: string }) => ({ path: '/v1/tasks', body: input }),
    ids: (body) => {
      const id = (body as { data?: { task_id?: string } }).data?.task_id;
      return id === undefined ? undefined : [id];
    },
  },
  // Ids go in a comma list when several are fetched at once.
  idProblem: (id) => (id.includes(',') ? 'Kling joins ids with commas' : undefined),
});
