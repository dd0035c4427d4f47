/** A place in a {@link Queue}, kept by whoever queued the value so it can leave in O(1). */
export interface QueueNode<T> {
  readonly value: T;
  prev: QueueNode<T> | undefined;
  next: QueueNode<T> | undefined;
  /** Whether the node is still in its queue. */
  queued: boolean;
}

/**
 * A first-in first-out queue, as a doubly linked list: adding, removing any
 * node and reading the oldest are O(1) whatever happened before. (A `Set`
 * used as a queue is not: V8 leaves a hole for each value taken from its
 * front, and every later look at the front steps over all of them.)
 */
export class Queue<T> {
  private head: QueueNode<T> | undefined;
  private tail: QueueNode<T> | undefined;
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** The oldest value, or undefined. */
  first(): T | undefined {
    return this.head?.value;
  }

  /** The newest value, or undefined. */
  last(): T | undefined {
    return this.tail?.value;
  }

  /** The oldest node: walk on with `node.next` (without changing the queue meanwhile). */
  firstNode(): QueueNode<T> | undefined {
    return this.head;
  }

  push(value: T): QueueNode<T> {
    const node: QueueNode<T> = { value, prev: this.tail, next: undefined, queued: true };
    if (this.tail) this.tail.next = node;
    else this.head = node;
    this.tail = node;
    this.count += 1;
    return node;
  }

  remove(node: QueueNode<T> | undefined): void {
    if (node === undefined || !node.queued) return;
    node.queued = false;
    if (node.prev) node.prev.next = node.next;
    else this.head = node.next;
    if (node.next) node.next.prev = node.prev;
    else this.tail = node.prev;
    node.prev = node.next = undefined;
    this.count -= 1;
  }

}
