import type { JobHandle } from './ledger.js';

/**
 * Every open watch of a client, by job id: one handle, or several when a
 * job is watched more than once (kept apart so the common case allocates no
 * array).
 */
export class WatchRegistry<J> {
  private readonly byId = new Map<string, JobHandle<J> | JobHandle<J>[]>();

  add(handle: JobHandle<J>): void {
    const entry = this.byId.get(handle.id);
    if (entry === undefined) this.byId.set(handle.id, handle);
    else if (Array.isArray(entry)) entry.push(handle);
    else this.byId.set(handle.id, [entry, handle]);
  }

  remove(handle: JobHandle<J>): void {
    const entry = this.byId.get(handle.id);
    if (entry === handle) this.byId.delete(handle.id);
    else if (Array.isArray(entry)) {
      const index = entry.indexOf(handle);
      if (index >= 0) entry.splice(index, 1);
      if (entry.length === 1) this.byId.set(handle.id, entry[0]!);
    }
  }

  /** Calls `each` for every watch of job `id` (over a copy when there are several: settling one does not disturb the walk). */
  forEach(id: string, each: (handle: JobHandle<J>) => void): void {
    const entry = this.byId.get(id);
    if (entry === undefined) return;
    if (!Array.isArray(entry)) return each(entry);
    for (const handle of entry.slice()) each(handle);
  }

  /** The first other watch of the same job that `matches`, when the job is watched more than once. */
  findOther(handle: JobHandle<J>, matches: (other: JobHandle<J>) => boolean): JobHandle<J> | undefined {
    const entry = this.byId.get(handle.id);
    if (!Array.isArray(entry)) return undefined;
    for (const other of entry) if (other !== handle && matches(other)) return other;
    return undefined;
  }
}
