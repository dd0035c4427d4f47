// Over 250 lines on purpose: its endpoints (fetch with its long-poll timing and
// faults, create, list, delete, callbacks) share the jobs, the clock and the
// log. Routing (router.ts), the /_simulator pages (inspection.ts), each
// request's answer (SimulatedCall.ts) and the APIs (apis/) live apart.
import { asyncScheduler, type SchedulerLike, type Subscription } from 'rxjs';
import { ConfigError } from '../errors/ConfigError.js';
import { describe, positive, rejectUnknownKeys, share } from '../internal/validate.js';
import { simulatedApi } from './apis/index.js';
import { SimulationRouter, withOwnApis } from './router.js';
import { faultPlan, type FaultKind, type FaultOptions } from './faults.js';
import { inspect } from './inspection.js';
import { newJob, reachesAt, stepAt, type SimulatedJob } from './spec/jobs.js';
import { seededRandom } from './spec/random.js';
import { RequestLog, type RequestRecord, type SimulatorStats } from './RequestLog.js';
import type { FetchAsk, NewJobFields, SimulatedApiSpec } from './spec/SimulatedApiSpec.js';
import { checkTimeline, type Timeline } from './spec/timelines.js';
import { corsHeaders, SimulatedCall, type SimulatedReply } from './SimulatedCall.js';

/** Options of a simulation. Durations in milliseconds, before `timeScale`. */
export interface SimulationOptions {
  /** The bearer key the simulator accepts. @default "sim-key" */
  apiKey?: string;
  /**
   * Multiplies every duration of the simulated world: 0.001 runs a two-minute
   * life in 120 ms. Not `Retry-After`, which is whole seconds on the wire (see `faults.retryAfter`).
   * @default 1
   */
  timeScale?: number;
  /** Seed of every random draw: job ids, lives, faults. @default 1 */
  seed?: number;
  /** Share of created jobs that end in failure (`error`, `failed`). @default 0.05 */
  failureRate?: number;
  /** A fixed life for jobs created through the API, by API name, instead of a random one. */
  timelines?: Readonly<Record<string, Timeline>>;
  /** Jobs that exist from the start, each with its scripted life. */
  jobs?: ReadonlyArray<{ id: string; api: string; timeline: Timeline }>;
  faults?: FaultOptions;
  /** How long a long-poll is held, by API name. @default each API's documented timeout: 120000 for Suno, 30000 for Luma */
  longPollTimeout?: Readonly<Record<string, number>>;
  /** Most ids one fetch request may carry, by API name. @default each API's: 6 for the AI/ML API, 2 for sunoapi.com */
  maxIds?: Readonly<Record<string, number>>;
  /** Requests kept in the log (counters cover all). @default 10000 */
  logLimit?: number;
  /** Clock and timers. @default asyncScheduler */
  scheduler?: SchedulerLike;
  /**
   * APIs of your own to simulate beside the built-in ones: a
   * `SimulatedApiSpec` each, named as its provider is (docs/providers.md
   * has one for the Kling example). A name may not repeat.
   */
  apis?: readonly SimulatedApiSpec[];
  /**
   * Delivers a push (Luma's `callback_url`): the job, as JSON, to `url`.
   * @default a POST with the platform's fetch
   */
  callback?: (url: string, job: unknown) => void;
}

/** A job as the simulator sees it. */
export interface SimulatedJobInfo {
  readonly id: string;
  readonly api: string;
  /** Simulator clock time of creation, in ms. */
  readonly createdAt: number;
  /** The life, with times in ms after creation, before `timeScale`. */
  readonly timeline: Timeline;
  /** Status now. */
  readonly status: string;
  /** The last status of its life. */
  readonly finalStatus: string;
  /** Statuses the fetch endpoints sent in complete, well-formed answers, in order, each once. */
  readonly delivered: readonly string[];
}

/** A request as it reached the simulator, from a socket or from the in-memory transport. */
export interface SimulatedRequest {
  readonly method: string;
  /** Path and query. */
  readonly url: string;
  readonly authorization: string | undefined;
  /** The body, read on demand (only creates read it). */
  readBody(): Promise<string>;
}

