/**
 * A binary min-heap of values by a numeric key: adding and taking the
 * smallest are O(log n). Nothing is removed from the middle: whoever keeps
 * values here marks those that no longer count, and skips them as they come
 * to the top (see `QueueLedger`'s early polls).
 */
export class MinHeap<T> {
  private readonly keys: number[] = [];
  private readonly values: T[] = [];

  get size(): number {
    return this.keys.length;
  }

  /** The smallest key, or Infinity when empty. */
  peekKey(): number {
    return this.keys.length === 0 ? Infinity : this.keys[0]!;
  }

  /** The value of the smallest key, or undefined when empty. */
  peek(): T | undefined {
    return this.values[0];
  }

  push(key: number, value: T): void {
    const { keys, values } = this;
    let index = keys.length;
    keys.push(key);
    values.push(value);
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (keys[parent]! <= key) break;
      keys[index] = keys[parent]!;
      values[index] = values[parent]!;
      index = parent;
    }
    keys[index] = key;
    values[index] = value;
  }

  /** Takes the value of the smallest key out; undefined when empty. */
  pop(): T | undefined {
    const { keys, values } = this;
    if (keys.length === 0) return undefined;
    const top = values[0];
    const lastKey = keys.pop()!;
    const lastValue = values.pop()!;
    const size = keys.length;
    if (size > 0) {
      let index = 0;
      for (;;) {
        const left = 2 * index + 1;
        if (left >= size) break;
        const child = left + 1 < size && keys[left + 1]! < keys[left]! ? left + 1 : left;
        if (keys[child]! >= lastKey) break;
        keys[index] = keys[child]!;
        values[index] = values[child]!;
        index = child;
      }
      keys[index] = lastKey;
      values[index] = lastValue;
    }
    return top;
  }
}
