import { Observable, type MonoTypeOperatorFunction } from 'rxjs';

/**
 * Errors with `makeError(signal.reason)` as soon as `signal` aborts (at once
 * if it already has, before subscribing to the source), unsubscribing the
 * source, which aborts its requests.
 */
export function abortWith<T>(
  signal: AbortSignal | undefined,
  makeError: (reason: unknown) => Error,
): MonoTypeOperatorFunction<T> {
  return (source) =>
    signal === undefined
      ? source
      : new Observable<T>((subscriber) => {
          if (signal.aborted) {
            subscriber.error(makeError(signal.reason));
            return;
          }
          const onAbort = () => subscriber.error(makeError(signal.reason));
          signal.addEventListener('abort', onAbort, { once: true });
          const subscription = source.subscribe(subscriber);
          return () => {
            signal.removeEventListener('abort', onAbort);
            subscription.unsubscribe();
          };
        });
}
