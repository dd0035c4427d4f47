import type { RequestLog, RequestRecord } from './RequestLog.js';

/** What the simulator answers through: the transport's side of one request. */
export interface SimulatedReply {
  send(status: number, headers: Record<string, string>, body: string | Uint8Array): void;
  /** Sends the status, headers and half of `body` under its full length, then drops the connection. */
  truncate(status: number, headers: Record<string, string>, body: string): void;
  /** Closes the connection without an answer. */
  drop(): void;
}

/** Headers on every answer, so a page on another loopback origin can call the simulator. */
export const corsHeaders: Readonly<Record<string, string>> = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
  'access-control-allow-headers': 'Authorization, Content-Type',
  'access-control-expose-headers': 'Retry-After',
  'access-control-max-age': '600',
};

/**
 * One request to the simulator, from its arrival to its answer: its entry
 * in the log, the reply, and what to undo if the client goes away. Each
 * endpoint answers through it once; anything after the first answer (or
 * the client leaving) is ignored.
 */
export class SimulatedCall {
  private over = false;
  private readonly closers: Array<() => void> = [];

  constructor(
    private readonly log: RequestLog,
    readonly record: RequestRecord,
    readonly reply: SimulatedReply,
    private readonly now: () => number,
    /** The body of an error answer in the API's shape (`{ message }` where no API matched). */
    private readonly errorBody: (status: number, message: string) => unknown,
  ) {}

  /** Logs the answer's status (undefined for none: a dropped or cut answer). */
  finish(status: number | undefined): void {
    if (this.over) return;
    this.over = true;
    this.log.close(this.record, this.now(), status);
  }

  /** Answers with a JSON body. */
  send(status: number, body: unknown, headers: Record<string, string> = {}): void {
    if (this.over) return;
    this.finish(status);
    this.reply.send(status, { ...corsHeaders, 'content-type': 'application/json', ...headers }, JSON.stringify(body));
  }

  /** Answers with no body (a preflight's, a delete's 204). */
  empty(status: number): void {
    if (this.over) return;
    this.finish(status);
    this.reply.send(status, { ...corsHeaders }, '');
  }

  /** Answers with an error, in the API's shape. */
  refuse(status: number, message: string, headers: Record<string, string> = {}): void {
    this.send(status, this.errorBody(status, message), headers);
  }

  /** Runs `close` if the client goes away before the answer (a held long-poll's timer). */
  onClientClosed(close: () => void): void {
    this.closers.push(close);
  }

  /** The client closed the connection: logged as aborted, and every pending part undone. */
  clientClosed(): void {
    if (!this.over) {
      this.over = true;
      this.log.close(this.record, this.now(), undefined, true);
    }
    for (const close of this.closers) close();
  }
}
