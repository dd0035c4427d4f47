import type { SchedulerLike, Subscription } from 'rxjs';
import { ConfigError } from '../errors/ConfigError.js';
import { simulatedApi } from './apis/index.js';
import { CallbackPusher } from './callbacks.js';
import { FetchEndpoint } from './fetchEndpoint.js';
import { SimulationRouter } from './router.js';
import { inspect } from './inspection.js';
import { newJob, stepAt, type SimulatedJob } from './spec/jobs.js';
import { seededRandom } from './spec/random.js';
import { RequestLog, type RequestRecord, type SimulatorStats } from './RequestLog.js';
import type { NewJobFields, SimulatedApiSpec } from './spec/SimulatedApiSpec.js';
import { checkTimeline, type Timeline } from './spec/timelines.js';
import { SimulatedCall, type SimulatedReply } from './SimulatedCall.js';
import { resolveSimulationOptions, type SimulationOptions, type SimulationSettings } from './simulationOptions.js';
import type { SimulationWorld } from './SimulationWorld.js';

export type { SimulationOptions } from './simulationOptions.js';

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
  private readonly log: RequestLog;
  private readonly pending = new Set<Subscription>();
  private readonly settings: SimulationSettings;
  private readonly random: () => number;
  private readonly router: SimulationRouter;
  private readonly jobsByApi = new Map<string, Map<string, SimulatedJob>>();
  private readonly fetchEndpoint: FetchEndpoint;
  private readonly callbacks: CallbackPusher;

  constructor(
    options: SimulationOptions = {},
    /** Where answers point for media files: the server's URL. */
    private readonly baseUrl = 'https://simulator.invalid',
  ) {
    const settings = (this.settings = resolveSimulationOptions(options));
    ({ apiKey: this.apiKey, scheduler: this.scheduler, timeScale: this.timeScale } = settings);
    this.router = new SimulationRouter(settings.apis);
    this.random = seededRandom(settings.seed);
    for (const api of settings.apis) this.jobsByApi.set(api.name, new Map());
    this.log = new RequestLog(settings.logLimit);
    // What the endpoints share with the simulation, and nothing of its public face.
    const world: SimulationWorld = {
      scheduler: this.scheduler,
      timeScale: this.timeScale,
      baseUrl: this.baseUrl,
      log: this.log,
      pending: this.pending,
      jobsOf: (api) => this.jobsByApi.get(api)!,
    };
    this.fetchEndpoint = new FetchEndpoint(world, settings);
    this.callbacks = new CallbackPusher(world, settings.callback);
    (options.jobs ?? []).forEach((scripted, index) => {
      const api = simulatedApi(scripted.api, `jobs[${index}].api`, settings.apis);
      this.add(api, { id: scripted.id, timeline: checkTimeline(api.statuses, scripted.timeline, `jobs[${index}].timeline`) });
    });
  }

  /** Adds a job, with a scripted life or a random one. */
  addJob(api: string, fields: { id?: string; timeline?: Timeline } = {}): SimulatedJobInfo {
    const spec = simulatedApi(api, 'api', this.settings.apis);
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
    return simulatedApi(name, 'api', this.settings.apis);
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
          if (answer.callback) this.callbacks.push(matched.api, answer.callback.url, answer.callback.jobs);
        },
        (error: Error) => call.refuse(400, error.message),
      );
      return exchange;
    }
    this.fetchEndpoint.handle(matched.api, asked!, call);
    return exchange;
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

  private add(api: SimulatedApiSpec, fields: NewJobFields): SimulatedJob {
    const timeline = fields.timeline ?? this.settings.timelines.get(api.name) ?? api.randomTimeline(this.random, this.settings.failureRate);
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
