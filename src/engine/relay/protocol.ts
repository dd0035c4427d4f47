/**
 * The relay's wire format, shared by the server (`createRelay`) and the
 * browser-side provider (`relay`). See docs/browser.md.
 *
 * One Server-Sent Events stream per browser client carries every job it
 * watches:
 *
 * ```
 * retry: 1000
 * event: hello
 * data: {"stream":"s1f…","heartbeat":15000}
 *
 * id: 42
 * event: job
 * data: {"api":"aiml-suno","id":"a","job":{…}}
 *
 * id: 43
 * event: error
 * data: {"api":"aiml-suno","id":"b","error":{"name":"HttpError","message":"…","status":404}}
 *
 * : heartbeat
 * ```
 *
 * Ids of the stream are added and removed with `POST {base}/streams/{stream}`
 * and a body `{ "add": [{ "api", "id" }], "remove": [...] }`. A dropped
 * stream is resumed with `GET {base}/events?stream={stream}` and the
 * `Last-Event-ID` header: the relay sends what came after it.
 */

import type { ErrorData } from '../../errors/revive.js';

/** One job of one API. */
export interface RelayTarget {
  readonly api: string;
  readonly id: string;
}

/** The first event of a stream. */
export interface HelloEvent {
  /** The stream's id: add ids with it, resume with it. */
  readonly stream: string;
  /** Milliseconds between heartbeats: a stream silent for twice as long is dead. */
  readonly heartbeat: number;
}

/** A transition of a job. */
export interface JobEvent extends RelayTarget {
  readonly job: unknown;
}

/** Why a job cannot be watched further: the upstream watch's error, reduced to what is safe to show. */
export interface ErrorEvent extends RelayTarget {
  readonly error: RelayError;
}

/** A ClipstreamError as it crosses the relay: name, message and the fields that matter; no cause, no body, no key. */
export type RelayError = ErrorData;

/** The body of `POST {base}/streams/{stream}`. */
export interface StreamChange {
  readonly add?: readonly RelayTarget[];
  readonly remove?: readonly RelayTarget[];
}

/** The body of a refusal. */
export interface RelayRefusal {
  readonly error: string;
  readonly message: string;
}

export const relayPaths = {
  events: '/events',
  streams: '/streams/',
  create: '/create',
} as const;