export type { SimulatedReply } from './SimulatedCall.js';

/** What the transport-side gets back from `handle`: a way to say the client went away. */
export interface SimulatedExchange {
  /** The client closed the connection before the answer. */
  clientClosed(): void;
}

/**
 * The simulated APIs without a server: jobs, their lives, the endpoints with
 * their long-poll timing, refusals and faults, and the request log. The
 * HTTP server (`startSimulator`) and the in-memory transport
 * (`simulation.transport`) both hand it their requests, so both behave the
 * same, and with a virtual `scheduler` everything runs in virtual time.
 */
export class Simulation {
  readonly apiKey: string;
  private readonly scheduler: SchedulerLike;
  private readonly timeScale: number;
  private readonly failureRate: number;
  private readonly random: () => number;
  private readonly nextFault: () => FaultKind | undefined;
  private readonly retryAfter: string;
  private readonly slowBy: number;
  private readonly apis: readonly SimulatedApiSpec[];
  private readonly router: SimulationRouter;
  private readonly longPoll = new Map<string, number>();
  private readonly maxIds = new Map<string, number>();
  private readonly timelines = new Map<string, Timeline>();
  private readonly log: RequestLog;
  private readonly jobsByApi = new Map<string, Map<string, SimulatedJob>>();
  private readonly pending = new Set<Subscription>();
  private readonly callback: (url: string, job: unknown) => void;

