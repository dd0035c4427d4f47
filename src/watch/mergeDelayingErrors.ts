import { Observable, type ObservableInput, from } from 'rxjs';

/**
 * Like `merge`, but one source's error does not stop the others: every
 * source runs to its end, then the result errors with the first error (in
 * time), or completes if there was none. Unsubscribing stops them all.
 *
 * ```
 * a:      --a--#
 * b:      ----b-----b--|
 * result: --a-b-----b--#     (a's error, after b completed)
 * ```
 */
export function mergeDelayingErrors<T>(sources: readonly ObservableInput<T>[]): Observable<T> {
  return new Observable<T>((subscriber) => {
    let left = sources.length;
    let first: { error: unknown } | undefined;
    const end = () => {
      if (--left > 0) return;
      if (first) subscriber.error(first.error);
      else subscriber.complete();
    };
    if (left === 0) subscriber.complete();
    for (const source of sources) {
      if (subscriber.closed) break;
      subscriber.add(
        from(source).subscribe({
          next: (value) => subscriber.next(value),
          error: (error: unknown) => {
            first ??= { error };
            end();
          },
          complete: end,
        }),
      );
    }
  });
}
