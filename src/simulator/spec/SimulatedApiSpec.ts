import type { StatusModel } from '../../status/StatusModel.js';
import type { Random } from './random.js';
import type { SimulatedJob } from './jobs.js';
import type { Timeline } from './timelines.js';

/** What a fetch request asks: which jobs, and which status to wait for. */
export interface FetchAsk {
  readonly ids: string[];
  /** The status (or state) waited for, as sent; undefined when the request does not wait. */
  readonly wanted: string | undefined;
  /** Whether the endpoint takes several ids (and answers with a list). */
  readonly multi: boolean;
}

/** One endpoint of a simulated API. `path` may hold one `:id` segment. */
export type SimulatedRoute =
  | { readonly kind: 'fetch'; readonly method: 'GET'; readonly path: string; read(query: URLSearchParams, id: string | undefined): FetchAsk }
  | { readonly kind: 'create'; readonly method: 'POST'; readonly path: string }
  /** Every job of the API, newest first, `limit` and `offset` from the query; the spec's `list` shapes the answer. */
  | { readonly kind: 'list'; readonly method: 'GET'; readonly path: string }
  /** Removes the job of the path's `:id`: 204, and a 404 for it from then on. */
  | { readonly kind: 'delete'; readonly method: 'DELETE'; readonly path: string };

/** What a create request answers. */
export interface CreateAnswer {
  readonly status: number;
  readonly body: unknown;
  /** Push each change of these jobs to `url` (Luma's `callback_url`). */
  readonly callback?: { readonly url: string; readonly jobs: readonly SimulatedJob[] };
}

/** The fields a create request may set on the jobs it makes. */
export interface NewJobFields {
  readonly id?: string;
  /** Appended to a drawn id: `:luma/ray-2` for the AI/ML API's generic ids. */
  readonly idSuffix?: string;
  readonly timeline?: Timeline;
  readonly prompt?: string;
  readonly tags?: string;
  readonly title?: string;
  readonly request?: Readonly<Record<string, unknown>>;
}

/**
 * One API as the simulator plays it: its endpoints, statuses, limits, the
 * lives of its jobs, and the JSON it answers with. Everything the simulator
 * knows about an API is here; the server, the long-poll timing and the
 * faults are the same for all.
 */
export interface SimulatedApiSpec {
  /** The provider name, as in `createClient(provider).provider.name`. */
  readonly name: string;
  readonly title: string;
  /** The path a provider's `baseUrl` ends with at the real API (`/dream-machine/v1` for Luma's own): the simulator serves the API under it. */
  readonly basePath: string;
  readonly statuses: StatusModel<string, string>;
  /** How the API names a job in messages: `clip`, `generation`. */
  readonly noun: string;
  /** How the API names the wait value in messages: `status`, `state`. */
  readonly waitName: string;
  /** How long a long-poll is held, in ms before `timeScale`; undefined when the API cannot wait. */
  readonly longPollTimeout: number | undefined;
  /** Most ids one fetch request may carry. */
  readonly maxIds: number;
  readonly routes: readonly SimulatedRoute[];
  /** A random, realistic life; a share `failureRate` of them fails. */
  randomTimeline(random: Random, failureRate: number): Timeline;
  /** The job as the API sends it, at `status`. `baseUrl` is where the simulator serves media files. */
  render(job: SimulatedJob, status: string, baseUrl: string): Record<string, unknown>;
  /** The body of a fetch answer holding `jobs`. */
  envelope(jobs: readonly Record<string, unknown>[], multi: boolean): unknown;
  /** The body of a `list` route's answer: one page of jobs, and where it is in all of them. */
  list?(jobs: readonly Record<string, unknown>[], page: { readonly limit: number; readonly offset: number; readonly total: number }): unknown;
  /** Makes the jobs a create request asks for and says what to answer, or refuses the body. */
  create(body: Record<string, unknown>, make: (fields: NewJobFields) => SimulatedJob, baseUrl: string): CreateAnswer;
  /** The body of an error answer, in the API's shape. */
  errorBody(status: number, message: string, path: string): unknown;
}
