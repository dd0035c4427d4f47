import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { asyncScheduler, type SchedulerLike, type Subscription } from 'rxjs';
import { faultPlan, type FaultKind, type FaultOptions } from './faults.js';
import { newJob, reachesAt, renderJob, stepAt, type SimulatedJob } from './jobs.js';
import { seededRandom, uuid } from './random.js';
import { RequestLog, type RequestRecord, type SimulatorStats } from './RequestLog.js';
import { checkTimeline, randomTimeline, statusModelOf, type SimulatedApi, type Timeline } from './timelines.js';

/** Options of {@link startSimulator}. Durations in milliseconds, before `timeScale`. */
export interface SimulatorOptions {
  /** Port on 127.0.0.1. @default 0 (a free port) */
  port?: number;
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
  /** Share of created jobs that end in `error` / `failed`. @default 0.05 */
  failureRate?: number;
  /** A fixed life for jobs created through the API, per API, instead of a random one. */
  timelines?: Partial<Record<SimulatedApi, Timeline>>;
  /** Jobs that exist from the start, each with its scripted life. */
  jobs?: ReadonlyArray<{ id: string; api: SimulatedApi; timeline: Timeline }>;
  faults?: FaultOptions;
  /** How long a long-poll is held. @default 120000 for Suno, 30000 for Luma, as the APIs document */
  longPollTimeout?: { suno?: number; luma?: number };
  /** Most ids one fetch request may carry. @default 6 (AI/ML API, documented for Suno), 2 (sunoapi.com) */
  maxIds?: Partial<Record<SimulatedApi, number>>;
  /** Requests kept in the log (counters cover all). @default 10000 */
  logLimit?: number;
  /** Clock and timers. @default asyncScheduler */
  scheduler?: SchedulerLike;
}

/** A job as the simulator sees it. */
export interface SimulatedJobInfo {
  readonly id: string;
  readonly api: SimulatedApi;
  /** The life, with times in ms after creation, before `timeScale`. */
  readonly timeline: Timeline;
  /** Status now. */
  readonly status: string;
  /** The last status of its life. */
  readonly finalStatus: string;
  /** Statuses the fetch endpoints sent in complete, well-formed answers, in order, each once. */
  readonly delivered: readonly string[];
}

/** A running simulator. */
export interface Simulator {
  /** `http://127.0.0.1:PORT`: pass it as `baseUrl` to `aimlSuno`, `aimlLuma` or `sunoApi`. */
  readonly url: string;
  readonly port: number;
  /** The bearer key it accepts. */
  readonly apiKey: string;
  /** Adds a job, with a scripted life or a random one. */
  addJob(api: SimulatedApi, options?: { id?: string; timeline?: Timeline }): SimulatedJobInfo;
  job(id: string): SimulatedJobInfo | undefined;
  jobs(): SimulatedJobInfo[];
  stats(): SimulatorStats;
  /** The last `logLimit` requests, oldest first. */
  requests(): readonly RequestRecord[];
  /** Stops answering, closes every connection and the server. */
  close(): Promise<void>;
}

interface Route {
  readonly api: SimulatedApi;
  readonly kind: 'fetch' | 'create';
  readonly method: 'GET' | 'POST';
  /** Reads the ids and the wanted status from the query. */
  readonly read?: (query: URLSearchParams) => { ids: string[]; wanted: string | undefined; multi: boolean };
}

const listOf = (query: URLSearchParams, name: string) =>
  [...query.getAll(`${name}[]`), ...query.getAll(name).flatMap((value) => value.split(','))].filter((id) => id !== '');

const routes: Record<string, Route> = {
  'GET /v2/generate/audio/suno-ai/clip': {
    api: 'aiml-suno',
    kind: 'fetch',
    method: 'GET',
    read: (query) => ({ ids: query.getAll('clip_id'), wanted: query.get('status') ?? undefined, multi: false }),
  },
  'GET /v2/generate/audio/suno-ai/clips': {
    api: 'aiml-suno',
    kind: 'fetch',
    method: 'GET',
    read: (query) => ({ ids: listOf(query, 'clip_ids'), wanted: query.get('status') ?? undefined, multi: true }),
  },
  'POST /v2/generate/audio/suno-ai/clip': { api: 'aiml-suno', kind: 'create', method: 'POST' },
  'GET /v2/generate/video/luma-ai/generation': {
    api: 'aiml-luma',
    kind: 'fetch',
    method: 'GET',
    // The documents use `state`, and `status` in one example: both are read.
    read: (query) => ({
      ids: query.getAll('generation_id'),
      wanted: query.get('state') ?? query.get('status') ?? undefined,
      multi: false,
    }),
  },
  'GET /v2/generate/video/luma-ai/generations': {
    api: 'aiml-luma',
    kind: 'fetch',
    method: 'GET',
    read: (query) => ({
      ids: listOf(query, 'generation_ids'),
      wanted: query.get('state') ?? query.get('status') ?? undefined,
      multi: true,
    }),
  },
  'POST /v2/generate/video/luma-ai/generation': { api: 'aiml-luma', kind: 'create', method: 'POST' },
  'GET /api/v2/suno/v3.5/clips': {
    api: 'sunoapi',
    kind: 'fetch',
    method: 'GET',
    read: (query) => ({ ids: listOf(query, 'ids'), wanted: undefined, multi: true }),
  },
  'POST /api/v2/suno/v3.5/custom/create-pure-music': { api: 'sunoapi', kind: 'create', method: 'POST' },
};

