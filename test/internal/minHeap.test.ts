import fc from 'fast-check';
import { MinHeap } from '../../src/internal/MinHeap.js';

describe('MinHeap', () => {
  it('gives values back smallest key first, ties in any order, under any mix of pushes and pops', () => {
    // A step is a push of a key, or a pop (null).
    const steps = fc.array(fc.oneof(fc.integer({ min: -50, max: 50 }), fc.constant(null)), { maxLength: 200 });
    fc.assert(
      fc.property(steps, (plan) => {
        const heap = new MinHeap<string>();
        const model: number[] = [];
        plan.forEach((key, index) => {
          if (key === null) {
            const expected = model.length === 0 ? undefined : Math.min(...model);
            expect(heap.peekKey()).toBe(expected ?? Infinity);
            const value = heap.pop();
            if (expected === undefined) expect(value).toBeUndefined();
            else {
              // Values carry their key, so a value from the wrong place shows.
              expect(Number(value!.split('@')[0])).toBe(expected);
              model.splice(model.indexOf(expected), 1);
            }
          } else {
            heap.push(key, `${key}@${index}`);
            model.push(key);
          }
          expect(heap.size).toBe(model.length);
        });
      }),
    );
  });

  it('is empty as made: no key, no value', () => {
    const heap = new MinHeap<number>();
    expect([heap.size, heap.peekKey(), heap.peek(), heap.pop()]).toEqual([0, Infinity, undefined, undefined]);
  });
});
