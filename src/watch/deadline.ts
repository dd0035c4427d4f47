import { Observable, type MonoTypeOperatorFunction, type SchedulerLike } from 'rxjs';

/**
 * Errors with `makeError()` if the source has not completed `ms` after
 * subscription, unsubscribing it (which aborts its requests). No deadline
 * when `ms` is undefined.
 */
export function deadline<T>(
  ms: number | undefined,
  scheduler: SchedulerLike,
  makeError: () => Error,
): MonoTypeOperatorFunction<T> {
  return (source) =>
    ms === undefined
      ? source
      : new Observable<T>((subscriber) => {
          const alarm = scheduler.schedule(() => subscriber.error(makeError()), ms);
          const subscription = source.subscribe(subscriber);
          return () => {
            alarm.unsubscribe();
            subscription.unsubscribe();
          };
        });
}
