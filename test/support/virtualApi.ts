import { Observable, type SchedulerLike } from 'rxjs';
import type { HttpRequest, HttpResponse, Transport } from '../../src/index.js';
import { Simulation, simulatedTransport, type SimulationOptions } from '../../src/simulator/index.js';

/** One request as the client sent it, and how it ended. */
export interface Exchange {
  readonly index: number;
  readonly url: string;
  readonly path: string;
  readonly ids: string[];
  /** The wait value sent (`status`, `state`), if any. */
  readonly wanted: string | undefined;
  readonly openedAt: number;
  /** Global order of the event, shared with the watch records of a test. */
  readonly openedSeq: number;
  closedAt?: number;
  closedSeq?: number;
  outcome?: 'answered' | 'failed' | 'aborted';
  status?: number;
  /** Job id to status, for every job in a 2xx answer that decoded as JSON. */
  reported?: Map<string, string>;
}

/** A counter of events across transport and watchers, to order what happens within one virtual frame. */
export class Sequence {
  private next = 0;
  take(): number {
    return this.next++;
  }
}

/**
 * The simulator as an in-memory transport on `scheduler` (a TestScheduler,
 * so everything runs in virtual time), with every exchange recorded: ids,
 * wait value, open and close times, and the statuses each answer reported.
 */
export function virtualApi(scheduler: SchedulerLike, options: SimulationOptions = {}, sequence = new Sequence()) {
  const sim = new Simulation({ scheduler, ...options });
  const inner = simulatedTransport(sim);
  const exchanges: Exchange[] = [];
  let open = 0;
  let maxOpen = 0;
  const transport: Transport = {
    request: (request: HttpRequest) =>
      new Observable<HttpResponse>((subscriber) => {
        const url = new URL(request.url);
        const ids = [...url.searchParams.getAll('clip_id'), ...url.searchParams.getAll('clip_ids[]'), ...url.searchParams.getAll('generation_id'), ...url.searchParams.getAll('generation_ids[]'), ...(url.searchParams.get('ids')?.split(',') ?? [])];
        const exchange: Exchange = {
          index: exchanges.length,
          url: request.url,
          path: url.pathname,
          ids,
          wanted: url.searchParams.get('status') ?? url.searchParams.get('state') ?? undefined,
          openedAt: scheduler.now(),
          openedSeq: sequence.take(),
        };
        exchanges.push(exchange);
        open += 1;
        maxOpen = Math.max(maxOpen, open);
        const close = (outcome: Exchange['outcome']) => {
          if (exchange.outcome !== undefined) return;
          exchange.outcome = outcome;
          exchange.closedAt = scheduler.now();
          exchange.closedSeq = sequence.take();
          open -= 1;
        };
        const subscription = inner.request(request).subscribe({
          next: (response) => {
            exchange.status = response.status;
            exchange.reported = reportedStatuses(response);
            close('answered');
            subscriber.next(response);
          },
          error: (error: unknown) => {
            close('failed');
            subscriber.error(error);
          },
          complete: () => subscriber.complete(),
        });
        return () => {
          close('aborted');
          subscription.unsubscribe();
        };
      }),
  };
  return {
    sim,
    transport,
    exchanges,
    sequence,
    /** Requests open now, and the most open at once. */
    open: () => ({ now: open, max: maxOpen }),
  };
}

function reportedStatuses(response: HttpResponse): Map<string, string> | undefined {
  if (response.status < 200 || response.status > 299) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(response.body);
  } catch {
    return undefined;
  }
  const record = body as { clips?: unknown; generations?: unknown };
  const list = Array.isArray(body) ? body : Array.isArray(record?.clips) ? record.clips : Array.isArray(record?.generations) ? record.generations : [body];
  const reported = new Map<string, string>();
  for (const job of list as Array<{ id?: unknown; status?: unknown; state?: unknown }>) {
    const status = job?.state ?? job?.status;
    if (typeof job?.id === 'string' && typeof status === 'string') reported.set(job.id, status);
  }
  return reported;
}
