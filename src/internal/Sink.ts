/** Where one answer goes: a value, or why there is none. The callback form of a one-value Observable, for hot paths. */
export interface Sink<T> {
  answer(value: T): void;
  fail(error: unknown): void;
}

/** A watch's sink: it also hears when its job rides early in a request it did not send (see `WatchHandle.ask`'s `earlyFrom`). */
export interface WatchSink<T> extends Sink<T> {
  polledEarly?(at: number): void;
}

/** Something started that can be stopped; `cancel()` twice does nothing more. */
export interface Cancellable {
  cancel(): void;
}
