import { VirtualAction, VirtualTimeScheduler } from 'rxjs';

/** Lets every promise, stream read and I/O callback that is ready run (a few turns of the event loop, no time passes). */
export async function settle(turns = 3): Promise<void> {
  for (let turn = 0; turn < turns; turn += 1) await new Promise((resolve) => setImmediate(resolve));
}

/**
 * Virtual time for code that mixes scheduled actions with promises and web
 * streams (a relay and its browser clients in one process): time moves from
 * one due instant to the next, and between two instants every promise that
 * is ready settles, so a timer never fires before the work it waits on.
 */
export class VirtualClock {
  readonly scheduler = new VirtualTimeScheduler(VirtualAction, Infinity);

  now(): number {
    return this.scheduler.now();
  }

  /** Runs every action due up to `until` (virtual ms), settling promises between instants; stops early once `done()` holds. */
  async advanceTo(until: number, done: () => boolean = () => false): Promise<void> {
    const { scheduler } = this;
    for (;;) {
      await settle();
      if (done()) return;
      const next = scheduler.actions[0];
      if (!next || next.delay > until) break;
      scheduler.maxFrames = next.delay;
      scheduler.flush();
    }
    // Nothing more is due before `until`: the clock jumps there.
    scheduler.frame = Math.max(scheduler.frame, until);
  }

  advanceBy(ms: number, done?: () => boolean): Promise<void> {
    return this.advanceTo(this.now() + ms, done);
  }
}
