import { TestScheduler } from 'rxjs/testing';

/** Errors are compared by `{ name, message }`, as RxJS's own specs do. */
function normalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalize);
  if (typeof value === 'object' && value !== null && 'notification' in value) {
    const frame = value as { frame: number; notification: { kind: string; error?: unknown } };
    const { notification } = frame;
    if (notification.kind === 'E' && notification.error instanceof Error) {
      const { name, message } = notification.error;
      return { ...frame, notification: { ...notification, error: { name, message } } };
    }
  }
  return value;
}

/** A fresh TestScheduler per test. */
export function testScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(normalize(actual)).toEqual(normalize(expected)));
}
