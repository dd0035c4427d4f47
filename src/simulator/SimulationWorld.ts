import type { SchedulerLike, Subscription } from 'rxjs';
import type { RequestLog } from './RequestLog.js';
import type { SimulatedJob } from './spec/jobs.js';

/** What a simulation's endpoints share: its jobs, its clock and the timers on it, its log, and where media points. */
export interface SimulationWorld {
  readonly scheduler: SchedulerLike;
  /** Multiplies every duration of a job's life. */
  readonly timeScale: number;
  /** Where answers point for media files: the server's URL. */
  readonly baseUrl: string;
  readonly log: RequestLog;
  /** The jobs of the API named `api`, by id. */
  jobsOf(api: string): Map<string, SimulatedJob>;
  /** Held answers and pushes not yet sent: the simulation's `stop()` ends them. */
  readonly pending: Set<Subscription>;
}
