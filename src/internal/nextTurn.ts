import type { SchedulerLike, Subscription } from 'rxjs';

/**
 * Runs `work` on the scheduler's next turn. Returns the pending action, to
 * keep so a second call is not made; or undefined when a synchronous
 * scheduler (queueScheduler, a TestScheduler's `flush`) has run it already,
 * inside `schedule()`, so nothing is pending.
 */
export function nextTurn(scheduler: SchedulerLike, work: () => void): Subscription | undefined {
  let ran = false;
  const action = scheduler.schedule(() => {
    ran = true;
    work();
  }, 0);
  return ran ? undefined : action;
}