  constructor(
    options: SimulationOptions = {},
    /** Where answers point for media files: the server's URL. */
    private readonly baseUrl = 'https://simulator.invalid',
  ) {
    if (typeof options !== 'object' || options === null) throw new ConfigError('options', `expected an object of simulation options, got ${describe(options)}`);
    rejectUnknownKeys('options', options, simulationKeys);
    this.apis = withOwnApis(options.apis);
    this.router = new SimulationRouter(this.apis);
    this.scheduler = options.scheduler ?? asyncScheduler;
    this.apiKey = options.apiKey ?? 'sim-key';
    if (typeof this.apiKey !== 'string' || this.apiKey === '') throw new ConfigError('apiKey', 'expected a non-empty string');
    this.timeScale = positive('timeScale', options.timeScale, 1);
    const seed = options.seed ?? 1;
    if (typeof seed !== 'number' || !Number.isFinite(seed)) throw new ConfigError('seed', `expected a number, got ${describe(seed)}`);
    this.failureRate = share('failureRate', options.failureRate, 0.05);
    this.random = seededRandom(seed);
    this.nextFault = faultPlan(options.faults, seed + 1);
    this.retryAfter = String(options.faults?.retryAfter ?? 1);
    this.slowBy = (options.faults?.slowBy ?? 5_000) * this.timeScale;
    for (const api of this.apis) {
      this.jobsByApi.set(api.name, new Map());
      if (api.longPollTimeout !== undefined) this.longPoll.set(api.name, api.longPollTimeout);
      this.maxIds.set(api.name, api.maxIds);
    }
    for (const [name, value] of Object.entries(options.longPollTimeout ?? {})) {
      simulatedApi(name, `longPollTimeout.${name}`, this.apis);
      this.longPoll.set(name, positive(`longPollTimeout.${name}`, value, 1));
    }
    for (const [name, value] of Object.entries(options.maxIds ?? {})) {
      simulatedApi(name, `maxIds.${name}`, this.apis);
      if (!Number.isInteger(value) || value < 1) throw new ConfigError(`maxIds.${name}`, `expected a whole number of at least 1, got ${describe(value)}`);
      this.maxIds.set(name, value);
    }
    for (const [name, timeline] of Object.entries(options.timelines ?? {})) {
      const api = simulatedApi(name, `timelines.${name}`, this.apis);
      this.timelines.set(name, checkTimeline(api.statuses, timeline, `timelines.${name}`));
    }
    this.log = new RequestLog(options.logLimit ?? 10_000);
    this.callback =
      options.callback ??
      ((url, job) => {
        void fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(job) }).then(
          (response) => response.body?.cancel(),
          () => undefined,
        );
      });
    (options.jobs ?? []).forEach((scripted, index) => {
      const api = simulatedApi(scripted.api, `jobs[${index}].api`, this.apis);
      this.add(api, { id: scripted.id, timeline: checkTimeline(api.statuses, scripted.timeline, `jobs[${index}].timeline`) });
    });
  }

  /** Adds a job, with a scripted life or a random one. */
  addJob(api: string, fields: { id?: string; timeline?: Timeline } = {}): SimulatedJobInfo {
    const spec = simulatedApi(api, 'api', this.apis);
    const timeline = fields.timeline === undefined ? undefined : checkTimeline(spec.statuses, fields.timeline, 'timeline');
    return this.info(this.add(spec, { ...fields, timeline }));
  }

  job(id: string): SimulatedJobInfo | undefined {
    for (const byId of this.jobsByApi.values()) {
      const job = byId.get(id);
      if (job) return this.info(job);
    }
    return undefined;
  }

  jobs(): SimulatedJobInfo[] {
    return [...this.jobsByApi.values()].flatMap((byId) => [...byId.values()].map((job) => this.info(job)));
  }

  stats(): SimulatorStats {
    return this.log.stats();
  }

  /** The simulated API named `name` (built in or given in `apis`); a `ConfigError` for another name. */
  api(name: string): SimulatedApiSpec {
    return simulatedApi(name, 'api', this.apis);
  }

  /** The last `logLimit` requests, oldest first. */
  requests(): readonly RequestRecord[] {
    return this.log.entries();
  }

  /** Stops every held answer. */
  stop(): void {
    for (const timer of this.pending) timer.unsubscribe();
    this.pending.clear();
  }

  /** Answers one request through `reply`. */
  handle(request: SimulatedRequest, reply: SimulatedReply): SimulatedExchange {
    const url = new URL(request.url, 'http://127.0.0.1');
    const now = this.scheduler.now();
    const exchange: SimulatedExchange = { clientClosed: () => undefined };
    if (url.pathname.startsWith('/_simulator/')) {
      inspect(url, reply, { stats: () => this.log.stats(), requests: () => this.log.entries(), jobs: () => this.jobs() });
      return exchange;
    }
    const matched = this.router.match(request.method, url.pathname);
    const asked = matched?.route.kind === 'fetch' ? matched.route.read(url.searchParams, matched.id) : undefined;
    const record = this.log.open({
      method: request.method,
      url: `${url.pathname}${url.search}`,
      api: matched?.api.name,
      kind: matched?.route.kind === 'fetch' || matched?.route.kind === 'create' ? matched.route.kind : 'other',
      ids: asked?.ids ?? [],
      wanted: asked?.wanted,
      fault: undefined,
      startedAt: now,
    });
    const call = new SimulatedCall(this.log, record, reply, () => this.scheduler.now(), (status, message) =>
      matched ? matched.api.errorBody(status, message, url.pathname) : { message },
    );
    exchange.clientClosed = () => call.clientClosed();

    if (request.method === 'OPTIONS') {
      call.empty(204);
      return exchange;
    }
    if (!matched) {
      const allowed = this.router.methodsFor(url.pathname);
      if (allowed.length === 0) call.refuse(404, `no such endpoint: ${request.method} ${url.pathname}`);
      else call.refuse(405, `method not allowed: ${request.method} ${url.pathname}`, { allow: [...allowed, 'OPTIONS'].join(', ') });
      return exchange;
    }
    if (request.authorization !== `Bearer ${this.apiKey}`) {
      call.refuse(401, request.authorization ? 'Unauthorized: the bearer key is not valid' : 'Unauthorized: no bearer key', { 'www-authenticate': 'Bearer' });
      return exchange;
    }
    if (matched.route.kind === 'list') {
      this.list(matched.api, url.searchParams, call);
      return exchange;
    }
    if (matched.route.kind === 'delete') {
      const byId = this.jobsByApi.get(matched.api.name)!;
      if (matched.id === undefined || !byId.delete(matched.id)) call.refuse(404, `${matched.api.noun} not found: ${matched.id ?? ''}`);
      else call.empty(204);
      return exchange;
    }
    if (matched.route.kind === 'create') {
      request.readBody().then(
        (text) => {
          let body: unknown;
          try {
            body = text === '' ? {} : JSON.parse(text);
          } catch {
            return call.refuse(400, 'the body is not JSON');
          }
          if (typeof body !== 'object' || body === null || Array.isArray(body)) return call.refuse(400, 'expected a JSON object');
          const answer = matched.api.create(body as Record<string, unknown>, (fields) => this.add(matched.api, fields), this.baseUrl);
          call.send(answer.status, answer.body);
          if (answer.callback) this.pushChanges(matched.api, answer.callback.url, answer.callback.jobs);
        },
        (error: Error) => call.refuse(400, error.message),
      );
      return exchange;
    }
    this.fetch(matched.api, asked!, call);
    return exchange;
  }

  /** A fetch endpoint: checks the ask, draws a fault, holds a long-poll until its jobs get there (or its timeout), then answers. */
  private fetch(api: SimulatedApiSpec, { ids, wanted, multi }: FetchAsk, call: SimulatedCall): void {
    const refuse = (status: number, message: string, headers?: Record<string, string>) => call.refuse(status, message, headers);
    const { noun, statuses: model } = api;
    const maxIds = this.maxIds.get(api.name)!;
    if (ids.length === 0) return refuse(400, `no ${noun} id given`);
    if (!multi && ids.length > 1) return refuse(400, `give one ${noun}_id; use the ${noun}s endpoint for several`);
    if (ids.length > maxIds) return refuse(400, `at most ${maxIds} ${noun} ids per request, got ${ids.length}`);
    let priority = 0;
    if (wanted !== undefined) {
      const status = model.parse(wanted);
      if (status === undefined) return refuse(400, `unknown ${api.waitName} "${wanted}"`);
      if (model.isFailure(status)) return refuse(400, `You cannot wait for an ${status} ${api.waitName}`);
      priority = model.priority(status);
    }
    const byId = this.jobsByApi.get(api.name)!;
    const found = ids.map((id) => byId.get(id));
    const unknown = ids.filter((_, index) => found[index] === undefined);
    if (unknown.length > 0) return refuse(404, `${noun} not found: ${unknown.join(', ')}`);
    const asked = found as SimulatedJob[];

    const fault = this.nextFault();
    if (fault) this.log.fault(call.record, fault);
    if (fault === '500' || fault === '502') return refuse(Number(fault), `simulated ${fault}`);
    if (fault === '503' || fault === '429') return refuse(Number(fault), `simulated ${fault}`, { 'retry-after': this.retryAfter });
    if (fault === 'drop') {
      call.finish(undefined);
      return call.reply.drop();
    }

    const start = this.scheduler.now();
    const timeout = (this.longPoll.get(api.name) ?? 0) * this.timeScale;
    // A long-poll answers when every job is at or above the wanted status, or at the timeout.
    const ready = wanted === undefined || api.longPollTimeout === undefined ? start : Math.max(...asked.map((job) => reachesAt(job, model, priority, this.timeScale)));
    const answerAt = Math.ceil(Math.max(start, Math.min(ready, start + timeout))) + (fault === 'slow' ? Math.ceil(this.slowBy) : 0);
    let timer: Subscription | undefined;
    const wait = () => {
      if (timer) this.pending.delete(timer);
      timer = undefined;
      // Timers may fire a hair early against the clock: wait out the rest rather than answer too soon.
      const left = answerAt - this.scheduler.now();
      if (left > 0) {
        timer = this.scheduler.schedule(wait, left);
        if (timer !== undefined && !timer.closed) this.pending.add(timer);
        return;
      }
      this.answer(api, asked, multi, fault, call);
    };
    call.onClientClosed(() => {
      if (timer === undefined) return;
      timer.unsubscribe();
      this.pending.delete(timer);
    });
    wait();
  }

  /** The answer of a fetch: each job at its status now (or one behind for 'stale'), cut short or malformed as the fault says. */
  private answer(api: SimulatedApiSpec, asked: SimulatedJob[], multi: boolean, fault: FaultKind | undefined, call: SimulatedCall): void {
    const now = this.scheduler.now();
    const steps = asked.map((job) => stepAt(job, now, this.timeScale));
    const staleIndex = fault === 'stale' ? steps.findIndex((step) => step > 0) : -1;
    if (staleIndex >= 0) steps[staleIndex]! -= 1;
    const rendered = asked.map((job, index) => api.render(job, job.timeline[steps[index]!]![0], this.baseUrl));
    const body = api.envelope(rendered, multi);
    if (fault === 'truncate') {
      call.finish(undefined);
      return call.reply.truncate(200, { ...corsHeaders, 'content-type': 'application/json' }, JSON.stringify(body));
    }
    if (fault === 'malformed') {
      const text = JSON.stringify(body);
      call.finish(200);
      return call.reply.send(200, { ...corsHeaders, 'content-type': 'application/json' }, text.slice(0, Math.floor(text.length / 2)));
    }
    asked.forEach((job, index) => {
      if (index === staleIndex) return;
      const status = job.timeline[steps[index]!]![0];
      if (!job.delivered.includes(status)) job.delivered.push(status);
    });
    call.send(200, body);
  }

  /** A `list` route: the API's jobs newest first, as they are now, one page of `limit` from `offset`. */
  private list(api: SimulatedApiSpec, query: URLSearchParams, call: SimulatedCall): void {
    const whole = (name: string, fallback: number, max: number) => {
      const text = query.get(name);
      const value = text === null ? fallback : Number(text);
      return Number.isInteger(value) && value >= 0 && value <= max ? value : undefined;
    };
    const limit = whole('limit', 100, 1_000);
    const offset = whole('offset', 0, Number.MAX_SAFE_INTEGER);
    if (limit === undefined || offset === undefined) return call.refuse(400, 'limit and offset are whole numbers (limit at most 1000)');
    const now = this.scheduler.now();
    const all = [...this.jobsByApi.get(api.name)!.values()].sort((a, b) => b.createdAt - a.createdAt);
    const page = all.slice(offset, offset + limit).map((job) => api.render(job, job.timeline[stepAt(job, now, this.timeScale)]![0], this.baseUrl));
    call.send(200, api.list ? api.list(page, { limit, offset, total: all.length }) : page);
  }

  /** Pushes each later status of `jobs` to `url` when it comes, as the API's `callback_url` does. */
  private pushChanges(api: SimulatedApiSpec, url: string, jobs: readonly SimulatedJob[]): void {
    for (const job of jobs) {
      job.timeline.slice(1).forEach(([status, at]) => {
        const delay = Math.max(0, job.createdAt + Math.ceil(at * this.timeScale) - this.scheduler.now());
        const timer: Subscription = this.scheduler.schedule(() => {
          this.pending.delete(timer);
          this.callback(url, api.render(job, status, this.baseUrl));
        }, delay);
        this.pending.add(timer);
      });
    }
  }

  private add(api: SimulatedApiSpec, fields: NewJobFields): SimulatedJob {
    const timeline = fields.timeline ?? this.timelines.get(api.name) ?? api.randomTimeline(this.random, this.failureRate);
    const job = newJob(api.name, this.random, this.scheduler.now(), timeline, fields);
    const byId = this.jobsByApi.get(api.name)!;
    if (byId.has(job.id)) throw new ConfigError('id', `a ${api.name} job "${job.id}" exists already`);
    byId.set(job.id, job);
    this.log.jobCreated();
    return job;
  }

  private info(job: SimulatedJob): SimulatedJobInfo {
    return {
      id: job.id,
      api: job.api,
      createdAt: job.createdAt,
      timeline: job.timeline,
      status: job.timeline[stepAt(job, this.scheduler.now(), this.timeScale)]![0],
      finalStatus: job.timeline[job.timeline.length - 1]![0],
      delivered: [...job.delivered],
    };
  }
}

/** Every option of a simulation, for the check of unknown ones. */
export const simulationKeys = ['apiKey', 'timeScale', 'seed', 'failureRate', 'timelines', 'jobs', 'faults', 'longPollTimeout', 'maxIds', 'logLimit', 'scheduler', 'callback', 'apis'];