const cors = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': 'Authorization, Content-Type',
  'access-control-expose-headers': 'Retry-After',
  'access-control-max-age': '600',
};

/**
 * Starts a simulator of the three APIs on 127.0.0.1: the fetch endpoints with
 * their long-poll semantics, the create endpoints, the refusals, fault
 * injection and a request log. See docs/simulator.md.
 *
 * ## Example
 * ```ts
 * import { startSimulator } from 'clipstream/simulator';
 * import { createClient, aimlSuno } from 'clipstream';
 *
 * const sim = await startSimulator({ timeScale: 0.01 });
 * const job = sim.addJob('aiml-suno');
 * const client = createClient(aimlSuno({ apiKey: sim.apiKey, baseUrl: sim.url }));
 * client.watch(job.id).subscribe({ next: (clip) => console.log(clip.status), complete: () => sim.close() });
 * // Output:
 * // submitted
 * // queued
 * // streaming
 * // complete
 * ```
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const scheduler = options.scheduler ?? asyncScheduler;
  const apiKey = options.apiKey ?? 'sim-key';
  const timeScale = positive('timeScale', options.timeScale, 1);
  const seed = options.seed ?? 1;
  const failureRate = options.failureRate ?? 0.05;
  const random = seededRandom(seed);
  const nextFault = faultPlan(options.faults, seed + 1);
  const retryAfter = String(options.faults?.retryAfter ?? 1);
  const slowBy = (options.faults?.slowBy ?? 5_000) * timeScale;
  const longPoll = {
    suno: positive('longPollTimeout.suno', options.longPollTimeout?.suno, 120_000) * timeScale,
    luma: positive('longPollTimeout.luma', options.longPollTimeout?.luma, 30_000) * timeScale,
  };
  const maxIds: Record<SimulatedApi, number> = { 'aiml-suno': 6, 'aiml-luma': 6, sunoapi: 2, ...options.maxIds };
  const log = new RequestLog(options.logLimit ?? 10_000);
  const jobs = new Map<SimulatedApi, Map<string, SimulatedJob>>([
    ['aiml-suno', new Map()],
    ['aiml-luma', new Map()],
    ['sunoapi', new Map()],
  ]);
  const pending = new Set<Subscription>();

  const addJob = (api: SimulatedApi, fields: { id?: string; timeline?: Timeline; prompt?: string; tags?: string; title?: string } = {}) => {
    const timeline = fields.timeline
      ? checkTimeline(api, fields.timeline, 'timeline')
      : (options.timelines?.[api] ?? randomTimeline(api, random, failureRate));
    const job = newJob(api, random, scheduler.now(), timeline, fields);
    if (jobs.get(api)!.has(job.id)) throw new TypeError(`a ${api} job "${job.id}" exists already`);
    jobs.get(api)!.set(job.id, job);
    log.jobCreated();
    return job;
  };
  for (const [api, timeline] of Object.entries(options.timelines ?? {})) checkTimeline(api as SimulatedApi, timeline, `timelines.${api}`);
  for (const scripted of options.jobs ?? []) addJob(scripted.api, scripted);

  const info = (job: SimulatedJob): SimulatedJobInfo => ({
    id: job.id,
    api: job.api,
    timeline: job.timeline,
    status: job.timeline[stepAt(job, scheduler.now(), timeScale)]![0],
    finalStatus: job.timeline[job.timeline.length - 1]![0],
    delivered: [...job.delivered],
  });

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    // The simulator's own endpoints are for looking at traffic, not part of it: not logged.
    if (url.pathname.startsWith('/_simulator/')) return inspect(url, res);
    const key = `${req.method} ${url.pathname}`;
    const route = routes[key];
    const asked = route?.read?.(url.searchParams);
    const record = log.open({
      method: req.method ?? '?',
      url: `${url.pathname}${url.search}`,
      api: route?.api,
      kind: route?.kind ?? 'other',
      ids: asked?.ids ?? [],
      wanted: asked?.wanted,
      fault: undefined,
      startedAt: scheduler.now(),
    });
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      if (res.headersSent || res.destroyed) return;
      const text = JSON.stringify(body);
      res.writeHead(status, { ...cors, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
      res.end(text);
      log.close(record, scheduler.now(), status);
    };
    res.on('close', () => {
      if (!res.writableFinished) log.close(record, scheduler.now(), undefined, !res.headersSent);
    });

    if (req.method === 'OPTIONS') {
      res.writeHead(204, cors);
      res.end();
      log.close(record, scheduler.now(), 204);
      return;
    }
    if (!route) {
      const allowed = Object.keys(routes)
        .filter((name) => name.endsWith(` ${url.pathname}`))
        .map((name) => name.split(' ')[0]!);
      if (allowed.length === 0) return send(404, { message: `no such endpoint: ${req.method} ${url.pathname}` });
      return send(405, { message: `method not allowed: ${req.method} ${url.pathname}` }, { allow: [...allowed, 'OPTIONS'].join(', ') });
    }
    if (req.headers.authorization !== `Bearer ${apiKey}`) {
      const message = req.headers.authorization ? 'Unauthorized: the bearer key is not valid' : 'Unauthorized: no bearer key';
      return send(401, { message }, { 'www-authenticate': 'Bearer' });
    }
    if (route.kind === 'create') return create(route.api, req, send);
    fetch(route.api, asked!, record, res, send);
  });

  function fetch(
    api: SimulatedApi,
    { ids, wanted, multi }: { ids: string[]; wanted: string | undefined; multi: boolean },
    record: RequestRecord,
    res: ServerResponse,
    send: (status: number, body: unknown, headers?: Record<string, string>) => void,
  ): void {
    const model = statusModelOf(api);
    const noun = api === 'aiml-luma' ? 'generation' : 'clip';
    if (ids.length === 0) return send(400, { message: `no ${noun} id given` });
    if (!multi && ids.length > 1) return send(400, { message: `give one ${noun}_id; use the ${noun}s endpoint for several` });
    if (ids.length > maxIds[api]) {
      return send(400, { message: `at most ${maxIds[api]} ${noun} ids per request, got ${ids.length}` });
    }
    let priority = 0;
    if (wanted !== undefined) {
      const status = model.parse(wanted);
      if (status === undefined) return send(400, { message: `unknown ${api === 'aiml-luma' ? 'state' : 'status'} "${wanted}"` });
      if (model.isFailure(status)) return send(400, { message: `You cannot wait for an ${status} ${api === 'aiml-luma' ? 'state' : 'status'}` });
      priority = model.priority(status);
    }
    const found = ids.map((id) => jobs.get(api)!.get(id));
    const unknown = ids.filter((_, index) => found[index] === undefined);
    if (unknown.length > 0) return send(404, { message: `${noun} not found: ${unknown.join(', ')}` });
    const asked = found as SimulatedJob[];

    const fault = nextFault();
    if (fault) log.fault(record, fault);
    if (fault === '500' || fault === '502') return send(Number(fault), { message: `simulated ${fault}` });
    if (fault === '503' || fault === '429') {
      return send(Number(fault), { message: `simulated ${fault}` }, { 'retry-after': retryAfter });
    }
    if (fault === 'drop') return drop(res, record);

    const start = scheduler.now();
    const timeout = api === 'aiml-luma' ? longPoll.luma : longPoll.suno;
    // A long-poll answers when every job is at or above the wanted status, or at the timeout.
    const ready = wanted === undefined ? start : Math.max(...asked.map((job) => reachesAt(job, priority, timeScale)));
    const answerAt = Math.ceil(Math.max(start, Math.min(ready, start + timeout))) + (fault === 'slow' ? Math.ceil(slowBy) : 0);
    let timer: Subscription | undefined;
    const wait = () => {
      if (timer) pending.delete(timer);
      // Timers may fire a hair early against the clock: wait out the rest rather than answer too soon.
      const left = answerAt - scheduler.now();
      if (left > 0) {
        timer = scheduler.schedule(wait, left);
        pending.add(timer);
        return;
      }
      answer(asked, multi, fault, res, record);
    };
    wait();
    res.on('close', () => {
      if (timer === undefined) return;
      timer.unsubscribe();
      pending.delete(timer);
    });
  }

  function answer(asked: SimulatedJob[], multi: boolean, fault: FaultKind | undefined, res: ServerResponse, record: RequestRecord): void {
    if (res.destroyed) return;
    const now = scheduler.now();
    const steps = asked.map((job) => stepAt(job, now, timeScale));
    const staleIndex = fault === 'stale' ? steps.findIndex((step) => step > 0) : -1;
    if (staleIndex >= 0) steps[staleIndex]! -= 1;
    const rendered = asked.map((job, index) => renderJob(job, steps[index]!));
    const api = asked[0]!.api;
    const body =
      api === 'sunoapi'
        ? { clips: rendered, num_total_results: rendered.length, current_page: 0 }
        : !multi
          ? rendered[0]
          : api === 'aiml-luma'
            ? { generations: rendered }
            : rendered;
    const text = JSON.stringify(body);
    const headers = { ...cors, 'content-type': 'application/json' };
    if (fault === 'truncate') {
      res.writeHead(200, { ...headers, 'content-length': Buffer.byteLength(text) });
      res.write(text.slice(0, Math.floor(text.length / 2)));
      return drop(res, record);
    }
    if (fault === 'malformed') {
      const broken = text.slice(0, Math.floor(text.length / 2));
      res.writeHead(200, { ...headers, 'content-length': Buffer.byteLength(broken) });
      res.end(broken);
      log.close(record, now, 200);
      return;
    }
    asked.forEach((job, index) => {
      if (index === staleIndex) return;
      const status = job.timeline[steps[index]!]![0];
      if (!job.delivered.includes(status)) job.delivered.push(status);
    });
    res.writeHead(200, { ...headers, 'content-length': Buffer.byteLength(text) });
    res.end(text);
    log.close(record, now, 200);
  }

  /** `GET /_simulator/stats`, `/_simulator/requests?limit=N`, `/_simulator/jobs`. */
  function inspect(url: URL, res: ServerResponse): void {
    const limit = Number(url.searchParams.get('limit') ?? 100);
    const views: Record<string, () => unknown> = {
      '/_simulator/stats': () => log.stats(),
      '/_simulator/requests': () => log.entries().slice(-Math.max(0, Number.isFinite(limit) ? limit : 100)),
      '/_simulator/jobs': () => [...jobs.values()].flatMap((byId) => [...byId.values()].map(info)),
    };
    const view = views[url.pathname];
    const text = JSON.stringify(view ? view() : { message: `no such view; try ${Object.keys(views).join(', ')}` });
    res.writeHead(view ? 200 : 404, { ...cors, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  /** Closes the connection without a (complete) answer: a server-side fault, not a client abort. */
  function drop(res: ServerResponse, record: RequestRecord): void {
    log.close(record, scheduler.now(), undefined);
    res.socket?.destroy();
  }

  function create(
    api: SimulatedApi,
    req: IncomingMessage,
    send: (status: number, body: unknown, headers?: Record<string, string>) => void,
  ): void {
    readJson(req).then(
      (body) => {
        if (typeof body !== 'object' || body === null || Array.isArray(body)) return send(400, { message: 'expected a JSON object' });
        const fields = body as Record<string, unknown>;
        const text = (name: string) => (typeof fields[name] === 'string' && fields[name] !== '' ? (fields[name] as string) : undefined);
        if (api === 'aiml-luma') {
          const prompt = text('prompt');
          if (!prompt) return send(400, { message: 'prompt is required' });
          const job = addJob(api, { prompt });
          return send(200, renderJob(job, 0));
        }
        if (api === 'sunoapi') {
          const tags = text('tags');
          if (!tags) return send(400, { message: 'tags is required' });
          const clips = [0, 1].map(() => addJob(api, { tags, title: text('title') ?? 'untitled' }));
          return send(200, { id: uuid(random), clips: clips.map((job) => renderJob(job, 0)) });
        }
        const prompt = text('prompt') ?? text('gpt_description_prompt');
        if (!prompt) return send(400, { message: 'prompt or gpt_description_prompt is required' });
        const clips = [0, 1].map(() => addJob(api, { prompt, tags: text('tags'), title: text('title') }));
        return send(200, { clip_ids: clips.map((job) => job.id) });
      },
      (error: Error) => send(400, { message: error.message }),
    );
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    apiKey,
    addJob: (api, fields) => info(addJob(api, fields)),
    job: (id) => {
      for (const byId of jobs.values()) {
        const job = byId.get(id);
        if (job) return info(job);
      }
      return undefined;
    },
    jobs: () => [...jobs.values()].flatMap((byId) => [...byId.values()].map(info)),
    stats: () => log.stats(),
    requests: () => log.entries(),
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of pending) timer.unsubscribe();
        pending.clear();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function positive(field: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new TypeError(`${field}: expected a positive number, got ${String(value)}`);
  }
  return value;
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      text += chunk;
      if (text.length > 65_536) {
        reject(new Error('the body is too large'));
        req.destroy();
      }
    });
    req.on('end', () => {
      try {
        resolve(text === '' ? {} : JSON.parse(text));
      } catch {
        reject(new Error('the body is not JSON'));
      }
    });
    req.on('error', reject);
  });
}
