import type { Subscription } from 'rxjs';
import type { SimulationWorld } from './SimulationWorld.js';
import type { SimulatedJob } from './spec/jobs.js';
import type { SimulatedApiSpec } from './spec/SimulatedApiSpec.js';

/** The pushes of an API that calls back (Luma's `callback_url`). */
export class CallbackPusher {
  constructor(
    private readonly world: SimulationWorld,
    /** Delivers one push: the simulation's `callback` option. */
    private readonly deliver: (url: string, job: unknown) => void,
  ) {}

  /** Pushes each later status of `jobs` to `url` when it comes: one timer per status on the simulation's clock. */
  push(api: SimulatedApiSpec, url: string, jobs: readonly SimulatedJob[]): void {
    const { scheduler, timeScale, pending, baseUrl } = this.world;
    for (const job of jobs) {
      for (const [status, at] of job.timeline.slice(1)) {
        const delay = Math.max(0, job.createdAt + Math.ceil(at * timeScale) - scheduler.now());
        const timer: Subscription = scheduler.schedule(() => {
          pending.delete(timer);
          this.deliver(url, api.render(job, status, baseUrl));
        }, delay);
        pending.add(timer);
      }
    }
  }
}
