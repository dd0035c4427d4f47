import type { SchedulerLike } from 'rxjs';
import type { RelayOptions } from './relayOptions.js';

/**
 * The per-address limits of one relay instance: who a request is from
 * (behind the proxies it trusts), how many streams each address holds open
 * (counted, never scanned, so an open costs O(1); a dropped stream stops
 * counting at once), and how many upstream watches each started this minute.
 */
export class AddressBook {
  private readonly connected = new Map<string, number>();
  /** Upstream watches started per address in the current minute (cleared when the minute turns). */
  private readonly starts = new Map<string, number>();
  private startsWindowEnd = -Infinity;

  constructor(
    private readonly trustProxy: NonNullable<RelayOptions['trustProxy']>,
    private readonly scheduler: SchedulerLike,
  ) {}

  /** The client's address: the socket's, or what the trusted proxies wrote. */
  addressOf(request: Request, address: string | undefined): string | undefined {
    const { trustProxy } = this;
    if (typeof trustProxy === 'function') return trustProxy(request, address);
    if (trustProxy === false) return address;
    // Each trusted proxy appends one entry; the ones before them, the client could write itself.
    const hops = trustProxy === true ? 1 : trustProxy;
    const forwarded = request.headers.get('x-forwarded-for')?.split(',').at(-hops)?.trim();
    return forwarded || address;
  }

  /** Streams `address` holds open on this instance. */
  connections(address: string | undefined): number {
    return address === undefined ? 0 : (this.connected.get(address) ?? 0);
  }

  countConnection(address: string | undefined, by: 1 | -1): void {
    if (address === undefined) return;
    const count = (this.connected.get(address) ?? 0) + by;
    if (count > 0) this.connected.set(address, count);
    else this.connected.delete(address);
  }

  /** Upstream watches `address` started this minute. */
  startsOf(address: string | undefined): number {
    const now = this.scheduler.now();
    if (now >= this.startsWindowEnd) {
      this.starts.clear();
      this.startsWindowEnd = now + 60_000;
    }
    return address === undefined ? 0 : (this.starts.get(address) ?? 0);
  }

  countStarts(address: string | undefined, count: number): void {
    if (address === undefined || count === 0) return;
    this.starts.set(address, this.startsOf(address) + count);
  }
}
