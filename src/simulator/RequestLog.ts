import type { FaultKind } from './faults.js';

/** One request the simulator received. */
export interface RequestRecord {
  /** 0 for the first request. */
  readonly seq: number;
  readonly method: string;
  /** Path and query as received (the key travels in a header and is never logged). */
  readonly url: string;
  readonly api: string | undefined;
  /** `fetch`, `create`, or `other` (CORS preflights, the stats endpoint, unknown paths). */
  readonly kind: 'fetch' | 'create' | 'other';
  /** Job ids asked for. */
  readonly ids: readonly string[];
  /** Status or state waited for, as sent. */
  readonly wanted: string | undefined;
  fault: FaultKind | undefined;
  /** Simulator clock times, in ms. */
  readonly startedAt: number;
  endedAt: number | undefined;
  /** HTTP status answered; undefined while open, or when the connection was dropped. */
  status: number | undefined;
  /** The client closed the connection before the answer. */
  aborted: boolean;
}

/** Counters over every request since start. */
export interface SimulatorStats {
  requests: number;
  /** Requests not answered yet. */
  open: number;
  /** The most requests open at once since start. */
  maxOpen: number;
  /** Requests whose client closed the connection before the answer. */
  aborted: number;
  /** Fetch requests, by number of ids: `{ "1": 10, "6": 4 }`. */
  idsPerRequest: Record<string, number>;
  /** Answers by HTTP status. */
  byStatus: Record<string, number>;
  /** Injected faults by kind. */
  faults: Record<string, number>;
  /** Jobs created or scripted. */
  jobs: number;
}

/** The log of requests (the last `limit` of them) and counters over all. */
export class RequestLog {
  private readonly records: RequestRecord[] = [];
  private readonly counters: SimulatorStats = {
    requests: 0,
    open: 0,
    maxOpen: 0,
    aborted: 0,
    idsPerRequest: {},
    byStatus: {},
    faults: {},
    jobs: 0,
  };

  constructor(private readonly limit: number) {}

  open(record: Omit<RequestRecord, 'seq' | 'endedAt' | 'status' | 'aborted'>): RequestRecord {
    const full: RequestRecord = { ...record, seq: this.counters.requests, endedAt: undefined, status: undefined, aborted: false };
    this.counters.requests += 1;
    this.counters.open += 1;
    if (this.counters.open > this.counters.maxOpen) this.counters.maxOpen = this.counters.open;
    if (record.kind === 'fetch') increment(this.counters.idsPerRequest, String(record.ids.length));
    this.records.push(full);
    if (this.records.length > this.limit) this.records.shift();
    return full;
  }

  /** Marks the end of a request: answered with `status`, dropped by the server (`undefined`), or aborted by the client. */
  close(record: RequestRecord, now: number, status: number | undefined, aborted = false): void {
    if (record.endedAt !== undefined) return;
    record.endedAt = now;
    record.status = status;
    record.aborted = aborted;
    this.counters.open -= 1;
    if (aborted) this.counters.aborted += 1;
    else increment(this.counters.byStatus, status === undefined ? 'dropped' : String(status));
  }

  fault(record: RequestRecord, kind: FaultKind): void {
    record.fault = kind;
    increment(this.counters.faults, kind);
  }

  jobCreated(count = 1): void {
    this.counters.jobs += count;
  }

  entries(): readonly RequestRecord[] {
    return this.records.map((record) => ({ ...record }));
  }

  stats(): SimulatorStats {
    return structuredClone(this.counters);
  }
}

function increment(counter: Record<string, number>, key: string): void {
  counter[key] = (counter[key] ?? 0) + 1;
}
